/* clrun — conv-family epilogue and shared helpers (see conv_common.h). */
#include "kernels/host/conv_common.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "kernels/host/cpu_features.h"

static clr_status set_prelu(const clr_node *n, clr_post *p, const char *mode, const char *slot) {
    if (strcmp(mode, "all") == 0) p->prelu = CLR_PRELU_ALL;
    else if (strcmp(mode, "channel") == 0) p->prelu = CLR_PRELU_CHANNEL;
    else if (strcmp(mode, "element") == 0) p->prelu = CLR_PRELU_ELEMENT;
    else return clr_node_fail(n, CLR_ERR_UNSUPPORTED, "unsupported prelu mode '%s'", mode);
    const clr_tensor *a = clr_node_in(n, slot, 0);
    if (!a) return clr_node_fail(n, CLR_ERR_FORMAT, "prelu activation without input '%s'", slot);
    if (a->dtype != CLR_DTYPE_FP32) return clr_node_fail(n, CLR_ERR_UNSUPPORTED, "input '%s' is not FP32", slot);
    p->alpha = a->data;
    p->alpha_n = clr_tensor_numel(a);
    p->act.kind = CLR_ACT_NONE;
    return CLR_OK;
}

clr_status clr_post_conv_act(const clr_node *n, clr_post *p) {
    clr_act_from_name("", &p->act);
    p->prelu = CLR_PRELU_NONE;
    /* Lite's signal is with_act; Paddle's own fuse_relu/fuse_brelu attributes
     * (mkldnn leftovers) are ignored without it, as ConvOpLite::AttachImpl does. */
    if (!clr_node_attr_bool(n, "with_act", false)) return CLR_OK;
    const char *t = clr_node_attr_str(n, "act_type", "");
    /* conv2d_transpose's fuser names some activations differently. */
    static const char *const aliases[][2] = {{"tanh_act", "tanh"}, {"fuse_swish", "swish"}, {"fuse_abs", "abs"},
                                             {"fuse_exp", "exp"}};
    for (size_t i = 0; i < sizeof aliases / sizeof aliases[0]; i++)
        if (strcmp(t, aliases[i][0]) == 0) t = aliases[i][1];
    if (strcmp(t, "prelu") == 0) return set_prelu(n, p, clr_node_attr_str(n, "prelu_mode", "channel"), "Prelu_alpha");
    static const char *const fusable[] = {"relu", "relu6", "leaky_relu", "hard_swish", "hard_sigmoid",
                                          "sigmoid", "tanh", "swish", "abs", "exp"};
    bool ok = false;
    for (size_t i = 0; i < sizeof fusable / sizeof fusable[0]; i++) ok = ok || strcmp(t, fusable[i]) == 0;
    if (!ok || !clr_act_from_name(t, &p->act))
        return clr_node_fail(n, CLR_ERR_UNSUPPORTED, "unsupported fused act_type '%s'", t);
    clr_act *a = &p->act;
    a->threshold = clr_node_attr_float(n, a->kind == CLR_ACT_RELU6 ? "fuse_brelu_threshold" : "hard_swish_threshold",
                                       a->threshold);
    a->alpha = clr_node_attr_float(n, "leaky_relu_alpha", a->alpha);
    a->scale = clr_node_attr_float(n, "hard_swish_scale", a->scale);
    a->beta = clr_node_attr_float(n, "swish_scale", a->beta);
    if (a->kind == CLR_ACT_HARD_SWISH) a->offset = clr_node_attr_float(n, "hard_swish_offset", a->offset);
    if (a->kind == CLR_ACT_HARD_SIGMOID) {
        a->slope = clr_node_attr_float(n, "slope", a->slope);
        a->offset = clr_node_attr_float(n, "offset", a->offset);
    }
    return CLR_OK;
}

clr_status clr_post_fc_act(const clr_node *n, clr_post *p) {
    clr_act_from_name("", &p->act);
    p->prelu = CLR_PRELU_NONE;
    const char *t = clr_node_attr_str(n, "activation_type", "");
    if (strcmp(t, "prelu") == 0) return set_prelu(n, p, clr_node_attr_str(n, "prelu_mode", "channel"), "Alpha");
    if (!clr_act_from_name(t, &p->act))
        return clr_node_fail(n, CLR_ERR_UNSUPPORTED, "unsupported activation_type '%s'", t);
    if (p->act.kind == CLR_ACT_RELU6) p->act.threshold = clr_node_attr_float(n, "alpha", 6.0f);
    if (p->act.kind == CLR_ACT_LEAKY_RELU) p->act.alpha = clr_node_attr_float(n, "alpha", p->act.alpha);
    return CLR_OK;
}

