/* clrun — unary activation ops, prelu, clip and scale (nb-format.md 6.3,
 * 6.8). The activation math itself lives in activation.c. */
#include <math.h>
#include <string.h>

#include "kernels/host/math_kernels.h"
#include "kernels/host/tensor_common.h"

/* relu, sigmoid, hard_swish, …: the op type names the activation; its
 * parameters are the op's attributes. */
clr_status clr_mk_activation(clr_node *n) {
    clr_act act;
    clr_tensor *x, *out;
    clr_status st = mk_act_from_attrs(n, n->op->type, &act);
    if (st == CLR_OK) st = mk_f32_unary(n, "X", "Out", &x, &out);
    if (st != CLR_OK) return st;
    int64_t cnt = clr_tensor_numel(x);
    memcpy(out->data, x->data, (size_t)cnt * sizeof(float));
    clr_act_apply_par(n->pool, &act, out->data, cnt);
    return CLR_OK;
}

/* prelu: out = x > 0 ? x : a * x with one slope ("all"), one per channel
 * (dim 1, "channel") or one per element of a sample ("element"). */
clr_status clr_mk_prelu(clr_node *n) {
    clr_tensor *x, *out, *alpha;
    clr_status st = mk_f32_unary(n, "X", "Out", &x, &out);
    if (st == CLR_OK) st = clr_node_require_in(n, "Alpha", &alpha);
    if (st == CLR_OK) st = mk_require_f32(n, "Alpha", alpha);
    if (st != CLR_OK) return st;
    const char *mode = clr_node_attr_str(n, "mode", "all");
    int64_t total = clr_tensor_numel(x);
    int64_t channels = x->ndims >= 2 ? x->dims[1] : 1;
    int64_t sample = x->ndims >= 1 && x->dims[0] > 0 ? total / x->dims[0] : 0;
    int64_t inner = channels > 0 ? sample / channels : 0; /* elements per channel in a sample */
    int64_t need, per; /* slopes expected; consecutive elements sharing one slope */
    if (strcmp(mode, "all") == 0) need = 1, per = total;
    else if (strcmp(mode, "channel") == 0) need = channels, per = inner;
    else if (strcmp(mode, "element") == 0) need = sample, per = 1;
    else return clr_node_fail(n, CLR_ERR_UNSUPPORTED, "unsupported prelu mode '%s'", mode);
    if (clr_tensor_numel(alpha) != need && !(strcmp(mode, "all") == 0 && clr_tensor_numel(alpha) >= 1))
        return clr_node_fail(n, CLR_ERR_FORMAT, "input 'Alpha' has %lld values, mode '%s' needs %lld",
                             (long long)clr_tensor_numel(alpha), mode, (long long)need);
    if (total == 0) return CLR_OK;
    const float *px = x->data, *pa = alpha->data;
    float *po = out->data;
    for (int64_t i = 0; i < total; i++) {
        float a = pa[per > 0 ? (i / per) % need : 0];
        po[i] = px[i] > 0.0f ? px[i] : a * px[i];
    }
    return CLR_OK;
}

/* A bound that an optional 1-element tensor `slot` overrides. */
static clr_status bound(const clr_node *n, const char *slot, const char *attr, float dflt, float *v) {
    const clr_tensor *t = clr_node_in(n, slot, 0);
    *v = clr_node_attr_float(n, attr, dflt);
    if (!t || !t->data || clr_tensor_numel(t) == 0) return CLR_OK;
    if (t->dtype == CLR_DTYPE_FP32) *v = *(const float *)t->data;
    else if (tk_dtype_is_int(t->dtype)) *v = (float)tk_load_i64(t->data, t->dtype, 0);
    else return clr_node_fail(n, CLR_ERR_UNSUPPORTED, "input '%s' must be FP32 or integer", slot);
    return CLR_OK;
}

