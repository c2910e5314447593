/* clrun — public C API: load a Paddle-Lite model once, run it from one or
 * more sessions.
 *
 *   clr_model *model;  clr_session *s;  clr_error err;
 *   if (clr_model_load("model.nb", &model, &err) != CLR_OK) die(err.msg);
 *   if (clr_session_create(model, &s, &err) != CLR_OK) die(err.msg);
 *   int64_t dims[4] = {1, 3, 224, 224};
 *   clr_session_set_input(s, 0, CLR_DTYPE_FP32, 4, dims, pixels, &err);
 *   if (clr_session_run(s, &err) != CLR_OK) die(err.msg);
 *   clr_output out;  clr_session_output(s, 0, &out);   // out.data: out.dims…
 *   clr_session_free(s);  clr_model_free(model);
 *
 * A model is read-only after loading: any number of sessions (one per thread)
 * share its weights. A session keeps its buffers between runs; inputs may
 * change shape from one run to the next (OCR widths, say) without reloading.
 */
#ifndef CLRUN_CLRUN_H
#define CLRUN_CLRUN_H

#include <stdbool.h>
#include <stdint.h>

#include "clrun/program.h"
#include "clrun/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct clr_model clr_model;
typedef struct clr_session clr_session;

/* Loads a .nb file (any meta_version) or a pre-v2.3 model directory. */
clr_status clr_model_load(const char *path, clr_model **out, clr_error *err);
void clr_model_free(clr_model *model);
/* The loaded program, for inspection. Owned by the model. */
const clr_program *clr_model_program(const clr_model *model);

/* Fails (naming the op) when the model holds an op clrun cannot run.
 * Runs on the host only; see clr_session_create_with for the GPU. */
clr_status clr_session_create(const clr_model *model, clr_session **out, clr_error *err);

typedef struct clr_session_options {
    /* "cpu" (host kernels only), "gpu" (first OpenCL device of any type),
     * "gpu:N" (N-th OpenCL device), "auto" (a GPU-type OpenCL device if there
     * is one, else any OpenCL device, else the host). NULL: "auto". */
    const char *device;
    /* "auto" (NULL), "model" (follow opt's recorded targets), "cpu", "gpu". */
    const char *placement;
    bool strict;           /* an op falling back to the CPU at run time is an error */
    bool no_cache;         /* no on-disk kernel binary cache */
    const char *cache_dir; /* NULL: $CLRUN_CACHE_DIR, else the user's cache dir */
    bool profiling;        /* OpenCL profiling events (for the timing tool) */
    /* Op dump, for debugging a model op by op: when set, every run writes
     * each op's outputs, right after the op ran, into this folder (created
     * when missing) as op<NNNN>_<slot>.npy (NNNN: the op's index in block 0,
     * as `clrun --info` counts), plus index.json with one record per value:
     * op, op_type, device, slot, var, dtype, shape and the SHA-256 of its raw
     * bytes. Slow; NULL (the default) costs nothing. */
    const char *dump_ops_dir;
    /* Threads of the host kernels: 0 (the default) = the machine's cores,
     * 1 = none besides the caller's. Outputs are bit-identical for any
     * count. The session owns the threads; runs of one session must not
     * overlap (as before), several sessions each have their own. */
    int32_t threads;
} clr_session_options;

clr_status clr_session_create_with(const clr_model *model, const clr_session_options *opt, clr_session **out,
                                   clr_error *err);

/* Where the session runs: the OpenCL device's name, or "host". */
const char *clr_session_device_name(const clr_session *session);
void clr_session_free(clr_session *session);

int32_t clr_session_num_inputs(const clr_session *session);
int32_t clr_session_num_outputs(const clr_session *session);
/* Names in feed/fetch `col` order; NULL for an index out of range. */
const char *clr_session_input_name(const clr_session *session, int32_t index);
const char *clr_session_output_name(const clr_session *session, int32_t index);
/* Index of the input called `name`, or -1. */
int32_t clr_session_find_input(const clr_session *session, const char *name);
/* The input's declared dims as recorded by opt (-1 for dynamic); *ndims = 0
 * when the format stores none. Returns a pointer owned by the model. */
const int64_t *clr_session_input_dims(const clr_session *session, int32_t index, int32_t *ndims);

/* Copies `data` (dtype elements in C order) into input `index`. */
clr_status clr_session_set_input(clr_session *session, int32_t index, int32_t dtype, int32_t ndims,
                                 const int64_t *dims, const void *data, clr_error *err);

clr_status clr_session_run(clr_session *session, clr_error *err);

/* An output after a run; valid until the next run or clr_session_free. */
typedef struct clr_output {
    const char *name;
    int32_t dtype; /* clr_dtype */
    int32_t ndims;
    const int64_t *dims;
    const void *data;
    int32_t nlod; /* level-1 LoD offsets (detection outputs), 0 when none */
    const uint64_t *lod;
} clr_output;

clr_status clr_session_output(const clr_session *session, int32_t index, clr_output *out, clr_error *err);

#ifdef __cplusplus
}
#endif

#endif /* CLRUN_CLRUN_H */
