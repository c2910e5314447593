/* clrun tests — running one op on the GPU and on the host and comparing.
 *
 * Build the op with test_node.h (inputs filled on the host), then call
 * tg_compare: it runs the host kernel, keeps its outputs, uploads the inputs,
 * runs the GPU kernel of the registry on the same op, downloads its outputs
 * and returns the largest difference relative to max(1, max |host|). */
#ifndef CLRUN_TEST_GPU_H
#define CLRUN_TEST_GPU_H

#include "backend/opencl/cl_runtime.h"
#include "test_node.h"

/* A device for the whole test program (opened on first use; NULL when none,
 * after printing why). Released by tg_teardown, the cmocka group teardown
 * of every GPU test program. */
clr_cl *tg_device(void);
int tg_teardown(void **state);

/* Status of the GPU run (CLR_ERR_UNSUPPORTED when the kernel declined);
 * *max_rel gets the difference when both ran. Output tensors hold the GPU
 * result afterwards. */
clr_status tg_compare(clr_test_node *t, double *max_rel);

/* Releases the device copies of every tensor bound to the op. */
void tg_release(clr_test_node *t);

#endif
