/* roofline — CLBlast's SGEMM on the same shapes as clrun's GEMM, row-major,
 * C[M,N] = A[M,K] * B[K,N], on the caller's device and queue. */
#ifndef CLRUN_ROOFLINE_GEMM_CLBLAST_H
#define CLRUN_ROOFLINE_GEMM_CLBLAST_H

#include "backend/opencl/cl_runtime.h"
#include "shapes.h"

/* Median wall time from the call to a finished queue (CLBlast may launch
 * helper kernels besides the GEMM; its event covers only the last one, so
 * the wall clock is what covers them all). The first call builds CLBlast's
 * kernels and is part of the warm-up. CLR_ERR_OPENCL with CLBlast's status
 * (its codes 0..-63 are OpenCL's). */
clr_status roofline_time_clblast(const clr_cl *cl, const roofline_shape *s, int warmup, int repeats, double *out_s,
                                 clr_error *err);

/* Drops CLBlast's program cache (before the context goes). */
void roofline_clblast_release(void);

#endif
