/* cltime — naming what each plan step did: the shapes it saw, its FLOPs,
 * the GPU kernels it launched and where it really ran. */
#ifndef CLRUN_CLTIME_DESCRIBE_H
#define CLRUN_CLTIME_DESCRIBE_H

#include "measure.h"

/* Called from the observer right after the step ran, while its tensors still
 * hold the shapes it saw: fills shapes and flops. */
void cltime_describe_step(const clr_exec *exec, cltime_step *step);

/* From the last run's launch records (empty without profiling): fills each
 * step's kernel, launches, geometry and device. */
void cltime_describe_kernels(const clr_exec *exec, cltime_result *r);

#endif
