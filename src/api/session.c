/* clrun — public model/session API (see clrun/clrun.h): thin wrappers over the
 * loader and the host executor. */
#include "clrun/clrun.h"

#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"
#include "core/thread_pool.h"
#include "api/session_internal.h"
#include "runtime/executor.h"

struct clr_model {
    clr_program *program;
};

struct clr_session {
    const clr_model *model;
    clr_cl *cl; /* NULL: host only */
    clr_exec *exec;
    clr_thread_pool *pool; /* host kernel threads */
};

clr_status clr_model_load(const char *path, clr_model **out, clr_error *err) {
    if (!out) return clr_error_set(err, CLR_ERR_ARG, "clr_model_load: NULL output");
    clr_model *m = clr_calloc(1, sizeof *m);
    if (!m) return clr_error_set(err, CLR_ERR_NOMEM, "out of memory");
    clr_status st = clr_program_load(path, &m->program, err);
    if (st != CLR_OK) {
        free(m);
        return st;
    }
    *out = m;
    return CLR_OK;
}

void clr_model_free(clr_model *model) {
    if (!model) return;
    clr_program_free(model->program);
    free(model);
}

const clr_program *clr_model_program(const clr_model *model) { return model ? model->program : NULL; }

clr_status clr_session_create(const clr_model *model, clr_session **out, clr_error *err) {
    clr_session_options opt = {.device = "cpu"};
    return clr_session_create_with(model, &opt, out, err);
}

/* Opens the OpenCL device the options ask for; "auto" without any OpenCL
 * device quietly means the host. */
static clr_status open_device(const clr_session_options *opt, clr_cl **cl, clr_error *err) {
    const char *dev = opt->device ? opt->device : "auto";
    *cl = NULL;
    if (strcmp(dev, "cpu") == 0) return CLR_OK;
    clr_cl_options clo = {.device = dev, .cache_dir = opt->cache_dir, .no_cache = opt->no_cache,
                          .profiling = opt->profiling};
    clr_status st = clr_cl_create(&clo, cl, err);
    if (st == CLR_ERR_UNSUPPORTED && strcmp(dev, "auto") == 0) return CLR_OK;
    return st;
}

clr_status clr_session_create_with(const clr_model *model, const clr_session_options *opt, clr_session **out,
                                   clr_error *err) {
    if (!model || !out || !opt) return clr_error_set(err, CLR_ERR_ARG, "clr_session_create: NULL argument");
    clr_placement placement = CLR_PLACEMENT_AUTO;
    if (opt->placement && !clr_placement_parse(opt->placement, &placement))
        return clr_error_set(err, CLR_ERR_ARG, "placement '%s' is not auto, model, cpu or gpu", opt->placement);
    clr_session *s = clr_calloc(1, sizeof *s);
    if (!s) return clr_error_set(err, CLR_ERR_NOMEM, "out of memory");
    s->model = model;
    clr_status st = clr_thread_pool_create(opt->threads, &s->pool, err);
    if (st == CLR_OK) st = open_device(opt, &s->cl, err);
    clr_exec_options eo = {.cl = s->cl, .placement = placement, .strict = opt->strict, .profiling = opt->profiling,
                           .pool = s->pool};
    if (st == CLR_OK) st = clr_exec_create(model->program, &eo, &s->exec, err);
    if (st == CLR_OK) st = clr_exec_set_dump_dir(s->exec, opt->dump_ops_dir, err);
    if (st != CLR_OK) {
        clr_session_free(s);
        return st;
    }
    *out = s;
    return CLR_OK;
}

void clr_session_free(clr_session *session) {
    if (!session) return;
    clr_exec_free(session->exec);
    clr_cl_free(session->cl);
    clr_thread_pool_free(session->pool);
    free(session);
}

const char *clr_session_device_name(const clr_session *s) { return s->cl ? s->cl->info.name : "host"; }

int32_t clr_session_num_inputs(const clr_session *s) { return clr_exec_num_inputs(s->exec); }
int32_t clr_session_num_outputs(const clr_session *s) { return clr_exec_num_outputs(s->exec); }
const char *clr_session_input_name(const clr_session *s, int32_t i) { return clr_exec_input_name(s->exec, i); }
const char *clr_session_output_name(const clr_session *s, int32_t i) { return clr_exec_output_name(s->exec, i); }
int32_t clr_session_find_input(const clr_session *s, const char *name) { return clr_exec_find_input(s->exec, name); }

const int64_t *clr_session_input_dims(const clr_session *s, int32_t index, int32_t *ndims) {
    const clr_var *v = clr_exec_input_decl(s->exec, index);
    *ndims = v ? v->ndims : 0;
    return v ? v->dims : NULL;
}

clr_status clr_session_set_input(clr_session *s, int32_t index, int32_t dtype, int32_t ndims, const int64_t *dims,
                                 const void *data, clr_error *err) {
    clr_tensor *t = clr_exec_input(s->exec, index);
    if (!t)
        return clr_error_set(err, CLR_ERR_ARG, "input index %d is out of range (the model has %d inputs)", index,
                             clr_exec_num_inputs(s->exec));
    if (!data && ndims) return clr_error_set(err, CLR_ERR_ARG, "input %d: NULL data", index);
    clr_status st = clr_tensor_resize(t, dtype, ndims, dims, err);
    if (st != CLR_OK) return clr_error_prefix(err, st, "input '%s'", clr_exec_input_name(s->exec, index));
    size_t n = clr_tensor_nbytes(t);
    if (n) memcpy(t->data, data, n);
    return CLR_OK;
}

clr_status clr_session_run(clr_session *s, clr_error *err) { return clr_exec_run(s->exec, err); }

clr_status clr_session_output(const clr_session *s, int32_t index, clr_output *out, clr_error *err) {
    const clr_tensor *t = clr_exec_output(s->exec, index);
    if (!t || !out)
        return clr_error_set(err, CLR_ERR_ARG, "output index %d is out of range (the model has %d outputs)", index,
                             clr_exec_num_outputs(s->exec));
    if (!t->data) return clr_error_set(err, CLR_ERR_ARG, "output %d: the session has not run yet", index);
    *out = (clr_output){.name = clr_exec_output_name(s->exec, index), .dtype = t->dtype, .ndims = t->ndims,
                        .dims = t->dims, .data = t->data, .nlod = t->nlod, .lod = t->lod};
    return CLR_OK;
}

clr_exec *clr_session_exec(clr_session *s) { return s->exec; }
clr_cl *clr_session_cl(clr_session *s) { return s->cl; }