clr_status clr_post_bind(const clr_node *n, clr_post *p, const char *bias_slot, int64_t channels, int64_t sample) {
    p->channels = channels;
    p->bias = NULL;
    const clr_tensor *b = bias_slot ? clr_node_in(n, bias_slot, 0) : NULL;
    if (b) {
        clr_status st = clr_expect_dtype(n, bias_slot, b, CLR_DTYPE_FP32);
        if (st != CLR_OK) return st;
        if (clr_tensor_numel(b) != channels)
            return clr_node_fail(n, CLR_ERR_FORMAT, "input '%s' has %lld values, expected %lld", bias_slot,
                                 (long long)clr_tensor_numel(b), (long long)channels);
        p->bias = b->data;
    }
    if (p->prelu != CLR_PRELU_NONE) {
        int64_t need = p->prelu == CLR_PRELU_ALL ? 1 : p->prelu == CLR_PRELU_CHANNEL ? channels : sample;
        if (p->alpha_n < need)
            return clr_node_fail(n, CLR_ERR_FORMAT, "prelu slopes have %lld values, expected %lld",
                                 (long long)p->alpha_n, (long long)need);
    }
    return CLR_OK;
}

clr_status clr_post_int8(const clr_node *n, clr_post *p, const char *in_scale, const char *w_scale,
                         const char *out_scale) {
    const char *alias = n->op->place.present && n->op->place.alias ? n->op->place.alias : "";
    p->int8 = true;
    p->out_int8 = strcmp(alias, "int8_out") == 0 || strcmp(alias, "int8out") == 0;
    float si = 0.0f, so = 1.0f;
    if (clr_node_attr_floats(n, in_scale, &si, 1) < 1)
        return clr_node_fail(n, CLR_ERR_FORMAT, "int8 kernel without attribute '%s'", in_scale);
    if (p->out_int8 && (clr_node_attr_floats(n, out_scale, &so, 1) < 1 || !(so > 0.0f)))
        return clr_node_fail(n, CLR_ERR_FORMAT, "int8 output without a positive '%s'", out_scale);
    if (p->prelu != CLR_PRELU_NONE) return clr_node_fail(n, CLR_ERR_UNSUPPORTED, "prelu fused into an int8 kernel");
    bool out_units = p->out_int8 && p->kernel != CLR_ARM_DEPTHWISE;
    p->requant = p->out_int8 && !out_units ? 1.0f / so : 0.0f;
    if (out_units) {
        /* Activations run in output units (ARM scales their thresholds), so only
         * those that commute with a positive scale are meaningful there. */
        clr_act *a = &p->act;
        switch (a->kind) {
        case CLR_ACT_NONE: case CLR_ACT_RELU: case CLR_ACT_LEAKY_RELU: break;
        case CLR_ACT_RELU6: a->threshold /= so; break;
        case CLR_ACT_HARD_SWISH: a->threshold /= so; a->scale /= so; a->offset /= so; break;
        default: return clr_node_fail(n, CLR_ERR_UNSUPPORTED, "activation not supported with int8 output");
        }
    }
    int64_t c = p->channels;
    p->scale = clr_malloc((size_t)(c > 0 ? c : 1) * sizeof *p->scale);
    p->qbias = p->bias ? clr_malloc((size_t)(c > 0 ? c : 1) * sizeof *p->qbias) : NULL;
    if (!p->scale || (p->bias && !p->qbias)) return clr_node_fail(n, CLR_ERR_NOMEM, "out of memory");
    int32_t nw = clr_node_attr_floats(n, w_scale, p->scale, (int32_t)(c < INT32_MAX ? c : INT32_MAX));
    if (nw != 1 && nw != c)
        return clr_node_fail(n, CLR_ERR_FORMAT, "attribute '%s' has %d values, expected 1 or %lld", w_scale, nw,
                             (long long)c);
    bool wino = p->kernel == CLR_ARM_WINO_F23 || p->kernel == CLR_ARM_WINO_F43;
    p->acc_mul = p->kernel == CLR_ARM_WINO_F23 ? 4 : p->kernel == CLR_ARM_WINO_F43 ? 576 : 1;
    float ratio = si / so, wino_scale = p->kernel == CLR_ARM_WINO_F23 ? 0.25f : 1.0f / 576.0f;
    for (int64_t i = 0; i < c; i++) {
        float w = nw == 1 ? p->scale[0] : p->scale[i];
        if (!out_units) p->scale[i] = w * si;
        else if (p->kernel == CLR_ARM_DIRECT) p->scale[i] = w * ratio;
        else p->scale[i] = w * si / so;
        if (wino) p->scale[i] *= wino_scale;
        if (p->qbias) p->qbias[i] = out_units ? p->bias[i] / so : p->bias[i];
    }
    return CLR_OK;
}

void clr_post_release(clr_post *p) {
    free(p->scale);
    free(p->qbias);
    p->scale = p->qbias = NULL;
}

