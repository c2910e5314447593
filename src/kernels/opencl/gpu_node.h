/* clrun — what an OpenCL kernel sees of the op it runs: the same slots and
 * attribute readers as a host kernel (through `node`), plus the device.
 * Tensors carry their device copies in clr_tensor.dev; a GPU kernel reads
 * inputs' dev buffers, gives each output its shape with clr_gpu_output and
 * enqueues through clr_gpu_launch, the single place where kernels reach the
 * queue (and where profiling events are taken when profiling is on). */
#ifndef CLRUN_KERNELS_OPENCL_GPU_NODE_H
#define CLRUN_KERNELS_OPENCL_GPU_NODE_H

#include "backend/opencl/cl_runtime.h"
#include "backend/opencl/cl_tensor.h"
#include "runtime/node.h"

/* One enqueued kernel, recorded only when profiling. */
typedef struct clr_gpu_launch_record {
    int32_t op;
    const char *kernel; /* static name */
    cl_uint dims;
    size_t gws[3], lws[3]; /* lws 0: chosen by the driver */
    cl_event event;
} clr_gpu_launch_record;

typedef struct clr_gpu_trace {
    clr_gpu_launch_record *records;
    int32_t n, cap;
} clr_gpu_trace;

struct clr_gpu_node {
    clr_node node;
    clr_cl *cl;
    clr_gpu_trace *trace; /* NULL unless profiling */
};
typedef struct clr_gpu_node clr_gpu_node;

/* Sets an output's type and shape and makes room on the device. */
clr_status clr_gpu_output(clr_gpu_node *n, clr_tensor *t, int32_t dtype, int32_t ndims, const int64_t *dims);

/* Fetches (and on first use builds) kernel `name` of `cl_file`. */
clr_status clr_gpu_get_kernel(clr_gpu_node *n, const char *cl_file, const char *name, const char *options, cl_kernel *k);

/* Sets kernel argument `index` (size bytes at value), naming the op on failure. */
clr_status clr_gpu_arg(clr_gpu_node *n, cl_kernel k, cl_uint index, size_t size, const void *value);

/* Enqueues k over gws (rounded up to a multiple of lws when lws is given;
 * kernels guard their own bounds). */
clr_status clr_gpu_launch(clr_gpu_node *n, cl_kernel k, const char *name, cl_uint dims, const size_t *gws,
                          const size_t *lws);

/* Frees the records' events and empties the trace. */
void clr_gpu_trace_clear(clr_gpu_trace *trace);

#endif
