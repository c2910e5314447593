/* clrun — format dispatch: reads a model file or directory, checks the 26-byte
 * header (nb-format.md 1.1) and hands each section to its reader. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/alloc.h"
#include "core/error.h"
#include "core/reader.h"
#include "model/loader.h"
#include "model/program_internal.h"

enum { HEADER_SIZE = 26 };

/* Reads a whole regular file into a malloc'ed buffer. */
static clr_status read_file(const char *path, uint8_t **out, size_t *out_size, clr_error *err) {
    FILE *f = fopen(path, "rb");
    if (!f) return clr_error_set(err, CLR_ERR_IO, "%s: cannot open: %s", path, strerror(errno));
    uint8_t *buf = NULL;
    size_t size = 0, cap = 0;
    clr_status st = CLR_OK;
    for (;;) {
        if (size == cap) {
            size_t ncap = cap ? cap * 2 : 1 << 16;
            uint8_t *nbuf = clr_realloc(buf, ncap);
            if (!nbuf) {
                st = clr_error_set(err, CLR_ERR_NOMEM, "%s: out of memory reading %zu bytes", path, ncap);
                break;
            }
            buf = nbuf;
            cap = ncap;
        }
        size_t n = fread(buf + size, 1, cap - size, f);
        size += n;
        if (n == 0) {
            if (ferror(f)) st = clr_error_set(err, CLR_ERR_IO, "%s: read failed at byte %zu", path, size);
            break;
        }
    }
    fclose(f);
    if (st != CLR_OK) {
        free(buf);
        return st;
    }
    *out = buf;
    *out_size = size;
    return CLR_OK;
}

static clr_status load_single(clr_load_ctx *ctx, const uint8_t *data, size_t size) {
    clr_reader r;
    clr_reader_init(&r, data, size, 0, ctx->name, ctx->err);
    uint16_t meta;
    uint64_t topo_size;
    const uint8_t *ver;
    clr_status st;
    if ((st = clr_read_u16(&r, &meta, "header meta_version")) != CLR_OK) return st;
    if (meta > 2)
        return clr_error_set(ctx->err, CLR_ERR_FORMAT,
                             "%s: at byte 0: meta_version %u is not 0, 1 or 2: not a Paddle-Lite .nb model",
                             ctx->name, meta);
    if ((st = clr_read_bytes(&r, 16, &ver, "header opt_version")) != CLR_OK) return st;
    if ((st = clr_read_u64(&r, &topo_size, "header topo_size")) != CLR_OK) return st;
    if (topo_size > clr_reader_left(&r))
        return clr_error_set(ctx->err, CLR_ERR_FORMAT,
                             "%s: at byte 18: topo_size %llu runs past the end of the file (%zu bytes after the header)",
                             ctx->name, (unsigned long long)topo_size, clr_reader_left(&r));
    /* The writer copies 16 bytes from a C string: keep up to the first NUL. */
    size_t vlen = 0;
    while (vlen < 16 && ver[vlen]) vlen++;
    memcpy(ctx->prog->opt_version, ver, vlen);
    ctx->prog->opt_version[vlen] = '\0';
    ctx->prog->format = (clr_format)meta;

    const uint8_t *topo = data + HEADER_SIZE, *params = topo + topo_size;
    size_t psize = size - HEADER_SIZE - (size_t)topo_size, pbase = HEADER_SIZE + (size_t)topo_size;
    switch (meta) {
    case 0:
        if ((st = clr_naive_read_program(ctx, topo, (size_t)topo_size, HEADER_SIZE)) != CLR_OK) return st;
        return clr_naive_read_params(ctx, params, psize, pbase);
    case 1:
        if ((st = clr_fb_read_program(ctx, topo, (size_t)topo_size, HEADER_SIZE)) != CLR_OK) return st;
        return clr_fb_read_params_meta1(ctx, params, psize, pbase);
    default:
        if ((st = clr_fb_read_program(ctx, topo, (size_t)topo_size, HEADER_SIZE)) != CLR_OK) return st;
        return clr_fb_read_params_meta2(ctx, params, psize, pbase);
    }
}

/* Pre-v2.3 directory form (3.6): __model__.nb and param.nb, no header. */
static clr_status load_directory(clr_load_ctx *ctx, const char *dir) {
    char path[4096];
    uint8_t *buf = NULL;
    size_t size = 0;
    clr_status st;
    ctx->prog->format = CLR_FORMAT_LEGACY_DIR;

    snprintf(path, sizeof path, "%s/__model__.nb", dir);
    if ((st = read_file(path, &buf, &size, ctx->err)) != CLR_OK) return st;
    ctx->name = "__model__.nb";
    st = clr_naive_read_program(ctx, buf, size, 0);
    free(buf);
    if (st != CLR_OK) return clr_error_prefix(ctx->err, st, "%s", dir);

    snprintf(path, sizeof path, "%s/param.nb", dir);
    if ((st = read_file(path, &buf, &size, ctx->err)) != CLR_OK) return st;
    ctx->name = "param.nb";
    st = clr_naive_read_params(ctx, buf, size, 0);
    free(buf);
    if (st != CLR_OK) return clr_error_prefix(ctx->err, st, "%s", dir);
    return CLR_OK;
}

