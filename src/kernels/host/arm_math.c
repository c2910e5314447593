/* clrun — ARM NEON arithmetic, emulated (see arm_math.h). */
#include "kernels/host/arm_math.h"

#include <float.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

static uint32_t bits_of(float f) {
    uint32_t u;
    memcpy(&u, &f, sizeof u);
    return u;
}

static float float_of(uint32_t u) {
    float f;
    memcpy(&f, &u, sizeof f);
    return f;
}

/* The runtime runs with FPCR.FZ set (the -ffast-math start-up code sets it):
 * denormal results become zero of the same sign. */
static float flush(float v) { return fabsf(v) < FLT_MIN ? copysignf(0.0f, v) : v; }

/* The Arm ARM's FPRecipEstimate for single precision without FEAT_RPRES:
 * the input scaled into [0.5, 1) with 9 significant bits, the estimate
 * RecipEstimate() of that, the exponent 253 - exp, denormal results shifted
 * into the fraction. */
float clr_arm_frecpe(float x) {
    uint32_t u = bits_of(x), sign = u & 0x80000000u;
    if (isnan(x)) return x;
    if (isinf(x)) return float_of(sign);
    if (fabsf(x) < FLT_MIN) return float_of(sign | 0x7f800000u); /* zero, or a denormal read as zero */
    if (fabsf(x) >= 0x1p126f) return float_of(sign);               /* the estimate would be denormal */
    int exp = (int)((u >> 23) & 0xff);
    uint32_t frac = u & 0x7fffff; /* 23 bits */
    int scaled = 0x100 | (int)(frac >> 15);   /* 1.fraction<22:15>, 256..511 */
    int estimate = ((1 << 19) / (scaled * 2 + 1) + 1) / 2; /* 256..511 */
    uint32_t result_exp = (uint32_t)(253 - exp); /* 2..253 for the inputs left */
    return float_of(sign | result_exp << 23 | (uint32_t)(estimate & 0xff) << 15);
}

float clr_arm_frecps(float a, float b) {
    a = flush(a);
    b = flush(b);
    if ((isinf(a) && b == 0.0f) || (isinf(b) && a == 0.0f)) return 2.0f;
    return flush(fmaf(-a, b, 2.0f));
}

/* exp(x) = 2^n * exp(g), n = floor(x * log2(e) + 0.5), g reduced in two
 * steps (Cody-Waite), exp(g) by a degree-5 polynomial. The compiler fused
 * each multiply-add and added the final 1 to g before the last fma. */
float clr_arm_exp(float x) {
    x = fminf(x, 88.3762626647949f);
    x = fmaxf(x, -88.3762626647949f);
    float fx = fmaf(x, 1.44269504088896341f, 0.5f);
    float whole = (float)(int32_t)fx; /* fcvtzs, scvtf: truncation */
    if (whole > fx) whole -= 1.0f;
    fx = whole;
    x = fmaf(-fx, 0.693359375f, x);
    x = fmaf(-fx, -2.12194440e-4f, x);
    float z = x * x;
    float y = 1.9875691500e-4f;
    y = fmaf(y, x, 1.3981999507e-3f);
    y = fmaf(y, x, 8.3334519073e-3f);
    y = fmaf(y, x, 4.1665795894e-2f);
    y = fmaf(y, x, 1.6666665459e-1f);
    y = fmaf(y, x, 5.0000001201e-1f);
    y = fmaf(y, z, x + 1.0f);
    return flush(y * float_of((uint32_t)(((int32_t)fx + 0x7f) << 23)));
}

float clr_arm_sigmoid(float x) {
    float d = clr_arm_exp(-x) + 1.0f;
    float r = clr_arm_frecpe(d);
    r = flush(clr_arm_frecps(d, r) * r);
    return flush(clr_arm_frecps(d, r) * r);
}

float clr_arm_tanh(float x) {
    x = fmaxf(fminf(x, 70.00008f), -70.00008f);
    float ep = clr_arm_exp(x), em = clr_arm_exp(-x);
    float sum = ep + em, diff = ep - em;
    float r = clr_arm_frecpe(sum);
    r = flush(clr_arm_frecps(sum, r) * r);
    return flush(diff * r);
}
