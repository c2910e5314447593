/* cltime — the measurement (see measure.h). */
#include "measure.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "core/alloc.h"
#include "core/error.h"
#include "describe.h"
#include "gpu_events.h"
#include "inputs.h"

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* What the executor's observer writes into: the current run's steps. */
typedef struct observer_ctx {
    cltime_result *r;
    clr_exec *exec;
    double epoch;         /* the tool's clock starts here */
    double *start, *host; /* per step, this run */
    uint64_t bytes_seen;  /* transfer bytes of this run so far */
    bool describe;        /* note shapes and FLOPs (first run) */
} observer_ctx;

static void observe(void *user, int32_t step, double seconds) {
    observer_ctx *c = user;
    c->start[step] = now_s() - c->epoch - seconds;
    c->host[step] = seconds;
    uint64_t bytes = clr_exec_last_stats(c->exec)->transfer_bytes;
    c->r->steps[step].bytes = bytes - c->bytes_seen;
    c->bytes_seen = bytes;
    if (c->describe) cltime_describe_step(c->exec, &c->r->steps[step]);
}

static clr_status run_once(observer_ctx *c, double *start, double *wall, clr_error *err) {
    c->bytes_seen = 0;
    double t0 = now_s();
    clr_status st = clr_session_run(c->r->session, err);
    *wall = now_s() - t0;
    *start = t0 - c->epoch;
    return st;
}

static clr_status alloc_steps(cltime_result *r, clr_exec *exec, clr_error *err) {
    const clr_plan *plan = clr_exec_plan(exec);
    const clr_block *blk = &clr_model_program(r->model)->blocks[0];
    int32_t reps = r->opt->repeats;
    r->nsteps = plan->nsteps;
    r->steps = clr_calloc((size_t)(plan->nsteps ? plan->nsteps : 1), sizeof *r->steps);
    r->op_step = clr_calloc((size_t)(blk->nops ? blk->nops : 1), sizeof *r->op_step);
    r->runs = clr_calloc((size_t)reps, sizeof *r->runs);
    r->latency_s = clr_calloc((size_t)reps, sizeof *r->latency_s);
    r->latency_nosync_s = clr_calloc((size_t)reps, sizeof *r->latency_nosync_s);
    if (!r->steps || !r->op_step || !r->runs || !r->latency_s || !r->latency_nosync_s)
        return clr_error_set(err, CLR_ERR_NOMEM, "out of memory");
    for (int32_t i = 0; i < blk->nops; i++) r->op_step[i] = -1;
    for (int32_t s = 0; s < plan->nsteps; s++) {
        cltime_step *st = &r->steps[s];
        st->plan = &plan->steps[s];
        st->type = st->plan->kind == CLR_STEP_TRANSFER ? "io_copy" : blk->ops[st->plan->op].type;
        if (st->plan->kind == CLR_STEP_OP) r->op_step[st->plan->op] = s;
        st->host_s = clr_calloc((size_t)reps, sizeof(double));
        st->gpu_s = clr_calloc((size_t)reps, sizeof(double));
        if (!st->host_s || !st->gpu_s) return clr_error_set(err, CLR_ERR_NOMEM, "out of memory");
    }
    for (int32_t k = 0; k < reps; k++) {
        r->runs[k].step_start = clr_calloc((size_t)(plan->nsteps ? plan->nsteps : 1), sizeof(double));
        if (!r->runs[k].step_start) return clr_error_set(err, CLR_ERR_NOMEM, "out of memory");
    }
    return CLR_OK;
}

/* "name [dims], …" of the bound inputs. */
static void describe_inputs(cltime_result *r, clr_exec *exec) {
    size_t at = 0;
    for (int32_t i = 0; i < clr_exec_num_inputs(exec) && at < sizeof r->inputs; i++) {
        char dims[96];
        int n = snprintf(r->inputs + at, sizeof r->inputs - at, "%s%s %s", i ? ", " : "", clr_exec_input_name(exec, i),
                         clr_tensor_shape_str(clr_exec_input(exec, i), dims, sizeof dims));
        at += n > 0 ? (size_t)n : 0;
    }
}

/* Start-up: the first run builds the kernels; its step times are not kept. */
static clr_status first_run(observer_ctx *c, clr_error *err) {
    cltime_result *r = c->r;
    double start;
    c->describe = true;
    clr_status st = run_once(c, &start, &r->first_run_s, err);
    c->describe = false;
    if (st != CLR_OK) return st;
    r->first_result_s = r->load_s + r->session_s + r->first_run_s;
    clr_cl *cl = clr_session_cl(r->session);
    r->has_cache = cl != NULL;
    if (cl) r->cache = clr_cl_program_cache_stats(cl->programs);
    cltime_describe_kernels(c->exec, r);
    return CLR_OK;
}

static clr_status timed_run(observer_ctx *c, int32_t k, clr_error *err) {
    cltime_result *r = c->r;
    cltime_run *run = &r->runs[k];
    clr_status st = run_once(c, &run->start, &r->latency_s[k], err);
    if (st != CLR_OK) return st;
    run->end = run->start + r->latency_s[k];
    memcpy(run->step_start, c->start, sizeof(double) * (size_t)r->nsteps);
    for (int32_t s = 0; s < r->nsteps; s++) r->steps[s].host_s[k] = c->host[s];
    return cltime_read_gpu(c->exec, r, k, err);
}

/* The session the end-to-end latency comes from: as clrun runs a model, with
 * neither profiling events nor an observer (so no clFinish between steps).
 * Its first run and warm-ups happen here. */
