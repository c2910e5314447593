/* clrun — helpers shared by the OpenCL kernel families: support checks on
 * declared types, activation parameters in the layout cl_kernels/common.h
 * expects, and 1-D launches. */
#ifndef CLRUN_KERNELS_OPENCL_GPU_COMMON_H
#define CLRUN_KERNELS_OPENCL_GPU_COMMON_H

#include <stdbool.h>
#include <stddef.h>

#include "kernels/host/activation.h"
#include "kernels/opencl/gpu_node.h"

/* Mirrors `clr_act_params` in cl_kernels/common.h, field for field. */
typedef struct clr_cl_act {
    cl_int kind;
    cl_float threshold, alpha, slope, offset, scale, beta;
    cl_int approximate;
} clr_cl_act;

clr_cl_act clr_cl_act_from(const clr_act *act);

/* The element type declared for the variables bound to input slot `param`:
 * the first that is not FP32, else FP32 (also when the format declares none). */
int32_t clr_gpu_declared_dtype(const clr_op *op, const clr_program *prog, const char *param);

/* false (with a reason) when a variable bound to input slot `param` is
 * declared with an element type other than FP32. Only the flatbuffers
 * formats declare types reliably; for the others the kernel checks at run
 * time and declines with CLR_ERR_UNSUPPORTED. */
bool clr_gpu_declared_f32(const clr_op *op, const clr_program *prog, const char *param, char *why, size_t why_size);

/* CLR_ERR_UNSUPPORTED (a run-time fallback) unless t is FP32 and small
 * enough for 32-bit indexing. */
clr_status clr_gpu_require_f32(clr_gpu_node *n, const char *what, const clr_tensor *t);
/* The same for element type `dtype` (a CLR_DTYPE_* value). */
clr_status clr_gpu_require_dtype(clr_gpu_node *n, const char *what, const clr_tensor *t, int32_t dtype);

/* Build options that fix the fused activation kind and elementwise op
 * (CLR_ACT_KIND, CLR_FUSE_OP in cl_kernels/common.h) so the kernel's
 * epilogue needs no run-time switch; `extra` is appended (may be ""). */
void clr_gpu_spec_options(char *buf, size_t size, const clr_act *act, int fuse, const char *extra);

/* Launches a 1-D kernel over `count` work-items in groups of 64, or of the
 * size tuning chose (clr_gpu_launch_flexible): the kernel guards its bounds
 * and must not depend on its group size (no __local memory, no barriers). */
clr_status clr_gpu_launch_1d(clr_gpu_node *n, cl_kernel k, const char *name, size_t count);

#endif
