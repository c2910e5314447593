/* clrun — the GEMM micro-kernels and their runtime choice.
 *
 * One source (gemm_micro_body.h) instantiated per vector ISA: AVX-512F
 * (12 x 32) and AVX2+FMA (6 x 16) on x86-64, picked at run time from the
 * CPU's features; NEON (8 x 12) on aarch64; a scalar fmaf kernel (4 x 8)
 * elsewhere. All of them compute the same bits (see gemm_micro_body.h). */
#ifndef CLRUN_KERNELS_HOST_GEMM_MICRO_H
#define CLRUN_KERNELS_HOST_GEMM_MICRO_H

#include <stdbool.h>
#include <stdint.h>

/* C[mr, nr] (+)= Ap Bp over kc packed steps; C rows ldc apart; `load`: continue
 * the chains from C, else start them at +0. */
typedef void (*clr_gemm_micro_fn)(int64_t kc, const float *restrict ap, const float *restrict bp,
                                  float *restrict c, int64_t ldc, bool load);

typedef struct clr_gemm_micro {
    int32_t mr, nr;
    clr_gemm_micro_fn fn;
    const char *name;
} clr_gemm_micro;

/* The best kernel this CPU runs (decided once). CLRUN_GEMM_KERNEL=scalar,
 * avx2 or avx512 forces one the CPU has (for tests and benchmarks). */
const clr_gemm_micro *clr_gemm_micro_get(void);
/* Every kernel this CPU can run (for tests); returns the count. */
int32_t clr_gemm_micro_all(const clr_gemm_micro **out, int32_t max);

void clr_gemm_micro_scalar(int64_t kc, const float *restrict ap, const float *restrict bp, float *restrict c,
                           int64_t ldc, bool load);
void clr_gemm_micro_avx2(int64_t kc, const float *restrict ap, const float *restrict bp, float *restrict c,
                         int64_t ldc, bool load);
void clr_gemm_micro_avx512(int64_t kc, const float *restrict ap, const float *restrict bp, float *restrict c,
                           int64_t ldc, bool load);
void clr_gemm_micro_neon(int64_t kc, const float *restrict ap, const float *restrict bp, float *restrict c,
                         int64_t ldc, bool load);

#endif
