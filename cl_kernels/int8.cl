/* clrun — int8 kernels: conv2d / depthwise_conv2d (direct, any geometry),
 * the int8 matrix product of fc and matmul, and calib's quantise and
 * dequantise. They give the host int8 kernels' bytes (src/kernels/host:
 * conv.c, fc_matmul.c, calib.c, the epilogue clr_post_i32 in conv_common.c):
 * int8 x int8 products summed exactly in int32 (any order gives the same
 * sum), then the host's float operations in the host's order. Contraction is
 * off so that `a * s + b` rounds twice, as the host (C11, no contraction)
 * does; where the host uses fmaf the kernel calls fma.
 *
 * Build options (src/kernels/opencl/gpu_int8*.c):
 *   Q_OUT      1: int8 output (clr_quant_s8), 0: fp32 output;
 *   Q_EPI      2: fma(acc, s, b) (conv), 1: acc * s + b (fc), 0: acc * s (matmul);
 *   Q_ACC_MUL  what the host's Winograd arithmetic multiplies acc by (1, 4, 576);
 *   Q_REQUANT  1: the result is multiplied by `requant` after the activation;
 *   Q_OC       conv: output channels per work-item (4, or 1 for depthwise);
 *   CLR_ACT_KIND the fused activation (common.h). */
#pragma OPENCL FP_CONTRACT OFF

#ifndef Q_OUT
#define Q_OUT 0
#endif
#ifndef Q_EPI
#define Q_EPI 2
#endif
#ifndef Q_ACC_MUL
#define Q_ACC_MUL 1
#endif
#ifndef Q_REQUANT
#define Q_REQUANT 0
#endif
#ifndef Q_OC
#define Q_OC 4
#endif

/* clr_quant_s8: clamp below at -127 (NaN too), round half away from zero,
 * saturate at 127. */
inline char q_s8(float v) {
    if (!(v >= -127.0f)) return -127;
    float r = round(v);
    return (char)(r > 127.0f ? 127.0f : r);
}

#if Q_OUT
#define Q_T char
#define Q_STORE(v) q_s8(v)
#else
#define Q_T float
#define Q_STORE(v) (v)
#endif

/* clr_act_one for the epilogue: relu as the host writes it (no -0 from
 * fmax), hard_swish with the host's reciprocal (taken in double there). */
inline float q_act(clr_act_params a, float hs_recip, float x) {
    switch (CLR_ACT_KIND_OF(a)) {
    case CLR_ACT_NONE: return x;
    case CLR_ACT_RELU: return x > 0.0f ? x : 0.0f;
    case CLR_ACT_HARD_SWISH: return fmin(fmax(x + a.offset, 0.0f), a.threshold) * x * hs_recip;
    default: return clr_act(a, x);
    }
}

/* clr_post_i32 for one accumulator of a channel with scale s and bias b. */
inline Q_T q_finish(int acc, float s, float b, clr_act_params act, float hs_recip, float requant) {
    float a = convert_float((long)acc * Q_ACC_MUL);
#if Q_EPI == 2
    float v = fma(a, s, b);
#elif Q_EPI == 1
    float v = a * s + b;
#else
    float v = a * s;
#endif
    float y = q_act(act, hs_recip, v);
#if Q_REQUANT
    y *= requant;
#endif
    return Q_STORE(y);
}

inline int q_at(__global const char *row, int p, int w) { return p >= 0 && p < w ? row[p] : 0; }

/* row[iw + j*sw] for j < 8 as ints, 0 outside [0, w) (the padding). */
inline int8 q_load8(__global const char *row, int iw, int sw, int w) {
    if (iw >= 0 && iw + 8 * sw <= w) {
        if (sw == 1) return convert_int8(vload8(0, row + iw));
        if (sw == 2) return convert_int8(vload16(0, row + iw).even);
    }
    return (int8)(q_at(row, iw, w), q_at(row, iw + sw, w), q_at(row, iw + 2 * sw, w), q_at(row, iw + 3 * sw, w),
                  q_at(row, iw + 4 * sw, w), q_at(row, iw + 5 * sw, w), q_at(row, iw + 6 * sw, w),
                  q_at(row, iw + 7 * sw, w));
}

/* Work-item (ow / 8, oh, (batch item, group, block of Q_OC output channels)):
 * 8 consecutive outputs of a row for Q_OC channels. Channels past the
 * group's end repeat its last one and are not stored. `sb` holds the
 * per-channel scales [cout] then biases [cout] (clr_post scale, qbias).
 * The products are summed in float over `chunk` input channels, at most
 * 1024 taps: |x|, |w| <= 128, so every partial sum is an integer of at most
 * 2^24 and exact (float fma is faster than int multiplies on most devices);
 * each chunk's sum is then added in int32. */
