/* clrun — the OpenCL kernel family tables that gpu_registry.c searches; each
 * ends with a {NULL, NULL, NULL} entry. */
#ifndef CLRUN_KERNELS_OPENCL_GPU_FAMILIES_H
#define CLRUN_KERNELS_OPENCL_GPU_FAMILIES_H

#include "kernels/opencl/gpu_registry.h"

extern const clr_gpu_kernel clr_gpu_kernels_elementwise[]; /* gpu_elementwise.c */
extern const clr_gpu_kernel clr_gpu_kernels_conv[];        /* conv, depthwise, transpose, fc, matmul */
extern const clr_gpu_kernel clr_gpu_kernels_tensor[];      /* pool, softmax, norms, shape ops, interp */
extern const clr_gpu_kernel clr_gpu_kernels_int8[];        /* calib (int8 conv, fc, matmul: via conv and gemm) */

#endif
