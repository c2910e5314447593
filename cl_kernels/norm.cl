/* clrun — reductions along an axis: softmax, layer_norm, batch_norm (a
 * per-channel affine) and arg_max. Row kernels use one work-group of
 * CLR_ROW_WG work-items per row and reduce in local memory. */
#define CLR_ROW_WG 64

/* Tree reduction of v over the work-group (max when is_max, else sum);
 * every work-item gets the result. */
inline float group_reduce(__local float *buf, float v, int is_max) {
    const uint l = get_local_id(0);
    buf[l] = v;
    barrier(CLK_LOCAL_MEM_FENCE);
    for (uint s = CLR_ROW_WG / 2; s > 0; s >>= 1) {
        if (l < s) buf[l] = is_max ? fmax(buf[l], buf[l + s]) : buf[l] + buf[l + s];
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    float r = buf[0];
    barrier(CLK_LOCAL_MEM_FENCE); /* buf is reused by the next reduction */
    return r;
}

/* Softmax of contiguous rows of `len`: work-group r handles row r. */
__kernel __attribute__((reqd_work_group_size(CLR_ROW_WG, 1, 1))) void softmax_rows_f32(
    __global const float *x, __global float *y, uint rows, uint len) {
    __local float buf[CLR_ROW_WG];
    const uint r = get_group_id(0), l = get_local_id(0);
    if (r >= rows) return; /* whole groups only: barriers stay uniform */
    __global const float *px = x + (size_t)r * len;
    __global float *py = y + (size_t)r * len;
    float m = -INFINITY;
    for (uint k = l; k < len; k += CLR_ROW_WG) m = fmax(m, px[k]);
    m = group_reduce(buf, m, 1);
    float s = 0.0f;
    for (uint k = l; k < len; k += CLR_ROW_WG) {
        float e = exp(px[k] - m);
        py[k] = e;
        s += e;
    }
    float inv = 1.0f / group_reduce(buf, s, 0);
    for (uint k = l; k < len; k += CLR_ROW_WG) py[k] *= inv;
}

/* Softmax of short contiguous rows, one work-item per row, as the host and
 * Paddle-Lite's ARM kernel compute it (softmax_inner1_large_axis): exp_ps on
 * NEON lanes summed per lane, lanes added as (2 + 0) + (3 + 1), the tail
 * and rows of at most 4 with exp (libm's expf on the host), then every value
 * times 1 / sum. Bit-identical to the host when len > 4 and len % 4 == 0. */
__kernel void softmax_short_rows_f32(__global const float *x, __global float *y, uint rows, uint len) {
    CLR_GID0_OR_RETURN(rows);
    __global const float *px = x + (size_t)gid * len;
    __global float *py = y + (size_t)gid * len;
    uint lanes = len > 4 ? len / 4 * 4 : 0;
    float m = px[0], sum = 0.0f, lane[4] = {0.0f, 0.0f, 0.0f, 0.0f};
    for (uint k = 1; k < len; k++) m = fmax(m, px[k]);
    for (uint k = 0; k < lanes; k++) {
        py[k] = clr_arm_exp(px[k] - m);
        lane[k % 4] = k < 4 ? py[k] : lane[k % 4] + py[k];
    }
    if (lanes) sum = (lane[2] + lane[0]) + (lane[3] + lane[1]);
    for (uint k = lanes; k < len; k++) {
        py[k] = exp(px[k] - m);
        sum = k == 0 ? py[k] : sum + py[k];
    }
    float inv = 1.0f / sum;
    for (uint k = 0; k < len; k++) py[k] *= inv;
}

/* Softmax over the middle dim of [outer, len, inner] with inner > 1: one
 * work-item per (outer, inner) column; n = outer * inner. */
__kernel void softmax_cols_f32(__global const float *x, __global float *y, uint n, uint len, uint inner) {
    CLR_GID0_OR_RETURN(n);
    uint o = gid / inner, i = gid % inner;
    __global const float *px = x + (size_t)o * len * inner + i;
    __global float *py = y + (size_t)o * len * inner + i;
    float m = -INFINITY, s = 0.0f;
    for (uint k = 0; k < len; k++) m = fmax(m, px[k * inner]);
    for (uint k = 0; k < len; k++) {
        float e = exp(px[k * inner] - m);
        py[k * inner] = e;
        s += e;
    }
    float inv = 1.0f / s;
    for (uint k = 0; k < len; k++) py[k * inner] *= inv;
}

/* layer_norm of contiguous rows of `len` (two passes: mean, then the
 * population variance). scale, bias, mean and var may be NULL. */
__kernel __attribute__((reqd_work_group_size(CLR_ROW_WG, 1, 1))) void layer_norm_f32(
    __global const float *x, __global float *y, uint rows, uint len, float eps, __global const float *scale,
    __global const float *bias, __global float *mean, __global float *var) {
    __local float buf[CLR_ROW_WG];
    const uint r = get_group_id(0), l = get_local_id(0);
    if (r >= rows) return;
    __global const float *px = x + (size_t)r * len;
    __global float *py = y + (size_t)r * len;
    float s = 0.0f;
    for (uint k = l; k < len; k += CLR_ROW_WG) s += px[k];
    float mu = group_reduce(buf, s, 0) / (float)len;
    float q = 0.0f;
    for (uint k = l; k < len; k += CLR_ROW_WG) q += (px[k] - mu) * (px[k] - mu);
    float v = group_reduce(buf, q, 0) / (float)len, inv = 1.0f / sqrt(v + eps);
    for (uint k = l; k < len; k += CLR_ROW_WG)
        py[k] = (px[k] - mu) * inv * (scale ? scale[k] : 1.0f) + (bias ? bias[k] : 0.0f);
    if (l == 0 && mean) mean[r] = mu;
    if (l == 0 && var) var[r] = v;
}

/* batch_norm with stored statistics over [N, C, inner]; n = N * C * inner. */
__kernel void batch_norm_f32(__global const float *x, __global float *y, uint n, uint channels, uint inner,
                             __global const float *scale, __global const float *bias, __global const float *mean,
                             __global const float *var, float eps) {
    CLR_GID0_OR_RETURN(n);
    uint c = (gid / inner) % channels;
    float a = scale[c] / sqrt(var[c] + eps);
    y[gid] = x[gid] * a + (bias[c] - mean[c] * a);
}

/* Index of the maximum over the middle dim of [outer, size, inner]; ties go
 * to the last index (misc.c's argmax_f32). */
inline int arg_max_at(__global const float *x, uint gid, uint size, uint inner) {
    __global const float *p = x + (size_t)(gid / inner) * size * inner + gid % inner;
    int best = 0;
    float bv = p[0];
    for (uint k = 1; k < size; k++)
        if (p[k * inner] >= bv) bv = p[k * inner], best = (int)k;
    return best;
}

__kernel void arg_max_i32(__global const float *x, __global int *out, uint n, uint size, uint inner) {
    CLR_GID0_OR_RETURN(n);
    out[gid] = arg_max_at(x, gid, size, inner);
}

__kernel void arg_max_i64(__global const float *x, __global long *out, uint n, uint size, uint inner) {
    CLR_GID0_OR_RETURN(n);
    out[gid] = arg_max_at(x, gid, size, inner);
}
