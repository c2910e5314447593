/* clrun MODEL (see run.h): bind inputs (.npy, image or seeded random), run
 * once, print each output's shape and statistics, optionally save them. */
#include "run.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/session_internal.h"
#include "backend/opencl/cl_tuning.h"
#include "clrun/clrun.h"
#include "core/error.h"
#include "inputs.h"
#include "io/npy.h"
#include "kernels/opencl/gpu_lws.h"

static double element(const clr_output *o, int64_t i) {
    switch (o->dtype) {
    case CLR_DTYPE_FP32: return ((const float *)o->data)[i];
    case CLR_DTYPE_INT32: return ((const int32_t *)o->data)[i];
    case CLR_DTYPE_INT64: return (double)((const int64_t *)o->data)[i];
    case CLR_DTYPE_INT8: return ((const int8_t *)o->data)[i];
    case CLR_DTYPE_UINT8:
    case CLR_DTYPE_BOOL: return ((const uint8_t *)o->data)[i];
    default: return NAN;
    }
}

static void print_output(int32_t index, const clr_output *o) {
    int64_t n = 1;
    printf("output %d %s %s [", index, o->name, clr_dtype_name(o->dtype) ? clr_dtype_name(o->dtype) : "?");
    for (int32_t d = 0; d < o->ndims; d++) {
        printf("%s%" PRId64, d ? "," : "", o->dims[d]);
        n *= o->dims[d];
    }
    double lo = INFINITY, hi = -INFINITY, sum = 0, sq = 0;
    int64_t nonfinite = 0;
    for (int64_t i = 0; i < n; i++) {
        double v = element(o, i);
        if (!isfinite(v)) {
            nonfinite++;
            continue;
        }
        lo = fmin(lo, v), hi = fmax(hi, v), sum += v, sq += v * v;
    }
    double mean = n > nonfinite ? sum / (double)(n - nonfinite) : 0;
    printf("] min %.6g max %.6g mean %.6g std %.6g", n ? lo : 0, n ? hi : 0, mean,
           n > nonfinite ? sqrt(fmax(sq / (double)(n - nonfinite) - mean * mean, 0)) : 0);
    if (nonfinite) printf(" nonfinite %" PRId64, nonfinite);
    printf("\n");
    if (o->ndims == 2 && o->dims[1] > 1 && o->dims[0] >= 1) {
        /* top-5 of the first row: the usual classifier read-out */
        int64_t c = o->dims[1], best[5];
        int k = 0;
        for (; k < 5 && k < c; k++) {
            best[k] = -1;
            for (int64_t j = 0; j < c; j++) {
                bool taken = false;
                for (int q = 0; q < k; q++) taken |= best[q] == j;
                if (!taken && (best[k] < 0 || element(o, j) > element(o, best[k]))) best[k] = j;
            }
        }
        printf("  top-%d:", k);
        for (int q = 0; q < k; q++) printf(" %" PRId64 "=%.6g", best[q], element(o, best[q]));
        printf("\n");
    }
}

/* DIR/<name>.npy with every character outside A-Za-z0-9._- replaced by '_'. */
static clr_status save_output(const char *dir, const clr_output *o, clr_error *err) {
    char path[4096];
    int at = snprintf(path, sizeof path, "%s/", dir);
    for (const char *c = o->name; *c && at < (int)sizeof path - 5; c++) {
        bool ok = (*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '.' ||
                  *c == '_' || *c == '-';
        path[at++] = ok ? *c : '_';
    }
    snprintf(path + at, sizeof path - (size_t)at, ".npy");
    clr_tensor view = {.dtype = o->dtype, .ndims = o->ndims, .data = (void *)o->data};
    memcpy(view.dims, o->dims, sizeof(int64_t) * (size_t)o->ndims);
    return clr_npy_write(path, &view, err);
}

/* Where the run happened: never a silent fallback. */
static void print_run_summary(clr_session *s) {
    const clr_exec_stats *st = clr_exec_last_stats(clr_session_exec(s));
    printf("run on %s: %d ops on the GPU, %d on the CPU, %d io_copy transfers (%llu bytes), %d fallbacks%s%s\n",
           clr_session_device_name(s), st->ops_gpu, st->ops_host, st->transfers,
           (unsigned long long)st->transfer_bytes, st->fallbacks, st->fallbacks ? ": " : "", st->fallback_reason);
}

/* Work-group tuning: what --tune measured, or how many launches use the
 * tuning file; a damaged file is reported (and was ignored). */
static void print_tuning(clr_session *s, bool tune) {
    clr_cl *cl = clr_session_cl(s);
    if (!cl) return;
    const char *warning = clr_cl_tuning_warning(cl->tuning);
    if (warning) fprintf(stderr, "clrun: warning: %s\n", warning);
    const clr_exec *exec = clr_session_exec(s);
    const char *path = clr_cl_tuning_path(cl->tuning);
    if (tune) {
        const clr_gpu_tune_summary *t = clr_exec_tune_summary(exec);
        printf("tuning: %d launches measured over %d runs, %d faster with another local size than the default (their "
               "device time: default %.3f ms, clrun's auto rule %.3f ms, tuned %.3f ms); %zu entries in %s\n",
               t->measured, t->runs, t->changed, t->default_s * 1e3, t->auto_s * 1e3, t->best_s * 1e3,
               clr_cl_tuning_count(cl->tuning), path ? path : "memory (no disk cache)");
    } else if (clr_exec_tuned_launches(exec) > 0) {
        printf("tuning: %d launches use local sizes from %s\n", clr_exec_tuned_launches(exec), path);
    }
}

int clr_run_model(const clr_run_options *opt) {
    clr_error err = {{0}};
    clr_model *model = NULL;
    clr_session *s = NULL;
    clr_status st = CLR_OK;
    clr_session_options so = clr_tool_session_options(&opt->tool);
    so.dump_ops_dir = opt->dump_ops_dir;
    st = clr_model_load(opt->tool.model, &model, &err);
    if (st == CLR_OK) st = clr_session_create_with(model, &so, &s, &err);
    if (st == CLR_OK) st = clr_tool_bind_inputs(&opt->tool, s, &err);
    if (st == CLR_OK) st = clr_session_run(s, &err);
    for (int32_t i = 0; st == CLR_OK && i < clr_session_num_outputs(s); i++) {
        clr_output o;
        st = clr_session_output(s, i, &o, &err);
        if (st == CLR_OK) print_output(i, &o);
        if (st == CLR_OK && opt->output_dir) st = save_output(opt->output_dir, &o, &err);
    }
    if (st == CLR_OK) print_run_summary(s);
    if (st == CLR_OK) print_tuning(s, opt->tool.tune);
    if (st != CLR_OK) fprintf(stderr, "clrun: %s\n", err.msg[0] ? err.msg : clr_status_str(st));
    clr_session_free(s);
    clr_model_free(model);
    return st == CLR_OK ? 0 : 1;
}
