/* clrun — writes a clr_program as a single-file .nb model, meta_version 2 or 1
 * (nb-format.md 1.1, 2.2, 3.2–3.4).
 *
 * The whole file is built in one fb_builder: the 26-byte header, the
 * ProgramDesc flatbuffer, then the parameters. Every field is written
 * explicitly, defaults included, so a reader never depends on a default. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "clrun/program.h"
#include "core/alloc.h"
#include "core/error.h"
#include "model/fb_builder.h"

enum { HEADER_SIZE = 26, TOPO_SIZE_AT = 18, MAX_META2_PARAMS = 65535 };

/* Field slots (nb-format.md 2.2, 3.3, 3.4). */
enum { PROG_BLOCKS = 0, PROG_VERSION = 1 };
enum { VERSION_VERSION = 0 };
enum { BLOCK_IDX = 0, BLOCK_PARENT = 1, BLOCK_VARS = 2, BLOCK_OPS = 3, BLOCK_FORWARD = 4 };
enum { VAR_NAME = 0, VAR_TYPE = 1, VAR_PERSISTABLE = 2, VAR_NEED_CHECK_FEED = 3 };
enum { VARTYPE_TYPE = 0, VARTYPE_LOD_TENSOR = 2 };
enum { LODT_TENSOR = 0, LODT_LOD_LEVEL = 1 };
enum { TENSOR_DATA_TYPE = 0, TENSOR_DIMS = 1 };
enum { OP_TYPE = 0, OP_INPUTS = 1, OP_OUTPUTS = 2, OP_ATTRS = 3, OP_IS_TARGET = 4 };
enum { SLOT_PARAMETER = 0, SLOT_ARGUMENTS = 1 };
enum {
    ATTR_NAME = 0, ATTR_TYPE = 1, ATTR_I = 2, ATTR_F = 3, ATTR_S = 4, ATTR_INTS = 5, ATTR_FLOATS = 6,
    ATTR_STRINGS = 7, ATTR_B = 8, ATTR_BOOLS = 9, ATTR_BLOCK_IDX = 10, ATTR_L = 11, ATTR_BLOCKS_IDX = 12,
    ATTR_LONGS = 13, ATTR_FLOAT64 = 14, ATTR_FLOAT64S = 15
};
enum { COMBINED_PARAMS = 0 };
enum { PARAM_NAME = 1, PARAM_VARIABLE_TYPE = 2, PARAM_VARIABLE = 3 };
enum { PARAM_TYPE_LOD_TENSOR = 1 };
enum { PTENSOR_LOD = 1, PTENSOR_DIM = 2, PTENSOR_DATA_TYPE = 3, PTENSOR_DATA = 4 };

typedef size_t (*write_fn)(fb_builder *b, const void *item);

/* Vector of tables, one per item of an array. */
static size_t write_tables(fb_builder *b, const void *items, int32_t n, size_t item_size, write_fn fn) {
    size_t vec = fb_ref_vector(b, (size_t)n);
    for (int32_t i = 0; i < n; i++)
        fb_patch(b, fb_elem(vec, (size_t)i), fn(b, (const char *)items + (size_t)i * item_size));
    return vec;
}

static size_t write_strings(fb_builder *b, const char *const *s, int32_t n) {
    size_t vec = fb_ref_vector(b, (size_t)n);
    for (int32_t i = 0; i < n; i++) fb_patch(b, fb_elem(vec, (size_t)i), fb_string(b, s[i]));
    return vec;
}

/* Booleans go element by element: C's bool need not be one byte. */
static size_t write_bools(fb_builder *b, const bool *v, int32_t n) {
    size_t vec = fb_vector(b, NULL, (size_t)n, 1);
    for (int32_t i = 0; i < n; i++) {
        uint8_t x = v[i];
        fb_write_at(b, fb_elem(vec, 0) + (size_t)i, &x, 1);
    }
    return vec;
}

/* --- program ------------------------------------------------------------- */