clr_status clr_mk_clip(clr_node *n) {
    clr_tensor *x, *out;
    float lo, hi;
    clr_status st = mk_f32_unary(n, "X", "Out", &x, &out);
    if (st == CLR_OK) st = bound(n, "Min", "min", -INFINITY, &lo);
    if (st == CLR_OK) st = bound(n, "Max", "max", INFINITY, &hi);
    if (st != CLR_OK) return st;
    if (lo > hi) return clr_node_fail(n, CLR_ERR_FORMAT, "min %g is greater than max %g", lo, hi);
    const float *px = x->data;
    float *po = out->data;
    for (int64_t i = 0; i < clr_tensor_numel(x); i++) po[i] = px[i] < lo ? lo : px[i] > hi ? hi : px[i];
    return CLR_OK;
}

/* The activation fused into scale by lite_scale_activation_fuse_pass: its
 * relu6 clip and leaky_relu slope come in `alpha`. */
static clr_status scale_act(const clr_node *n, clr_act *act) {
    const char *name = clr_node_attr_str(n, "activation_type", "");
    if (!clr_act_from_name(name, act) ||
        !(act->kind == CLR_ACT_NONE || act->kind == CLR_ACT_RELU || act->kind == CLR_ACT_RELU6 ||
          act->kind == CLR_ACT_LEAKY_RELU))
        return clr_node_fail(n, CLR_ERR_UNSUPPORTED, "unsupported activation_type '%s'", name);
    if (act->kind == CLR_ACT_RELU6) act->threshold = clr_node_attr_float(n, "alpha", 6.0f);
    if (act->kind == CLR_ACT_LEAKY_RELU) act->alpha = clr_node_attr_float(n, "alpha", act->alpha);
    return CLR_OK;
}

/* scale: out = s * x + b (bias_after_scale) or s * (x + b); `ScaleTensor`
 * overrides `scale`. FP32 may carry a fused activation and, after
 * lite_scaleacts_fuse_pass, a second affine step scale1 * y + bias1.
 * Integer tensors compute in double and truncate, as Paddle's cast does. */
clr_status clr_mk_scale(clr_node *n) {
    clr_tensor *x, *out;
    clr_act act;
    float s;
    clr_status st = tk_in_out(n, "X", "Out", &x, &out);
    if (st == CLR_OK) st = bound(n, "ScaleTensor", "scale", 1.0f, &s);
    if (st == CLR_OK) st = scale_act(n, &act);
    if (st != CLR_OK) return st;
    bool is_int = x->dtype == CLR_DTYPE_INT32 || x->dtype == CLR_DTYPE_INT64;
    if (x->dtype != CLR_DTYPE_FP32 && !is_int)
        return clr_node_fail(n, CLR_ERR_UNSUPPORTED, "input 'X' is %s, expected FP32, INT32 or INT64",
                             clr_dtype_name(x->dtype) ? clr_dtype_name(x->dtype) : "?");
    bool second = clr_node_attr_bool(n, "fuse_scaleact", false);
    if (is_int && (act.kind != CLR_ACT_NONE || second))
        return clr_node_fail(n, CLR_ERR_UNSUPPORTED, "fused activation on an integer scale");
    st = tk_resize(n, out, x->dtype, x->ndims, x->dims);
    if (st == CLR_OK) st = mk_share_lod(n, out, x);
    if (st != CLR_OK) return st;
    float b = clr_node_attr_float(n, "bias", 0.0f);
    if (!clr_node_attr_bool(n, "bias_after_scale", true)) b *= s;
    int64_t cnt = clr_tensor_numel(x);
    if (is_int) {
        for (int64_t i = 0; i < cnt; i++)
            tk_store_f64(out->data, out->dtype, i, (double)s * (double)tk_load_i64(x->data, x->dtype, i) + b);
        return CLR_OK;
    }
    const float *px = x->data;
    float *po = out->data;
    for (int64_t i = 0; i < cnt; i++) po[i] = s * px[i] + b;
    clr_act_apply_par(n->pool, &act, po, cnt);
    if (second) {
        float s1 = clr_node_attr_float(n, "scale1", 1.0f), b1 = clr_node_attr_float(n, "bias1", 0.0f);
        for (int64_t i = 0; i < cnt; i++) po[i] = s1 * po[i] + b1;
    }
    return CLR_OK;
}
