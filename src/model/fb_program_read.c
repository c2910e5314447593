/* clrun — meta_version 1/2 program reader: the flatbuffers ProgramDesc
 * (nb-format.md 2.2, 2.5) into the blocks of a clr_program. */
#include <stdio.h>

#include "core/arena.h"
#include "model/flatbuf.h"

enum { LABEL = 256 }; /* op labels stay far below 160 bytes: names are cut to 40 */

/* VarDesc: name, VarType (type, lod_tensor → tensor dtype/dims, lod_level), flags. */
static clr_status read_var(clr_fb *fb, const clr_fb_table *t, char *label, clr_var *v) {
    clr_status st;
    if ((st = clr_fb_string(fb, t, 0, "name", true, &v->name)) != CLR_OK) return st;
    clr_fb_label_add(label, LABEL, " '", v->name, "'");
    if ((st = clr_fb_bool(fb, t, 2, "persistable", &v->persistable)) != CLR_OK ||
        (st = clr_fb_bool(fb, t, 3, "need_check_feed", &v->need_check_feed)) != CLR_OK)
        return st;
    clr_fb_table type, lod, tensor;
    bool present;
    if ((st = clr_fb_table_field(fb, t, 1, "type", label, true, &type, &present)) != CLR_OK ||
        (st = clr_fb_i32(fb, &type, 0, "type", 0, &v->type)) != CLR_OK ||
        (st = clr_fb_table_field(fb, &type, 2, "lod_tensor", label, false, &lod, &present)) != CLR_OK)
        return st;
    if (!present) return CLR_OK; /* no tensor description: dtype 0, no dims */
    clr_fb_vec dims;
    void *p;
    if ((st = clr_fb_i32(fb, &lod, 1, "lod_level", 0, &v->lod_level)) != CLR_OK ||
        (st = clr_fb_table_field(fb, &lod, 0, "tensor", label, true, &tensor, &present)) != CLR_OK ||
        (st = clr_fb_i32(fb, &tensor, 0, "data_type", 0, &v->dtype)) != CLR_OK ||
        (st = clr_fb_vector(fb, &tensor, 1, "dims", 8, &dims)) != CLR_OK ||
        (st = clr_fb_vec_scalars(fb, &dims, &p)) != CLR_OK)
        return st;
    v->ndims = (int32_t)dims.count;
    v->dims = p;
    return CLR_OK;
}

/* An op's inputs or outputs: OpDesc_.Var tables (parameter, arguments). */
static clr_status read_slots(clr_fb *fb, const clr_fb_table *op, int slot, const char *field, const char *noun,
                             const char *op_label, int32_t *n, const clr_slot **out) {
    clr_fb_vec v;
    clr_slot *slots;
    clr_status st;
    if ((st = clr_fb_vector(fb, op, slot, field, 4, &v)) != CLR_OK) return st;
    if (!(slots = clr_arena_array(fb->ctx->arena, v.count, sizeof *slots, _Alignof(clr_slot))))
        return clr_fb_nomem(fb, op_label);
    for (uint32_t i = 0; i < v.count; i++) {
        char label[LABEL];
        snprintf(label, sizeof label, "%.160s %s %u", op_label, noun, i);
        clr_fb_table t;
        clr_fb_vec args;
        const char **names;
        if ((st = clr_fb_vec_table(fb, &v, i, label, &t)) != CLR_OK ||
            (st = clr_fb_string(fb, &t, 0, "parameter", true, &slots[i].param)) != CLR_OK)
            return st;
        snprintf(label, sizeof label, "%.160s %s", op_label, noun);
        clr_fb_label_add(label, LABEL, " '", slots[i].param, "'");
        if ((st = clr_fb_vector(fb, &t, 1, "arguments", 4, &args)) != CLR_OK) return st;
        if (!(names = clr_arena_array(fb->ctx->arena, args.count, sizeof *names, _Alignof(const char *))))
            return clr_fb_nomem(fb, label);
        for (uint32_t j = 0; j < args.count; j++)
            if ((st = clr_fb_vec_string(fb, &args, j, &names[j])) != CLR_OK) return st;
        slots[i].nargs = (int32_t)args.count;
        slots[i].args = names;
    }
    *n = (int32_t)v.count;
    *out = slots;
    return CLR_OK;
}

/* A list attribute of 4- or 8-byte scalars; the caller stores *out in the
 * list member its type selects. */
static clr_status scalar_list(clr_fb *fb, const clr_fb_table *t, int slot, const char *field, size_t elem_size,
                              clr_attr *a, void **out) {
    clr_fb_vec v;
    clr_status st = clr_fb_vector(fb, t, slot, field, elem_size, &v);
    if (st == CLR_OK) st = clr_fb_vec_scalars(fb, &v, out);
    a->count = (int32_t)v.count;
    return st;
}

