/* clrun — blocked GEMM (see gemm.h).
 *
 * Classic three-level blocking: K is cut into blocks of KC, N into blocks of
 * NC columns packed once per K block (NR-wide panels, zero-padded), and for
 * each MR-row panel of A (packed, k-major) a register-sized MR x NR
 * micro-kernel runs over the packed B panels. Packing makes every inner load
 * contiguous whatever the operand strides, and the fixed-size micro-kernel is
 * what the compiler keeps in vector registers. No heap memory is used. */
#include "kernels/host/gemm.h"

#include <math.h>
#include <stdbool.h>
#include <string.h>
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#endif

enum { MR = 4, NR = 8, KC = 256, NC = 64 };

static void pack_a(const clr_gemm_operand *a, int64_t i0, int64_t mr, int64_t k0, int64_t kc, float *ap) {
    for (int64_t r = 0; r < MR; r++) {
        /* Rows past the end repeat the last real row; their results are dropped. */
        const float *src = a->p + (i0 + (r < mr ? r : mr - 1)) * a->rs + k0 * a->cs;
        for (int64_t k = 0; k < kc; k++) ap[k * MR + r] = src[k * a->cs];
    }
}

static void pack_b(const clr_gemm_operand *b, int64_t k0, int64_t kc, int64_t j0, int64_t nc, float *bp) {
    for (int64_t jp = 0; jp < nc; jp += NR) {
        int64_t nr = nc - jp < NR ? nc - jp : NR;
        float *dst = bp + jp * kc;
        for (int64_t k = 0; k < kc; k++) {
            const float *src = b->p + (k0 + k) * b->rs + (j0 + jp) * b->cs;
            float *d = dst + k * NR;
            if (b->cs == 1) {
                memcpy(d, src, (size_t)nr * sizeof *d);
            } else {
                for (int64_t j = 0; j < nr; j++) d[j] = src[j * b->cs];
            }
            for (int64_t j = nr; j < NR; j++) d[j] = 0.0f;
        }
    }
}

/* acc += A panel * B panel, one fused multiply-add per product in k order:
 * each output is the single fma chain ARM's GEMM kernels (fmla) compute, so
 * fp32 results are bit-identical to Paddle-Lite's. */
static void micro_kernel_libm(int64_t kc, const float *restrict ap, const float *restrict bp, float acc[MR][NR]) {
    float c[MR][NR];
    memcpy(c, acc, sizeof c);
    for (int64_t k = 0; k < kc; k++) {
        const float *b = bp + k * NR;
        const float *a = ap + k * MR;
        for (int r = 0; r < MR; r++)
            for (int j = 0; j < NR; j++) c[r][j] = fmaf(a[r], b[j], c[r][j]);
    }
    memcpy(acc, c, sizeof c);
}

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
/* The same with the FMA instructions, a row of NR = 8 outputs per AVX
 * register: identical results, without a libm call per product. */
_Static_assert(MR == 4 && NR == 8, "micro_kernel_fma holds a 4 x 8 block");
__attribute__((target("avx2,fma"))) static void micro_kernel_fma(int64_t kc, const float *restrict ap,
                                                                 const float *restrict bp, float acc[MR][NR]) {
    __m256 c0 = _mm256_loadu_ps(acc[0]), c1 = _mm256_loadu_ps(acc[1]), c2 = _mm256_loadu_ps(acc[2]),
           c3 = _mm256_loadu_ps(acc[3]);
    for (int64_t k = 0; k < kc; k++) {
        __m256 b = _mm256_loadu_ps(bp + k * NR);
        const float *a = ap + k * MR;
        c0 = _mm256_fmadd_ps(_mm256_broadcast_ss(a + 0), b, c0);
        c1 = _mm256_fmadd_ps(_mm256_broadcast_ss(a + 1), b, c1);
        c2 = _mm256_fmadd_ps(_mm256_broadcast_ss(a + 2), b, c2);
        c3 = _mm256_fmadd_ps(_mm256_broadcast_ss(a + 3), b, c3);
    }
    _mm256_storeu_ps(acc[0], c0);
    _mm256_storeu_ps(acc[1], c1);
    _mm256_storeu_ps(acc[2], c2);
    _mm256_storeu_ps(acc[3], c3);
}

static void micro_kernel(int64_t kc, const float *restrict ap, const float *restrict bp, float acc[MR][NR]) {
    static int has_fma = -1; /* a benign race: every thread stores the same value */
    if (has_fma < 0) has_fma = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    if (has_fma) micro_kernel_fma(kc, ap, bp, acc);
    else micro_kernel_libm(kc, ap, bp, acc);
}
#else
#define micro_kernel micro_kernel_libm
#endif

