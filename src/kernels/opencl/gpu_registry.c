/* clrun — GPU kernel look-up over the family tables (see gpu_families.h). */
#include "kernels/opencl/gpu_registry.h"

#include <string.h>

#include "kernels/opencl/gpu_families.h"

static const clr_gpu_kernel *const families[] = {
    clr_gpu_kernels_elementwise,
    clr_gpu_kernels_conv,
    clr_gpu_kernels_tensor,
    clr_gpu_kernels_int8,
};

const clr_gpu_kernel *clr_gpu_kernel_find(const char *op_type) {
    for (size_t f = 0; f < sizeof families / sizeof families[0]; f++)
        for (const clr_gpu_kernel *k = families[f]; k->op_type; k++)
            if (strcmp(k->op_type, op_type) == 0) return k;
    return NULL;
}

void clr_gpu_kernel_each(void (*fn)(const char *op_type, void *user), void *user) {
    for (size_t f = 0; f < sizeof families / sizeof families[0]; f++)
        for (const clr_gpu_kernel *k = families[f]; k->op_type; k++) fn(k->op_type, user);
}
