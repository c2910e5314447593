/* clrun — GEMM micro-kernel for AVX2 + FMA: 6 rows x 16 columns (12 ymm
 * accumulators). Compiled with -mavx2 -mfma (src/CMakeLists.txt); gemm.c
 * calls it only on a CPU with both. */
#include "kernels/host/gemm_micro.h"

#if defined(__x86_64__) && defined(__AVX2__) && defined(__FMA__)
#include <immintrin.h>

#define GM_NAME clr_gemm_micro_avx2
#define GM_MR 6
#define GM_NV 2
#define GM_W 8
#define GM_VEC __m256
#define GM_ZERO() _mm256_setzero_ps()
#define GM_LOAD(p) _mm256_loadu_ps(p)
#define GM_STORE(p, v) _mm256_storeu_ps(p, v)
#define GM_BCAST(p) _mm256_broadcast_ss(p)
#define GM_FMA(a, b, c) _mm256_fmadd_ps(a, b, c)
#include "kernels/host/gemm_micro_body.h"
#endif
