/* roofline — clrun's GEMM (see gemm_clrun.h). */
#include "gemm_clrun.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "api/session_internal.h"
#include "core/error.h"
#include "kernels/opencl/gpu_node.h"
#include "model/program_builder.h"
#include "roof.h"
#include "stats.h"

enum { GEMM_OP = 1 }; /* feed, the GEMM op, fetch */

/* Fixed-seed uniform values in [-1, 1): the same model on every run. */
static float *random_floats(int64_t n, uint32_t seed) {
    float *v = malloc(sizeof(float) * (size_t)n);
    for (int64_t i = 0; v && i < n; i++) {
        seed = seed * 1664525u + 1013904223u;
        v[i] = (float)(seed >> 8) / 16777216.0f * 2.0f - 1.0f;
    }
    return v;
}

static void slot(clr_builder *b, bool input, const char *param, const char *var) {
    if (input) clr_builder_op_input(b, param, 1, &var);
    else clr_builder_op_output(b, param, 1, &var);
}

static void ints2(clr_builder *b, const char *name, int32_t v) {
    clr_builder_attr_ints(b, name, 2, (const int32_t[]){v, v});
}

/* feed x → conv2d 1x1 (Filter w [M,K,1,1]) or fc (W w [K,M]) → y → fetch. */
static clr_status build(const roofline_shape *s, const float *w, clr_program **out, clr_error *err) {
    clr_builder *b = clr_builder_create("roofline");
    if (!b) return clr_error_set(err, CLR_ERR_NOMEM, "out of memory");
    int64_t xdims[4] = {1, s->k, s->h, s->w}, ydims[4] = {1, s->m, s->h, s->w};
    int64_t conv_w[4] = {s->m, s->k, 1, 1}, fc_w[2] = {s->k, s->m};
    int32_t nd = s->fc ? 2 : 4;
    const int64_t *wdims = s->fc ? fc_w : conv_w;
    clr_builder_var_typed(b, "feed", CLR_VARTYPE_FEED_MINIBATCH, CLR_DTYPE_BOOL, 0, NULL, true);
    clr_builder_var_typed(b, "fetch", CLR_VARTYPE_FETCH_LIST, CLR_DTYPE_BOOL, 0, NULL, true);
    clr_builder_var(b, "x", CLR_DTYPE_FP32, nd, xdims, false);
    clr_builder_var(b, "y", CLR_DTYPE_FP32, nd, ydims, false);
    clr_builder_var(b, "w", CLR_DTYPE_FP32, nd, wdims, true);
    clr_builder_param(b, "w", CLR_DTYPE_FP32, nd, wdims, w, (uint64_t)(s->m * s->k) * sizeof(float));
    clr_builder_op(b, "feed");
    slot(b, true, "X", "feed"), slot(b, false, "Out", "x");
    clr_builder_attr_int(b, "col", 0);
    clr_builder_op(b, s->fc ? "fc" : "conv2d");
    slot(b, true, "Input", "x"), slot(b, true, s->fc ? "W" : "Filter", "w");
    slot(b, false, s->fc ? "Out" : "Output", "y");
    if (s->fc) {
        clr_builder_attr_int(b, "in_num_col_dims", 1);
    } else {
        ints2(b, "strides", 1), ints2(b, "paddings", 0), ints2(b, "dilations", 1);
        clr_builder_attr_int(b, "groups", 1);
    }
    clr_builder_op(b, "fetch");
    slot(b, true, "X", "y"), slot(b, false, "Out", "fetch");
    clr_builder_attr_int(b, "col", 0);
    return clr_builder_finish(b, out, err);
}

