/* clrun — a tensor's device copy: reserving, uploading, downloading and
 * releasing the cl_mem behind clr_tensor.dev. Transfers are the explicit
 * io_copy of a plan; both directions block until done, so the host memory
 * involved is free to change afterwards. */
#ifndef CLRUN_BACKEND_OPENCL_CL_TENSOR_H
#define CLRUN_BACKEND_OPENCL_CL_TENSOR_H

#include "backend/opencl/cl_runtime.h"
#include "runtime/tensor.h"

/* Ensures t->dev holds at least clr_tensor_nbytes(t) bytes (contents are
 * undefined after growth). */
clr_status clr_cl_tensor_reserve(clr_cl *cl, clr_tensor *t, clr_error *err);
/* Host value → device (blocking). */
clr_status clr_cl_tensor_upload(clr_cl *cl, clr_tensor *t, clr_error *err);
/* Device value → host (resizes host memory; blocking). */
clr_status clr_cl_tensor_download(clr_cl *cl, clr_tensor *t, clr_error *err);
/* Device value → clr_tensor_nbytes(t) bytes at dst, leaving t as it is (blocking). */
clr_status clr_cl_tensor_read(clr_cl *cl, const clr_tensor *t, void *dst, clr_error *err);
/* Device → device copy of the value, giving dst src's shape. */
clr_status clr_cl_tensor_copy(clr_cl *cl, clr_tensor *dst, const clr_tensor *src, clr_error *err);
/* Releases the device copy; NULL-safe and idempotent. */
void clr_cl_tensor_release(clr_tensor *t);

static inline cl_mem clr_cl_mem(const clr_tensor *t) { return (cl_mem)t->dev; }

#endif
