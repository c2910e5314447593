/* clrun MODEL: run a model once and report its outputs. */
#ifndef CLRUN_TOOL_RUN_H
#define CLRUN_TOOL_RUN_H

#include "options.h"

typedef struct clr_run_options {
    clr_tool_options tool;
    const char *output_dir;
    const char *dump_ops_dir; /* --dump-ops */
    bool json;                /* --format json: one JSON document on stdout */
} clr_run_options;

/* Returns the process exit status: 0 ok, 1 failure (message on stderr). */
int clr_run_model(const clr_run_options *opt);

#endif
