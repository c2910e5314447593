/* clrun — unary activation ops, prelu, clip and scale. The formulas live in
 * activation.c; this file reads each op's attributes (nb-format.md 6.3, 6.8). */
#include <string.h>

#include "kernels/host/activation.h"
#include "kernels/host/math_kernels.h"
#include "kernels/host/tensor_common.h"

/* FP32 input X and output Out, resized like X. */
static clr_status unary_f32(clr_node *n, clr_tensor **x, clr_tensor **out) {
    clr_status st = tk_in_out(n, "X", "Out", x, out);
    if (st != CLR_OK) return st;
    if ((*x)->dtype != CLR_DTYPE_FP32)
        return clr_node_fail(n, CLR_ERR_UNSUPPORTED, "X is %s, expected FP32",
                             clr_dtype_name((*x)->dtype) ? clr_dtype_name((*x)->dtype) : "?");
    st = tk_resize(n, *out, CLR_DTYPE_FP32, (*x)->ndims, (*x)->dims);
    if (st == CLR_OK) st = clr_tensor_set_lod(*out, (*x)->nlod, (*x)->lod, n->err);
    return st;
}

clr_status clr_host_activation(clr_node *n) {
    clr_act act;
    if (!clr_act_from_name(n->op->type, &act)) return clr_node_fail(n, CLR_ERR_UNSUPPORTED, "unknown activation");
    act.threshold = clr_node_attr_float(n, "threshold", act.threshold);
    act.alpha = clr_node_attr_float(n, "alpha", act.alpha);
    act.slope = clr_node_attr_float(n, "slope", act.slope);
    act.offset = clr_node_attr_float(n, "offset", act.offset);
    act.scale = clr_node_attr_float(n, "scale", act.scale);
    act.beta = clr_node_attr_float(n, "beta", act.beta);
    act.approximate = clr_node_attr_bool(n, "approximate", false);
    clr_tensor *x, *out;
    clr_status st = unary_f32(n, &x, &out);
    if (st != CLR_OK) return st;
    int64_t total = clr_tensor_numel(x);
    memcpy(out->data, x->data, (size_t)total * sizeof(float));
    clr_act_apply(&act, out->data, total);
    return CLR_OK;
}

/* prelu: y = x > 0 ? x : alpha * x with alpha shared ("all"), per channel
 * (dim 1, "channel") or per element of one sample ("element"). */
clr_status clr_host_prelu(clr_node *n) {
    clr_tensor *x, *out, *alpha;
    clr_status st = unary_f32(n, &x, &out);
    if (st == CLR_OK) st = clr_node_require_in(n, "Alpha", &alpha);
    if (st != CLR_OK) return st;
    const char *mode = clr_node_attr_str(n, "mode", "all");
    int64_t total = clr_tensor_numel(x), outer = x->ndims ? x->dims[0] : 1, per_sample = outer ? total / outer : 0;
    int64_t channels = x->ndims > 1 ? x->dims[1] : 1, inner = channels ? per_sample / channels : 0;
    int64_t need = strcmp(mode, "all") == 0 ? 1 : strcmp(mode, "channel") == 0 ? channels
                 : strcmp(mode, "element") == 0 ? per_sample : -1;
    if (need < 0) return clr_node_fail(n, CLR_ERR_UNSUPPORTED, "prelu mode '%s'", mode);
    if (alpha->dtype != CLR_DTYPE_FP32 || clr_tensor_numel(alpha) < need)
        return clr_node_fail(n, CLR_ERR_FORMAT, "Alpha has %lld values, mode '%s' needs %lld",
                             (long long)clr_tensor_numel(alpha), mode, (long long)need);
    const float *px = x->data, *pa = alpha->data;
    float *po = out->data;
    for (int64_t i = 0; i < total; i++) {
        int64_t k = need == 1 ? 0 : need == channels ? (i / (inner ? inner : 1)) % channels : i % per_sample;
        po[i] = px[i] > 0.0f ? px[i] : pa[k] * px[i];
    }
    return CLR_OK;
}

/* clip: bounds from the Min/Max tensors when bound, else the attributes. */
clr_status clr_host_clip(clr_node *n) {
    clr_tensor *x, *out;
    clr_status st = unary_f32(n, &x, &out);
    if (st != CLR_OK) return st;
    float lo = clr_node_attr_float(n, "min", -3.402823466e38f), hi = clr_node_attr_float(n, "max", 3.402823466e38f);
    clr_tensor *tmin = clr_node_in(n, "Min", 0), *tmax = clr_node_in(n, "Max", 0);
    if (tmin && tmin->data && tmin->dtype == CLR_DTYPE_FP32 && clr_tensor_numel(tmin)) lo = ((float *)tmin->data)[0];
    if (tmax && tmax->data && tmax->dtype == CLR_DTYPE_FP32 && clr_tensor_numel(tmax)) hi = ((float *)tmax->data)[0];
    const float *px = x->data;
    float *po = out->data;
    for (int64_t i = 0; i < clr_tensor_numel(x); i++) po[i] = px[i] < lo ? lo : px[i] > hi ? hi : px[i];
    return CLR_OK;
}

/* scale: bias_after_scale ? s*x + b : s*(x + b); the scale may come from the
 * ScaleTensor input; opt may have fused a relu/relu6/leaky_relu after it. */
clr_status clr_host_scale(clr_node *n) {
    clr_tensor *x, *out;
    clr_status st = tk_in_out(n, "X", "Out", &x, &out);
    if (st != CLR_OK) return st;
    float s = clr_node_attr_float(n, "scale", 1.0f), b = clr_node_attr_float(n, "bias", 0.0f);
    clr_tensor *ts = clr_node_in(n, "ScaleTensor", 0);
    if (ts && ts->data && ts->dtype == CLR_DTYPE_FP32 && clr_tensor_numel(ts)) s = ((float *)ts->data)[0];
    bool after = clr_node_attr_bool(n, "bias_after_scale", true);
    if ((st = tk_resize(n, out, x->dtype, x->ndims, x->dims)) != CLR_OK) return st;
    if ((st = clr_tensor_set_lod(out, x->nlod, x->lod, n->err)) != CLR_OK) return st;
    int64_t total = clr_tensor_numel(x);
    if (x->dtype == CLR_DTYPE_INT32 || x->dtype == CLR_DTYPE_INT64) {
        for (int64_t i = 0; i < total; i++) {
            double v = (double)tk_load_i64(x->data, x->dtype, i);
            tk_store_i64(out->data, out->dtype, i, (int64_t)(after ? s * v + b : s * (v + b)));
        }
        return CLR_OK;
    }
    if (x->dtype != CLR_DTYPE_FP32)
        return clr_node_fail(n, CLR_ERR_UNSUPPORTED, "X is %s", clr_dtype_name(x->dtype) ? clr_dtype_name(x->dtype) : "?");
    const float *px = x->data;
    float *po = out->data;
    float add = after ? b : s * b;
    for (int64_t i = 0; i < total; i++) po[i] = s * px[i] + add;
    const char *act_name = clr_node_attr_str(n, "activation_type", "");
    clr_act act;
    if (!clr_act_from_name(act_name, &act)) return clr_node_fail(n, CLR_ERR_UNSUPPORTED, "fused activation '%s'", act_name);
    if (act.kind == CLR_ACT_RELU6) act.threshold = clr_node_attr_float(n, "alpha", 6.0f);
    if (act.kind == CLR_ACT_LEAKY_RELU) act.alpha = clr_node_attr_float(n, "alpha", act.alpha);
    clr_act_apply(&act, po, total);
    return CLR_OK;
}
