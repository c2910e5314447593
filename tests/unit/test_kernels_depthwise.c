/* Unit tests for the vectorised depthwise plane (depthwise.c): bit for bit
 * against the tap-by-tap loop clrun used before (for each tap in (kh, kw)
 * order, over the outputs whose source is inside the input: out += w * x,
 * the product rounded first), on random geometries: 1x1 to 7x7 filters,
 * strides 1-3, dilations 1-2, asymmetric paddings, planes narrower than the
 * filter and odd widths that leave every block size and border in play. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "kernels/host/depthwise.h"
#include "test_models.h"

static void reference(const float *in, const float *w, const clr_conv_geom *g, float *out) {
    memset(out, 0, sizeof(float) * (size_t)(g->oh * g->ow));
    for (int64_t kh = 0; kh < g->kh; kh++)
        for (int64_t kw = 0; kw < g->kw; kw++)
            for (int64_t oh = 0; oh < g->oh; oh++)
                for (int64_t ow = 0; ow < g->ow; ow++) {
                    int64_t ih = oh * g->sh - g->pt + kh * g->dh, iw = ow * g->sw - g->pl + kw * g->dw;
                    if (ih < 0 || ih >= g->h || iw < 0 || iw >= g->w) continue;
                    float p = w[kh * g->kw + kw] * in[ih * g->w + iw];
                    out[oh * g->ow + ow] = out[oh * g->ow + ow] + p;
                }
}

static int64_t pick(clr_test_rng *r, int64_t lo, int64_t hi) {
    return lo + (int64_t)(clr_test_rng_next(r) % (unsigned long long)(hi - lo + 1));
}

static void depthwise_matches_tap_order(void **state) {
    (void)state;
    clr_test_rng r = {12345};
    static const int64_t ks[] = {1, 3, 5, 7};
    for (int iter = 0; iter < 400; iter++) {
        clr_conv_geom g = {.batch = 1, .cin = 1, .cout = 1, .groups = 1};
        g.kh = ks[pick(&r, 0, 3)];
        g.kw = iter % 3 ? g.kh : ks[pick(&r, 0, 3)];
        g.sh = pick(&r, 1, 3), g.sw = iter % 4 ? pick(&r, 1, 2) : pick(&r, 1, 3);
        g.dh = pick(&r, 1, 2), g.dw = iter % 5 ? 1 : 2;
        g.h = pick(&r, 1, 40), g.w = pick(&r, 1, 70);
        g.pt = pick(&r, 0, g.kh), g.pb = pick(&r, 0, g.kh), g.pl = pick(&r, 0, g.kw), g.pr = pick(&r, 0, g.kw);
        int64_t eh = g.h + g.pt + g.pb - (g.kh - 1) * g.dh - 1, ew = g.w + g.pl + g.pr - (g.kw - 1) * g.dw - 1;
        if (eh < 0 || ew < 0) continue;
        g.oh = eh / g.sh + 1, g.ow = ew / g.sw + 1;
        size_t nin = (size_t)(g.h * g.w), nout = (size_t)(g.oh * g.ow);
        float *in = malloc(nin * sizeof *in), *w = malloc((size_t)(g.kh * g.kw) * sizeof *w);
        float *got = malloc(nout * sizeof *got), *want = malloc(nout * sizeof *want);
        for (size_t i = 0; i < nin; i++) in[i] = (float)((double)(clr_test_rng_next(&r) % 2000001) / 1e6 - 1.0);
        for (int64_t i = 0; i < g.kh * g.kw; i++) w[i] = (float)((double)(clr_test_rng_next(&r) % 2000001) / 1e6 - 1.0);
        if (iter % 7 == 3) w[pick(&r, 0, g.kh * g.kw - 1)] = iter % 2 ? INFINITY : NAN; /* the exact path */
        float *scratch = malloc((size_t)clr_depthwise_scratch(&g) * sizeof *scratch);
        reference(in, w, &g, want);
        for (int path = 0; path < 2; path++) {
            for (size_t i = 0; i < nout; i++) got[i] = 1e30f; /* every output is written */
            clr_depthwise_plane(in, w, &g, got, path ? scratch : NULL);
            if (memcmp(got, want, nout * sizeof *got) != 0)
                fail_msg("iter %d (%s): k %lldx%lld s %lld,%lld d %lld,%lld in %lldx%lld pads %lld %lld %lld %lld differ", iter,
                         path ? "padded" : "bordered", (long long)g.kh, (long long)g.kw, (long long)g.sh,
                         (long long)g.sw, (long long)g.dh, (long long)g.dw, (long long)g.h, (long long)g.w,
                         (long long)g.pt, (long long)g.pb, (long long)g.pl, (long long)g.pr);
        }
        free(in), free(w), free(got), free(want), free(scratch);
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(depthwise_matches_tap_order),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