static size_t write_tensor_desc(fb_builder *b, const clr_var *v) {
    fb_table t;
    fb_table_init(&t);
    fb_field_i32(&t, TENSOR_DATA_TYPE, v->dtype);
    fb_field_ref(&t, TENSOR_DIMS);
    size_t pos = fb_table_end(b, &t);
    fb_patch(b, t.at[TENSOR_DIMS], fb_vector(b, v->dims, (size_t)v->ndims, 8));
    return pos;
}

static size_t write_lod_tensor_desc(fb_builder *b, const clr_var *v) {
    fb_table t;
    fb_table_init(&t);
    fb_field_ref(&t, LODT_TENSOR);
    fb_field_i32(&t, LODT_LOD_LEVEL, v->lod_level);
    size_t pos = fb_table_end(b, &t);
    fb_patch(b, t.at[LODT_TENSOR], write_tensor_desc(b, v));
    return pos;
}

/* Like opt, every var gets a lod_tensor description, feed and fetch included. */
static size_t write_var_type(fb_builder *b, const clr_var *v) {
    fb_table t;
    fb_table_init(&t);
    fb_field_i32(&t, VARTYPE_TYPE, v->type);
    fb_field_ref(&t, VARTYPE_LOD_TENSOR);
    size_t pos = fb_table_end(b, &t);
    fb_patch(b, t.at[VARTYPE_LOD_TENSOR], write_lod_tensor_desc(b, v));
    return pos;
}

static size_t write_var(fb_builder *b, const void *item) {
    const clr_var *v = item;
    fb_table t;
    fb_table_init(&t);
    fb_field_ref(&t, VAR_NAME);
    fb_field_ref(&t, VAR_TYPE);
    fb_field_u8(&t, VAR_PERSISTABLE, v->persistable);
    fb_field_u8(&t, VAR_NEED_CHECK_FEED, v->need_check_feed);
    size_t pos = fb_table_end(b, &t);
    fb_patch(b, t.at[VAR_NAME], fb_string(b, v->name));
    fb_patch(b, t.at[VAR_TYPE], write_var_type(b, v));
    return pos;
}

static size_t write_slot(fb_builder *b, const void *item) {
    const clr_slot *s = item;
    fb_table t;
    fb_table_init(&t);
    fb_field_ref(&t, SLOT_PARAMETER);
    fb_field_ref(&t, SLOT_ARGUMENTS);
    size_t pos = fb_table_end(b, &t);
    fb_patch(b, t.at[SLOT_PARAMETER], fb_string(b, s->param));
    fb_patch(b, t.at[SLOT_ARGUMENTS], write_strings(b, s->args, s->nargs));
    return pos;
}

/* The slot holding an attribute's value, or -1 for a type the writer does
 * not know. Scalars are stored inline; list and string slots are references. */
static int attr_value_slot(int32_t type) {
    switch (type) {
    case CLR_ATTR_INT: return ATTR_I;
    case CLR_ATTR_FLOAT: return ATTR_F;
    case CLR_ATTR_STRING: return ATTR_S;
    case CLR_ATTR_INTS: return ATTR_INTS;
    case CLR_ATTR_FLOATS: return ATTR_FLOATS;
    case CLR_ATTR_STRINGS: return ATTR_STRINGS;
    case CLR_ATTR_BOOLEAN: return ATTR_B;
    case CLR_ATTR_BOOLEANS: return ATTR_BOOLS;
    case CLR_ATTR_BLOCK: return ATTR_BLOCK_IDX;
    case CLR_ATTR_LONG: return ATTR_L;
    case CLR_ATTR_BLOCKS: return ATTR_BLOCKS_IDX;
    case CLR_ATTR_LONGS: return ATTR_LONGS;
    case CLR_ATTR_FLOAT64: return ATTR_FLOAT64;
    case CLR_ATTR_FLOAT64S: return ATTR_FLOAT64S;
    default: return -1;
    }
}

