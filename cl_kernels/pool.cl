/* clrun — pool2d and interpolation over NCHW planes. The host plans every
 * output row's and column's source window or taps (kernels/host/math_plans.h)
 * and passes them as tables, so the geometry rules live in one place. */

/* An output index's window: [lo, hi) clipped to the input, and the extent an
 * inclusive average divides by (clr_pool_win). */
typedef struct pool_win {
    int lo, hi, span;
} pool_win;

/* A global average in pool.c's (ARM's) order, bit for bit: four lane sums
 * over blocks of 16 values, each block added as ((lane + x0) + x12) + (x4 +
 * x8), the lanes reduced as (0 + 2) + (1 + 3), the tail one by one, then one
 * division. */
inline float pool_global_avg(__global const float *x, int len) {
    float4 lane = 0.0f;
    const int blocks = len / 16;
    for (int b = 0; b < blocks; b++, x += 16)
        lane = ((lane + vload4(0, x)) + vload4(3, x)) + (vload4(1, x) + vload4(2, x));
    float sum = (lane.s0 + lane.s2) + (lane.s1 + lane.s3);
    for (int i = blocks * 16; i < len; i++) sum += *x++;
    return sum / (float)len;
}

/* One output element per work-item of a 3-D range (ow, oh, planes). A
 * window over padding only gives 0, as pool.c's pool_window; `global_avg`
 * (global_pooling avg) sums the whole plane as pool.c does. */
__kernel void pool2d_f32(__global const float *x, __global float *out, uint planes, int ih, int iw, int oh, int ow,
                         __global const pool_win *wh, __global const pool_win *ww, int is_max, int exclusive,
                         int global_avg) {
    CLR_PLANE_IDS_OR_RETURN(planes, oh, ow);
    const uint at = (plane * (uint)oh + (uint)oy) * (uint)ow + (uint)ox;
    if (global_avg && ih * iw > 0) {
        out[at] = pool_global_avg(x + plane * (uint)(ih * iw), ih * iw);
        return;
    }
    pool_win h = wh[oy], w = ww[ox];
    if (h.lo >= h.hi || w.lo >= w.hi) {
        out[at] = 0.0f;
        return;
    }
    __global const float *p = x + plane * (uint)(ih * iw);
    float acc = is_max ? -FLT_MAX : 0.0f;
    for (int y = h.lo; y < h.hi; y++)
        for (int xx = w.lo; xx < w.hi; xx++) {
            float v = p[y * iw + xx];
            acc = is_max ? fmax(acc, v) : acc + v;
        }
    if (!is_max) {
        int div = exclusive ? (h.hi - h.lo) * (w.hi - w.lo) : h.span * w.span;
        acc = div > 0 ? acc / (float)div : 0.0f;
    }
    out[at] = acc;
}

/* Source indices and the weight of `hi` (clr_interp_tap). */
typedef struct interp_tap {
    int lo, hi;
    float w;
} interp_tap;

/* Bilinear (nearest is the case lo == hi, w == 0) with taps per output row
 * (th) and column (tw), on a 3-D range (ow, oh, planes). */
__kernel void interp_f32(__global const float *x, __global float *out, uint planes, int ih, int iw, int oh, int ow,
                         __global const interp_tap *th, __global const interp_tap *tw) {
    CLR_PLANE_IDS_OR_RETURN(planes, oh, ow);
    __global const float *p = x + plane * (uint)(ih * iw);
    interp_tap ty = th[oy], tx = tw[ox];
    __global const float *r0 = p + ty.lo * iw, *r1 = p + ty.hi * iw;
    float top = r0[tx.lo] * (1.0f - tx.w) + r0[tx.hi] * tx.w;
    float bot = r1[tx.lo] * (1.0f - tx.w) + r1[tx.hi] * tx.w;
    out[(plane * (uint)oh + (uint)oy) * (uint)ow + (uint)ox] = top * (1.0f - ty.w) + bot * ty.w;
}
