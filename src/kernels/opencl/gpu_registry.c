/* clrun — GPU kernel look-up (see gpu_registry.h). The table grows as OpenCL
 * kernels are added. */
#include "kernels/opencl/gpu_registry.h"

#include <string.h>

static const clr_gpu_kernel kernels[] = {{NULL, NULL, NULL}};

const clr_gpu_kernel *clr_gpu_kernel_find(const char *op_type) {
    for (const clr_gpu_kernel *k = kernels; k->op_type; k++)
        if (strcmp(k->op_type, op_type) == 0) return k;
    return NULL;
}
