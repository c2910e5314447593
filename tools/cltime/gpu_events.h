/* cltime — device times from the OpenCL profiling events of the last run. */
#ifndef CLRUN_CLTIME_GPU_EVENTS_H
#define CLRUN_CLTIME_GPU_EVENTS_H

#include "measure.h"

/* Adds each kernel's device time (END - START) to its step's gpu_s[k] and
 * places the kernels on the tool's clock as r->runs[k].spans. */
clr_status cltime_read_gpu(const clr_exec *exec, cltime_result *r, int32_t k, clr_error *err);

#endif
