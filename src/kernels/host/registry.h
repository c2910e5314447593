/* clrun — the CPU (host) kernel registry.
 *
 * Every op type clrun can run has a host kernel: it is the reference that
 * each OpenCL kernel is tested against, and the fallback for ops the GPU
 * cannot take. Kernels are grouped by family, one table per family file,
 * each ending with a {NULL, NULL} entry; registry.c searches them in order.
 */
#ifndef CLRUN_KERNELS_HOST_REGISTRY_H
#define CLRUN_KERNELS_HOST_REGISTRY_H

#include "runtime/node.h"

typedef clr_status (*clr_host_kernel_fn)(clr_node *n);

typedef struct clr_host_kernel {
    const char *op_type;
    clr_host_kernel_fn run;
} clr_host_kernel;

extern const clr_host_kernel clr_host_kernels_conv[];        /* conv, fc, matmul, calib (int8) */
extern const clr_host_kernel clr_host_kernels_math[];        /* elementwise, activations, scale, softmax, norms, pool, interp */
extern const clr_host_kernel clr_host_kernels_tensor[];      /* shape manipulation, fill, cast, io_copy, layout */
extern const clr_host_kernel clr_host_kernels_detection[];   /* prior boxes, box_coder, nms, rnn */

/* The kernel for an op type, or NULL. */
const clr_host_kernel *clr_host_kernel_find(const char *op_type);

/* Calls `fn(name)` for every registered op type (for listings). */
void clr_host_kernel_each(void (*fn)(const char *op_type, void *user), void *user);

#endif
