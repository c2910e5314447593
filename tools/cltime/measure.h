/* cltime — measuring a model: start-up (load, session, kernel builds, first
 * result), then warm-up runs and timed repeats with per-step host times from
 * the executor's observer and per-kernel device times from OpenCL profiling
 * events. Everything is kept raw here; summary.h reduces it. */
#ifndef CLRUN_CLTIME_MEASURE_H
#define CLRUN_CLTIME_MEASURE_H

#include <stdint.h>

#include "api/session_internal.h"
#include "backend/opencl/cl_program_cache.h"
#include "options.h"
#include "roof.h"

enum { CLTIME_MAX_REPEATS = 10000 };

typedef struct cltime_options {
    clr_tool_options tool;
    int warmup, repeats;
    double roof_gflops, roof_gbps; /* --roof-gflops / --roof-gbps; 0: measured on the OpenCL device */
} cltime_options;

/* The roofs each op is compared with (summary.h): given on the command
 * line, measured at start-up on the session's OpenCL device (a few ms of
 * bench/common/roof.cl), or neither (host only, no flags: no roof shares). */
typedef struct cltime_roof {
    double gflops, gbps;            /* 0: unknown */
    const char *gflops_from, *gbps_from; /* "measured", "given" or NULL */
    double measure_s;               /* wall time the measurement took */
    char error[256];                /* why the measurement failed ("" if it did not): no roofs then */
} cltime_roof;

/* One kernel's execution, on the tool's clock (seconds since start). */
typedef struct cltime_span {
    int32_t step;
    const char *kernel;
    double start, end;
} cltime_span;

/* What one plan step is and what it cost. */
typedef struct cltime_step {
    const clr_plan_step *plan;
    const char *type;     /* op type; "io_copy" for a transfer */
    const char *device;   /* "gpu" or "cpu": where it really ran */
    char kernel[96];      /* GPU kernels launched ('+'-joined), or how it ran otherwise */
    char shapes[160];     /* data inputs → outputs */
    int32_t launches;     /* GPU kernels per run; the geometry is the first one's */
    bool aliased;         /* an io_copy/layout op whose output is its input: it moves no bytes */
    cl_uint dims;
    size_t gws[3], lws[3];
    bool lws_tuned;       /* that local size came from the tuning file (--tune) */
    double flops;
    uint64_t bytes;       /* bytes copied between host and device in the last run */
    uint64_t mem_bytes;   /* an op's inputs (parameters included) plus outputs: what it must move at least */
    double *host_s;       /* per repeat: wall time, device work included */
    double *gpu_s;        /* per repeat: sum of the kernels' device times */
} cltime_step;

/* One timed repeat, for the trace. */
typedef struct cltime_run {
    double start, end;
    double *step_start; /* per step */
    int32_t nspans;
    cltime_span *spans;
} cltime_run;

typedef struct cltime_result {
    const cltime_options *opt;
    clr_model *model;
    clr_session *session;
    const char *device;
    char inputs[256];     /* "x [1,3,640,640]" */
    double load_s, session_s, first_run_s, first_result_s;
    bool has_cache;       /* an OpenCL device: kernel builds happened */
    clr_cl_cache_stats cache; /* after the first run */
    clr_exec_stats stats;     /* of the last run */
    int32_t nsteps;
    cltime_step *steps;
    int32_t *op_step;     /* per op of block 0: its step */
    cltime_run *runs;     /* per repeat */
    double *latency_s;    /* per repeat: wall clock around clr_session_run, profiled (clFinish per step) */
    /* per repeat: the same on a second session without profiling and without
     * the per-step clFinish, as clrun runs (alternating with the profiled runs) */
    double *latency_nosync_s;
    cltime_roof roof;
    long peak_rss_kb;
    clr_exec_memory memory;
} cltime_result;

/* Loads, runs and times the model; on failure err says why. The result is
 * freed with cltime_free, whatever the outcome. */
clr_status cltime_measure(const cltime_options *opt, cltime_result *r, clr_error *err);
void cltime_free(cltime_result *r);

#endif
