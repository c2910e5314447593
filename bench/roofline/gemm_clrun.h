/* roofline — clrun's GEMM on one shape, through clrun itself: a one-op model
 * (1x1 conv2d or fc) made with clrun's program builder and .nb writer, loaded
 * and run with the public API like any model. Whatever kernel clrun picks
 * for that op is what gets timed; nothing inside the GEMM is called. */
#ifndef CLRUN_ROOFLINE_GEMM_CLRUN_H
#define CLRUN_ROOFLINE_GEMM_CLRUN_H

#include "clrun/status.h"
#include "shapes.h"

typedef struct roofline_clrun_time {
    double kernel_s; /* median: the op's kernels' device time (OpenCL profiling events) */
    double step_s;   /* median: the op's plan step, enqueue to finished queue (the executor's observer) */
} roofline_clrun_time;

/* The op runs on the OpenCL device `device` ("gpu", "gpu:N"); a fall-back to
 * the CPU is an error. Repeats are 1..10000. */
clr_status roofline_time_clrun(const roofline_shape *s, const char *device, int warmup, int repeats,
                               roofline_clrun_time *out, clr_error *err);

#endif
