/* clrun — the GEMM micro-kernel body, written once and instantiated per
 * vector ISA (gemm_micro_*.c define the macros below and include this file;
 * no include guard on purpose).
 *
 * C[MR, NR] (+)= Ap[kc, MR] Bp[kc, NR] on packed panels (gemm_pack layout:
 * A k-major MR values per k, B k-major NR values per k), NR = NV vectors of
 * W floats. Every output is ONE fused multiply-add chain over k ascending,
 * continued from C when `load` (a later K block), else started at +0: the
 * same arithmetic for every vector width, so results do not depend on which
 * kernel the CPU gets.
 *
 * Expects: GM_NAME, GM_MR, GM_NV, GM_W, GM_VEC (vector type), GM_ZERO(),
 * GM_LOAD(p), GM_STORE(p, v), GM_BCAST(p) (splat *p), GM_FMA(a, b, c)
 * (a * b + c rounded once). */
void GM_NAME(int64_t kc, const float *restrict ap, const float *restrict bp, float *restrict c, int64_t ldc,
             bool load) {
    GM_VEC acc[GM_MR][GM_NV];
#pragma GCC unroll 32
    for (int r = 0; r < GM_MR; r++)
#pragma GCC unroll 8
        for (int v = 0; v < GM_NV; v++) acc[r][v] = load ? GM_LOAD(c + r * ldc + v * GM_W) : GM_ZERO();
    for (int64_t k = 0; k < kc; k++) {
        GM_VEC b[GM_NV];
#pragma GCC unroll 8
        for (int v = 0; v < GM_NV; v++) b[v] = GM_LOAD(bp + k * (GM_NV * GM_W) + v * GM_W);
#pragma GCC unroll 32
        for (int r = 0; r < GM_MR; r++) {
            GM_VEC a = GM_BCAST(ap + k * GM_MR + r);
#pragma GCC unroll 8
            for (int v = 0; v < GM_NV; v++) acc[r][v] = GM_FMA(a, b[v], acc[r][v]);
        }
    }
#pragma GCC unroll 32
    for (int r = 0; r < GM_MR; r++)
#pragma GCC unroll 8
        for (int v = 0; v < GM_NV; v++) GM_STORE(c + r * ldc + v * GM_W, acc[r][v]);
}