/* Appends a list or string value; returns its offset. */
static size_t write_attr_ref_value(fb_builder *b, const clr_attr *a) {
    size_t n = (size_t)a->count;
    switch (a->type) {
    case CLR_ATTR_STRING: return fb_string(b, a->v.s);
    case CLR_ATTR_INTS:
    case CLR_ATTR_BLOCKS: return fb_vector(b, a->list.ints, n, 4);
    case CLR_ATTR_FLOATS: return fb_vector(b, a->list.floats, n, 4);
    case CLR_ATTR_STRINGS: return write_strings(b, a->list.strings, a->count);
    case CLR_ATTR_BOOLEANS: return write_bools(b, a->list.bools, a->count);
    case CLR_ATTR_LONGS: return fb_vector(b, a->list.longs, n, 8);
    default: return fb_vector(b, a->list.float64s, n, 8); /* FLOAT64S */
    }
}

static size_t write_attr(fb_builder *b, const void *item) {
    const clr_attr *a = item;
    int slot = attr_value_slot(a->type);
    bool ref = false;
    fb_table t;
    fb_table_init(&t);
    fb_field_ref(&t, ATTR_NAME);
    fb_field_i32(&t, ATTR_TYPE, a->type);
    switch (a->type) {
    case CLR_ATTR_INT:
    case CLR_ATTR_BLOCK: fb_field_i32(&t, slot, a->v.i); break;
    case CLR_ATTR_FLOAT: fb_field(&t, slot, &a->v.f, 4); break;
    case CLR_ATTR_BOOLEAN: fb_field_u8(&t, slot, a->v.b); break;
    case CLR_ATTR_LONG: fb_field_i64(&t, slot, a->v.l); break;
    case CLR_ATTR_FLOAT64: fb_field(&t, slot, &a->v.f64, 8); break;
    default:
        fb_field_ref(&t, slot);
        ref = true;
    }
    size_t pos = fb_table_end(b, &t);
    fb_patch(b, t.at[ATTR_NAME], fb_string(b, a->name));
    if (ref) fb_patch(b, t.at[slot], write_attr_ref_value(b, a));
    return pos;
}

static size_t write_op(fb_builder *b, const void *item) {
    const clr_op *op = item;
    fb_table t;
    fb_table_init(&t);
    fb_field_ref(&t, OP_TYPE);
    fb_field_ref(&t, OP_INPUTS);
    fb_field_ref(&t, OP_OUTPUTS);
    fb_field_ref(&t, OP_ATTRS);
    fb_field_u8(&t, OP_IS_TARGET, op->is_target);
    size_t pos = fb_table_end(b, &t);
    fb_patch(b, t.at[OP_TYPE], fb_string(b, op->type));
    fb_patch(b, t.at[OP_INPUTS], write_tables(b, op->inputs, op->ninputs, sizeof *op->inputs, write_slot));
    fb_patch(b, t.at[OP_OUTPUTS], write_tables(b, op->outputs, op->noutputs, sizeof *op->outputs, write_slot));
    fb_patch(b, t.at[OP_ATTRS], write_tables(b, op->attrs, op->nattrs, sizeof *op->attrs, write_attr));
    return pos;
}

static size_t write_block(fb_builder *b, const void *item) {
    const clr_block *blk = item;
    fb_table t;
    fb_table_init(&t);
    fb_field_i32(&t, BLOCK_IDX, blk->idx);
    fb_field_i32(&t, BLOCK_PARENT, blk->parent_idx);
    fb_field_ref(&t, BLOCK_VARS);
    fb_field_ref(&t, BLOCK_OPS);
    fb_field_i32(&t, BLOCK_FORWARD, blk->forward_block_idx);
    size_t pos = fb_table_end(b, &t);
    fb_patch(b, t.at[BLOCK_VARS], write_tables(b, blk->vars, blk->nvars, sizeof *blk->vars, write_var));
    fb_patch(b, t.at[BLOCK_OPS], write_tables(b, blk->ops, blk->nops, sizeof *blk->ops, write_op));
    return pos;
}

static size_t write_version(fb_builder *b, int64_t version) {
    fb_table t;
    fb_table_init(&t);
    fb_field_i64(&t, VERSION_VERSION, version);
    return fb_table_end(b, &t);
}

