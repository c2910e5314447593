/* clrun — the packed, threaded matrix product shared by the conv,
 * conv_transpose, fc, mul and matmul host kernels. `pool` (may be NULL)
 * spreads it over threads; results do not depend on the thread count.
 *
 * Operands are addressed through row and column strides, so a transposed
 * operand needs no copy: element (i, k) of A is A[i * a_rs + k * a_cs]. C is
 * dense row-major with leading dimension ldc and is overwritten.
 */
#ifndef CLRUN_KERNELS_HOST_GEMM_H
#define CLRUN_KERNELS_HOST_GEMM_H

#include <stdint.h>

#include "core/thread_pool.h"

typedef struct clr_gemm_operand {
    const float *p;
    int64_t rs, cs; /* row and column strides, in elements */
} clr_gemm_operand;

/* C[M,N] = A[M,K] * B[K,N] in float. */
void clr_sgemm(clr_thread_pool *pool, int64_t m, int64_t n, int64_t k, clr_gemm_operand a, clr_gemm_operand b,
               float *c, int64_t ldc);

/* y[M] = A[M,K] x[K] (+ bias[M] when not NULL) summed as ARM's sgemv kernel
 * sums, which Paddle-Lite's sgemm uses for a one-column product: rows in
 * groups of 8 with four lanes each fed by fused multiply-adds over blocks of
 * 8 (k, then k + 4), lanes reduced pairwise ((0 + 1) + (2 + 3)); the rows
 * left over with two 4-lane accumulators (k and k + 4) added before the same
 * reduction; the K % 8 tail added by fused multiply-adds; the bias starts
 * lane 0. `x` is read with stride xs, `y` written with stride ys. */
void clr_sgemv_arm(int64_t m, int64_t k, clr_gemm_operand a, const float *x, int64_t xs, const float *bias, float *y,
                   int64_t ys);

/* C[M,N] = A[M,K] * B[K,N] as Paddle-Lite's ARM sgemm (alpha 1, beta 0)
 * computes it: a one-column product (N = 1) by clr_sgemv_arm, as is a
 * one-row product whose B is stored transposed (B^T rows contiguous), the
 * rest by clr_sgemm. */
void clr_sgemm_arm(clr_thread_pool *pool, int64_t m, int64_t n, int64_t k, clr_gemm_operand a, clr_gemm_operand b,
                   float *c, int64_t ldc);

/* The same product for operands holding integers in [-127, 127] (int8 data
 * widened to float), accumulated exactly: each block of at most 256 products
 * sums exactly in float (256 * 127 * 127 < 2^24) and the blocks are added in
 * int32, as an int8 GEMM with int32 accumulators would. */
void clr_sgemm_exact_i32(clr_thread_pool *pool, int64_t m, int64_t n, int64_t k, clr_gemm_operand a,
                         clr_gemm_operand b, int32_t *c, int64_t ldc);

/* A (the weights of a conv, say) packed once for the micro-kernel, for
 * products with many B; the source may be freed afterwards. NULL when out
 * of memory. */
typedef struct clr_gemm_packed clr_gemm_packed;
clr_gemm_packed *clr_gemm_pack(clr_thread_pool *pool, int64_t m, int64_t k, clr_gemm_operand a);
void clr_gemm_packed_free(clr_gemm_packed *a); /* NULL: no-op */
/* What to do to finished fp32 outputs while they are still in cache: fn is
 * called once for every output exactly once, on runs c[0..len) of row `row`
 * from column `col`, after that row's sums are complete. */
typedef struct clr_gemm_epilogue {
    void (*fn)(void *ctx, int64_t row, int64_t col, float *c, int64_t len);
    void *ctx;
} clr_gemm_epilogue;

/* B given by a function rather than stored (a conv's im2col matrix, made
 * as the GEMM packs it): row(ctx, k, j0, len, dst) writes B[k][j0 .. j0+len)
 * to dst. */
typedef struct clr_gemm_bsource {
    void (*row)(const void *ctx, int64_t k, int64_t j0, int64_t len, float *dst);
    const void *ctx;
} clr_gemm_bsource;

/* clr_sgemm (cf) or clr_sgemm_exact_i32 (ci; the other NULL) with a packed A
 * of M x K: the same bits as with the unpacked one. B is `b`, or `bsrc`
 * when not NULL. `epi` (fp32 only; may be NULL) finishes the outputs. */
void clr_sgemm_packed(clr_thread_pool *pool, const clr_gemm_packed *a, int64_t n, clr_gemm_operand b,
                      const clr_gemm_bsource *bsrc, float *cf, int32_t *ci, int64_t ldc,
                      const clr_gemm_epilogue *epi);

#endif
