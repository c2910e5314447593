/* clrun — public model/session API (see clrun/clrun.h): thin wrappers over the
 * loader and the executor. Every entry point checks its handles, so a NULL
 * gives CLR_ERR_ARG (or the documented "nothing" value), never a crash. */
#include "clrun/clrun.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"
#include "core/thread_pool.h"
#include "api/session_internal.h"
#include "io/image.h"
#include "io/npy.h"
#include "runtime/executor.h"

/* Reference-counted: the caller's handle plus one per session, so freeing
 * the model before its sessions is safe (sessions may live on other threads). */
struct clr_model {
    clr_program *program;
    atomic_int refs;
};

struct clr_session {
    clr_model *model; /* one reference */
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
    atomic_init(&m->refs, 1);
    *out = m;
    return CLR_OK;
}

/* A session's reference. The API hands models out as const (sessions never
 * change the program); only the count is written. */
static clr_model *model_retain(const clr_model *model) {
    clr_model *m = (clr_model *)model;
    atomic_fetch_add(&m->refs, 1);
    return m;
}

void clr_model_free(clr_model *model) {
    if (!model || atomic_fetch_sub(&model->refs, 1) != 1) return;
    clr_program_free(model->program);
    free(model);
}

const clr_program *clr_model_program(const clr_model *model) { return model ? model->program : NULL; }

clr_status clr_session_create(const clr_model *model, clr_session **out, clr_error *err) {
    /* the host only (NULL options to clr_session_create_with mean "auto") */
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
                          .profiling = opt->profiling, .tune = opt->tune};
    clr_status st = clr_cl_create(&clo, cl, err);
    if (st == CLR_ERR_UNSUPPORTED && strcmp(dev, "auto") == 0) return CLR_OK;
    return st;
}

clr_status clr_session_create_with(const clr_model *model, const clr_session_options *opt, clr_session **out,
                                   clr_error *err) {
    if (!model || !out) return clr_error_set(err, CLR_ERR_ARG, "clr_session_create: NULL argument");
    const clr_session_options defaults = {0};
    if (!opt) opt = &defaults;
    clr_placement placement = CLR_PLACEMENT_AUTO;
    if (opt->placement && !clr_placement_parse(opt->placement, &placement))
        return clr_error_set(err, CLR_ERR_ARG, "placement '%s' is not auto, model, cpu or gpu", opt->placement);
    clr_session *s = clr_calloc(1, sizeof *s);
    if (!s) return clr_error_set(err, CLR_ERR_NOMEM, "out of memory");
    s->model = model_retain(model);
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
    clr_model_free(session->model);
    free(session);
}

const char *clr_session_device_name(const clr_session *s) {
    if (!s) return NULL;
    return s->cl ? s->cl->info.name : "host";
}

int32_t clr_session_num_inputs(const clr_session *s) { return s ? clr_exec_num_inputs(s->exec) : 0; }
int32_t clr_session_num_outputs(const clr_session *s) { return s ? clr_exec_num_outputs(s->exec) : 0; }
const char *clr_session_input_name(const clr_session *s, int32_t i) { return s ? clr_exec_input_name(s->exec, i) : NULL; }
const char *clr_session_output_name(const clr_session *s, int32_t i) { return s ? clr_exec_output_name(s->exec, i) : NULL; }
int32_t clr_session_find_input(const clr_session *s, const char *name) {
    return s && name ? clr_exec_find_input(s->exec, name) : -1;
}

const int64_t *clr_session_input_dims(const clr_session *s, int32_t index, int32_t *ndims) {
    const clr_var *v = s ? clr_exec_input_decl(s->exec, index) : NULL;
    const bool any = v && v->ndims > 0;
    if (ndims) *ndims = any ? v->ndims : 0;
    return any ? v->dims : NULL;
}

/* The input tensor `index`, or an error naming the problem. */
static clr_status input_tensor(clr_session *s, int32_t index, clr_tensor **t, clr_error *err) {
    if (!s) return clr_error_set(err, CLR_ERR_ARG, "NULL session");
    *t = clr_exec_input(s->exec, index);
    if (!*t)
        return clr_error_set(err, CLR_ERR_ARG, "input index %d is out of range (the model has %d inputs)", index,
                             clr_exec_num_inputs(s->exec));
    return CLR_OK;
}

/* Checks the session, index, dtype and dims of a set_input call and gives
 * the input tensor and the bytes those dims hold. */
static clr_status check_input(clr_session *s, int32_t index, int32_t dtype, int32_t ndims, const int64_t *dims,
                              clr_tensor **t, size_t *need, clr_error *err) {
    clr_status st = input_tensor(s, index, t, err);
    if (st != CLR_OK) return st;
    if (ndims > 0 && !dims) return clr_error_set(err, CLR_ERR_ARG, "input %d: NULL dims", index);
    clr_tensor shape = {0};
    st = clr_tensor_set_shape(&shape, dtype, ndims, dims, err);
    if (st != CLR_OK) return clr_error_prefix(err, st, "input '%s'", clr_exec_input_name(s->exec, index));
    *need = clr_tensor_nbytes(&shape);
    return CLR_OK;
}

