/* clrun MODEL (see run.h): bind inputs (.npy, image or seeded random), run
 * once, print each output's shape and statistics, optionally save them. */
#include "run.h"

#include <stdio.h>
#include <string.h>

#include "api/session_internal.h"
#include "backend/opencl/cl_tuning.h"
#include "clrun/clrun.h"
#include "core/error.h"
#include "core/fs.h"
#include "inputs.h"
#include "io/npy.h"
#include "kernels/opencl/gpu_lws.h"
#include "summary.h"

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

/* --output-dir, created (with its parents) when missing. */
static clr_status make_output_dir(const char *dir, clr_error *err) {
    char why[sizeof err->msg];
    return clr_make_dirs(dir, why, sizeof why) ? CLR_OK : clr_error_set(err, CLR_ERR_IO, "--output-dir: %s", why);
}

/* Prints the summary of the outputs and, last, where the run happened (never
 * a silent fallback); saves the outputs with --output-dir. */
static clr_status report(const clr_run_options *opt, clr_session *s, clr_error *err) {
    clr_status st = opt->output_dir ? make_output_dir(opt->output_dir, err) : CLR_OK;
    if (st == CLR_OK && opt->json) clr_summary_json_begin(stdout, opt->tool.model, clr_session_device_name(s));
    for (int32_t i = 0; st == CLR_OK && i < clr_session_num_outputs(s); i++) {
        clr_output o;
        clr_output_stats os;
        st = clr_session_output(s, i, &o, err);
        if (st != CLR_OK) break;
        clr_output_stats_compute(&o, &os);
        if (opt->json) clr_summary_json_output(stdout, i, &o, &os);
        else clr_summary_print_output(stdout, i, &o, &os);
        if (opt->output_dir) st = save_output(opt->output_dir, &o, err);
    }
    const clr_exec_stats *es = clr_exec_last_stats(clr_session_exec(s));
    if (st == CLR_OK && opt->json) clr_summary_json_end(stdout, es);
    if (st == CLR_OK && !opt->json) clr_summary_print_run(stdout, clr_session_device_name(s), es);
    return st;
}

/* Work-group tuning: what --tune measured, or how many launches use the
 * tuning file; a damaged file is reported (and was ignored). */
static void print_tuning(FILE *out, clr_session *s, bool tune) {
    clr_cl *cl = clr_session_cl(s);
    if (!cl) return;
    const char *warning = clr_cl_tuning_warning(cl->tuning);
    if (warning) fprintf(stderr, "clrun: warning: %s\n", warning);
    const clr_exec *exec = clr_session_exec(s);
    const char *path = clr_cl_tuning_path(cl->tuning);
    if (tune) {
        const clr_gpu_tune_summary *t = clr_exec_tune_summary(exec);
        fprintf(out, "tuning: %d launches measured over %d runs, %d faster with another local size than the default (their "
               "device time: default %.3f ms, clrun's auto rule %.3f ms, tuned %.3f ms); %zu entries in %s\n",
               t->measured, t->runs, t->changed, t->default_s * 1e3, t->auto_s * 1e3, t->best_s * 1e3,
               clr_cl_tuning_count(cl->tuning), path ? path : "memory (no disk cache)");
    } else if (clr_exec_tuned_launches(exec) > 0) {
        fprintf(out, "tuning: %d launches use local sizes from %s\n", clr_exec_tuned_launches(exec), path);
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
    if (st == CLR_OK) st = report(opt, s, &err);
    if (st == CLR_OK) print_tuning(opt->json ? stderr : stdout, s, opt->tool.tune);
    if (st != CLR_OK) fprintf(stderr, "clrun: %s\n", err.msg[0] ? err.msg : clr_status_str(st));
    clr_session_free(s);
    clr_model_free(model);
    return st == CLR_OK ? 0 : 1;
}
