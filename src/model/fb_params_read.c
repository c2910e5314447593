/* clrun — meta_version 1/2 parameter readers (nb-format.md 3.2–3.4): the
 * framed ParamDesc stream of meta 2 and the CombinedParamsDesc of meta 1. */
#include <stdio.h>

#include "core/arena.h"
#include "core/error.h"
#include "core/reader.h"
#include "model/flatbuf.h"

enum { LABEL = 128, LOD_TENSOR_DESC = 1 /* ParamDesc variable_type union tag */ };

/* One ParamDesc table: name, then its LoDTensorDesc (dim, data_type, data). */
static clr_status read_param_desc(clr_fb *fb, const clr_fb_table *t, char *label, clr_param *param) {
    clr_status st;
    if ((st = clr_fb_string(fb, t, 1, "name", true, &param->name)) != CLR_OK) return st;
    clr_fb_label_add(label, LABEL, " '", param->name, "'");
    uint8_t tag;
    if ((st = clr_fb_u8(fb, t, 2, "variable_type", 0, &tag)) != CLR_OK) return st;
    if (tag != LOD_TENSOR_DESC)
        return clr_fb_fail(fb, t->pos, label, "variable_type %u is not 1 (LoDTensorDesc)", tag);
    clr_fb_table desc;
    clr_fb_vec dims, data;
    bool present;
    void *p;
    if ((st = clr_fb_table_field(fb, t, 3, "variable", label, true, &desc, &present)) != CLR_OK ||
        (st = clr_fb_vector(fb, &desc, 2, "dim", 8, &dims)) != CLR_OK ||
        (st = clr_fb_vec_scalars(fb, &dims, &p)) != CLR_OK ||
        (st = clr_fb_i32(fb, &desc, 3, "data_type", 0, &param->dtype)) != CLR_OK ||
        (st = clr_fb_vector(fb, &desc, 4, "data", 1, &data)) != CLR_OK)
        return st;
    param->ndims = (int32_t)dims.count;
    param->dims = p;
    return clr_load_param_data(fb->ctx, param, fb->buf + data.pos, data.count, fb->base + data.pos);
}

/* One record: total_size, offset, reserved bytes, then a ParamDesc flatbuffer
 * of exactly total_size - offset bytes. */
static clr_status read_record(clr_load_ctx *ctx, clr_reader *r, uint32_t i, clr_param *param) {
    char label[LABEL];
    snprintf(label, sizeof label, "parameter record %u", i);
    size_t at = clr_reader_offset(r);
    uint32_t total, offset;
    const uint8_t *skip, *body;
    clr_status st;
    if ((st = clr_read_u32(r, &total, label)) != CLR_OK) return st;
    if (total < 4 || total > clr_reader_left(r))
        return clr_load_fail(ctx, at, label, "total_size %u is below 4 or runs past the %zu bytes left", total,
                             clr_reader_left(r));
    if ((st = clr_read_u32(r, &offset, label)) != CLR_OK) return st;
    if (offset < 4 || offset > total)
        return clr_load_fail(ctx, at + 4, label, "offset %u is outside 4..total_size (%u)", offset, total);
    if ((st = clr_read_bytes(r, offset - 4, &skip, label)) != CLR_OK) return st;
    size_t fb_base = clr_reader_offset(r);
    if ((st = clr_read_bytes(r, total - offset, &body, label)) != CLR_OK) return st;
    clr_fb fb;
    clr_fb_table root;
    snprintf(label, sizeof label, "parameter %u", i);
    clr_fb_init(&fb, ctx, body, total - offset, fb_base);
    if ((st = clr_fb_root(&fb, label, &root)) != CLR_OK) return st;
    return read_param_desc(&fb, &root, label, param);
}

clr_status clr_fb_read_params_meta2(clr_load_ctx *ctx, const uint8_t *buf, size_t size, size_t base) {
    clr_reader r;
    uint16_t version, meta_size, header_size;
    const uint8_t *skip, *header;
    clr_status st;
    clr_reader_init(&r, buf, size, base, ctx->name, ctx->err);
    if ((st = clr_read_u16(&r, &version, "parameter stream param_version")) != CLR_OK) return st;
    if (version != 0) return clr_load_fail(ctx, base, "parameter stream", "param_version %u is not 0", version);
    if ((st = clr_read_u16(&r, &meta_size, "parameter stream meta_size")) != CLR_OK ||
        (st = clr_read_bytes(&r, meta_size, &skip, "parameter stream meta bytes")) != CLR_OK)
        return st;
    size_t at = clr_reader_offset(&r);
    if ((st = clr_read_u16(&r, &header_size, "parameter stream header_size")) != CLR_OK) return st;
    /* Only the leading count (u16) and max_tensor_bytes (u32, a size hint) are known. */
    if (header_size < 6)
        return clr_load_fail(ctx, at, "parameter stream", "header_size %u is below 6", header_size);
    if ((st = clr_read_bytes(&r, header_size, &header, "parameter stream header")) != CLR_OK) return st;
    uint16_t count = clr_load_u16(header);
    /* Each record needs at least its two u32 fields: check before allocating. */
    if (count > clr_reader_left(&r) / 8)
        return clr_load_fail(ctx, at + 2, "parameter stream", "param_count %u needs more than the %zu bytes left",
                             count, clr_reader_left(&r));
    clr_param *params = clr_arena_array(ctx->arena, count, sizeof *params, _Alignof(clr_param));
    if (!params) return clr_error_set(ctx->err, CLR_ERR_NOMEM, "%s: out of memory reading parameters", ctx->name);
    for (uint32_t i = 0; i < count; i++)
        if ((st = read_record(ctx, &r, i, &params[i])) != CLR_OK) return st;
    if (clr_reader_left(&r))
        return clr_load_fail(ctx, clr_reader_offset(&r), "parameter stream",
                             "%zu bytes left over after the last of %u parameter records", clr_reader_left(&r), count);
    ctx->prog->nparams = count;
    ctx->prog->params = params;
    return CLR_OK;
}

clr_status clr_fb_read_params_meta1(clr_load_ctx *ctx, const uint8_t *buf, size_t size, size_t base) {
    clr_fb fb;
    clr_fb_table root;
    clr_fb_vec v;
    clr_status st;
    clr_fb_init(&fb, ctx, buf, size, base);
    if ((st = clr_fb_root(&fb, "CombinedParamsDesc", &root)) != CLR_OK ||
        (st = clr_fb_vector(&fb, &root, 0, "params", 4, &v)) != CLR_OK)
        return st;
    clr_param *params = clr_arena_array(ctx->arena, v.count, sizeof *params, _Alignof(clr_param));
    if (!params) return clr_fb_nomem(&fb, "CombinedParamsDesc");
    for (uint32_t i = 0; i < v.count; i++) {
        char label[LABEL];
        clr_fb_table t;
        snprintf(label, sizeof label, "parameter %u", i);
        if ((st = clr_fb_vec_table(&fb, &v, i, label, &t)) != CLR_OK ||
            (st = read_param_desc(&fb, &t, label, &params[i])) != CLR_OK)
            return st;
    }
    ctx->prog->nparams = (int32_t)v.count;
    ctx->prog->params = params;
    return CLR_OK;
}