static float prelu_slope(const clr_post *p, int64_t c, int64_t e) {
    switch (p->prelu) {
    case CLR_PRELU_ALL: return p->alpha[0];
    case CLR_PRELU_CHANNEL: return p->alpha[c];
    default: return p->alpha[e];
    }
}

void clr_post_f32(const clr_post *p, int64_t c, float *x, int64_t len, int64_t e0) {
    if (p->bias) {
        float b = p->bias[c];
        for (int64_t i = 0; i < len; i++) x[i] += b;
    }
    if (p->prelu == CLR_PRELU_NONE) {
        clr_act_apply(&p->act, x, len);
        return;
    }
    for (int64_t i = 0; i < len; i++)
        if (x[i] < 0.0f) x[i] *= prelu_slope(p, c, e0 + i);
}

void clr_post_row_f32(const clr_post *p, float *x, int64_t len) {
    if (p->bias)
        for (int64_t j = 0; j < len; j++) x[j] += p->bias[j];
    if (p->prelu == CLR_PRELU_NONE) {
        clr_act_apply(&p->act, x, len);
        return;
    }
    for (int64_t j = 0; j < len; j++)
        if (x[j] < 0.0f) x[j] *= prelu_slope(p, j, j);
}

/* The int8 epilogue of one channel, one loop per activation so that each
 * vectorises; instantiated below per ISA (fmaf is one instruction where the
 * CPU has FMA, a libm call otherwise: the same rounding either way). */
#define POST_I32_LOOP(act_expr)                                                                                        \
    for (int64_t i = 0; i < len; i++) {                                                                                \
        float a = (float)((int64_t)acc[i] * p->acc_mul);                                                               \
        float v = p->fused ? fmaf(a, s, b) : a * s + b;                                                                \
        float y = (act_expr);                                                                                          \
        if (p->requant) y *= p->requant;                                                                               \
        if (outq) outq[i] = clr_quant_s8(y);                                                                           \
        else outf[i] = y;                                                                                              \
    }                                                                                                                  \
    break

static inline __attribute__((always_inline)) void post_i32_body(const clr_post *p, int64_t c, const int32_t *acc,
                                                                int64_t len, float *outf, int8_t *outq) {
    float s = p->scale[c], b = p->qbias ? p->qbias[c] : 0.0f;
    const clr_act *act = &p->act;
    float t = act->threshold, al = act->alpha, off = act->offset, r = (float)(1.0 / act->scale);
    switch (act->kind) {
    case CLR_ACT_NONE: POST_I32_LOOP(v);
    case CLR_ACT_RELU: POST_I32_LOOP(v > 0.0f ? v : 0.0f);
    case CLR_ACT_RELU6: POST_I32_LOOP(clr_act_relu6(v, t));
    case CLR_ACT_LEAKY_RELU: POST_I32_LOOP(v > 0.0f ? v : al * v);
    case CLR_ACT_HARD_SWISH: POST_I32_LOOP(clr_act_hard_swish(v, off, t, r));
    default: POST_I32_LOOP(clr_act_one(act, v));
    }
}

typedef void (*post_i32_fn)(const clr_post *p, int64_t c, const int32_t *acc, int64_t len, float *outf,
                            int8_t *outq);

static void post_i32_base(const clr_post *p, int64_t c, const int32_t *acc, int64_t len, float *outf, int8_t *outq) {
    post_i32_body(p, c, acc, len, outf, outq);
}

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
__attribute__((target("avx512f,fma"))) static void post_i32_avx512(const clr_post *p, int64_t c, const int32_t *acc,
                                                                    int64_t len, float *outf, int8_t *outq) {
    post_i32_body(p, c, acc, len, outf, outq);
}

__attribute__((target("avx2,fma"))) static void post_i32_avx2(const clr_post *p, int64_t c, const int32_t *acc,
                                                               int64_t len, float *outf, int8_t *outq) {
    post_i32_body(p, c, acc, len, outf, outq);
}
#endif

static post_i32_fn post_i32_choose(void) {
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
    if (clr_cpu_avx512f()) return post_i32_avx512;
    if (clr_cpu_avx2_fma()) return post_i32_avx2;
#endif
    return post_i32_base;
}

void clr_post_i32(const clr_post *p, int64_t c, const int32_t *acc, int64_t len, float *outf, int8_t *outq) {
    static _Atomic post_i32_fn chosen; /* a benign race: every thread stores the same pointer */
    post_i32_fn f = chosen;
    if (!f) chosen = f = post_i32_choose();
    f(p, c, acc, len, outf, outq);
}

clr_status clr_expect_dtype(const clr_node *n, const char *slot, const clr_tensor *t, int32_t dtype) {
    if (t->dtype == dtype) return CLR_OK;
    const char *have = clr_dtype_name(t->dtype), *want = clr_dtype_name(dtype);
    return clr_node_fail(n, CLR_ERR_UNSUPPORTED, "input '%s' is %s, expected %s", slot, have ? have : "?",
                         want ? want : "?");
}
