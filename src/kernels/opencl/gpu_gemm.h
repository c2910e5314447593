/* clrun — the OpenCL batched matrix product of cl_kernels/gemm.cl, shared by
 * 1x1 convolutions (gpu_conv.c) and fc, mul, matmul, matmul_v2
 * (gpu_gemm.c). */
#ifndef CLRUN_KERNELS_OPENCL_GPU_GEMM_H
#define CLRUN_KERNELS_OPENCL_GPU_GEMM_H

#include <stdbool.h>

#include "kernels/opencl/gpu_common.h"
#include "kernels/opencl/gpu_registry.h"

/* C[b] = fuse(S[b], act(alpha * A[b] B[b] + bias)) with C, S dense [m][n]
 * per batch item; see cl_kernels/gemm.cl. */
typedef struct clr_gpu_gemm {
    cl_mem a, b, c, bias, s; /* bias, s: NULL when unused */
    int64_t m, n, k;
    int64_t a_rs, a_cs, b_rs, b_cs; /* element (i, j) of A is a[i * a_rs + j * a_cs] */
    int32_t nb;                     /* batch dims (at most 8) */
    int64_t bdims[8], a_bs[8], b_bs[8];
    float alpha;
    int bias_mode; /* 0 none, 1 per row, 2 per column */
    clr_act act;
    int fuse; /* clr_fuse_second's op, 0 none */
} clr_gpu_gemm;

clr_status clr_gpu_gemm_run(clr_gpu_node *n, const clr_gpu_gemm *g);

/* fc, mul, matmul and matmul_v2 entries of the conv family table. */
bool clr_gpu_supports_fc(const clr_op *op, const clr_program *prog, const clr_gpu_caps *caps, char *why,
                         size_t why_size);
clr_status clr_gpu_run_fc(clr_gpu_node *n);
bool clr_gpu_supports_matmul(const clr_op *op, const clr_program *prog, const clr_gpu_caps *caps, char *why,
                             size_t why_size);
clr_status clr_gpu_run_mul(clr_gpu_node *n);
clr_status clr_gpu_run_matmul(clr_gpu_node *n);
clr_status clr_gpu_run_matmul_v2(clr_gpu_node *n);

#endif