static void write_program(fb_builder *b, const clr_program *prog) {
    fb_start(b);
    fb_table t;
    fb_table_init(&t);
    fb_field_ref(&t, PROG_BLOCKS);
    fb_field_ref(&t, PROG_VERSION);
    size_t root = fb_table_end(b, &t);
    fb_patch(b, b->base, root);
    fb_patch(b, t.at[PROG_BLOCKS], write_tables(b, prog->blocks, prog->nblocks, sizeof *prog->blocks, write_block));
    fb_patch(b, t.at[PROG_VERSION], write_version(b, prog->version));
}

/* --- parameters ---------------------------------------------------------- */

/* ParamDesc_.LoDTensorDesc: lod_level left at its default, lod empty as opt writes it. */
static size_t write_param_tensor(fb_builder *b, const clr_param *p) {
    fb_table t;
    fb_table_init(&t);
    fb_field_ref(&t, PTENSOR_LOD);
    fb_field_ref(&t, PTENSOR_DIM);
    fb_field_i32(&t, PTENSOR_DATA_TYPE, p->dtype);
    fb_field_ref(&t, PTENSOR_DATA);
    size_t pos = fb_table_end(b, &t);
    fb_patch(b, t.at[PTENSOR_LOD], fb_vector(b, NULL, 0, 8));
    fb_patch(b, t.at[PTENSOR_DIM], fb_vector(b, p->dims, (size_t)p->ndims, 8));
    fb_patch(b, t.at[PTENSOR_DATA], fb_vector(b, p->data, (size_t)p->nbytes, 1));
    return pos;
}

static size_t write_param_desc(fb_builder *b, const void *item) {
    const clr_param *p = item;
    fb_table t;
    fb_table_init(&t);
    fb_field_ref(&t, PARAM_NAME);
    fb_field_u8(&t, PARAM_VARIABLE_TYPE, PARAM_TYPE_LOD_TENSOR);
    fb_field_ref(&t, PARAM_VARIABLE);
    size_t pos = fb_table_end(b, &t);
    fb_patch(b, t.at[PARAM_NAME], fb_string(b, p->name));
    fb_patch(b, t.at[PARAM_VARIABLE], write_param_tensor(b, p));
    return pos;
}

static void put_u16(fb_builder *b, uint16_t v) { fb_bytes(b, &v, 2); }
static void put_u32(fb_builder *b, uint32_t v) { fb_bytes(b, &v, 4); }

/* meta 2 (3.2): a 12-byte stream header, then one framed ParamDesc flatbuffer per param. */
static void write_params_meta2(fb_builder *b, const clr_program *prog) {
    uint64_t max_bytes = 0;
    for (int32_t i = 0; i < prog->nparams; i++)
        if (prog->params[i].nbytes > max_bytes) max_bytes = prog->params[i].nbytes;
    put_u16(b, 0); /* param_version */
    put_u16(b, 0); /* meta_size */
    put_u16(b, 6); /* header_size */
    put_u16(b, (uint16_t)prog->nparams);
    put_u32(b, (uint32_t)max_bytes); /* validated to fit */
    for (int32_t i = 0; i < prog->nparams; i++) {
        size_t frame = b->len;
        put_u32(b, 0); /* total_size, set below */
        put_u32(b, 4); /* offset: no reserved bytes */
        fb_start(b);
        fb_patch(b, b->base, write_param_desc(b, &prog->params[i]));
        uint32_t total = (uint32_t)(4 + (b->len - b->base));
        fb_write_at(b, frame, &total, 4);
    }
}

/* meta 1 (3.3): one CombinedParamsDesc flatbuffer. */
static void write_params_meta1(fb_builder *b, const clr_program *prog) {
    fb_start(b);
    fb_table t;
    fb_table_init(&t);
    fb_field_ref(&t, COMBINED_PARAMS);
    fb_patch(b, b->base, fb_table_end(b, &t));
    fb_patch(b, t.at[COMBINED_PARAMS],
             write_tables(b, prog->params, prog->nparams, sizeof *prog->params, write_param_desc));
}

/* --- checks and entry points --------------------------------------------- */

/* Rejects what the format cannot hold, so the writers themselves only fail
 * on memory or size. */
