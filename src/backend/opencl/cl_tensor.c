/* clrun — device copies of tensors (see cl_tensor.h). */
#include "backend/opencl/cl_tensor.h"

#include "core/error.h"

clr_status clr_cl_tensor_reserve(clr_cl *cl, clr_tensor *t, clr_error *err) {
    size_t need = clr_tensor_nbytes(t);
    if (need == 0) need = 4; /* OpenCL refuses zero-size buffers */
    if (t->dev && t->dev_capacity >= need) return CLR_OK;
    clr_cl_tensor_release(t);
    cl_int rc = CL_SUCCESS;
    cl_mem m = clCreateBuffer(cl->context, CL_MEM_READ_WRITE, need, NULL, &rc);
    if (rc != CL_SUCCESS) return clr_cl_check(err, rc, "clCreateBuffer");
    t->dev = m;
    t->dev_capacity = need;
    return CLR_OK;
}

clr_status clr_cl_tensor_upload(clr_cl *cl, clr_tensor *t, clr_error *err) {
    clr_status st = clr_cl_tensor_reserve(cl, t, err);
    size_t n = clr_tensor_nbytes(t);
    if (st != CLR_OK || n == 0) return st;
    return clr_cl_check(err, clEnqueueWriteBuffer(cl->queue, clr_cl_mem(t), CL_TRUE, 0, n, t->data, 0, NULL, NULL),
                        "clEnqueueWriteBuffer (io_copy host to device)");
}

clr_status clr_cl_tensor_read(clr_cl *cl, const clr_tensor *t, void *dst, clr_error *err) {
    size_t n = clr_tensor_nbytes(t);
    if (n == 0) return CLR_OK;
    if (!t->dev) return clr_error_set(err, CLR_ERR_INTERNAL, "device to host: the value has no device copy");
    return clr_cl_check(err, clEnqueueReadBuffer(cl->queue, clr_cl_mem(t), CL_TRUE, 0, n, dst, 0, NULL, NULL),
                        "clEnqueueReadBuffer (device to host)");
}

clr_status clr_cl_tensor_download(clr_cl *cl, clr_tensor *t, clr_error *err) {
    clr_status st = clr_tensor_resize(t, t->dtype, t->ndims, t->dims, err);
    return st == CLR_OK ? clr_cl_tensor_read(cl, t, t->data, err) : st;
}

clr_status clr_cl_tensor_copy(clr_cl *cl, clr_tensor *dst, const clr_tensor *src, clr_error *err) {
    clr_status st = clr_tensor_set_shape(dst, src->dtype, src->ndims, src->dims, err);
    if (st == CLR_OK) st = clr_cl_tensor_reserve(cl, dst, err);
    size_t n = clr_tensor_nbytes(src);
    if (st != CLR_OK || n == 0) return st;
    return clr_cl_check(err, clEnqueueCopyBuffer(cl->queue, clr_cl_mem(src), clr_cl_mem(dst), 0, 0, n, 0, NULL, NULL),
                        "clEnqueueCopyBuffer");
}

void clr_cl_tensor_release(clr_tensor *t) {
    if (t->dev) clReleaseMemObject(clr_cl_mem(t));
    t->dev = NULL;
    t->dev_capacity = 0;
}
