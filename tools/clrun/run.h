/* clrun MODEL: run a model once and report its outputs. */
#ifndef CLRUN_TOOL_RUN_H
#define CLRUN_TOOL_RUN_H

#include <stdbool.h>
#include <stdint.h>

#include "image.h"
#include "runtime/tensor.h"

enum { CLR_RUN_MAX_BINDINGS = 16 };

typedef struct clr_run_options {
    const char *model;
    int ninputs; /* --input NAME=FILE */
    const char *input_names[CLR_RUN_MAX_BINDINGS], *input_files[CLR_RUN_MAX_BINDINGS];
    int nshapes; /* --input-shape NAME=d0,d1,… */
    const char *shape_names[CLR_RUN_MAX_BINDINGS];
    int32_t shape_ndims[CLR_RUN_MAX_BINDINGS];
    int64_t shape_dims[CLR_RUN_MAX_BINDINGS][CLR_MAX_DIMS];
    clr_image_prep prep;
    unsigned long long seed;
    const char *output_dir;
    const char *device;    /* cpu | gpu | gpu:N | auto (default) */
    const char *placement; /* auto (default) | model | cpu | gpu */
    bool strict, no_cache;
} clr_run_options;

/* Returns the process exit status: 0 ok, 1 failure (message on stderr). */
int clr_run_model(const clr_run_options *opt);

#endif
