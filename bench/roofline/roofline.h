/* roofline — what one run measured, and its writers (report.c). */
#ifndef CLRUN_ROOFLINE_H
#define CLRUN_ROOFLINE_H

#include <stdio.h>

#include "gemm_clrun.h"
#include "roof.h"
#include "shapes.h"

typedef struct roofline_row {
    roofline_shape shape;
    roofline_clrun_time clrun;
    double clblast_s; /* 0: not measured (--no-clblast) */
} roofline_row;

typedef struct roofline_result {
    const char *device;
    const char *model; /* where the shapes came from; NULL: --shape or the built-in table */
    int32_t skipped;   /* the model's GEMMs without recorded dims */
    int warmup, repeats;
    clr_roof roof;
    int32_t nrows;
    roofline_row rows[ROOFLINE_MAX_SHAPES];
} roofline_result;

void roofline_print_table(FILE *out, const roofline_result *r);
void roofline_print_json(FILE *out, const roofline_result *r);

#endif