/* Copies data (its size checked against dtype and dims) into the input. */
static clr_status copy_input(clr_session *s, int32_t index, clr_tensor *t, int32_t dtype, int32_t ndims,
                             const int64_t *dims, const void *data, clr_error *err) {
    clr_status st = clr_tensor_resize(t, dtype, ndims, dims, err);
    if (st != CLR_OK) return clr_error_prefix(err, st, "input '%s'", clr_exec_input_name(s->exec, index));
    size_t n = clr_tensor_nbytes(t);
    if (n) memcpy(t->data, data, n);
    return CLR_OK;
}

clr_status clr_session_set_input_sized(clr_session *s, int32_t index, int32_t dtype, int32_t ndims, const int64_t *dims,
                                       const void *data, size_t nbytes, clr_error *err) {
    clr_tensor *t = NULL;
    size_t need = 0;
    clr_status st = check_input(s, index, dtype, ndims, dims, &t, &need, err);
    if (st != CLR_OK) return st;
    if (nbytes != need)
        return clr_error_set(err, CLR_ERR_ARG, "input '%s': %zu bytes given, its %s shape needs %zu",
                             clr_exec_input_name(s->exec, index), nbytes, clr_dtype_name(dtype), need);
    if (!data && need) return clr_error_set(err, CLR_ERR_ARG, "input %d: NULL data", index);
    return copy_input(s, index, t, dtype, ndims, dims, data, err);
}

clr_status clr_session_set_input(clr_session *s, int32_t index, int32_t dtype, int32_t ndims, const int64_t *dims,
                                 const void *data, clr_error *err) {
    clr_tensor *t = NULL;
    size_t need = 0;
    clr_status st = check_input(s, index, dtype, ndims, dims, &t, &need, err);
    if (st != CLR_OK) return st;
    return clr_session_set_input_sized(s, index, dtype, ndims, dims, data, need, err);
}

clr_status clr_session_set_input_npy(clr_session *s, int32_t index, const char *path, clr_error *err) {
    clr_tensor *t = NULL;
    clr_status st = input_tensor(s, index, &t, err);
    if (st != CLR_OK) return st;
    if (!path) return clr_error_set(err, CLR_ERR_ARG, "input %d: NULL .npy path", index);
    clr_tensor file = {0};
    st = clr_npy_read(path, &file, err);
    if (st == CLR_OK) st = copy_input(s, index, t, file.dtype, file.ndims, file.dims, file.data, err);
    clr_tensor_release(&file);
    return st;
}

/* Image channels: the caller's choice, else 1 for an input declared [N,1,H,W]. */
static int32_t image_channels(const clr_session *s, int32_t index, const clr_image_options *opt) {
    if (opt && opt->channels) return opt->channels;
    int32_t nd;
    const int64_t *dims = clr_session_input_dims(s, index, &nd);
    return nd == 4 && dims[1] == 1 ? 1 : 3;
}

clr_status clr_session_set_input_image(clr_session *s, int32_t index, const char *path, const clr_image_options *opt,
                                       clr_error *err) {
    clr_tensor *t = NULL;
    clr_status st = input_tensor(s, index, &t, err);
    if (st != CLR_OK) return st;
    if (!path) return clr_error_set(err, CLR_ERR_ARG, "input %d: NULL image path", index);
    clr_tensor image = {0};
    st = clr_image_load(path, opt, image_channels(s, index, opt), &image, err);
    if (st == CLR_OK) st = copy_input(s, index, t, image.dtype, image.ndims, image.dims, image.data, err);
    clr_tensor_release(&image);
    return st;
}

clr_status clr_session_run(clr_session *s, clr_error *err) {
    if (!s) return clr_error_set(err, CLR_ERR_ARG, "clr_session_run: NULL session");
    return clr_exec_run(s->exec, err);
}

clr_status clr_session_output(const clr_session *s, int32_t index, clr_output *out, clr_error *err) {
    if (!s || !out) return clr_error_set(err, CLR_ERR_ARG, "clr_session_output: NULL argument");
    const clr_tensor *t = clr_exec_output(s->exec, index);
    if (!t)
        return clr_error_set(err, CLR_ERR_ARG, "output index %d is out of range (the model has %d outputs)", index,
                             clr_exec_num_outputs(s->exec));
    if (!t->data) return clr_error_set(err, CLR_ERR_ARG, "output %d: the session has not run yet", index);
    *out = (clr_output){.name = clr_exec_output_name(s->exec, index), .dtype = t->dtype, .ndims = t->ndims,
                        .dims = t->dims, .data = t->data, .nlod = t->nlod, .lod = t->lod};
    return CLR_OK;
}

clr_exec *clr_session_exec(clr_session *s) { return s->exec; }
clr_cl *clr_session_cl(clr_session *s) { return s->cl; }