static clr_status check_program(const clr_program *prog, int meta_version, clr_error *err) {
    for (int32_t bi = 0; bi < prog->nblocks; bi++) {
        const clr_block *blk = &prog->blocks[bi];
        for (int32_t oi = 0; oi < blk->nops; oi++) {
            const clr_op *op = &blk->ops[oi];
            for (int32_t ai = 0; ai < op->nattrs; ai++)
                if (attr_value_slot(op->attrs[ai].type) < 0)
                    return clr_error_set(err, CLR_ERR_ARG, "block %d op %d (%s) attr '%s': unknown attribute type %d",
                                         bi, oi, op->type, op->attrs[ai].name, op->attrs[ai].type);
        }
    }
    if (meta_version == 2 && prog->nparams > MAX_META2_PARAMS)
        return clr_error_set(err, CLR_ERR_ARG, "%d parameters: meta_version 2 holds at most %d", prog->nparams,
                             MAX_META2_PARAMS);
    for (int32_t i = 0; i < prog->nparams; i++)
        if (prog->params[i].nbytes > INT32_MAX)
            return clr_error_set(err, CLR_ERR_UNSUPPORTED, "parameter '%s': %llu bytes is too large for a .nb file",
                                 prog->params[i].name, (unsigned long long)prog->params[i].nbytes);
    return CLR_OK;
}

clr_status clr_program_serialize(const clr_program *program, int meta_version, void **out_data,
                                 size_t *out_size, clr_error *err) {
    if (!program || !out_data || !out_size)
        return clr_error_set(err, CLR_ERR_ARG, "clr_program_serialize: NULL argument");
    if (meta_version != 1 && meta_version != 2)
        return clr_error_set(err, CLR_ERR_ARG, "meta_version %d cannot be written (only 1 and 2)", meta_version);
    clr_status st = check_program(program, meta_version, err);
    if (st != CLR_OK) return st;

    fb_builder b;
    fb_init(&b);
    uint8_t header[HEADER_SIZE] = {0};
    header[0] = (uint8_t)meta_version;
    memcpy(header + 2, program->opt_version, strnlen(program->opt_version, 16));
    fb_bytes(&b, header, HEADER_SIZE);
    write_program(&b, program);
    uint64_t topo_size = b.len - HEADER_SIZE;
    fb_write_at(&b, TOPO_SIZE_AT, &topo_size, 8);
    if (meta_version == 2)
        write_params_meta2(&b, program);
    else
        write_params_meta1(&b, program);

    if (b.status != CLR_OK) {
        st = b.status;
        fb_release(&b);
        return clr_error_set(err, st, st == CLR_ERR_NOMEM ? "out of memory serializing the program"
                                                          : "the program is too large for a .nb file");
    }
    *out_data = b.buf;
    *out_size = b.len;
    return CLR_OK;
}

static clr_status write_file(const char *tmp, const void *data, size_t size) {
    FILE *f = fopen(tmp, "wb");
    if (!f) return CLR_ERR_IO;
    bool ok = fwrite(data, 1, size, f) == size;
    ok = fclose(f) == 0 && ok;
    return ok ? CLR_OK : CLR_ERR_IO;
}

clr_status clr_program_save(const clr_program *program, const char *path, int meta_version, clr_error *err) {
    if (!path) return clr_error_set(err, CLR_ERR_ARG, "clr_program_save: NULL path");
    void *data;
    size_t size;
    clr_status st = clr_program_serialize(program, meta_version, &data, &size, err);
    if (st != CLR_OK) return st;

    /* Write beside the target and rename, so a failed save never leaves a partial model. */
    size_t tlen = strlen(path) + 32;
    char *tmp = clr_malloc(tlen);
    if (!tmp) {
        free(data);
        return clr_error_set(err, CLR_ERR_NOMEM, "%s: out of memory", path);
    }
    snprintf(tmp, tlen, "%s.tmp.%ld", path, (long)getpid());
    errno = 0;
    st = write_file(tmp, data, size);
    if (st == CLR_OK && rename(tmp, path) != 0) st = CLR_ERR_IO;
    if (st != CLR_OK) {
        int e = errno ? errno : EIO;
        remove(tmp);
        st = clr_error_set(err, CLR_ERR_IO, "%s: cannot write: %s", path, strerror(e));
    }
    free(tmp);
    free(data);
    return st;
}
