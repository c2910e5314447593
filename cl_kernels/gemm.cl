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

/* Element offsets of A (x) and B (y) in batch item bi (callers skip its 16
 * integer divisions for item 0, whose offsets are 0: they cost as much as
 * the products of a short K). */
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

/* The register block of gemm_f32, fixed per program by build options (the
 * host picks it per shape, gpu_gemm.c): GEMM_MR rows x GEMM_NV vectors of
 * GEMM_VW (8 or 16) columns. */
#ifndef GEMM_MR
#define GEMM_MR 8
#endif
#ifndef GEMM_VW
#define GEMM_VW 16
#endif
#ifndef GEMM_NV
#define GEMM_NV 1
#endif
#define GEMM_NR (GEMM_VW * GEMM_NV)
#define GEMM_CAT_(a, b) a##b
#define GEMM_CAT(a, b) GEMM_CAT_(a, b)
#define gemm_vec GEMM_CAT(float, GEMM_VW)
#define gemm_load GEMM_CAT(vload, GEMM_VW)
#define gemm_store GEMM_CAT(vstore, GEMM_VW)

/* Epilogue of one vector of row r: act(alpha * acc + bias), the fused op
 * with S, stored at c + at (j-th vector). float16 goes through the float8
 * activation in two halves. */
inline void gemm_finish(__global float *c, __global const float *s, int at, int j, gemm_vec acc, float alpha,
                        gemm_vec bias, clr_act_params act, int fuse) {
    gemm_vec v = fma(alpha, acc, bias);
#if GEMM_VW == 16
    v = (float16)(clr_act8(act, v.lo), clr_act8(act, v.hi));
    if (CLR_FUSE_OP_OF(fuse))
        v = (float16)(clr_fuse_second8(fuse, vload8(2 * j, s + at), v.lo),
                      clr_fuse_second8(fuse, vload8(2 * j + 1, s + at), v.hi));
#else
    v = clr_act8(act, v);
    if (CLR_FUSE_OP_OF(fuse)) v = clr_fuse_second8(fuse, vload8(j, s + at), v);
#endif
    gemm_store(v, j, c + at);
}

/* The fast path, for B's columns contiguous (b_cs == 1), M >= GEMM_MR and
 * N >= GEMM_NR (the host guarantees both): work-item (column block, row
 * block, batch item) keeps a GEMM_MR x GEMM_NR block in registers, so each
 * B vector loaded feeds GEMM_MR fma and each A value GEMM_NR (on a CPU the
 * A value is an fma's broadcast memory operand). Neighbouring work-items
 * store to neighbouring bytes of the same C rows (as fast as row blocks
 * along dimension 0 on PoCL, or faster: 1.3x at MobileNetV2's 96 x 12544 x
 * 16, whose stores dominate). The last block of a row or column is moved
 * back to end at M or N, overlapping its neighbour (both write the same
 * values), so loads need no bounds checks. Each output is one fma chain over
 * k ascending from 0, then fma(alpha, acc, bias). */
__kernel void gemm_f32(__global const float *a, __global const float *b, __global float *c, __global const float *bias,
                       __global const float *s, int M, int N, int K, int a_rs, int a_cs, int b_rs, int8 bdims,
                       int8 a_bs, int8 b_bs, float alpha, int bias_mode, clr_act_params act, int fuse) {
    const int bx = get_global_id(0) * GEMM_NR, by = get_global_id(1) * GEMM_MR, bi = get_global_id(2);
    if (bx >= N || by >= M) return;
    const int n0 = min(bx, N - GEMM_NR), m0 = min(by, M - GEMM_MR);
    const int2 off = bi ? gemm_batch_offsets(bi, bdims, a_bs, b_bs) : (int2)0;
    __global const float *ar[GEMM_MR];
    gemm_vec acc[GEMM_MR][GEMM_NV];
#pragma unroll
    for (int r = 0; r < GEMM_MR; r++) {
        ar[r] = a + off.x + (m0 + r) * a_rs;
#pragma unroll
        for (int j = 0; j < GEMM_NV; j++) acc[r][j] = 0.0f;
    }
    __global const float *bp = b + off.y + n0;
    for (int k = 0; k < K; k++) {
        gemm_vec bv[GEMM_NV];
#pragma unroll
        for (int j = 0; j < GEMM_NV; j++) bv[j] = gemm_load(j, bp);
        const int ka = k * a_cs;
#pragma unroll
        for (int r = 0; r < GEMM_MR; r++) {
            const gemm_vec av = ar[r][ka];
#pragma unroll
            for (int j = 0; j < GEMM_NV; j++) acc[r][j] = fma(av, bv[j], acc[r][j]);
        }
        bp += b_rs;
    }
    const int at = (bi * M + m0) * N + n0;
#pragma unroll
    for (int r = 0; r < GEMM_MR; r++)
#pragma unroll
        for (int j = 0; j < GEMM_NV; j++) {
            const gemm_vec bb = bias_mode == 1 ? (gemm_vec)bias[m0 + r] : bias_mode == 2 ? gemm_load(j, bias + n0) : 0.0f;
            gemm_finish(c, s, at + r * N, j, acc[r][j], alpha, bb, act, fuse);
        }
}

/* Any shape and strides: one output element per work-item (get_global_id(0)
 * is the column, so neighbours read neighbouring B values). */
__kernel void gemm_any_f32(__global const float *a, __global const float *b, __global float *c,
                           __global const float *bias, __global const float *s, int M, int N, int K, int a_rs,
                           int a_cs, int b_rs, int b_cs, int8 bdims, int8 a_bs, int8 b_bs, float alpha, int bias_mode,
                           clr_act_params act, int fuse) {
    const int n = get_global_id(0), m = get_global_id(1), bi = get_global_id(2);
    if (n >= N || m >= M) return;
    const int2 off = bi ? gemm_batch_offsets(bi, bdims, a_bs, b_bs) : (int2)0;
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