static clr_status string_list(clr_fb *fb, const clr_fb_table *t, clr_attr *a) {
    clr_fb_vec v;
    const char **list;
    clr_status st;
    if ((st = clr_fb_vector(fb, t, 7, "strings", 4, &v)) != CLR_OK) return st;
    if (!(list = clr_arena_array(fb->ctx->arena, v.count, sizeof *list, _Alignof(const char *))))
        return clr_fb_nomem(fb, t->obj);
    for (uint32_t i = 0; i < v.count; i++)
        if ((st = clr_fb_vec_string(fb, &v, i, &list[i])) != CLR_OK) return st;
    a->count = (int32_t)v.count;
    a->list.strings = list;
    return CLR_OK;
}

/* Reads only the field that the attribute's type selects (2.5). */
static clr_status read_attr_value(clr_fb *fb, const clr_fb_table *t, clr_attr *a) {
    clr_status st;
    void *p = NULL;
    switch (a->type) {
    case CLR_ATTR_INT: return clr_fb_i32(fb, t, 2, "i", 0, &a->v.i);
    case CLR_ATTR_FLOAT: return clr_fb_f32(fb, t, 3, "f", &a->v.f);
    case CLR_ATTR_STRING: return clr_fb_string(fb, t, 4, "s", false, &a->v.s);
    case CLR_ATTR_INTS:
        st = scalar_list(fb, t, 5, "ints", 4, a, &p);
        a->list.ints = p;
        return st;
    case CLR_ATTR_FLOATS:
        st = scalar_list(fb, t, 6, "floats", 4, a, &p);
        a->list.floats = p;
        return st;
    case CLR_ATTR_STRINGS: return string_list(fb, t, a);
    case CLR_ATTR_BOOLEAN: return clr_fb_bool(fb, t, 8, "b", &a->v.b);
    case CLR_ATTR_BOOLEANS: {
        clr_fb_vec v;
        bool *list;
        if ((st = clr_fb_vector(fb, t, 9, "bools", 1, &v)) != CLR_OK ||
            (st = clr_fb_vec_bools(fb, &v, &list)) != CLR_OK)
            return st;
        a->count = (int32_t)v.count;
        a->list.bools = list;
        return CLR_OK;
    }
    case CLR_ATTR_BLOCK: return clr_fb_i32(fb, t, 10, "block_idx", 0, &a->v.i);
    case CLR_ATTR_LONG: return clr_fb_i64(fb, t, 11, "l", 0, &a->v.l);
    case CLR_ATTR_BLOCKS:
        st = scalar_list(fb, t, 12, "blocks_idx", 4, a, &p);
        a->list.ints = p;
        return st;
    case CLR_ATTR_LONGS:
        st = scalar_list(fb, t, 13, "longs", 8, a, &p);
        a->list.longs = p;
        return st;
    case CLR_ATTR_FLOAT64: return clr_fb_f64(fb, t, 14, "float64", &a->v.f64);
    case CLR_ATTR_FLOAT64S:
        st = scalar_list(fb, t, 15, "float64s", 8, a, &p);
        a->list.float64s = p;
        return st;
    default: return clr_fb_fail(fb, t->pos, t->obj, "unknown attribute type %d", a->type);
    }
}

static clr_status read_attrs(clr_fb *fb, const clr_fb_table *op, const char *op_label, clr_op *o) {
    clr_fb_vec v;
    clr_attr *attrs;
    clr_status st;
    if ((st = clr_fb_vector(fb, op, 3, "attrs", 4, &v)) != CLR_OK) return st;
    if (!(attrs = clr_arena_array(fb->ctx->arena, v.count, sizeof *attrs, _Alignof(clr_attr))))
        return clr_fb_nomem(fb, op_label);
    for (uint32_t i = 0; i < v.count; i++) {
        char label[LABEL];
        snprintf(label, sizeof label, "%.160s attr %u", op_label, i);
        clr_fb_table t;
        if ((st = clr_fb_vec_table(fb, &v, i, label, &t)) != CLR_OK ||
            (st = clr_fb_string(fb, &t, 0, "name", true, &attrs[i].name)) != CLR_OK)
            return st;
        snprintf(label, sizeof label, "%.160s attr", op_label);
        clr_fb_label_add(label, LABEL, " '", attrs[i].name, "'");
        if ((st = clr_fb_i32(fb, &t, 1, "type", CLR_ATTR_INT, &attrs[i].type)) != CLR_OK ||
            (st = read_attr_value(fb, &t, &attrs[i])) != CLR_OK)
            return st;
    }
    o->nattrs = (int32_t)v.count;
    o->attrs = attrs;
    return CLR_OK;
}

