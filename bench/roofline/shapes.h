/* roofline — the GEMM shapes it measures: C[M,N] = A[M,K] * B[K,N]. */
#ifndef CLRUN_ROOFLINE_SHAPES_H
#define CLRUN_ROOFLINE_SHAPES_H

#include <stdbool.h>
#include <stdint.h>

#include "clrun/status.h"

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

/* The distinct GEMMs of model `path`, appended to out[*n..max): its 1x1
 * conv2d ops (groups 1) and its fc ops on one row, shaped from the dims opt
 * recorded. GEMMs whose dims were not recorded (dynamic shapes) or fc ops on
 * several rows are counted in *skipped. CLR_ERR_ARG past `max` shapes, or
 * the loader's error. */
clr_status roofline_model_shapes(const char *path, roofline_shape *out, int32_t max, int32_t *n, int32_t *skipped,
                                 clr_error *err);

/* "MxNxK" (a 1x1 conv over an N x 1 image) or "fc:MxK" (an fc on one row,
 * N = 1). False when malformed. */
bool roofline_parse_shape(const char *text, roofline_shape *out);

#endif
