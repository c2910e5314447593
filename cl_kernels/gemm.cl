/* clrun — batched matrix product with a fused epilogue, the engine of 1x1
 * convolutions, fc, mul, matmul and matmul_v2:
 *
 *   C[b][m][n] = fuse(S[b][m][n], act(alpha * sum_k A[b][m][k] B[b][k][n] + bias))
 *
 * A and B are addressed through row and column strides (a transposed operand
 * needs no copy); C and S are dense [M][N] per batch item. Batch item
 * get_global_id(2) is unravelled over `bdims` (rank 8, leading 1s); a_bs and
 * b_bs give each operand's element stride per batch dim (0 where it is
 * broadcast). bias_mode: 0 none, 1 one value per row m (conv channels), 2 one
 * per column n (fc). fuse: see clr_fuse_second; S is read only when fuse != 0. */

/* Element offsets of A (x) and B (y) in batch item bi. */
inline int2 gemm_batch_offsets(int bi, int8 d, int8 as, int8 bs) {
    int2 off = 0;
#define GEMM_STEP(c)                      \
    {                                     \
        const int i = bi % d.c;           \
        bi /= d.c;                        \
        off += (int2)(i * as.c, i * bs.c); \
    }
    GEMM_STEP(s7) GEMM_STEP(s6) GEMM_STEP(s5) GEMM_STEP(s4) GEMM_STEP(s3) GEMM_STEP(s2) GEMM_STEP(s1) GEMM_STEP(s0)
#undef GEMM_STEP
    return off;
}

/* One row of the 4 x 16 block: epilogue and store of columns n0..n0+15. */
inline void gemm_store_row(__global float *c, __global const float *s, int at, float8 lo, float8 hi, float alpha,
                           float8 blo, float8 bhi, clr_act_params act, int fuse) {
    lo = clr_act8(act, fma(alpha, lo, blo));
    hi = clr_act8(act, fma(alpha, hi, bhi));
    if (CLR_FUSE_OP_OF(fuse)) {
        lo = clr_fuse_second8(fuse, vload8(0, s + at), lo);
        hi = clr_fuse_second8(fuse, vload8(0, s + at + 8), hi);
    }
    vstore8(lo, 0, c + at);
    vstore8(hi, 0, c + at + 8);
}

/* The fast path, for N >= 16 and B's columns contiguous (b_cs == 1): each
 * work-item computes a 4 x 16 block — 8 float8 accumulators, which fit a
 * CPU's vector registers and keep a GPU's ALUs busy on fma — so each A value
 * loaded feeds 16 products and each B vector 4. The last block of a row or
 * column is moved back to end at M or N, overlapping its neighbour (both
 * write the same values), so loads need no bounds checks; with M < 4 (fc on
 * one row) the missing rows repeat row M-1 and are not stored. */
__kernel void gemm_f32(__global const float *a, __global const float *b, __global float *c, __global const float *bias,
                       __global const float *s, int M, int N, int K, int a_rs, int a_cs, int b_rs, int8 bdims,
                       int8 a_bs, int8 b_bs, float alpha, int bias_mode, clr_act_params act, int fuse) {
    const int bx = get_global_id(0) * 16, by = get_global_id(1) * 4, bi = get_global_id(2);
    if (bx >= N || by >= M) return;
    const int n0 = min(bx, N - 16), m0 = max(0, min(by, M - 4));
    const int2 off = gemm_batch_offsets(bi, bdims, a_bs, b_bs);
    __global const float *a0 = a + off.x + m0 * a_rs;
    __global const float *a1 = a + off.x + min(m0 + 1, M - 1) * a_rs;
    __global const float *a2 = a + off.x + min(m0 + 2, M - 1) * a_rs;
    __global const float *a3 = a + off.x + min(m0 + 3, M - 1) * a_rs;
    __global const float *bp = b + off.y + n0;
    float8 c0l = 0.0f, c0h = 0.0f, c1l = 0.0f, c1h = 0.0f, c2l = 0.0f, c2h = 0.0f, c3l = 0.0f, c3h = 0.0f;
    for (int k = 0; k < K; k++) {
        const float8 bl = vload8(0, bp), bh = vload8(0, bp + 8);
        const int ka = k * a_cs;
        const float8 v0 = a0[ka], v1 = a1[ka], v2 = a2[ka], v3 = a3[ka];
        c0l = fma(v0, bl, c0l);
        c0h = fma(v0, bh, c0h);
        c1l = fma(v1, bl, c1l);
        c1h = fma(v1, bh, c1h);
        c2l = fma(v2, bl, c2l);
        c2h = fma(v2, bh, c2h);
        c3l = fma(v3, bl, c3l);
        c3h = fma(v3, bh, c3h);
        bp += b_rs;
    }
    float8 b0l = 0.0f, b0h = 0.0f, b1l = 0.0f, b1h = 0.0f, b2l = 0.0f, b2h = 0.0f, b3l = 0.0f, b3h = 0.0f;
    if (bias_mode == 1) {
        b0l = b0h = bias[m0];
        b1l = b1h = bias[min(m0 + 1, M - 1)];
        b2l = b2h = bias[min(m0 + 2, M - 1)];
        b3l = b3h = bias[min(m0 + 3, M - 1)];
    } else if (bias_mode == 2) {
        b0l = b1l = b2l = b3l = vload8(0, bias + n0);
        b0h = b1h = b2h = b3h = vload8(0, bias + n0 + 8);
    }
    const int at = bi * M * N + m0 * N + n0;
    gemm_store_row(c, s, at, c0l, c0h, alpha, b0l, b0h, act, fuse);
    if (M > 1) gemm_store_row(c, s, at + N, c1l, c1h, alpha, b1l, b1h, act, fuse);
    if (M > 2) gemm_store_row(c, s, at + 2 * N, c2l, c2h, alpha, b2l, b2h, act, fuse);
    if (M > 3) gemm_store_row(c, s, at + 3 * N, c3l, c3h, alpha, b3l, b3h, act, fuse);
}