__kernel void conv2d_int8(__global const char *x, __global const char *w, __global const float *sb,
                          __global Q_T *y, conv_geom g, clr_act_params act, float hs_recip, float requant,
                          int chunk) {
    const int ow0 = get_global_id(0) * 8, oh = get_global_id(1), z = get_global_id(2);
    const int cin_g = g.cin / g.groups, cout_g = g.cout / g.groups, blocks = (cout_g + Q_OC - 1) / Q_OC;
    const int b = z / (g.groups * blocks), grp = z / blocks % g.groups, oc0 = grp * cout_g + z % blocks * Q_OC;
    if (ow0 >= g.ow || oh >= g.oh || b >= g.batch) return;
    const int last = grp * cout_g + cout_g - 1, taps = cin_g * g.kh * g.kw;
    __global const char *wc[Q_OC];
    int8 acc[Q_OC];
    float8 part[Q_OC];
    for (int j = 0; j < Q_OC; j++) {
        wc[j] = w + min(oc0 + j, last) * taps;
        acc[j] = 0;
        part[j] = 0.0f;
    }
    __global const char *xg = x + (b * g.cin + grp * cin_g) * g.h * g.w;
    const int iw0 = ow0 * g.sw - g.pl;
    for (int ic0 = 0; ic0 < cin_g; ic0 += chunk) {
        for (int ic = ic0; ic < min(cin_g, ic0 + chunk); ic++)
            for (int kh = 0; kh < g.kh; kh++) {
                const int ih = oh * g.sh - g.pt + kh * g.dh;
                if (ih < 0 || ih >= g.h) continue;
                __global const char *row = xg + (ic * g.h + ih) * g.w;
                const int t0 = (ic * g.kh + kh) * g.kw;
                for (int kw = 0; kw < g.kw; kw++) {
                    const float8 v = convert_float8(q_load8(row, iw0 + kw * g.dw, g.sw, g.w));
                    for (int j = 0; j < Q_OC; j++) part[j] = fma(v, (float8)wc[j][t0 + kw], part[j]);
                }
            }
        for (int j = 0; j < Q_OC; j++) {
            acc[j] += convert_int8(part[j]);
            part[j] = 0.0f;
        }
    }
    const int n = min(8, g.ow - ow0);
    for (int j = 0; j < Q_OC && oc0 + j <= last; j++) {
        const int oc = oc0 + j;
        const float s = sb[oc], bias = sb[g.cout + oc];
        int t[8];
        vstore8(acc[j], 0, t);
        __global Q_T *dst = y + ((b * g.cout + oc) * g.oh + oh) * g.ow + ow0;
        for (int i = 0; i < n; i++) dst[i] = q_finish(t[i], s, bias, act, hs_recip, requant);
    }
}

/* c[z][i][j] = finish(sum_k a[z*a_bs + i*a_rs + k*a_cs] * b[z*b_bs + k*b_rs + j*b_cs])
 * with the scale and bias of column j (sb: scales [n] then biases [n]).
 * Work-item (j / 8, i / 4, z): 8 consecutive columns of 4 rows (rows past m
 * repeat the last one and are not stored), summed in float over chunks of
 * 1024 k as conv2d_int8 does (exact), each chunk added in int32. */
__kernel void gemm_int8(__global const char *a, __global const char *bm, __global const float *sb, __global Q_T *c,
                        int m, int n, int k, int a_rs, int a_cs, int b_rs, int b_cs, int a_bs, int b_bs,
                        clr_act_params act, float hs_recip, float requant) {
    const int j0 = get_global_id(0) * 8, i0 = get_global_id(1) * 4, z = get_global_id(2);
    if (j0 >= n || i0 >= m) return;
    __global const char *ar[4];
    for (int r = 0; r < 4; r++) ar[r] = a + z * a_bs + min(i0 + r, m - 1) * a_rs;
    __global const char *bc = bm + z * b_bs + j0 * b_cs;
    const int cols = min(8, n - j0);
    int8 acc[4] = {0, 0, 0, 0};
    for (int k0 = 0; k0 < k; k0 += 1024) {
        float8 part[4] = {0.0f, 0.0f, 0.0f, 0.0f};
        for (int kk = k0; kk < min(k, k0 + 1024); kk++) {
            const float8 v = convert_float8(q_load8(bc + kk * b_rs, 0, b_cs, cols * b_cs));
            for (int r = 0; r < 4; r++) part[r] = fma(v, (float8)ar[r][kk * a_cs], part[r]);
        }
        for (int r = 0; r < 4; r++) acc[r] += convert_int8(part[r]);
    }
    for (int r = 0; r < 4 && i0 + r < m; r++) {
        int t[8];
        vstore8(acc[r], 0, t);
        __global Q_T *dst = c + (z * m + i0 + r) * n + j0;
        for (int jj = 0; jj < cols; jj++) dst[jj] = q_finish(t[jj], sb[j0 + jj], sb[n + j0 + jj], act, hs_recip, requant);
    }
}

/* calib fp32_to_int8: clr_quant_s8(x * (1 / scale)), the reciprocal taken on the host. */
__kernel void quantize_s8(__global const float *x, __global char *y, float inv, int count) {
    CLR_GID0_OR_RETURN(count);
    y[gid] = q_s8(x[gid] * inv);
}

/* calib int8_to_fp32: x * scale. */
__kernel void dequantize_s8(__global const char *x, __global float *y, float scale, int count) {
    CLR_GID0_OR_RETURN(count);
    y[gid] = convert_float(x[gid]) * scale;
}
