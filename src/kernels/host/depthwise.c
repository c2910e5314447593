/* clrun — depthwise plane (see depthwise.h), vectorised over the width.
 *
 * With scratch, the input plane is copied into a zero-padded plane large
 * enough that every output, rounded up to a multiple of 4 columns, has all
 * its taps inside: each row then runs in blocks of 16, 8 and 4 outputs whose
 * accumulators stay in registers over all taps (the compiler vectorises the
 * block loops: constant stride 1 or 2 after inlining; AVX-512 / AVX2 clones
 * picked at load time on x86, NEON on aarch64). A tap in the padding adds
 * w * 0 = +-0, which leaves every sum as it was (a sum that starts at +0
 * never becomes -0), so the result is the tap-by-tap one bit for bit; only a
 * non-finite weight (inf * 0 = NaN) would differ, and such a filter takes
 * the exact path: interior blocks plus border columns tap by tap, skipping
 * the padding, as without scratch. */
#include "kernels/host/depthwise.h"

#include <math.h>
#include <string.h>

void clr_conv_valid_range(int64_t out_len, int64_t in_len, int64_t stride, int64_t off, int64_t *lo, int64_t *hi) {
    int64_t l = off >= 0 ? 0 : (-off + stride - 1) / stride;
    int64_t h = in_len - 1 - off < 0 ? 0 : (in_len - 1 - off) / stride + 1;
    *lo = l < out_len ? l : out_len;
    *hi = h < out_len ? h : out_len;
    if (*hi < *lo) *hi = *lo;
}

/* One output row: the rows of the taps kh in [kh0, kh1) lie inside the input. */
typedef struct dw_row {
    const float *in, *w;
    const clr_conv_geom *g;
    int64_t ih0; /* input row of tap kh = 0 (may be outside) */
    int64_t kh0, kh1;
} dw_row;

/* Output column ow with per-tap bounds checks (borders). */
static float dw_one(const dw_row *r, int64_t ow) {
    const clr_conv_geom *g = r->g;
    float acc = 0.0f;
    for (int64_t kh = r->kh0; kh < r->kh1; kh++) {
        const float *src = r->in + (r->ih0 + kh * g->dh) * g->w;
        for (int64_t kw = 0; kw < g->kw; kw++) {
            int64_t iw = ow * g->sw - g->pl + kw * g->dw;
            if (iw >= 0 && iw < g->w) acc = acc + r->w[kh * g->kw + kw] * src[iw];
        }
    }
    return acc;
}

/* L interior outputs from column ow, stride `sw` (a constant after inlining). */
static inline __attribute__((always_inline)) void dw_block(const dw_row *r, int64_t ow, float *dst, int L,
                                                           int64_t sw) {
    const clr_conv_geom *g = r->g;
    float acc[16] = {0.0f};
    for (int64_t kh = r->kh0; kh < r->kh1; kh++) {
        const float *src = r->in + (r->ih0 + kh * g->dh) * g->w + ow * sw - g->pl;
        for (int64_t kw = 0; kw < g->kw; kw++) {
            float wv = r->w[kh * g->kw + kw];
            const float *s = src + kw * g->dw;
            for (int l = 0; l < L; l++) acc[l] = acc[l] + wv * s[l * sw];
        }
    }
    for (int l = 0; l < L; l++) dst[l] = acc[l];
}

/* Interior columns [a, b) of one output row. */
static inline __attribute__((always_inline)) void dw_interior(const dw_row *r, int64_t a, int64_t b, float *dst,
                                                              int64_t sw) {
    int64_t ow = a;
    for (; ow + 16 <= b; ow += 16) dw_block(r, ow, dst + ow, 16, sw);
    for (; ow + 8 <= b; ow += 8) dw_block(r, ow, dst + ow, 8, sw);
    for (; ow + 4 <= b; ow += 4) dw_block(r, ow, dst + ow, 4, sw);
    for (; ow < b; ow++) dst[ow] = dw_one(r, ow);
}

/* The padded plane: rows and columns that cover every tap of every output
 * of rows [0, oh) and columns [0, round_up(ow, 4)). */
static void padded_size(const clr_conv_geom *g, int64_t *ph, int64_t *pw) {
    int64_t owr = (g->ow + 3) / 4 * 4, need_w = (owr - 1) * g->sw + (g->kw - 1) * g->dw + 1;
    int64_t need_h = (g->oh - 1) * g->sh + (g->kh - 1) * g->dh + 1;
    *pw = g->pl + g->w > need_w ? g->pl + g->w : need_w;
    *ph = g->pt + g->h > need_h ? g->pt + g->h : need_h;
}

