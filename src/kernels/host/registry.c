/* clrun — host kernel look-up (see registry.h). */
#include "kernels/host/registry.h"

#include <string.h>

static const clr_host_kernel *const families[] = {
    clr_host_kernels_conv,
    clr_host_kernels_math,
    clr_host_kernels_tensor,
    clr_host_kernels_detection,
};

const clr_host_kernel *clr_host_kernel_find(const char *op_type) {
    for (size_t f = 0; f < sizeof families / sizeof families[0]; f++)
        for (const clr_host_kernel *k = families[f]; k->op_type; k++)
            if (strcmp(k->op_type, op_type) == 0) return k;
    return NULL;
}

void clr_host_kernel_each(void (*fn)(const char *op_type, void *user), void *user) {
    for (size_t f = 0; f < sizeof families / sizeof families[0]; f++)
        for (const clr_host_kernel *k = families[f]; k->op_type; k++) fn(k->op_type, user);
}
