/* clrun bench — measuring the roofs (see roof.h). */
#include "roof.h"

#include <stdio.h>
#include <string.h>

#include "backend/opencl/cl_sources.h"
#include "core/error.h"
#include "stats.h"

/* Generated from roof.cl by cl_kernels/embed_cl.cmake (bench/CMakeLists.txt). */
extern const clr_embedded_file clr_roof_sources[];
extern const size_t clr_roof_sources_count;

/* 1024 work-items per compute unit in work-groups of 64: work for every
 * core (a driver-chosen size may put them all in one group on PoCL). */
enum { FMA_CHAINS = 16, FMA_FLOPS_PER_ITER = FMA_CHAINS * 8 * 2, FMA_ITEMS_PER_CU = 1024, LOCAL = 64 };
enum { MAX_REPEATS = 10000 };

typedef struct roof_ctx {
    cl_command_queue queue;
    cl_program program;
    cl_kernel fma, copy;
    cl_mem out, src, dst;
} roof_ctx;

clr_status clr_roof_event_times(cl_event ev, double *start, double *end, clr_error *err) {
    cl_ulong a = 0, b = 0;
    clr_status st = clr_cl_check(err, clGetEventProfilingInfo(ev, CL_PROFILING_COMMAND_START, sizeof a, &a, NULL),
                                 "clGetEventProfilingInfo");
    if (st == CLR_OK)
        st = clr_cl_check(err, clGetEventProfilingInfo(ev, CL_PROFILING_COMMAND_END, sizeof b, &b, NULL),
                          "clGetEventProfilingInfo");
    *start = (double)a * 1e-9, *end = (double)b * 1e-9;
    return st;
}

static clr_status build(roof_ctx *c, cl_context context, cl_device_id device, clr_error *err) {
    const clr_embedded_file *f = clr_embedded_find(clr_roof_sources, clr_roof_sources_count, "roof.cl");
    if (!f) return clr_error_set(err, CLR_ERR_INTERNAL, "roof.cl is not embedded");
    cl_int rc;
    const char *text = f->data;
    c->program = clCreateProgramWithSource(context, 1, &text, &f->size, &rc);
    clr_status st = clr_cl_check(err, rc, "clCreateProgramWithSource(roof.cl)");
    if (st != CLR_OK) return st;
    char options[64];
    snprintf(options, sizeof options, "-cl-std=CL1.2 -DROOF_CHAINS=%d", FMA_CHAINS);
    if (clBuildProgram(c->program, 1, &device, options, NULL, NULL) != CL_SUCCESS) {
        char log[512] = "";
        clGetProgramBuildInfo(c->program, device, CL_PROGRAM_BUILD_LOG, sizeof log - 1, log, NULL);
        return clr_error_set(err, CLR_ERR_BUILD, "clBuildProgram(roof.cl): %.300s", log);
    }
    c->fma = clCreateKernel(c->program, "roof_fma", &rc);
    st = clr_cl_check(err, rc, "clCreateKernel(roof_fma)");
    if (st == CLR_OK) c->copy = clCreateKernel(c->program, "roof_copy", &rc);
    return st == CLR_OK ? clr_cl_check(err, rc, "clCreateKernel(roof_copy)") : st;
}

/* Device time of one launch of `kernel` over `global` work-items (a multiple of LOCAL). */
static clr_status launch(roof_ctx *c, cl_kernel kernel, size_t global, double *seconds, clr_error *err) {
    cl_event ev = NULL;
    size_t local = LOCAL;
    clr_status st = clr_cl_check(err, clEnqueueNDRangeKernel(c->queue, kernel, 1, NULL, &global, &local, 0, NULL, &ev),
                                 "clEnqueueNDRangeKernel(roof)");
    if (st == CLR_OK) st = clr_cl_check(err, clWaitForEvents(1, &ev), "clWaitForEvents(roof)");
    double start = 0, end = 0;
    if (st == CLR_OK) st = clr_roof_event_times(ev, &start, &end, err);
    if (ev) clReleaseEvent(ev);
    *seconds = end - start;
    return st;
}

/* Best device time over the repeats, after the warm-up launches. */
static clr_status best_time(roof_ctx *c, cl_kernel kernel, size_t global, const clr_roof_options *opt, double *best,
                            clr_error *err) {
    double t[MAX_REPEATS], ignored;
    clr_status st = CLR_OK;
    for (int i = 0; st == CLR_OK && i < opt->warmup; i++) st = launch(c, kernel, global, &ignored, err);
    for (int i = 0; st == CLR_OK && i < opt->repeats; i++) st = launch(c, kernel, global, &t[i], err);
    *best = clr_stats_of(t, opt->repeats).min;
    return st;
}

