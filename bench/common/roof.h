/* clrun bench — this device's roofs: the FMA peak and the copy bandwidth,
 * measured with the kernels of roof.cl (embedded at build time).
 *
 * bench/roofline measures them at length beside the GEMMs; cltime measures
 * them quickly after its runs (CLR_ROOF_QUICK) to say how close each op
 * comes to its roof. Times are device times from OpenCL profiling events on a
 * queue of our own, so the caller's queue is left alone.
 */
#ifndef CLRUN_BENCH_ROOF_H
#define CLRUN_BENCH_ROOF_H

#include <stddef.h>

#include "backend/opencl/cl_runtime.h"

typedef struct clr_roof {
    double gflops;        /* FMA peak: GFLOP/s of roof_fma (one fma = 2 FLOPs) */
    double gbps;          /* copy bandwidth: GB/s of roof_copy, bytes read + bytes written */
    double fma_s, copy_s; /* best device time of one launch */
    size_t copy_bytes;    /* the copy's source size (the option, capped to what one buffer may hold) */
} clr_roof;

typedef struct clr_roof_options {
    double fma_flops;  /* FLOPs per roof_fma launch */
    size_t copy_bytes; /* size of the copy's source (and of its destination) */
    int warmup, repeats;
} clr_roof_options;

/* What cltime spends: about 20 ms of launches (plus building roof.cl). Two
 * 32 MiB buffers are twice this machine's last-level cache; 16 MiB ones
 * measured the cache instead (59 GB/s against 28). */
#define CLR_ROOF_QUICK ((clr_roof_options){.fma_flops = 2e8, .copy_bytes = (size_t)32 << 20, .warmup = 1, .repeats = 3})
/* bench/roofline's default (its --repeats replaces the repeats). */
#define CLR_ROOF_FULL ((clr_roof_options){.fma_flops = 4e8, .copy_bytes = (size_t)256 << 20, .warmup = 2, .repeats = 10})

/* The fastest of opt->repeats launches after opt->warmup (at least one: it
 * takes the page faults of first touch). A roof is the best the device can
 * do, and on a shared machine other processes only ever slow a launch
 * down, so the fastest launch is the closest to it (medians came out 2x
 * lower here at times, below what clrun's GEMM reached). CLR_ERR_ARG for
 * options out of range, CLR_ERR_BUILD / CLR_ERR_OPENCL / CLR_ERR_NOMEM with
 * the failing call in err; *out is set only on success. */
clr_status clr_roof_measure(cl_context context, cl_device_id device, const clr_roof_options *opt, clr_roof *out,
                            clr_error *err);

/* Device start and end of a finished command, in seconds (its event needs a
 * profiling queue). */
clr_status clr_roof_event_times(cl_event ev, double *start, double *end, clr_error *err);

#endif
