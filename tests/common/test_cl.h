/* clrun tests — the OpenCL device probe for GPU tests.
 *
 * A GPU test calls clr_test_cl_require() first in main(): without any OpenCL
 * device it prints why and returns 77 (CTest "Skipped"), or 1 when CI=true so
 * CI can never pass without having run the GPU tests. 0 means go ahead.
 */
#ifndef CLRUN_TEST_CL_H
#define CLRUN_TEST_CL_H

#include <stddef.h>

#include "backend/opencl/cl_runtime.h"

int clr_test_cl_require(void);

/* Runs elementwise.cl's `kernel` ("copy_f32" or "relu_f32") on `n` seeded
 * random floats and asserts (cmocka) the result equals the host's. */
void clr_test_cl_check_elementwise(clr_cl *cl, const char *kernel, size_t n);

/* Makes a fresh empty folder under $TMPDIR (or /tmp) into `path` (char[256]). */
void clr_test_make_temp_dir(char *path);
/* Removes a folder made by clr_test_make_temp_dir and the files in it. */
void clr_test_remove_dir(const char *path);

#endif