static clr_status measure_fma(roof_ctx *c, cl_context context, cl_device_id device, const clr_roof_options *opt,
                              clr_roof *out, clr_error *err) {
    cl_uint units = 1;
    clGetDeviceInfo(device, CL_DEVICE_MAX_COMPUTE_UNITS, sizeof units, &units, NULL);
    size_t global = (size_t)(units ? units : 1) * FMA_ITEMS_PER_CU;
    double per_iter = (double)global * FMA_FLOPS_PER_ITER;
    cl_int iters = (cl_int)(opt->fma_flops / per_iter) > 0 ? (cl_int)(opt->fma_flops / per_iter) : 1;
    cl_float m = 0.999f, add = 0.001f; /* a fixed point at 1: the values stay finite */
    cl_int rc;
    c->out = clCreateBuffer(context, CL_MEM_WRITE_ONLY, global * sizeof(cl_float), NULL, &rc);
    clr_status st = clr_cl_check(err, rc, "clCreateBuffer(roof_fma)");
    if (st != CLR_OK) return st;
    rc = clSetKernelArg(c->fma, 0, sizeof c->out, &c->out);
    if (rc == CL_SUCCESS) rc = clSetKernelArg(c->fma, 1, sizeof m, &m);
    if (rc == CL_SUCCESS) rc = clSetKernelArg(c->fma, 2, sizeof add, &add);
    if (rc == CL_SUCCESS) rc = clSetKernelArg(c->fma, 3, sizeof iters, &iters);
    st = clr_cl_check(err, rc, "clSetKernelArg(roof_fma)");
    if (st == CLR_OK) st = best_time(c, c->fma, global, opt, &out->fma_s, err);
    out->gflops = out->fma_s > 0 ? per_iter * iters / out->fma_s * 1e-9 : 0;
    return st;
}

static clr_status measure_copy(roof_ctx *c, cl_context context, cl_device_id device, const clr_roof_options *opt,
                               clr_roof *out, clr_error *err) {
    cl_ulong max_alloc = 0;
    clGetDeviceInfo(device, CL_DEVICE_MAX_MEM_ALLOC_SIZE, sizeof max_alloc, &max_alloc, NULL);
    size_t bytes = opt->copy_bytes;
    while (max_alloc && bytes > max_alloc) bytes /= 2; /* a GPU may cap one buffer at a quarter of its memory */
    bytes -= bytes % (16 * LOCAL);
    out->copy_bytes = bytes;
    cl_int rc;
    c->src = clCreateBuffer(context, CL_MEM_READ_ONLY, bytes, NULL, &rc);
    clr_status st = clr_cl_check(err, rc, "clCreateBuffer(roof_copy)");
    if (st == CLR_OK) c->dst = clCreateBuffer(context, CL_MEM_WRITE_ONLY, bytes, NULL, &rc);
    if (st == CLR_OK) st = clr_cl_check(err, rc, "clCreateBuffer(roof_copy)");
    if (st != CLR_OK) return st;
    /* Contents do not matter; the warm-up launches take the page faults of first touch. */
    rc = clSetKernelArg(c->copy, 0, sizeof c->src, &c->src);
    if (rc == CL_SUCCESS) rc = clSetKernelArg(c->copy, 1, sizeof c->dst, &c->dst);
    st = clr_cl_check(err, rc, "roof_copy set-up");
    if (st == CLR_OK) st = best_time(c, c->copy, bytes / 16, opt, &out->copy_s, err);
    out->gbps = out->copy_s > 0 ? 2.0 * (double)bytes / out->copy_s * 1e-9 : 0;
    return st;
}

static void release(roof_ctx *c) {
    if (c->out) clReleaseMemObject(c->out);
    if (c->src) clReleaseMemObject(c->src);
    if (c->dst) clReleaseMemObject(c->dst);
    if (c->fma) clReleaseKernel(c->fma);
    if (c->copy) clReleaseKernel(c->copy);
    if (c->program) clReleaseProgram(c->program);
    if (c->queue) clReleaseCommandQueue(c->queue);
}

clr_status clr_roof_measure(cl_context context, cl_device_id device, const clr_roof_options *opt, clr_roof *out,
                            clr_error *err) {
    if (opt->repeats < 1 || opt->repeats > MAX_REPEATS || opt->warmup < 1 || !(opt->fma_flops > 0) ||
        opt->copy_bytes < 16 * LOCAL)
        return clr_error_set(err, CLR_ERR_ARG, "roof: repeats 1..%d, warm-up >= 1, FLOPs > 0, copy >= %d bytes",
                             MAX_REPEATS, 16 * LOCAL);
    roof_ctx c = {0};
    clr_roof r = {0};
    cl_int rc;
    c.queue = clCreateCommandQueue(context, device, CL_QUEUE_PROFILING_ENABLE, &rc);
    clr_status st = clr_cl_check(err, rc, "clCreateCommandQueue(roof)");
    if (st == CLR_OK) st = build(&c, context, device, err);
    if (st == CLR_OK) st = measure_fma(&c, context, device, opt, &r, err);
    if (st == CLR_OK) st = measure_copy(&c, context, device, opt, &r, err);
    release(&c);
    if (st == CLR_OK) *out = r;
    return st;
}