typedef enum { SOURCE_BUFFER, SOURCE_FILE, SOURCE_DIR } load_source;

static clr_status load_common(load_source src, const char *path, const void *data, size_t size,
                              clr_program **out, clr_error *err) {
    if (!out || (src == SOURCE_BUFFER && !data && size))
        return clr_error_set(err, CLR_ERR_ARG, "clr_program_load: NULL argument");
    clr_program *prog = clr_calloc(1, sizeof *prog);
    clr_arena *arena = clr_arena_create();
    if (!prog || !arena) {
        free(prog);
        clr_arena_free(arena);
        return clr_error_set(err, CLR_ERR_NOMEM, "%s: out of memory", path);
    }
    prog->arena = arena;
    clr_load_ctx ctx = {.name = path, .err = err, .arena = arena, .prog = prog};
    clr_status st;
    if (src == SOURCE_DIR) {
        st = load_directory(&ctx, path);
    } else if (src == SOURCE_FILE) {
        uint8_t *buf = NULL;
        st = read_file(path, &buf, &size, err);
        if (st == CLR_OK) st = load_single(&ctx, buf, size);
        free(buf);
    } else {
        st = load_single(&ctx, data, size);
    }
    if (st == CLR_OK) st = clr_program_finish(prog, path, err);
    if (st != CLR_OK) {
        clr_program_free(prog);
        return st;
    }
    *out = prog;
    return CLR_OK;
}

clr_status clr_program_load(const char *path, clr_program **out, clr_error *err) {
    if (!path) return clr_error_set(err, CLR_ERR_ARG, "clr_program_load: NULL path");
    struct stat sb;
    if (stat(path, &sb) != 0) return clr_error_set(err, CLR_ERR_IO, "%s: %s", path, strerror(errno));
    return load_common(S_ISDIR(sb.st_mode) ? SOURCE_DIR : SOURCE_FILE, path, NULL, 0, out, err);
}

clr_status clr_program_load_buffer(const void *data, size_t size, const char *name, clr_program **out,
                                   clr_error *err) {
    return load_common(SOURCE_BUFFER, name ? name : "<buffer>", data, size, out, err);
}

void clr_program_free(clr_program *program) {
    if (!program) return;
    clr_arena_free(program->arena);
    free(program);
}

clr_status clr_load_param_data(clr_load_ctx *ctx, clr_param *param, const uint8_t *data, uint64_t nbytes,
                               size_t offset) {
    size_t esize = clr_dtype_size(param->dtype);
    if (!esize)
        return clr_error_set(ctx->err, CLR_ERR_FORMAT, "%s: at byte %zu: parameter '%s': data type %d is not a tensor element type",
                             ctx->name, offset, param->name, param->dtype);
    uint64_t numel = 1;
    for (int32_t i = 0; i < param->ndims; i++) {
        int64_t d = param->dims[i];
        if (d < 0 || (d && numel > UINT64_MAX / (uint64_t)d))
            return clr_error_set(ctx->err, CLR_ERR_FORMAT, "%s: at byte %zu: parameter '%s': bad dimension %lld",
                                 ctx->name, offset, param->name, (long long)d);
        numel *= (uint64_t)d;
    }
    if (numel > UINT64_MAX / esize || numel * esize != nbytes)
        return clr_error_set(ctx->err, CLR_ERR_FORMAT,
                             "%s: at byte %zu: parameter '%s': %llu data bytes, but its shape and type need %llu",
                             ctx->name, offset, param->name, (unsigned long long)nbytes,
                             (unsigned long long)(numel * esize));
    if (nbytes > SIZE_MAX) return clr_error_set(ctx->err, CLR_ERR_NOMEM, "%s: parameter '%s' too large", ctx->name, param->name);
    void *copy = clr_arena_alloc(ctx->arena, (size_t)nbytes, 64);
    if (!copy) return clr_error_set(ctx->err, CLR_ERR_NOMEM, "%s: out of memory for parameter '%s'", ctx->name, param->name);
    if (nbytes) memcpy(copy, data, (size_t)nbytes);
    param->nbytes = nbytes;
    param->data = copy;
    return CLR_OK;
}
