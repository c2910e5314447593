/* clrun --check: before deployment, which ops run where on a device. */
#ifndef CLRUN_TOOL_CHECK_H
#define CLRUN_TOOL_CHECK_H

typedef struct clr_check_options {
    const char *model;
    const char *device;    /* live device to ask ("auto", "gpu", "gpu:N"); ignored with profile */
    const char *profile;   /* devices/ profile name: answer without the device */
    const char *placement; /* NULL: auto */
    const char *dump_plan; /* DOT output path, or NULL */
} clr_check_options;

/* Prints one line per op, the io_copy transfers per run and a verdict.
 * Returns the exit status: 0 when the model can run. */
int clr_check_model(const clr_check_options *opt);

#endif