static void gemm_driver(int64_t m, int64_t n, int64_t k, clr_gemm_operand a, clr_gemm_operand b, float *cf,
                        int32_t *ci, int64_t ldc) {
    float bp[KC * NC], ap[KC * MR], acc[MR][NR];
    if (k == 0) { /* an empty sum */
        for (int64_t i = 0; i < m; i++) {
            if (cf) memset(cf + i * ldc, 0, (size_t)n * sizeof *cf);
            else memset(ci + i * ldc, 0, (size_t)n * sizeof *ci);
        }
        return;
    }
    for (int64_t k0 = 0; k0 < k; k0 += KC) {
        int64_t kc = k - k0 < KC ? k - k0 : KC;
        bool first = k0 == 0;
        for (int64_t j0 = 0; j0 < n; j0 += NC) {
            int64_t nc = n - j0 < NC ? n - j0 : NC;
            pack_b(&b, k0, kc, j0, nc, bp);
            for (int64_t i0 = 0; i0 < m; i0 += MR) {
                int64_t mr = m - i0 < MR ? m - i0 : MR;
                pack_a(&a, i0, mr, k0, kc, ap);
                for (int64_t jp = 0; jp < nc; jp += NR) {
                    int64_t nr = nc - jp < NR ? nc - jp : NR;
                    /* fp32 sums continue their chain across K blocks; int8
                     * ones restart each block (exact) and add in int32 */
                    memset(acc, 0, sizeof acc);
                    for (int64_t r = 0; cf && !first && r < mr; r++)
                        memcpy(acc[r], cf + (i0 + r) * ldc + j0 + jp, (size_t)nr * sizeof acc[r][0]);
                    micro_kernel(kc, ap, bp + jp * kc, acc);
                    for (int64_t r = 0; r < mr; r++) {
                        int64_t off = (i0 + r) * ldc + j0 + jp;
                        for (int64_t j = 0; j < nr; j++) {
                            if (cf) cf[off + j] = acc[r][j];
                            else ci[off + j] = (first ? 0 : ci[off + j]) + (int32_t)acc[r][j];
                        }
                    }
                }
            }
        }
    }
}

void clr_sgemm(int64_t m, int64_t n, int64_t k, clr_gemm_operand a, clr_gemm_operand b, float *c, int64_t ldc) {
    gemm_driver(m, n, k, a, b, c, NULL, ldc);
}

void clr_sgemm_exact_i32(int64_t m, int64_t n, int64_t k, clr_gemm_operand a, clr_gemm_operand b, int32_t *c,
                         int64_t ldc) {
    gemm_driver(m, n, k, a, b, NULL, c, ldc);
}

/* One row of clr_sgemv_arm; `grouped`: the row is one of a group of 8. */
static float sgemv_row(const float *a, int64_t as, const float *x, int64_t xs, int64_t k, float bias, bool grouped) {
    float lo[4] = {bias, 0.0f, 0.0f, 0.0f}, hi[4] = {0.0f, 0.0f, 0.0f, 0.0f};
    int64_t blocks = k / 8, i = 0;
    for (int64_t b = 0; b < blocks; b++, i += 8)
        for (int l = 0; l < 4; l++) {
            float *second = grouped ? &lo[l] : &hi[l];
            lo[l] = fmaf(a[(i + l) * as], x[(i + l) * xs], lo[l]);
            *second = fmaf(a[(i + 4 + l) * as], x[(i + 4 + l) * xs], *second);
        }
    if (!grouped)
        for (int l = 0; l < 4; l++) lo[l] += hi[l];
    float r = (lo[0] + lo[1]) + (lo[2] + lo[3]);
    for (; i < k; i++) r = fmaf(a[i * as], x[i * xs], r);
    return r;
}

void clr_sgemv_arm(int64_t m, int64_t k, clr_gemm_operand a, const float *x, int64_t xs, const float *bias, float *y,
                   int64_t ys) {
    int64_t grouped = m / 8 * 8;
    for (int64_t r = 0; r < m; r++)
        y[r * ys] = sgemv_row(a.p + r * a.rs, a.cs, x, xs, k, bias ? bias[r] : 0.0f, r < grouped);
}

void clr_sgemm_arm(int64_t m, int64_t n, int64_t k, clr_gemm_operand a, clr_gemm_operand b, float *c, int64_t ldc) {
    if (n == 1 && a.cs == 1) {
        clr_sgemv_arm(m, k, a, b.p, b.rs, NULL, c, ldc);
    } else if (m == 1 && b.rs == 1) { /* over the rows of B^T */
        clr_sgemv_arm(n, k, (clr_gemm_operand){b.p, b.cs, 1}, a.p, a.cs, NULL, c, 1);
    } else {
        clr_sgemm(m, n, k, a, b, c, ldc);
    }
}
