/* clrun — the OpenCL int8 kernels (cl_kernels/int8.cl): conv2d and
 * depthwise_conv2d (gpu_int8_conv.c), fc and matmul (gpu_int8_gemm.c) and
 * calib (gpu_quant.c). Each gives the bytes of its host kernel: the host's
 * clr_post (scales folded per ARM kernel, conv_common.h) is prepared on the
 * host and its per-channel values uploaded with every run, so the device
 * only sums int32 and applies the same float operations. gpu_conv.c and
 * gpu_gemm.c hand their int8 ops over to the entry points below. */
#ifndef CLRUN_KERNELS_OPENCL_GPU_INT8_H
#define CLRUN_KERNELS_OPENCL_GPU_INT8_H

#include <stdbool.h>
#include <stddef.h>

#include "kernels/host/conv_common.h"
#include "kernels/opencl/gpu_common.h"

/* How int8.cl's epilogue combines acc, scale and bias (Q_EPI). */
typedef enum clr_gpu_q_form { CLR_GPU_Q_SCALE = 0, CLR_GPU_Q_MUL_ADD = 1, CLR_GPU_Q_FMA = 2 } clr_gpu_q_form;

/* The epilogue's arguments: scales [channels] then biases [channels] in one
 * device buffer (owned), the activation and the build options. */
typedef struct clr_gpu_q_epi {
    cl_mem sb;
    clr_cl_act act;
    cl_float hs_recip, requant;
    char options[192];
} clr_gpu_q_epi;

/* Uploads p's scales and biases (p->scale, p->qbias; zero biases when none)
 * and fixes the options; `extra` is appended to them. */
clr_status clr_gpu_q_epi_init(clr_gpu_node *n, const clr_post *p, clr_gpu_q_form form, const char *extra,
                              clr_gpu_q_epi *e);
/* Sets sb at argument `sb_index` and act, hs_recip, requant from `act_index` on. */
clr_status clr_gpu_q_epi_args(clr_gpu_node *n, cl_kernel k, cl_uint sb_index, cl_uint act_index,
                              const clr_gpu_q_epi *e);
void clr_gpu_q_epi_release(clr_gpu_q_epi *e);

/* true when the op is an int8 kernel (enable_int8, or an int8 input `x` or
 * weight `w` declared), as the host kernels decide. */
bool clr_gpu_int8_declared(const clr_op *op, const clr_program *prog, const char *x, const char *w);
/* false (with a reason) unless the int8 epilogue has the op's fused
 * activation (conv-style with_act/act_type, or fc-style activation_type)
 * and its Bias is declared FP32. */
bool clr_gpu_int8_epilogue_ok(const clr_op *op, const clr_program *prog, bool fc_style, char *why, size_t why_size);
/* CLR_ERR_UNSUPPORTED (the host kernel runs and reports) unless t is INT8
 * and small enough for 32-bit indexing. */
static inline clr_status clr_gpu_require_s8(clr_gpu_node *n, const char *what, const clr_tensor *t) {
    return clr_gpu_require_dtype(n, what, t, CLR_DTYPE_INT8);
}

/* conv2d / depthwise_conv2d with an int8 kernel. */
bool clr_gpu_supports_conv_int8(const clr_op *op, const clr_program *prog, char *why, size_t why_size);
clr_status clr_gpu_run_conv_int8(clr_gpu_node *n);
/* fc (placement: clr_gpu_int8_epilogue_ok) and matmul / matmul_v2 (every
 * int8 one: shapes and scales are checked at run time) with an int8 kernel. */
clr_status clr_gpu_run_fc_int8(clr_gpu_node *n);
clr_status clr_gpu_run_matmul_int8(clr_gpu_node *n, bool tx, bool ty, float alpha);

#endif
