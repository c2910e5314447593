/* clrun — the OpenCL runtime: one device, its context and in-order queue, and
 * the program cache that turns embedded kernel sources into cl_kernels.
 *
 * Every OpenCL call is checked; a failure becomes CLR_ERR_OPENCL with a line
 * naming the call and the CL error ("clCreateBuffer: CL_OUT_OF_RESOURCES
 * (-5)"), or CLR_ERR_BUILD with the head of the build log. Nothing here exits
 * or aborts. All other backend files include OpenCL through this header so
 * the target version is defined once.
 */
#ifndef CLRUN_BACKEND_OPENCL_CL_RUNTIME_H
#define CLRUN_BACKEND_OPENCL_CL_RUNTIME_H

/* OpenCL 1.2: the newest version every target GPU driver (Mali, Adreno,
 * PowerVR, PoCL) offers; newer headers would otherwise warn or expose 2.x API. */
#define CL_TARGET_OPENCL_VERSION 120
#include <CL/cl.h>

#include <stdbool.h>
#include <stddef.h>

#include "backend/opencl/device_profile.h"
#include "clrun/status.h"

/* Static name of an OpenCL error code ("CL_INVALID_VALUE"); "CL_UNKNOWN_ERROR"
 * for codes OpenCL 1.2 does not define. */
const char *clr_cl_error_name(cl_int code);

/* CLR_OK when rc is CL_SUCCESS, else CLR_ERR_OPENCL with "what: NAME (rc)". */
clr_status clr_cl_check(clr_error *err, cl_int rc, const char *what);

/* Runs `call` (an expression yielding cl_int); on failure stores the status in
 * the caller's `status` variable, fills `err` and jumps to the caller's `fail:`
 * label, where cleanup happens once. */
#define CLR_CL_TRY(err, call, what)                                      \
    do {                                                                 \
        cl_int clr_cl_rc_ = (call);                                      \
        if (clr_cl_rc_ != CL_SUCCESS) {                                  \
            status = clr_cl_check((err), clr_cl_rc_, (what));            \
            goto fail;                                                   \
        }                                                                \
    } while (0)

typedef struct clr_cl_options {
    /* "gpu" (first OpenCL device of any type), "gpu:N" (N-th device across
     * all platforms, in enumeration order) or "auto" (first device of type
     * GPU, else the first device). NULL means "auto". "cpu" (no OpenCL) is
     * the caller's business. */
    const char *device;
    /* Binary cache folder; NULL: $CLRUN_CACHE_DIR, else $XDG_CACHE_HOME/clrun,
     * else $HOME/.cache/clrun. */
    const char *cache_dir;
    bool no_cache;  /* no disk cache at all (memory cache only) */
    bool profiling; /* queue with CL_QUEUE_PROFILING_ENABLE (off: no cost) */
    /* Measure local sizes of launches the tuning file does not know yet
     * (needs profiling; see kernels/opencl/gpu_lws.h). */
    bool tune;
} clr_cl_options;

typedef struct clr_cl_device_info {
    char name[256];
    char vendor[256];
    char device_version[256]; /* "OpenCL 3.0 PoCL HSTR: ..." */
    char driver_version[256];
    char platform_name[256];
    char platform_version[256];
    cl_device_type type;
    cl_ulong global_mem_size;
    cl_ulong local_mem_size;
    cl_ulong max_alloc_size;
    size_t max_work_group_size;
    cl_uint compute_units;
    size_t image2d_max_width;
    size_t image2d_max_height;
    bool image_support;
    bool fp16; /* cl_khr_fp16 is listed in the device extensions */
} clr_cl_device_info;

typedef struct clr_cl_program_cache clr_cl_program_cache;
typedef struct clr_cl_tuning clr_cl_tuning;

typedef struct clr_cl {
    cl_platform_id platform;
    cl_device_id device;
    cl_context context;
    cl_command_queue queue; /* in-order */
    bool profiling;
    clr_cl_device_info info;
    clr_device_profile profile; /* matched from info */
    clr_cl_program_cache *programs;
    clr_cl_tuning *tuning; /* tuned local sizes (cl_tuning.h), beside the binaries */
    bool tune;             /* measuring launches the table lacks */
} clr_cl;

/* Opens the device picked by `opt` (NULL: defaults). CLR_ERR_UNSUPPORTED when
 * there is no such device or it predates OpenCL 1.2; CLR_ERR_ARG for a bad
 * device string; CLR_ERR_OPENCL when a call fails. *out is set on success. */
clr_status clr_cl_create(const clr_cl_options *opt, clr_cl **out, clr_error *err);
/* Releases everything; NULL is a no-op. */
void clr_cl_free(clr_cl *cl);

/* Kernel `kernel_name` of the embedded source `cl_file` (e.g.
 * "elementwise.cl"), built with "-cl-std=CL1.2 <build_options>" and
 * cl_kernels/common.h as the first source string. The kernel belongs to the
 * cache: do not release it, and set all its arguments before each enqueue
 * (it is shared by every caller asking for the same kernel). */
clr_status clr_cl_kernel(clr_cl *cl, const char *cl_file, const char *kernel_name, const char *build_options,
                         cl_kernel *out, clr_error *err);

/* A new cl_kernel object for the same kernel, owned by the caller (release
 * it with clReleaseKernel before clr_cl_free): its arguments are its own. */
clr_status clr_cl_kernel_create(clr_cl *cl, const char *cl_file, const char *kernel_name, const char *build_options,
                                cl_kernel *out, clr_error *err);

#endif /* CLRUN_BACKEND_OPENCL_CL_RUNTIME_H */
