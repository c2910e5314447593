/* clrun — GEMM micro-kernel for AVX-512F: 12 rows x 32 columns (24 zmm
 * accumulators). Compiled with -mavx512f -mfma (src/CMakeLists.txt); gemm.c
 * calls it only on a CPU with AVX-512F. */
#include "kernels/host/gemm_micro.h"

#if defined(__x86_64__) && defined(__AVX512F__)
#include <immintrin.h>

#define GM_NAME clr_gemm_micro_avx512
#define GM_MR 12
#define GM_NV 2
#define GM_W 16
#define GM_VEC __m512
#define GM_ZERO() _mm512_setzero_ps()
#define GM_LOAD(p) _mm512_loadu_ps(p)
#define GM_STORE(p, v) _mm512_storeu_ps(p, v)
#define GM_BCAST(p) _mm512_set1_ps(*(p))
#define GM_FMA(a, b, c) _mm512_fmadd_ps(a, b, c)
#include "kernels/host/gemm_micro_body.h"
#endif
