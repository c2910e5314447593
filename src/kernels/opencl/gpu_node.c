/* clrun — GPU kernel helpers (see gpu_node.h). */
#include "kernels/opencl/gpu_node.h"

#include <stdlib.h>

#include "core/alloc.h"
#include "core/error.h"

clr_status clr_gpu_output(clr_gpu_node *n, clr_tensor *t, int32_t dtype, int32_t ndims, const int64_t *dims) {
    clr_status st = clr_tensor_set_shape(t, dtype, ndims, dims, n->node.err);
    if (st == CLR_OK) st = clr_cl_tensor_reserve(n->cl, t, n->node.err);
    return st == CLR_OK ? st : clr_error_prefix(n->node.err, st, "op %d (%s)", n->node.index, n->node.op->type);
}

clr_status clr_gpu_get_kernel(clr_gpu_node *n, const char *cl_file, const char *name, const char *options, cl_kernel *k) {
    clr_status st = clr_cl_kernel(n->cl, cl_file, name, options, k, n->node.err);
    return st == CLR_OK ? st : clr_error_prefix(n->node.err, st, "op %d (%s)", n->node.index, n->node.op->type);
}

clr_status clr_gpu_arg(clr_gpu_node *n, cl_kernel k, cl_uint index, size_t size, const void *value) {
    cl_int rc = clSetKernelArg(k, index, size, value);
    if (rc == CL_SUCCESS) return CLR_OK;
    clr_cl_check(n->node.err, rc, "clSetKernelArg");
    return clr_error_prefix(n->node.err, CLR_ERR_OPENCL, "op %d (%s) argument %u", n->node.index, n->node.op->type,
                            index);
}

static clr_status record(clr_gpu_node *n, const char *name, cl_uint dims, const size_t *gws, const size_t *lws,
                         cl_event ev) {
    clr_gpu_trace *t = n->trace;
    if (t->n == t->cap) {
        int32_t cap = t->cap ? t->cap * 2 : 256;
        clr_gpu_launch_record *r = clr_realloc(t->records, (size_t)cap * sizeof *r);
        if (!r) {
            clReleaseEvent(ev);
            return clr_error_set(n->node.err, CLR_ERR_NOMEM, "out of memory recording kernel launches");
        }
        t->records = r;
        t->cap = cap;
    }
    clr_gpu_launch_record *r = &t->records[t->n++];
    *r = (clr_gpu_launch_record){.op = n->node.index, .kernel = name, .dims = dims, .event = ev};
    for (cl_uint d = 0; d < dims && d < 3; d++) r->gws[d] = gws[d], r->lws[d] = lws ? lws[d] : 0;
    return CLR_OK;
}

clr_status clr_gpu_launch(clr_gpu_node *n, cl_kernel k, const char *name, cl_uint dims, const size_t *gws,
                          const size_t *lws) {
    size_t g[3];
    for (cl_uint d = 0; d < dims; d++) {
        g[d] = gws[d] ? gws[d] : 1;
        if (lws && lws[d]) g[d] = (g[d] + lws[d] - 1) / lws[d] * lws[d];
    }
    cl_event ev = NULL;
    cl_int rc = clEnqueueNDRangeKernel(n->cl->queue, k, dims, NULL, g, lws, 0, NULL, n->trace ? &ev : NULL);
    if (rc != CL_SUCCESS) {
        clr_cl_check(n->node.err, rc, "clEnqueueNDRangeKernel");
        return clr_error_prefix(n->node.err, CLR_ERR_OPENCL, "op %d (%s) kernel %s", n->node.index, n->node.op->type,
                                name);
    }
    return n->trace ? record(n, name, dims, g, lws, ev) : CLR_OK;
}

void clr_gpu_trace_clear(clr_gpu_trace *trace) {
    for (int32_t i = 0; i < trace->n; i++)
        if (trace->records[i].event) clReleaseEvent(trace->records[i].event);
    trace->n = 0;
}
