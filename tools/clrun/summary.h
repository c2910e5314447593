/* clrun MODEL's result summary: per output its shape, statistics and top-5,
 * then where the run happened; as text lines or as one JSON document. */
#ifndef CLRUN_TOOL_SUMMARY_H
#define CLRUN_TOOL_SUMMARY_H

#include <stdbool.h>
#include <stdio.h>

#include "clrun/clrun.h"
#include "runtime/executor.h"

/* Statistics over the finite values; nonfinite counts the rest. */
typedef struct clr_output_stats {
    int64_t count, nonfinite;
    double min, max, mean, std;
    int ntop; /* top-5 of the first row of a [N, C] output (classifiers); else 0 */
    int64_t top[5];
    double top_value[5];
} clr_output_stats;

void clr_output_stats_compute(const clr_output *o, clr_output_stats *st);

/* Text: "output I NAME DTYPE [dims] min … max … mean … std …" (+ a top-5 line). */
void clr_summary_print_output(FILE *out, int32_t index, const clr_output *o, const clr_output_stats *st);
/* Text: "run on DEVICE: … ops on the GPU, … on the CPU, … transfers, … fallbacks". */
void clr_summary_print_run(FILE *out, const char *device, const clr_exec_stats *st);

/* JSON: {"model", "device", "outputs": [{index, name, dtype, shape, count,
 * nonfinite, min, max, mean, std, top5: [{index, value}]}], "run": {ops_gpu,
 * ops_cpu, transfers, transfer_bytes, fallbacks, fallback_reason}}. The
 * caller prints begin, each output, then end; non-finite numbers are null. */
void clr_summary_json_begin(FILE *out, const char *model, const char *device);
void clr_summary_json_output(FILE *out, int32_t index, const clr_output *o, const clr_output_stats *st);
void clr_summary_json_end(FILE *out, const clr_exec_stats *st);

#endif
