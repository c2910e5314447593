/* clrun — internal interface between the format dispatcher (loader.c) and the
 * per-format section readers.
 *
 * Each reader gets one section of the file as (buf, size) with `base` = the
 * file offset of buf[0], fills its part of ctx->prog with memory from
 * ctx->arena, and must consume exactly `size` bytes: bytes left over are a
 * format error, so every byte of a file is accounted for. Errors name the file
 * (ctx->name), the absolute byte offset and the object being read
 * ("block 0 op 17 (conv2d) attr 'strides'"). Readers never read outside buf.
 */
#ifndef CLRUN_MODEL_LOADER_H
#define CLRUN_MODEL_LOADER_H

#include <stddef.h>
#include <stdint.h>

#include "clrun/program.h"
#include "core/arena.h"

typedef struct clr_load_ctx {
    const char *name; /* file name for messages */
    clr_error *err;
    clr_arena *arena;
    clr_program *prog;
} clr_load_ctx;

/* meta_version 1 and 2: the flatbuffers ProgramDesc (nb-format.md 2). Fills
 * prog->version, nblocks, blocks. */
clr_status clr_fb_read_program(clr_load_ctx *ctx, const uint8_t *buf, size_t size, size_t base);
/* meta_version 2 parameter stream (3.2). Fills prog->nparams, params. */
clr_status clr_fb_read_params_meta2(clr_load_ctx *ctx, const uint8_t *buf, size_t size, size_t base);
/* meta_version 1: one CombinedParamsDesc flatbuffer (3.3). */
clr_status clr_fb_read_params_meta1(clr_load_ctx *ctx, const uint8_t *buf, size_t size, size_t base);

/* meta_version 0 and the directory form: naive-buffer program (3.5). Data
 * types are converted from Lite's internal enum to the clr_dtype numbering. */
clr_status clr_naive_read_program(clr_load_ctx *ctx, const uint8_t *buf, size_t size, size_t base);
/* Naive-buffer parameter list (3.5, and param.nb of 3.6). */
clr_status clr_naive_read_params(clr_load_ctx *ctx, const uint8_t *buf, size_t size, size_t base);

/* Copies `nbytes` of tensor data into 64-byte aligned arena memory and checks
 * nbytes == numel(dims) * clr_dtype_size(dtype). `where` prefixes messages,
 * `offset` is the file offset of the data. Shared by all parameter readers. */
clr_status clr_load_param_data(clr_load_ctx *ctx, clr_param *param, const uint8_t *data, uint64_t nbytes,
                               size_t offset);

#endif /* CLRUN_MODEL_LOADER_H */
