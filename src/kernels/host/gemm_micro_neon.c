/* clrun — GEMM micro-kernel for aarch64 NEON: 8 rows x 12 columns (24 q
 * accumulators of 32). NEON is part of the base ISA there. */
#include "kernels/host/gemm_micro.h"

#if defined(__aarch64__)
#include <arm_neon.h>

#define GM_NAME clr_gemm_micro_neon
#define GM_MR 8
#define GM_NV 3
#define GM_W 4
#define GM_VEC float32x4_t
#define GM_ZERO() vdupq_n_f32(0.0f)
#define GM_LOAD(p) vld1q_f32(p)
#define GM_STORE(p, v) vst1q_f32(p, v)
#define GM_BCAST(p) vld1q_dup_f32(p)
#define GM_FMA(a, b, c) vfmaq_f32(c, a, b)
#include "kernels/host/gemm_micro_body.h"
#endif
