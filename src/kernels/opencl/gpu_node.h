/* clrun — what an OpenCL kernel sees of the op it runs: the same slots and
 * attribute readers as a host kernel (through `node`), plus the device.
 * Tensors carry their device copies in clr_tensor.dev; a GPU kernel reads
 * inputs' dev buffers, gives each output its shape with clr_gpu_output and
 * enqueues through clr_gpu_launch, the single place where kernels reach the
 * queue (and where profiling events are taken when profiling is on).
 *
 * Launch cost: the executor gives each op a clr_gpu_op_state that lives as
 * long as the session. Through it every op gets its own cl_kernel objects
 * (created on first use), so arguments persist between runs and
 * clr_gpu_arg calls clSetKernelArg only for a value that changed; a kernel
 * is found again by comparing (file, name, options), without the program
 * cache. A node without state (unit tests) uses the shared kernels and sets
 * every argument. */
#ifndef CLRUN_KERNELS_OPENCL_GPU_NODE_H
#define CLRUN_KERNELS_OPENCL_GPU_NODE_H

#include "backend/opencl/cl_runtime.h"
#include "backend/opencl/cl_tensor.h"
#include "runtime/node.h"

/* Where a launch's local size came from. */
typedef enum clr_lws_source {
    CLR_LWS_KERNEL, /* the kernel passed one */
    CLR_LWS_DRIVER, /* NULL to the driver */
    CLR_LWS_AUTO,   /* clrun's rule for lws NULL (gpu_lws.h) */
    CLR_LWS_TUNED,  /* the tuning file's winner */
    CLR_LWS_TUNING  /* a candidate being measured */
} clr_lws_source;

/* One enqueued kernel, recorded only when profiling. */
typedef struct clr_gpu_launch_record {
    int32_t op;
    const char *kernel; /* static name */
    cl_uint dims;
    size_t gws[3], lws[3]; /* lws 0: chosen by the driver */
    clr_lws_source lws_source;
    cl_event event;
} clr_gpu_launch_record;

typedef struct clr_gpu_trace {
    clr_gpu_launch_record *records;
    int32_t n, cap;
} clr_gpu_trace;

typedef struct clr_gpu_op_state clr_gpu_op_state; /* gpu_op_state.h */

struct clr_gpu_node {
    clr_node node;
    clr_cl *cl;
    clr_gpu_trace *trace;    /* NULL unless profiling */
    clr_gpu_op_state *state; /* NULL: shared kernels, every argument set */
};
typedef struct clr_gpu_node clr_gpu_node;

/* Sets an output's type and shape and makes room on the device. */
clr_status clr_gpu_output(clr_gpu_node *n, clr_tensor *t, int32_t dtype, int32_t ndims, const int64_t *dims);

/* Fetches (and on first use builds) kernel `name` of `cl_file`: the op's own
 * instance when the node has state. */
clr_status clr_gpu_get_kernel(clr_gpu_node *n, const char *cl_file, const char *name, const char *options, cl_kernel *k);

/* Sets kernel argument `index` (size bytes at value; value NULL for local
 * memory), naming the op on failure. Skipped when the op's instance already
 * holds that value. */
clr_status clr_gpu_arg(clr_gpu_node *n, cl_kernel k, cl_uint index, size_t size, const void *value);

/* Enqueues k over gws (rounded up to a multiple of lws when lws is given;
 * kernels guard their own bounds). For lws NULL the local size comes from
 * the tuning file, else from clrun's rule where the device profile enables
 * it, else from the driver; such a choice always divides gws, so the kernel
 * sees exactly the work-items it asked for. */
clr_status clr_gpu_launch(clr_gpu_node *n, cl_kernel k, const char *name, cl_uint dims, const size_t *gws,
                          const size_t *lws);

/* A 1-D launch over `count` work-items, rounded up to whole groups of `lws`
 * or of the tuning file's better group size: for kernels that guard their
 * bounds and do not depend on their group size. */
clr_status clr_gpu_launch_flexible(clr_gpu_node *n, cl_kernel k, const char *name, size_t count, size_t lws);

/* Frees the records' events and empties the trace. */
void clr_gpu_trace_clear(clr_gpu_trace *trace);

#endif
