/* clrun — public C API: load a Paddle-Lite model once, run it from one or
 * more sessions.
 *
 *   clr_model *model;  clr_session *s;  clr_error err;  clr_output out;
 *   if (clr_model_load("model.nb", &model, &err) != CLR_OK) die(err.msg);
 *   if (clr_session_create(model, &s, &err) != CLR_OK) die(err.msg);
 *   if (clr_session_set_input_npy(s, 0, "input.npy", &err) != CLR_OK) die(err.msg);
 *   if (clr_session_run(s, &err) != CLR_OK) die(err.msg);
 *   if (clr_session_output(s, 0, &out, &err) != CLR_OK) die(err.msg);  // out.dims, out.data
 *   clr_session_free(s);  clr_model_free(model);
 *
 * A model is read-only after loading: any number of sessions (one per thread)
 * share its weights. A session keeps its buffers between runs; inputs may
 * change shape from one run to the next (OCR widths, say) without reloading.
 *
 * Handles and lifetimes:
 * - Every function accepts NULL handles and NULL pointers: a function
 *   returning clr_status answers CLR_ERR_ARG, the others their "nothing"
 *   value (NULL, 0, -1) as documented below; *_free(NULL) does nothing.
 * - A session holds a reference on its model: clr_model_free() may come
 *   before clr_session_free(), the weights go with the last of them. The
 *   model handle itself must not be used after clr_model_free().
 * - One session is used by one thread at a time; different sessions of one
 *   model may run concurrently.
 * - Strings and arrays returned by the library are owned by it: names and
 *   declared dims live as long as the session, outputs until its next run.
 */
#ifndef CLRUN_CLRUN_H
#define CLRUN_CLRUN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "clrun/program.h"
#include "clrun/status.h"
#include "clrun/version.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct clr_model clr_model;
typedef struct clr_session clr_session;

/* Loads a .nb file (any meta_version) or a pre-v2.3 model directory. On
 * success *out is a new model (free it with clr_model_free). */
CLR_API clr_status clr_model_load(const char *path, clr_model **out, clr_error *err);
/* Drops the caller's reference; the model is freed once its sessions are. */
CLR_API void clr_model_free(clr_model *model);
/* The loaded program, for inspection. Owned by the model; NULL for NULL. */
CLR_API const clr_program *clr_model_program(const clr_model *model);

/* Fails (naming the op) when the model holds an op clrun cannot run.
 * Runs on the host only; see clr_session_create_with for the GPU. */
CLR_API clr_status clr_session_create(const clr_model *model, clr_session **out, clr_error *err);

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
    /* Work-group tuning: kernel launches whose local size the tuning file
     * (beside the kernel binaries in the cache folder) does not know yet are
     * measured. The run that meets them repeats the whole model, trying
     * candidate local sizes with profiling events (one warm-up and three
     * timed launches each), until every such launch has a winner (lowest
     * median); the winners are saved, and later sessions on this device use
     * them without measuring, tune or not. Outputs are those of the last
     * repetition, as exact as any run: a local size never changes a result.
     * With no_cache the winners last for this session only. */
    bool tune;
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

/* Like clr_session_create with options (NULL: all defaults, device "auto"). */
CLR_API clr_status clr_session_create_with(const clr_model *model, const clr_session_options *opt,
                                           clr_session **out, clr_error *err);

/* Where the session runs: the OpenCL device's name, or "host"; NULL for NULL. */
CLR_API const char *clr_session_device_name(const clr_session *session);
/* Frees the session (and the model, if it was the last holder). */
CLR_API void clr_session_free(clr_session *session);

/* Input and output counts; 0 for NULL. */
CLR_API int32_t clr_session_num_inputs(const clr_session *session);
CLR_API int32_t clr_session_num_outputs(const clr_session *session);
/* Names in feed/fetch `col` order; NULL for an index out of range (or NULL). */
CLR_API const char *clr_session_input_name(const clr_session *session, int32_t index);
CLR_API const char *clr_session_output_name(const clr_session *session, int32_t index);
/* Index of the input called `name`, or -1 (also for NULL). */
CLR_API int32_t clr_session_find_input(const clr_session *session, const char *name);
/* The input's declared dims as recorded by opt (-1 for dynamic); *ndims = 0
 * when the format stores none (or for a bad index). Returns a pointer owned
 * by the model, NULL when there are no dims; `ndims` may be NULL. */
CLR_API const int64_t *clr_session_input_dims(const clr_session *session, int32_t index, int32_t *ndims);

/* Copies `data` (dtype elements in C order, as many as `dims` hold) into
 * input `index`. The data is copied: the caller may reuse it at once. */
CLR_API clr_status clr_session_set_input(clr_session *session, int32_t index, int32_t dtype, int32_t ndims,
                                         const int64_t *dims, const void *data, clr_error *err);
/* The same with the size of `data` in bytes: CLR_ERR_ARG (input unchanged)
 * unless it is exactly what dtype and dims need. Prefer it to the above. */
CLR_API clr_status clr_session_set_input_sized(clr_session *session, int32_t index, int32_t dtype, int32_t ndims,
                                               const int64_t *dims, const void *data, size_t nbytes,
                                               clr_error *err);
/* Reads a NumPy .npy file (little-endian, C order; <f4 <f8 <i1 <u1 <i2 <i4
 * <i8 |b1; <f8 is converted to FP32) into input `index`. */
CLR_API clr_status clr_session_set_input_npy(clr_session *session, int32_t index, const char *path,
                                             clr_error *err);

/* How an image becomes an input; all zeros (or NULL) means: whole image,
 * original size, value = pixel / 255, channels from the model. */
typedef struct clr_image_options {
    int32_t crop[4];            /* x, y, w, h in pixels; w == 0: no crop */
    int32_t resize_h, resize_w; /* bilinear resize of the (cropped) image; 0: keep the size */
    float scale;                /* pixel * scale first; 0 means 1/255 */
    float mean[3], std[3];      /* then (v - mean[c]) / std[c]; a std of 0 means 1 */
    bool bgr;                   /* channel order B, G, R instead of R, G, B */
    /* 3 (colour) or 1 (grayscale: stb_image's luma, mean[0] and std[0]);
     * 0: 1 when the input is declared with one channel ([N,1,H,W]), else 3. */
    int32_t channels;
} clr_image_options;

/* Decodes a JPEG/PNG/BMP/PNM/… file (stb_image), crops, resizes and writes
 * it into input `index` as an FP32 [1, C, H, W] tensor. `opt` may be NULL. */
CLR_API clr_status clr_session_set_input_image(clr_session *session, int32_t index, const char *path,
                                               const clr_image_options *opt, clr_error *err);

/* Runs the model once on the inputs set (every input must have been set). */
CLR_API clr_status clr_session_run(clr_session *session, clr_error *err);

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

/* Fills *out with output `index` of the last run (CLR_ERR_ARG before any). */
CLR_API clr_status clr_session_output(const clr_session *session, int32_t index, clr_output *out, clr_error *err);

#ifdef __cplusplus
}
#endif

#endif /* CLRUN_CLRUN_H */