int64_t clr_depthwise_scratch(const clr_conv_geom *g) {
    int64_t ph, pw;
    padded_size(g, &ph, &pw);
    return ph * pw;
}

static inline __attribute__((always_inline)) void dw_padded_rows(const dw_row *proto, const clr_conv_geom *pg,
                                                                 float *out, int64_t ow_n, int64_t sw) {
    int64_t owr = (ow_n + 3) / 4 * 4;
    for (int64_t oh = 0; oh < pg->oh; oh++) {
        dw_row r = *proto;
        r.ih0 = oh * pg->sh;
        float *dst = out + oh * ow_n, tail[4];
        int64_t ow = 0;
        for (; ow + 16 <= ow_n; ow += 16) dw_block(&r, ow, dst + ow, 16, sw);
        for (; ow + 8 <= ow_n; ow += 8) dw_block(&r, ow, dst + ow, 8, sw);
        for (; ow + 4 <= ow_n; ow += 4) dw_block(&r, ow, dst + ow, 4, sw);
        if (ow < owr) { /* the last columns, with padding columns past the row */
            dw_block(&r, ow, tail, 4, sw);
            memcpy(dst + ow, tail, (size_t)(ow_n - ow) * sizeof *tail);
        }
    }
}

static bool finite_filter(const float *w, int64_t n) {
    for (int64_t i = 0; i < n; i++)
        if (!isfinite(w[i])) return false;
    return true;
}

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && !defined(__SANITIZE_ADDRESS__) && \
    !defined(__SANITIZE_THREAD__) /* ifunc resolvers run before the sanitizers start */
__attribute__((target_clones("avx512f", "avx2", "default")))
#endif
static void depthwise_plane(const float *in, const float *w, const clr_conv_geom *g, float *out, float *scratch) {
    if (scratch && finite_filter(w, g->kh * g->kw)) {
        int64_t ph, pw;
        padded_size(g, &ph, &pw);
        memset(scratch, 0, (size_t)(ph * pw) * sizeof *scratch);
        for (int64_t ih = 0; ih < g->h; ih++)
            memcpy(scratch + (g->pt + ih) * pw + g->pl, in + ih * g->w, (size_t)g->w * sizeof *in);
        clr_conv_geom pg = *g; /* the padded plane, no padding left */
        pg.h = ph, pg.w = pw, pg.pt = pg.pl = 0;
        dw_row proto = {.in = scratch, .w = w, .g = &pg, .kh0 = 0, .kh1 = g->kh};
        if (g->sw == 1) dw_padded_rows(&proto, &pg, out, g->ow, 1);
        else if (g->sw == 2) dw_padded_rows(&proto, &pg, out, g->ow, 2);
        else dw_padded_rows(&proto, &pg, out, g->ow, g->sw);
        return;
    }
    int64_t a = 0, b = g->ow; /* columns where every tap column is inside the input */
    for (int64_t kw = 0; kw < g->kw; kw++) {
        int64_t lo, hi;
        clr_conv_valid_range(g->ow, g->w, g->sw, kw * g->dw - g->pl, &lo, &hi);
        a = lo > a ? lo : a;
        b = hi < b ? hi : b;
    }
    if (b < a) b = a;
    for (int64_t oh = 0; oh < g->oh; oh++) {
        dw_row r = {.in = in, .w = w, .g = g, .ih0 = oh * g->sh - g->pt, .kh0 = 0, .kh1 = g->kh};
        while (r.kh0 < g->kh && r.ih0 + r.kh0 * g->dh < 0) r.kh0++;
        while (r.kh1 > r.kh0 && r.ih0 + (r.kh1 - 1) * g->dh >= g->h) r.kh1--;
        float *dst = out + oh * g->ow;
        for (int64_t ow = 0; ow < a; ow++) dst[ow] = dw_one(&r, ow);
        if (g->sw == 1) dw_interior(&r, a, b, dst, 1);
        else if (g->sw == 2) dw_interior(&r, a, b, dst, 2);
        else dw_interior(&r, a, b, dst, g->sw);
        for (int64_t ow = b; ow < g->ow; ow++) dst[ow] = dw_one(&r, ow);
    }
}

/* A plain function around the clones: GCC exports the ifunc symbol of an
 * external target_clones function whatever -fvisibility says. */
void clr_depthwise_plane(const float *in, const float *w, const clr_conv_geom *g, float *out, float *scratch) {
    depthwise_plane(in, w, g, out, scratch);
}
