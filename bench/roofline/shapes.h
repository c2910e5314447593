/* roofline — the GEMM shapes it measures: C[M,N] = A[M,K] * B[K,N]. */
#ifndef CLRUN_ROOFLINE_SHAPES_H
#define CLRUN_ROOFLINE_SHAPES_H

#include <stdbool.h>
#include <stdint.h>

enum { ROOFLINE_MAX_SHAPES = 64 };

/* A 1x1 conv2d (M = Cout, K = Cin, N = H*W) or, with `fc`, an fc layer on
 * one row (M = outputs, K = inputs, N = 1). */
typedef struct roofline_shape {
    char name[48];
    bool fc;
    int64_t m, k, h, w;
} roofline_shape;

static inline int64_t roofline_n(const roofline_shape *s) { return s->h * s->w; }
static inline double roofline_flops(const roofline_shape *s) {
    return 2.0 * (double)s->m * (double)roofline_n(s) * (double)s->k;
}

/* MobileNetV2 at 224x224 (opt_mobilenet_v2_synth): its distinct 1x1 convs
 * and the fc, in model order. Returns the count. */
int32_t roofline_mobilenet_v2(roofline_shape *out, int32_t max);

/* "MxNxK" (a 1x1 conv over an N x 1 image) or "fc:MxK" (an fc on one row,
 * N = 1). False when malformed. */
bool roofline_parse_shape(const char *text, roofline_shape *out);

#endif