static clr_status open_plain(const cltime_result *r, clr_session **out, clr_error *err) {
    clr_session_options so = clr_tool_session_options(&r->opt->tool);
    clr_status st = clr_session_create_with(r->model, &so, out, err);
    if (st == CLR_OK) st = clr_tool_bind_inputs(&r->opt->tool, *out, err);
    for (int i = 0; st == CLR_OK && i <= r->opt->warmup; i++) st = clr_session_run(*out, err);
    return st == CLR_OK ? st : clr_error_prefix(err, st, "session without profiling");
}

static clr_status plain_run(clr_session *plain, double *wall, clr_error *err) {
    double t0 = now_s();
    clr_status st = clr_session_run(plain, err);
    *wall = now_s() - t0;
    return st;
}

static clr_status measure_runs(cltime_result *r, double epoch, clr_error *err) {
    clr_exec *exec = clr_session_exec(r->session);
    clr_session *plain = NULL;
    observer_ctx c = {.r = r, .exec = exec, .epoch = epoch};
    c.start = clr_calloc((size_t)(r->nsteps ? r->nsteps : 1), sizeof(double));
    c.host = clr_calloc((size_t)(r->nsteps ? r->nsteps : 1), sizeof(double));
    clr_status st = c.start && c.host ? CLR_OK : clr_error_set(err, CLR_ERR_NOMEM, "out of memory");
    /* Both make the executor finish the queue after every step, so the
     * step's host time covers its device work (the profiled runs). */
    if (st == CLR_OK) clr_exec_set_observer(exec, observe, &c);
    if (st == CLR_OK) st = first_run(&c, err);
    for (int i = 0; st == CLR_OK && i < r->opt->warmup; i++) {
        double start, wall;
        st = run_once(&c, &start, &wall, err);
    }
    /* Read before the second session and the roof buffers add their memory. */
    struct rusage ru;
    r->peak_rss_kb = getrusage(RUSAGE_SELF, &ru) == 0 ? ru.ru_maxrss : 0;
    /* The two sessions' repeats alternate, so that both see the same load
     * on a shared machine. */
    if (st == CLR_OK) st = open_plain(r, &plain, err);
    for (int32_t k = 0; st == CLR_OK && k < r->opt->repeats; k++) {
        st = timed_run(&c, k, err);
        if (st == CLR_OK) st = plain_run(plain, &r->latency_nosync_s[k], err);
    }
    /* Kernels and work sizes as the timed runs launched them: with --tune the
     * first run ends while launches still try candidates. */
    if (st == CLR_OK) cltime_describe_kernels(exec, r);
    clr_exec_set_observer(exec, NULL, NULL);
    if (st == CLR_OK) r->stats = *clr_exec_last_stats(exec);
    clr_session_free(plain);
    free(c.start);
    free(c.host);
    return st;
}

/* The roofs: the flags, and what they leave open measured on the session's
 * OpenCL device (none on the host), after the model's runs so that neither
 * disturbs the other. A failed measurement leaves the roofs unknown and says
 * why in the report: the model's figures stand without them. */
static void measure_roof(cltime_result *r) {
    cltime_roof *f = &r->roof;
    clr_cl *cl = clr_session_cl(r->session);
    if (r->opt->roof_gflops > 0) f->gflops = r->opt->roof_gflops, f->gflops_from = "given";
    if (r->opt->roof_gbps > 0) f->gbps = r->opt->roof_gbps, f->gbps_from = "given";
    if (!cl || (f->gflops > 0 && f->gbps > 0)) return;
    double t0 = now_s();
    clr_roof m;
    clr_roof_options quick = CLR_ROOF_QUICK;
    clr_error err = {{0}};
    if (clr_roof_measure(cl->context, cl->device, &quick, &m, &err) != CLR_OK) {
        snprintf(f->error, sizeof f->error, "%.255s", err.msg);
        f->gflops = f->gbps = 0;
        return;
    }
    f->measure_s = now_s() - t0;
    if (!f->gflops_from) f->gflops = m.gflops, f->gflops_from = "measured";
    if (!f->gbps_from) f->gbps = m.gbps, f->gbps_from = "measured";
}

clr_status cltime_measure(const cltime_options *opt, cltime_result *r, clr_error *err) {
    memset(r, 0, sizeof *r);
    r->opt = opt;
    clr_session_options so = clr_tool_session_options(&opt->tool);
    so.profiling = true;
    double epoch = now_s();
    clr_status st = clr_model_load(opt->tool.model, &r->model, err);
    r->load_s = now_s() - epoch;
    double t = now_s();
    if (st == CLR_OK) st = clr_session_create_with(r->model, &so, &r->session, err);
    r->session_s = now_s() - t;
    if (st != CLR_OK) return st;
    r->device = clr_session_device_name(r->session);
    clr_exec *exec = clr_session_exec(r->session);
    st = clr_tool_bind_inputs(&opt->tool, r->session, err);
    if (st == CLR_OK) st = alloc_steps(r, exec, err);
    if (st == CLR_OK) describe_inputs(r, exec);
    if (st == CLR_OK) st = measure_runs(r, epoch, err);
    if (st != CLR_OK) return st;
    r->memory = clr_exec_memory_use(exec);
    measure_roof(r);
    return CLR_OK;
}

void cltime_free(cltime_result *r) {
    for (int32_t s = 0; r->steps && s < r->nsteps; s++) {
        free(r->steps[s].host_s);
        free(r->steps[s].gpu_s);
    }
    for (int32_t k = 0; r->runs && k < r->opt->repeats; k++) {
        free(r->runs[k].step_start);
        free(r->runs[k].spans);
    }
    free(r->steps);
    free(r->op_step);
    free(r->runs);
    free(r->latency_s);
    free(r->latency_nosync_s);
    clr_session_free(r->session);
    clr_model_free(r->model);
    memset(r, 0, sizeof *r);
}