/* Any shape and strides: one output element per work-item (get_global_id(0)
 * is the column, so neighbours read neighbouring B values). */
__kernel void gemm_any_f32(__global const float *a, __global const float *b, __global float *c,
                           __global const float *bias, __global const float *s, int M, int N, int K, int a_rs,
                           int a_cs, int b_rs, int b_cs, int8 bdims, int8 a_bs, int8 b_bs, float alpha, int bias_mode,
                           clr_act_params act, int fuse) {
    const int n = get_global_id(0), m = get_global_id(1), bi = get_global_id(2);
    if (n >= N || m >= M) return;
    const int2 off = gemm_batch_offsets(bi, bdims, a_bs, b_bs);
    __global const float *ap = a + off.x + m * a_rs, *bp = b + off.y + n * b_cs;
    float acc = 0.0f;
    for (int k = 0; k < K; k++) acc = fma(ap[k * a_cs], bp[k * b_rs], acc);
    float v = alpha * acc;
    if (bias_mode == 1) v += bias[m];
    else if (bias_mode == 2) v += bias[n];
    v = clr_act(act, v);
    const int at = (bi * M + m) * N + n;
    c[at] = CLR_FUSE_OP_OF(fuse) ? clr_fuse_second(fuse, s[at], v) : v;
}

/* y[m] = A[m, :] x, one work-item per row, summed as the host's clr_sgemv_arm
 * (ARM's sgemv, which Paddle-Lite uses for one-column products; x is
 * contiguous): rows in
 * groups of 8 keep four lanes fed by fused multiply-adds over blocks of 8;
 * the rows left over keep two sets of lanes (k and k + 4) added at the end;
 * lanes reduced as (0 + 1) + (2 + 3); the K % 8 tail by fused multiply-adds. */
__kernel void sgemv_f32(__global const float *a, __global const float *x, __global float *y, int M, int K, int a_rs) {
    CLR_GID0_OR_RETURN(M);
    __global const float *row = a + (size_t)gid * a_rs;
    const bool grouped = gid < (uint)(M / 8 * 8);
    float lo[4] = {0.0f, 0.0f, 0.0f, 0.0f}, hi[4] = {0.0f, 0.0f, 0.0f, 0.0f};
    int i = 0;
    for (; i + 8 <= K; i += 8)
        for (int l = 0; l < 4; l++) {
            lo[l] = fma(row[i + l], x[i + l], lo[l]);
            float p = fma(row[i + 4 + l], x[i + 4 + l], grouped ? lo[l] : hi[l]);
            if (grouped) lo[l] = p;
            else hi[l] = p;
        }
    if (!grouped)
        for (int l = 0; l < 4; l++) lo[l] += hi[l];
    float r = (lo[0] + lo[1]) + (lo[2] + lo[3]);
    for (; i < K; i++) r = fma(row[i], x[i], r);
    y[gid] = r;
}
