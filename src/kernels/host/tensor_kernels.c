/* PLACEHOLDER: the tensor kernel family table. */
#include "kernels/host/registry.h"
const clr_host_kernel clr_host_kernels_tensor[] = {{NULL, NULL}};
