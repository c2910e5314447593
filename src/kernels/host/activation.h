/* clrun — elementwise activation functions, shared by the activation ops and
 * by every op that carries a fused activation (conv, fc, elementwise, scale).
 * Formulas follow Paddle's definitions (nb-format.md 6.3). */
#ifndef CLRUN_KERNELS_HOST_ACTIVATION_H
#define CLRUN_KERNELS_HOST_ACTIVATION_H

#include <stdbool.h>
#include <stdint.h>

#include "core/thread_pool.h"

/* The OpenCL kernels use the same numbers (cl_kernels/common.h): keep the
 * two lists in the same order. */
typedef enum clr_act_kind {
    CLR_ACT_NONE,
    CLR_ACT_RELU,
    CLR_ACT_RELU6,        /* min(max(x, 0), threshold) */
    CLR_ACT_LEAKY_RELU,   /* x > 0 ? x : alpha * x */
    CLR_ACT_SIGMOID,
    CLR_ACT_TANH,
    CLR_ACT_HARD_SIGMOID, /* clamp(slope * x + offset, 0, 1) */
    CLR_ACT_HARD_SWISH,   /* x * min(max(x + offset, 0), threshold) / scale */
    CLR_ACT_SWISH,        /* x * sigmoid(beta * x) */
    CLR_ACT_ABS,
    CLR_ACT_EXP,
    CLR_ACT_SQRT,
    CLR_ACT_GELU,         /* erf form, or tanh approximation when `approximate` */
    CLR_ACT_SILU,         /* x * sigmoid(x) */
    CLR_ACT_LOG,
    CLR_ACT_SQUARE,
    CLR_ACT_RSQRT,
} clr_act_kind;

typedef struct clr_act {
    clr_act_kind kind;
    float threshold; /* relu6 (6), hard_swish (6) */
    float alpha;     /* leaky_relu */
    float slope, offset; /* hard_sigmoid (0.2, 0.5); hard_swish offset (3) */
    float scale;     /* hard_swish (6) */
    float beta;      /* swish (1) */
    bool approximate; /* gelu */
} clr_act;

/* Activation named as in Paddle ("relu", "relu6", "hard_swish", …) with
 * Paddle's default parameters; false for an unknown name. "" is NONE. */
bool clr_act_from_name(const char *name, clr_act *act);

/* glibc's fmaxf / fminf (x86-64: x >= y ? x : …, a NaN operand loses;
 * -0 vs +0 gives the first), written out so that loops vectorize instead
 * of calling libm per element; clrun's results were fixed with these. */
static inline float clr_fmaxf(float x, float y) { return x >= y ? x : y != y ? x : y; }
static inline float clr_fminf(float x, float y) { return x <= y ? x : y != y ? x : y; }

/* The piecewise-linear activations, inlinable (for loops that vectorise). */
static inline float clr_act_relu6(float x, float t) { return clr_fminf(clr_fmaxf(x, 0.0f), t); }
/* ARM act_hard_swish: (clamp * x) times the reciprocal r = (float)(1.0 / scale). */
static inline float clr_act_hard_swish(float x, float offset, float t, float r) {
    return clr_fminf(clr_fmaxf(x + offset, 0.0f), t) * x * r;
}

float clr_act_one(const clr_act *act, float x);
void clr_act_apply(const clr_act *act, float *x, int64_t n);
/* The same over the pool's threads: chunks of a multiple of 64 values, so
 * the lanes and the scalar tail (the last n % 4 values) are where the serial
 * call puts them, and the bits are the same. */
void clr_act_apply_par(clr_thread_pool *pool, const clr_act *act, float *x, int64_t n);

#endif
