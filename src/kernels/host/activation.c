/* clrun — activation functions (see activation.h). */
#include "kernels/host/activation.h"

#include <math.h>
#include <string.h>

#include "kernels/host/arm_math.h"

static const struct {
    const char *name;
    clr_act_kind kind;
} names[] = {
    {"", CLR_ACT_NONE},           {"relu", CLR_ACT_RELU},           {"relu6", CLR_ACT_RELU6},
    {"leaky_relu", CLR_ACT_LEAKY_RELU}, {"sigmoid", CLR_ACT_SIGMOID}, {"tanh", CLR_ACT_TANH},
    {"hard_sigmoid", CLR_ACT_HARD_SIGMOID}, {"hard_swish", CLR_ACT_HARD_SWISH}, {"swish", CLR_ACT_SWISH},
    {"abs", CLR_ACT_ABS},         {"exp", CLR_ACT_EXP},             {"sqrt", CLR_ACT_SQRT},
    {"gelu", CLR_ACT_GELU},       {"silu", CLR_ACT_SILU},           {"log", CLR_ACT_LOG},
    {"square", CLR_ACT_SQUARE},   {"rsqrt", CLR_ACT_RSQRT},
};

bool clr_act_from_name(const char *name, clr_act *act) {
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(names[i].name, name) == 0) {
            *act = (clr_act){.kind = names[i].kind, .threshold = 6.0f, .alpha = 0.02f, .slope = 0.2f,
                             .offset = 0.5f, .scale = 6.0f, .beta = 1.0f};
            if (act->kind == CLR_ACT_HARD_SWISH) act->offset = 3.0f;
            return true;
        }
    return false;
}

float clr_act_one(const clr_act *a, float x) {
    switch (a->kind) {
    case CLR_ACT_NONE: return x;
    case CLR_ACT_RELU: return x > 0.0f ? x : 0.0f;
    case CLR_ACT_RELU6: return clr_act_relu6(x, a->threshold);
    case CLR_ACT_LEAKY_RELU: return x > 0.0f ? x : a->alpha * x;
    case CLR_ACT_SIGMOID: return clr_arm_sigmoid(x); /* the tail of an array: see clr_act_apply */
    case CLR_ACT_TANH: return clr_arm_tanh(x); /* the tail of an array: see clr_act_apply */
    case CLR_ACT_HARD_SIGMOID: /* ARM: x * slope + offset, contracted to one fma by its compiler */
        return clr_fminf(clr_fmaxf(fmaf(x, a->slope, a->offset), 0.0f), 1.0f);
    case CLR_ACT_HARD_SWISH: return clr_act_hard_swish(x, a->offset, a->threshold, (float)(1.0 / a->scale));
    case CLR_ACT_SWISH: return x / (1.0f + expf(-a->beta * x));
    case CLR_ACT_ABS: return fabsf(x);
    case CLR_ACT_EXP: return expf(x);
    case CLR_ACT_SQRT: return sqrtf(x);
    case CLR_ACT_GELU:
        if (a->approximate)
            return 0.5f * x * (1.0f + tanhf(0.7978845608f * (x + 0.044715f * x * x * x)));
        return 0.5f * x * (1.0f + erff(x * 0.70710678f));
    case CLR_ACT_SILU: return x / (1.0f + expf(-x));
    case CLR_ACT_LOG: return logf(x);
    case CLR_ACT_SQUARE: return x * x;
    case CLR_ACT_RSQRT: return 1.0f / sqrtf(x);
    }
    return x;
}

/* act_tanh's scalar tail, except where expf overflows: there ARM's formula
 * gives inf / inf = NaN (|x| > 88.7), and tanh is +-1. */
static float tanh_tail(float x) {
    float ep = expf(x), em = expf(-x);
    if (isinf(ep) || isinf(em)) return copysignf(1.0f, x);
    return (ep - em) / (ep + em);
}

void clr_act_apply(const clr_act *a, float *x, int64_t n) {
    if (a->kind == CLR_ACT_NONE) return;
    if (a->kind == CLR_ACT_RELU) { /* the common cases, kept branch-free for the vectorizer */
        for (int64_t i = 0; i < n; i++) x[i] = x[i] > 0.0f ? x[i] : 0.0f;
        return;
    }
    if (a->kind == CLR_ACT_RELU6) {
        float t = a->threshold;
        for (int64_t i = 0; i < n; i++) x[i] = clr_act_relu6(x[i], t);
        return;
    }
    if (a->kind == CLR_ACT_HARD_SWISH) {
        float off = a->offset, t = a->threshold, r = (float)(1.0 / a->scale);
        for (int64_t i = 0; i < n; i++) x[i] = clr_act_hard_swish(x[i], off, t, r);
        return;
    }
    /* ARM's act_sigmoid and act_tanh: NEON lanes, then a scalar tail */
    int64_t lanes = n / 4 * 4;
    if (a->kind == CLR_ACT_SIGMOID) {
        for (int64_t i = 0; i < lanes; i++) x[i] = clr_arm_sigmoid(x[i]);
        for (int64_t i = lanes; i < n; i++) x[i] = 1.0f / (1.0f + expf(-x[i]));
        return;
    }
    if (a->kind == CLR_ACT_TANH) {
        for (int64_t i = 0; i < lanes; i++) x[i] = clr_arm_tanh(x[i]);
        for (int64_t i = lanes; i < n; i++) x[i] = tanh_tail(x[i]);
        return;
    }
    for (int64_t i = 0; i < n; i++) x[i] = clr_act_one(a, x[i]);
}

typedef struct act_job {
    const clr_act *act;
    float *x;
} act_job;

static void act_range(void *ctx, int64_t b, int64_t e) {
    const act_job *j = ctx;
    clr_act_apply(j->act, j->x + b, e - b);
}

void clr_act_apply_par(clr_thread_pool *pool, const clr_act *a, float *x, int64_t n) {
    if (a->kind == CLR_ACT_NONE) return;
    act_job j = {a, x};
    clr_parallel_for(pool, n, clr_parallel_grain(pool, n, 16384, 64), act_range, &j);
}
