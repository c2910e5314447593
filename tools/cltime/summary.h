/* cltime — reducing the raw measurement: latency statistics, per-step
 * medians (the per-op table) and per-op-type totals. */
#ifndef CLRUN_CLTIME_SUMMARY_H
#define CLRUN_CLTIME_SUMMARY_H

#include "measure.h"
#include "stats.h"

typedef clr_stats cltime_stats;

/* One row of the per-op table: an op, or an io_copy transfer. */
typedef struct cltime_row {
    const cltime_step *step;
    int32_t index;          /* step index in the plan */
    double host_s, gpu_s;   /* medians over the repeats; gpu_s 0 without kernels */
    double gflops;          /* FLOPs over the device time when it ran on the GPU, else the host time */
    double gbps;            /* transfers: bytes over the host time */
    double share;           /* host_s / median latency */
    /* Roofline (no roofs, a transfer or an aliased step: 0 and NULL): the op's least time,
     * max(FLOPs / FMA peak, mem_bytes / copy bandwidth), and that over its
     * time (gpu_s when it ran on the GPU, else host_s); `bound` names the
     * larger term, "compute" or "memory". */
    double roof_s, roof_share;
    const char *bound;
} cltime_row;

typedef struct cltime_type_row {
    const char *type;
    int32_t count;
    double host_s, gpu_s, flops, gflops, share;
    uint64_t bytes;
    double roof_s, roofed_s;   /* sums over the rows with a roof: their roof_s, their times */
    double roof_share;         /* roof_s / roofed_s */
} cltime_type_row;

typedef struct cltime_summary {
    cltime_stats latency;        /* the profiled runs (clFinish per step) */
    cltime_stats latency_nosync; /* end to end, without per-step syncs or profiling */
    double rows_host_s;     /* sum of the rows' host medians */
    int32_t nrows;
    cltime_row *rows;       /* plan order */
    int32_t ntypes;
    cltime_type_row *types; /* most host time first */
    int32_t once_hidden;    /* one-time parameter uploads: first run only, no row */
} cltime_summary;

clr_status cltime_summarize(const cltime_result *r, cltime_summary *out, clr_error *err);
void cltime_summary_free(cltime_summary *s);

#endif
