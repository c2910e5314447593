/* roofline — CLBlast's SGEMM (see gemm_clblast.h). */
#include "gemm_clblast.h"

#include <clblast_c.h>
#include <stdlib.h>
#include <time.h>

#include "core/error.h"
#include "stats.h"

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* A device buffer of n floats, filled with a small pattern. */
static cl_mem matrix(const clr_cl *cl, size_t n, clr_status *st, clr_error *err) {
    if (*st != CLR_OK) return NULL;
    float *host = malloc(sizeof(float) * n);
    if (!host) {
        *st = clr_error_set(err, CLR_ERR_NOMEM, "out of memory for a %zu-float matrix", n);
        return NULL;
    }
    for (size_t i = 0; i < n; i++) host[i] = (float)(i % 17) * 0.0625f - 0.5f;
    cl_int rc;
    cl_mem m = clCreateBuffer(cl->context, CL_MEM_READ_WRITE | CL_MEM_COPY_HOST_PTR, sizeof(float) * n, host, &rc);
    free(host);
    *st = clr_cl_check(err, rc, "clCreateBuffer(CLBlast matrix)");
    return m;
}

static clr_status sgemm(const clr_cl *cl, const roofline_shape *s, cl_mem a, cl_mem b, cl_mem c, double *seconds,
                        clr_error *err) {
    size_t m = (size_t)s->m, n = (size_t)roofline_n(s), k = (size_t)s->k;
    cl_command_queue queue = cl->queue;
    cl_event ev = NULL;
    double t0 = now_s();
    CLBlastStatusCode code = CLBlastSgemm(CLBlastLayoutRowMajor, CLBlastTransposeNo, CLBlastTransposeNo, m, n, k, 1.0f,
                                          a, 0, k, b, 0, n, 0.0f, c, 0, n, &queue, &ev);
    clr_status st = code == CLBlastSuccess
                        ? clr_cl_check(err, clFinish(queue), "clFinish(CLBlast)")
                        : clr_error_set(err, CLR_ERR_OPENCL, "CLBlastSgemm(%zu, %zu, %zu): status %d", m, n, k, (int)code);
    *seconds = now_s() - t0;
    if (ev) clReleaseEvent(ev);
    return st;
}

clr_status roofline_time_clblast(const clr_cl *cl, const roofline_shape *s, int warmup, int repeats, double *out_s,
                                 clr_error *err) {
    if (repeats < 1 || repeats > 10000 || warmup < 0) return clr_error_set(err, CLR_ERR_ARG, "repeats 1..10000");
    clr_status st = CLR_OK;
    size_t n = (size_t)roofline_n(s);
    cl_mem a = matrix(cl, (size_t)(s->m * s->k), &st, err), b = matrix(cl, (size_t)s->k * n, &st, err);
    cl_mem c = matrix(cl, (size_t)s->m * n, &st, err);
    double *t = calloc((size_t)repeats, sizeof *t), ignored;
    if (st == CLR_OK && !t) st = clr_error_set(err, CLR_ERR_NOMEM, "out of memory");
    for (int i = 0; st == CLR_OK && i < warmup + 1; i++) st = sgemm(cl, s, a, b, c, &ignored, err);
    for (int i = 0; st == CLR_OK && i < repeats; i++) st = sgemm(cl, s, a, b, c, &t[i], err);
    if (st == CLR_OK) *out_s = clr_stats_of(t, repeats).median;
    free(t);
    if (a) clReleaseMemObject(a);
    if (b) clReleaseMemObject(b);
    if (c) clReleaseMemObject(c);
    return st == CLR_OK ? st : clr_error_prefix(err, st, "CLBlast %s", s->name);
}

void roofline_clblast_release(void) { CLBlastClearCache(); }
