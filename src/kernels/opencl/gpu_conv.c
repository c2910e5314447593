/* PLACEHOLDER: the OpenCL conv family table. */
#include "kernels/opencl/gpu_families.h"
const clr_gpu_kernel clr_gpu_kernels_conv[] = {{NULL, NULL, NULL}};
