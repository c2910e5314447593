/* clrun tools — the options clrun and cltime share: the model, its inputs
 * (files, image preparation, random shapes and seed) and the device. */
#ifndef CLRUN_TOOL_OPTIONS_H
#define CLRUN_TOOL_OPTIONS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "clrun/clrun.h"
#include "runtime/tensor.h"

enum { CLR_TOOL_MAX_BINDINGS = 16 };

typedef struct clr_tool_options {
    const char *model;
    int ninputs; /* --input NAME=FILE */
    const char *input_names[CLR_TOOL_MAX_BINDINGS], *input_files[CLR_TOOL_MAX_BINDINGS];
    int nshapes; /* --input-shape NAME=d0,d1,… */
    const char *shape_names[CLR_TOOL_MAX_BINDINGS];
    int32_t shape_ndims[CLR_TOOL_MAX_BINDINGS];
    int64_t shape_dims[CLR_TOOL_MAX_BINDINGS][CLR_MAX_DIMS];
    clr_image_options prep; /* zeros: clrun.h defaults */
    unsigned long long seed;
    const char *device;    /* cpu | gpu | gpu:N | auto (default) */
    const char *placement; /* auto (default) | model | cpu | gpu */
    bool strict, no_cache;
    bool tune; /* --tune: work-group tuning (clr_session_options.tune) */
    int32_t threads; /* --threads N; 0: the machine's cores */
} clr_tool_options;

void clr_tool_options_init(clr_tool_options *o);

/* What clr_tool_parse_option made of argv[*i]. */
typedef enum clr_tool_parsed {
    CLR_TOOL_TAKEN,   /* a shared option (or the model); *i is past its value */
    CLR_TOOL_UNKNOWN, /* not a shared option: the tool's own business */
    CLR_TOOL_BAD      /* a shared option with a bad value; reported on stderr as "<tool>: …" */
} clr_tool_parsed;

/* Parses argv[*i]; `argv` entries of NAME=VALUE options are split in place. */
clr_tool_parsed clr_tool_parse_option(const char *tool, int argc, char **argv, int *i, clr_tool_options *o);

/* Usage lines of the shared options. */
void clr_tool_usage_options(FILE *out);

/* Session options from the shared ones. */
clr_session_options clr_tool_session_options(const clr_tool_options *o);

/* A whole number in [min, max] (the whole string); false otherwise. */
bool clr_tool_parse_int(const char *s, long min, long max, int *out);

/* Parses up to max numbers separated by `sep`; returns the count or -1. */
int clr_tool_parse_list(const char *s, char sep, double *out, int max);

#endif