static clr_status read_op(clr_fb *fb, const clr_fb_table *t, char *label, clr_op *op) {
    clr_status st;
    if ((st = clr_fb_string(fb, t, 0, "type", true, &op->type)) != CLR_OK) return st;
    clr_fb_label_add(label, LABEL, " (", op->type, ")");
    if ((st = read_slots(fb, t, 1, "inputs", "input", label, &op->ninputs, &op->inputs)) != CLR_OK ||
        (st = read_slots(fb, t, 2, "outputs", "output", label, &op->noutputs, &op->outputs)) != CLR_OK ||
        (st = read_attrs(fb, t, label, op)) != CLR_OK)
        return st;
    return clr_fb_bool(fb, t, 4, "is_target", &op->is_target);
}

static clr_status read_block(clr_fb *fb, const clr_fb_table *t, uint32_t b, clr_block *blk) {
    clr_fb_vec vars, ops;
    clr_var *v;
    clr_op *o;
    clr_status st;
    if ((st = clr_fb_i32(fb, t, 0, "idx", 0, &blk->idx)) != CLR_OK ||
        (st = clr_fb_i32(fb, t, 1, "parent_idx", 0, &blk->parent_idx)) != CLR_OK ||
        (st = clr_fb_i32(fb, t, 4, "forward_block_idx", -1, &blk->forward_block_idx)) != CLR_OK ||
        (st = clr_fb_vector(fb, t, 2, "vars", 4, &vars)) != CLR_OK ||
        (st = clr_fb_vector(fb, t, 3, "ops", 4, &ops)) != CLR_OK)
        return st;
    if (!(v = clr_arena_array(fb->ctx->arena, vars.count, sizeof *v, _Alignof(clr_var))) ||
        !(o = clr_arena_array(fb->ctx->arena, ops.count, sizeof *o, _Alignof(clr_op))))
        return clr_fb_nomem(fb, t->obj);
    for (uint32_t i = 0; i < vars.count; i++) {
        char label[LABEL];
        clr_fb_table vt;
        snprintf(label, sizeof label, "block %u var %u", b, i);
        if ((st = clr_fb_vec_table(fb, &vars, i, label, &vt)) != CLR_OK ||
            (st = read_var(fb, &vt, label, &v[i])) != CLR_OK)
            return st;
    }
    for (uint32_t i = 0; i < ops.count; i++) {
        char label[LABEL];
        clr_fb_table ot;
        snprintf(label, sizeof label, "block %u op %u", b, i);
        if ((st = clr_fb_vec_table(fb, &ops, i, label, &ot)) != CLR_OK ||
            (st = read_op(fb, &ot, label, &o[i])) != CLR_OK)
            return st;
    }
    blk->nvars = (int32_t)vars.count;
    blk->vars = v;
    blk->nops = (int32_t)ops.count;
    blk->ops = o;
    return CLR_OK;
}

clr_status clr_fb_read_program(clr_load_ctx *ctx, const uint8_t *buf, size_t size, size_t base) {
    clr_fb fb;
    clr_fb_table root, version;
    clr_fb_vec blocks;
    clr_block *blk;
    bool present;
    clr_status st;
    clr_fb_init(&fb, ctx, buf, size, base);
    if ((st = clr_fb_root(&fb, "ProgramDesc", &root)) != CLR_OK ||
        (st = clr_fb_table_field(&fb, &root, 1, "version", "ProgramDesc", false, &version, &present)) != CLR_OK ||
        (present && (st = clr_fb_i64(&fb, &version, 0, "version", 0, &ctx->prog->version)) != CLR_OK) ||
        (st = clr_fb_vector(&fb, &root, 0, "blocks", 4, &blocks)) != CLR_OK)
        return st;
    if (!(blk = clr_arena_array(ctx->arena, blocks.count, sizeof *blk, _Alignof(clr_block))))
        return clr_fb_nomem(&fb, "ProgramDesc");
    for (uint32_t b = 0; b < blocks.count; b++) {
        char label[LABEL];
        clr_fb_table t;
        snprintf(label, sizeof label, "block %u", b);
        if ((st = clr_fb_vec_table(&fb, &blocks, b, label, &t)) != CLR_OK ||
            (st = read_block(&fb, &t, b, &blk[b])) != CLR_OK)
            return st;
    }
    ctx->prog->nblocks = (int32_t)blocks.count;
    ctx->prog->blocks = blk;
    return CLR_OK;
}
