/* clrun — the portable scalar micro-kernel and the runtime kernel choice
 * (see gemm_micro.h). */
#include "kernels/host/gemm_micro.h"

#include "kernels/host/cpu_features.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define GM_NAME clr_gemm_micro_scalar
#define GM_MR 4
#define GM_NV 8
#define GM_W 1
#define GM_VEC float
#define GM_ZERO() 0.0f
#define GM_LOAD(p) (*(p))
#define GM_STORE(p, v) (*(p) = (v))
#define GM_BCAST(p) (*(p))
#define GM_FMA(a, b, c) fmaf(a, b, c)
#include "kernels/host/gemm_micro_body.h"

/* Best first. */
static const clr_gemm_micro kernels[] = {
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
    {12, 32, clr_gemm_micro_avx512, "avx512"},
    {6, 16, clr_gemm_micro_avx2, "avx2"},
#endif
#if defined(__aarch64__)
    {8, 12, clr_gemm_micro_neon, "neon"},
#endif
    {4, 8, clr_gemm_micro_scalar, "scalar"},
};
enum { NKERNELS = sizeof kernels / sizeof kernels[0] };

static bool cpu_runs(const clr_gemm_micro *k) {
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
    if (k->fn == clr_gemm_micro_avx512) return clr_cpu_avx512f();
    if (k->fn == clr_gemm_micro_avx2) return clr_cpu_avx2_fma();
#endif
    (void)k;
    return true;
}

int32_t clr_gemm_micro_all(const clr_gemm_micro **out, int32_t max) {
    int32_t n = 0;
    for (int32_t i = 0; i < NKERNELS && n < max; i++)
        if (cpu_runs(&kernels[i])) out[n++] = &kernels[i];
    return n;
}

static const clr_gemm_micro *choose(void) {
    const char *force = getenv("CLRUN_GEMM_KERNEL");
    for (int32_t i = 0; force && i < NKERNELS; i++)
        if (strcmp(kernels[i].name, force) == 0 && cpu_runs(&kernels[i])) return &kernels[i];
    for (int32_t i = 0; i < NKERNELS; i++)
        if (cpu_runs(&kernels[i])) return &kernels[i];
    return &kernels[NKERNELS - 1];
}

const clr_gemm_micro *clr_gemm_micro_get(void) {
    /* A benign race: every thread computes and stores the same pointer. */
    static const clr_gemm_micro *_Atomic chosen;
    const clr_gemm_micro *k = chosen;
    if (!k) chosen = k = choose();
    return k;
}
