/* clrun — the GPU (OpenCL) kernel registry: which ops the GPU can run.
 *
 * Each entry answers `supports` statically (attributes, stored parameter
 * types, device capabilities) so the scheduler can decide placement before
 * anything runs — also for a device described only by a profile
 * (clrun --check --profile). Ops without an entry run on the host.
 */
#ifndef CLRUN_KERNELS_OPENCL_GPU_REGISTRY_H
#define CLRUN_KERNELS_OPENCL_GPU_REGISTRY_H

#include <stdbool.h>
#include <stddef.h>

#include "clrun/program.h"
#include "graph/plan.h"

typedef struct clr_gpu_node clr_gpu_node;

typedef struct clr_gpu_kernel {
    const char *op_type;
    /* true when the GPU can run `op`; otherwise writes a short reason. */
    bool (*supports)(const clr_op *op, const clr_program *prog, const clr_gpu_caps *caps, char *why, size_t why_size);
    clr_status (*run)(clr_gpu_node *n);
} clr_gpu_kernel;

/* The entry for an op type, or NULL. */
const clr_gpu_kernel *clr_gpu_kernel_find(const char *op_type);

/* Calls `fn(op_type)` for every op type with a GPU kernel (for listings). */
void clr_gpu_kernel_each(void (*fn)(const char *op_type, void *user), void *user);

#endif