/* Written with clrun's .nb writer to a temporary file and loaded back. */
static clr_status make_model(const roofline_shape *s, clr_model **out, clr_error *err) {
    float *w = random_floats(s->m * s->k, 20261203u);
    if (!w) return clr_error_set(err, CLR_ERR_NOMEM, "out of memory for %lldx%lld weights", (long long)s->m,
                                 (long long)s->k);
    clr_program *prog = NULL;
    clr_status st = build(s, w, &prog, err);
    free(w);
    const char *tmp = getenv("TMPDIR");
    char path[512];
    snprintf(path, sizeof path, "%s/roofline-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    int fd = st == CLR_OK ? mkstemp(path) : -1;
    if (st == CLR_OK && fd < 0) st = clr_error_set(err, CLR_ERR_IO, "cannot create a temporary file in %s", path);
    if (fd >= 0) close(fd);
    if (st == CLR_OK) st = clr_program_save(prog, path, 2, err);
    if (st == CLR_OK) st = clr_model_load(path, out, err);
    if (fd >= 0) unlink(path);
    clr_program_free(prog);
    return st;
}

typedef struct step_watch {
    int32_t step;
    double seconds;
} step_watch;

static void observe(void *user, int32_t step, double seconds) {
    step_watch *w = user;
    if (step == w->step) w->seconds = seconds;
}

/* Device time of the GEMM op's kernels in the last run. */
static clr_status kernel_time(clr_exec *exec, double *out, clr_error *err) {
    const clr_gpu_trace *t = clr_exec_trace(exec);
    *out = 0;
    for (int32_t i = 0; i < t->n; i++) {
        double start, end;
        if (t->records[i].op != GEMM_OP || !t->records[i].event) continue;
        clr_status st = clr_roof_event_times(t->records[i].event, &start, &end, err);
        if (st != CLR_OK) return st;
        *out += end - start;
    }
    return *out > 0 ? CLR_OK : clr_error_set(err, CLR_ERR_INTERNAL, "the GEMM op launched no OpenCL kernel");
}

static clr_status find_step(clr_exec *exec, step_watch *w, clr_error *err) {
    const clr_plan *plan = clr_exec_plan(exec);
    for (int32_t s = 0; s < plan->nsteps; s++) {
        const clr_plan_step *p = &plan->steps[s];
        if (p->kind != CLR_STEP_OP || p->op != GEMM_OP) continue;
        w->step = s;
        if (p->place == CLR_PLACE_GPU) return CLR_OK;
        return clr_error_set(err, CLR_ERR_UNSUPPORTED, "clrun runs this GEMM on the CPU: %s", p->why_host);
    }
    return clr_error_set(err, CLR_ERR_INTERNAL, "no plan step for the GEMM op");
}

static clr_status run_timed(clr_session *session, const roofline_shape *s, int warmup, int repeats,
                            roofline_clrun_time *out, clr_error *err) {
    int64_t n = s->k * s->h * s->w, dims[4] = {1, s->k, s->h, s->w};
    float *x = random_floats(n, 7u);
    double *kernel = calloc((size_t)repeats, sizeof *kernel), *step = calloc((size_t)repeats, sizeof *step);
    clr_status st = x && kernel && step ? CLR_OK : clr_error_set(err, CLR_ERR_NOMEM, "out of memory");
    if (st == CLR_OK) st = clr_session_set_input(session, 0, CLR_DTYPE_FP32, s->fc ? 2 : 4, dims, x, err);
    clr_exec *exec = clr_session_exec(session);
    step_watch w = {0};
    if (st == CLR_OK) st = find_step(exec, &w, err);
    if (st == CLR_OK) clr_exec_set_observer(exec, observe, &w);
    for (int i = 0; st == CLR_OK && i < warmup + 1; i++) st = clr_session_run(session, err);
    for (int i = 0; st == CLR_OK && i < repeats; i++) {
        st = clr_session_run(session, err);
        if (st == CLR_OK) st = kernel_time(exec, &kernel[i], err);
        step[i] = w.seconds;
    }
    clr_exec_set_observer(exec, NULL, NULL);
    if (st == CLR_OK)
        *out = (roofline_clrun_time){.kernel_s = clr_stats_of(kernel, repeats).median,
                                     .step_s = clr_stats_of(step, repeats).median};
    free(x), free(kernel), free(step);
    return st;
}

clr_status roofline_time_clrun(const roofline_shape *s, const char *device, int warmup, int repeats,
                               roofline_clrun_time *out, clr_error *err) {
    if (repeats < 1 || repeats > 10000 || warmup < 0) return clr_error_set(err, CLR_ERR_ARG, "repeats 1..10000");
    clr_model *model = NULL;
    clr_session *session = NULL;
    clr_status st = make_model(s, &model, err);
    clr_session_options so = {.device = device, .placement = "gpu", .strict = true, .profiling = true};
    if (st == CLR_OK) st = clr_session_create_with(model, &so, &session, err);
    if (st == CLR_OK) st = run_timed(session, s, warmup, repeats, out, err);
    clr_session_free(session);
    clr_model_free(model);
    return st == CLR_OK ? st : clr_error_prefix(err, st, "clrun %s", s->name);
}
