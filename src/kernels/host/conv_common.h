/* clrun — pieces shared by the conv family's host kernels (conv2d,
 * depthwise_conv2d, conv2d_transpose, fc, mul, matmul, calib): the output
 * "epilogue" (bias, fused activation or PReLU, int8 dequantization and
 * requantization), ARM's int8 rounding, and the kernel entry points. */
#ifndef CLRUN_KERNELS_HOST_CONV_COMMON_H
#define CLRUN_KERNELS_HOST_CONV_COMMON_H

#include <math.h>
#include <stdbool.h>
#include <stdint.h>

#include "kernels/host/activation.h"
#include "runtime/node.h"

/* ARM's float -> int8 conversion (calib fp32_to_int8 and int8_out kernels):
 * clamp below at -127, round half away from zero, saturate at 127 — as
 * roundf would, without its libm call: clamping first changes nothing (any
 * v > 127 rounds to 127 or more), then the truncation and the exact
 * remainder v - t decide the half-way step. */
static inline int8_t clr_quant_s8(float v) {
    if (!(v >= -127.0f)) return -127; /* also maps NaN to -127, as the compare-and-select does */
    float c = v < 127.0f ? v : 127.0f;
    int32_t t = (int32_t)c;
    float rem = c - (float)t;
    return (int8_t)(t + (rem >= 0.5f) - (rem <= -0.5f));
}

/* Paddle-Lite's ARM int8 conv kernels turn an int32 accumulator into the
 * output value with different fp32 operations; their roundings decide the
 * ties of the int8 requantization and the last bit of fp32 outputs, so
 * clrun follows the kernel ARM would pick (`w`, `si`, `so`: weight, input and
 * output scales, `b` the bias; "output units": act thresholds divided by so):
 *   GEMM (GemmLikeConv, fc): fp32 out fma(acc, w * si, b); int8 out
 *       fma(acc, w * si / so, b / so), act in output units;
 *   DIRECT (DirectConv): int8 out fma(acc, w * (si / so), b / so);
 *   DEPTHWISE (DepthwiseConv): int8 out act(fma(acc, w * si, b)) * (1 / so);
 *   WINO_F23, WINO_F43 (WinogradConv, output tiles 2x2 or 4x4): its integer
 *       transforms give exactly 4 * acc or 576 * acc, converted to fp32
 *       (rounded past 2^24), times the GEMM scale times 0.25 or (1 / 576).
 * fp32 output is the same without `so` for all of them. */
typedef enum clr_arm_int8_kernel {
    CLR_ARM_GEMM,
    CLR_ARM_DIRECT,
    CLR_ARM_DEPTHWISE,
    CLR_ARM_WINO_F23,
    CLR_ARM_WINO_F43,
} clr_arm_int8_kernel;

/* The kernel ARM picks for an int8 conv of this geometry (conv.c); the GPU
 * int8 conv follows the same choice. */
struct clr_conv_geom;
clr_arm_int8_kernel clr_arm_int8_kernel_of(const struct clr_conv_geom *g);

typedef enum clr_prelu_mode { CLR_PRELU_NONE, CLR_PRELU_ALL, CLR_PRELU_CHANNEL, CLR_PRELU_ELEMENT } clr_prelu_mode;

/* What happens to an accumulated output value of channel c:
 *   fp32:      y = acc + bias[c], then act (or PReLU)
 *   int8 in:   y = acc * scale[c] + bias[c], then act; scale = in_scale * w_scale[c]
 *   int8 out:  the same in output units (scale and bias divided by the output
 *              scale, act thresholds too, as ARM does), then clr_quant_s8 —
 *              with each ARM kernel's own order (clr_arm_int8_kernel).
 * With `fused`, acc * scale[c] + bias[c] is rounded once (fmaf), as the ARM
 * conv epilogues compute it with one fmla onto the bias. */
typedef struct clr_post {
    int64_t channels;
    const float *bias; /* [channels] or NULL */
    clr_act act;
    clr_prelu_mode prelu;
    const float *alpha; /* PReLU slopes */
    int64_t alpha_n;
    bool int8;          /* accumulators are int8 x int8 products */
    bool out_int8;      /* quantize the result (kernel alias int8_out / int8out) */
    float *scale;       /* int8: [channels], owned */
    float *qbias;       /* int8: bias in output units, owned (NULL without bias) */
    bool fused;         /* int8: fused multiply-add epilogue (see above) */
    clr_arm_int8_kernel kernel; /* int8: set before clr_post_int8 */
    int32_t acc_mul;    /* int8: what the kernel's integer arithmetic multiplies acc by (Winograd) */
    float requant;      /* int8 out, CLR_ARM_DEPTHWISE: 1 / out_scale, applied after act; else 0 */
} clr_post;

/* Reads the conv-style fused activation (`with_act` + `act_type` and its
 * parameters; PReLU slopes from input `Prelu_alpha`). */
clr_status clr_post_conv_act(const clr_node *n, clr_post *p);
/* Reads the fc-style fused activation (`activation_type`, `alpha`, PReLU
 * slopes from input `Alpha`). */
clr_status clr_post_fc_act(const clr_node *n, clr_post *p);
/* Binds the optional bias slot and checks it and any PReLU slopes against
 * `channels` output channels of `sample` elements per batch item. */
clr_status clr_post_bind(const clr_node *n, clr_post *p, const char *bias_slot, int64_t channels, int64_t sample);
/* For int8 kernels: reads the scale attributes and prepares per-channel
 * scales; the output is int8 when the kernel alias says so. */
clr_status clr_post_int8(const clr_node *n, clr_post *p, const char *in_scale, const char *w_scale,
                         const char *out_scale);
void clr_post_release(clr_post *p);

/* fp32: finishes `len` consecutive values of channel c in place; e0 is the
 * index of x[0] within one batch item (for PReLU element mode). */
void clr_post_f32(const clr_post *p, int64_t c, float *x, int64_t len, int64_t e0);
/* fp32: finishes one row whose element j belongs to channel j (fc, mul). */
void clr_post_row_f32(const clr_post *p, float *x, int64_t len);
/* int8: turns `len` accumulators of channel c into fp32 (outf) or int8
 * (outq) values, whichever is not NULL. */
void clr_post_i32(const clr_post *p, int64_t c, const int32_t *acc, int64_t len, float *outf, int8_t *outq);

/* Checks a tensor's dtype, naming the slot in the error. */
clr_status clr_expect_dtype(const clr_node *n, const char *slot, const clr_tensor *t, int32_t dtype);

/* Kernels. */
clr_status clr_kernel_conv2d(clr_node *n);
clr_status clr_kernel_conv2d_transpose(clr_node *n);
clr_status clr_kernel_fc(clr_node *n);
clr_status clr_kernel_mul(clr_node *n);
clr_status clr_kernel_matmul(clr_node *n);
clr_status clr_kernel_matmul_v2(clr_node *n);
clr_status clr_kernel_calib(clr_node *n);

#endif
