/* clrun — in-memory program builder (see program_builder.h).
 *
 * Everything, the builder itself included, lives in one arena that becomes
 * the program's arena on success, so every error path releases all memory
 * with a single clr_arena_free. Growing arrays double inside the arena; the
 * abandoned copies cost at most as much again, which is fine for the small
 * programs built here. */
#include "model/program_builder.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/arena.h"
#include "core/error.h"
#include "model/program_internal.h"

enum { ARRAY_ALIGN = 16 };

typedef struct bop {
    const char *type;
    clr_slot *slots[2]; /* inputs, outputs */
    int32_t nslots[2], cap_slots[2];
    clr_attr *attrs;
    int32_t nattrs, cap_attrs;
} bop;

typedef struct bblock {
    int32_t parent_idx, forward_block_idx;
    clr_var *vars;
    int32_t nvars, cap_vars;
    bop *ops;
    int32_t nops, cap_ops;
} bblock;

struct clr_builder {
    clr_arena *arena;
    clr_status status; /* first failure, sticky */
    clr_error err;
    char opt_version[17];
    int64_t version;
    bblock *blocks;
    int32_t nblocks, cap_blocks;
    clr_param *params;
    int32_t nparams, cap_params;
};

static clr_status fail(clr_builder *b, clr_status st, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static clr_status fail(clr_builder *b, clr_status st, const char *fmt, ...) {
    if (b->status != CLR_OK) return b->status;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(b->err.msg, sizeof b->err.msg, fmt, ap);
    va_end(ap);
    b->status = st;
    return st;
}

static clr_status oom(clr_builder *b) { return fail(b, CLR_ERR_NOMEM, "program builder: out of memory"); }

/* Room for one more element of an arena array; NULL (status set) on failure. */
static void *grow(clr_builder *b, void *arr, int32_t n, int32_t *cap, size_t elem) {
    if (n < *cap) return arr;
    if (*cap > INT32_MAX / 2) {
        oom(b);
        return NULL;
    }
    int32_t ncap = *cap ? *cap * 2 : 8;
    void *narr = clr_arena_array(b->arena, (size_t)ncap, elem, ARRAY_ALIGN);
    if (!narr) {
        oom(b);
        return NULL;
    }
    if (n) memcpy(narr, arr, (size_t)n * elem);
    *cap = ncap;
    return narr;
}

static const char *copy_str(clr_builder *b, const char *s) {
    if (!s) {
        fail(b, CLR_ERR_ARG, "program builder: NULL string");
        return NULL;
    }
    char *d = clr_arena_strndup(b->arena, s, strlen(s));
    if (!d) oom(b);
    return d;
}

/* Copy of `count` elements; NULL (status set) on failure. */
static void *copy_array(clr_builder *b, const void *src, int32_t count, size_t elem, size_t align) {
    if (count < 0 || (count > 0 && !src)) {
        fail(b, CLR_ERR_ARG, "program builder: bad array (%d elements at %p)", count, src);
        return NULL;
    }
    void *d = clr_arena_array(b->arena, (size_t)count, elem, align);
    if (!d) {
        oom(b);
        return NULL;
    }
    if (count) memcpy(d, src, (size_t)count * elem);
    return d;
}

static const char *const *copy_strings(clr_builder *b, const char *const *src, int32_t n) {
    const char **d = copy_array(b, src, n, sizeof *src, ARRAY_ALIGN);
    for (int32_t i = 0; d && i < n; i++)
        if (!(d[i] = copy_str(b, src[i]))) return NULL;
    return d;
}

static bblock *cur_block(clr_builder *b) { return &b->blocks[b->nblocks - 1]; }

static bop *cur_op(clr_builder *b) {
    bblock *blk = cur_block(b);
    if (blk->nops == 0) {
        fail(b, CLR_ERR_ARG, "program builder: slot or attribute before the first op");
        return NULL;
    }
    return &blk->ops[blk->nops - 1];
}

clr_builder *clr_builder_create(const char *opt_version) {
    clr_arena *arena = clr_arena_create();
    if (!arena) return NULL;
    clr_builder *b = clr_arena_alloc(arena, sizeof *b, ARRAY_ALIGN);
    if (!b) {
        clr_arena_free(arena);
        return NULL;
    }
    b->arena = arena;
    b->status = CLR_OK;
    if (opt_version) snprintf(b->opt_version, sizeof b->opt_version, "%s", opt_version);
    if (clr_builder_block(b, 0, 0) != CLR_OK) {
        clr_arena_free(arena);
        return NULL;
    }
    return b;
}

void clr_builder_free(clr_builder *b) {
    if (b) clr_arena_free(b->arena);
}

clr_status clr_builder_version(clr_builder *b, int64_t version) {
    if (b->status == CLR_OK) b->version = version;
    return b->status;
}

clr_status clr_builder_block(clr_builder *b, int32_t parent_idx, int32_t forward_block_idx) {
    if (b->status != CLR_OK) return b->status;
    bblock *blocks = grow(b, b->blocks, b->nblocks, &b->cap_blocks, sizeof *blocks);
    if (!blocks) return b->status;
    b->blocks = blocks;
    blocks[b->nblocks++] = (bblock){.parent_idx = parent_idx, .forward_block_idx = forward_block_idx};
    return CLR_OK;
}

clr_status clr_builder_var_typed(clr_builder *b, const char *name, int32_t type, int32_t dtype, int32_t ndims,
                                 const int64_t *dims, bool persistable) {
    if (b->status != CLR_OK) return b->status;
    bblock *blk = cur_block(b);
    clr_var v = {.type = type, .dtype = dtype, .ndims = ndims, .persistable = persistable};
    if (!(v.name = copy_str(b, name)) || !(v.dims = copy_array(b, dims, ndims, sizeof *dims, 8))) return b->status;
    clr_var *vars = grow(b, blk->vars, blk->nvars, &blk->cap_vars, sizeof *vars);
    if (!vars) return b->status;
    blk->vars = vars;
    vars[blk->nvars++] = v;
    return CLR_OK;
}

clr_status clr_builder_var(clr_builder *b, const char *name, int32_t dtype, int32_t ndims, const int64_t *dims,
                           bool persistable) {
    return clr_builder_var_typed(b, name, CLR_VARTYPE_LOD_TENSOR, dtype, ndims, dims, persistable);
}

clr_status clr_builder_op(clr_builder *b, const char *type) {
    if (b->status != CLR_OK) return b->status;
    bblock *blk = cur_block(b);
    bop op = {.type = copy_str(b, type)};
    if (!op.type) return b->status;
    bop *ops = grow(b, blk->ops, blk->nops, &blk->cap_ops, sizeof *ops);
    if (!ops) return b->status;
    blk->ops = ops;
    ops[blk->nops++] = op;
    return CLR_OK;
}

static clr_status add_slot(clr_builder *b, int dir, const char *param, int32_t nargs, const char *const *args) {
    if (b->status != CLR_OK) return b->status;
    bop *op = cur_op(b);
    if (!op) return b->status;
    clr_slot s = {.param = copy_str(b, param), .nargs = nargs};
    if (!s.param || !(s.args = copy_strings(b, args, nargs))) return b->status;
    clr_slot *slots = grow(b, op->slots[dir], op->nslots[dir], &op->cap_slots[dir], sizeof *slots);
    if (!slots) return b->status;
    op->slots[dir] = slots;
    slots[op->nslots[dir]++] = s;
    return CLR_OK;
}

clr_status clr_builder_op_input(clr_builder *b, const char *param, int32_t nargs, const char *const *args) {
    return add_slot(b, 0, param, nargs, args);
}

clr_status clr_builder_op_output(clr_builder *b, const char *param, int32_t nargs, const char *const *args) {
    return add_slot(b, 1, param, nargs, args);
}

/* Deep copy of the value `src->type` selects; false (status set) on failure. */
static bool copy_attr_value(clr_builder *b, const clr_attr *src, clr_attr *d) {
    int32_t n = src->count;
    switch (src->type) {
    case CLR_ATTR_INT:
    case CLR_ATTR_BLOCK:
    case CLR_ATTR_FLOAT:
    case CLR_ATTR_BOOLEAN:
    case CLR_ATTR_LONG:
    case CLR_ATTR_FLOAT64: d->v = src->v; return true;
    case CLR_ATTR_STRING: return (d->v.s = copy_str(b, src->v.s)) != NULL;
    case CLR_ATTR_INTS:
    case CLR_ATTR_BLOCKS: return (d->list.ints = copy_array(b, src->list.ints, n, sizeof(int32_t), 8)) != NULL;
    case CLR_ATTR_FLOATS: return (d->list.floats = copy_array(b, src->list.floats, n, sizeof(float), 8)) != NULL;
    case CLR_ATTR_BOOLEANS: return (d->list.bools = copy_array(b, src->list.bools, n, sizeof(bool), 8)) != NULL;
    case CLR_ATTR_LONGS: return (d->list.longs = copy_array(b, src->list.longs, n, sizeof(int64_t), 8)) != NULL;
    case CLR_ATTR_FLOAT64S:
        return (d->list.float64s = copy_array(b, src->list.float64s, n, sizeof(double), 8)) != NULL;
    case CLR_ATTR_STRINGS: return (d->list.strings = copy_strings(b, src->list.strings, n)) != NULL;
    default:
        fail(b, CLR_ERR_ARG, "program builder: attr '%s': unknown attribute type %d", src->name ? src->name : "",
             src->type);
        return false;
    }
}

static bool is_list(int32_t type) {
    return type == CLR_ATTR_INTS || type == CLR_ATTR_FLOATS || type == CLR_ATTR_STRINGS ||
           type == CLR_ATTR_BOOLEANS || type == CLR_ATTR_BLOCKS || type == CLR_ATTR_LONGS ||
           type == CLR_ATTR_FLOAT64S;
}

clr_status clr_builder_attr(clr_builder *b, const clr_attr *attr) {
    if (b->status != CLR_OK) return b->status;
    bop *op = cur_op(b);
    if (!op) return b->status;
    clr_attr a = {.type = attr->type, .count = is_list(attr->type) ? attr->count : 0};
    if (!(a.name = copy_str(b, attr->name)) || !copy_attr_value(b, attr, &a)) return b->status;
    clr_attr *attrs = grow(b, op->attrs, op->nattrs, &op->cap_attrs, sizeof *attrs);
    if (!attrs) return b->status;
    op->attrs = attrs;
    attrs[op->nattrs++] = a;
    return CLR_OK;
}

clr_status clr_builder_attr_int(clr_builder *b, const char *name, int32_t v) {
    return clr_builder_attr(b, &(clr_attr){.name = name, .type = CLR_ATTR_INT, .v.i = v});
}

clr_status clr_builder_attr_float(clr_builder *b, const char *name, float v) {
    return clr_builder_attr(b, &(clr_attr){.name = name, .type = CLR_ATTR_FLOAT, .v.f = v});
}

clr_status clr_builder_attr_bool(clr_builder *b, const char *name, bool v) {
    return clr_builder_attr(b, &(clr_attr){.name = name, .type = CLR_ATTR_BOOLEAN, .v.b = v});
}

clr_status clr_builder_attr_long(clr_builder *b, const char *name, int64_t v) {
    return clr_builder_attr(b, &(clr_attr){.name = name, .type = CLR_ATTR_LONG, .v.l = v});
}

clr_status clr_builder_attr_string(clr_builder *b, const char *name, const char *v) {
    return clr_builder_attr(b, &(clr_attr){.name = name, .type = CLR_ATTR_STRING, .v.s = v});
}

clr_status clr_builder_attr_ints(clr_builder *b, const char *name, int32_t n, const int32_t *v) {
    return clr_builder_attr(b, &(clr_attr){.name = name, .type = CLR_ATTR_INTS, .count = n, .list.ints = v});
}

clr_status clr_builder_attr_floats(clr_builder *b, const char *name, int32_t n, const float *v) {
    return clr_builder_attr(b, &(clr_attr){.name = name, .type = CLR_ATTR_FLOATS, .count = n, .list.floats = v});
}

/* numel(dims) * element size, or false when a dim is negative or it overflows. */
static bool tensor_bytes(int32_t dtype, int32_t ndims, const int64_t *dims, uint64_t *out) {
    uint64_t n = clr_dtype_size(dtype);
    for (int32_t i = 0; i < ndims; i++) {
        if (dims[i] < 0 || (dims[i] && n > UINT64_MAX / (uint64_t)dims[i])) return false;
        n *= (uint64_t)dims[i];
    }
    *out = n;
    return true;
}

clr_status clr_builder_param(clr_builder *b, const char *name, int32_t dtype, int32_t ndims, const int64_t *dims,
                             const void *data, uint64_t nbytes) {
    if (b->status != CLR_OK) return b->status;
    uint64_t want;
    if (!clr_dtype_size(dtype) || ndims < 0 || (ndims && !dims) || !tensor_bytes(dtype, ndims, dims, &want) ||
        want != nbytes || nbytes > SIZE_MAX || (nbytes && !data))
        return fail(b, CLR_ERR_ARG, "program builder: parameter '%s': %llu bytes do not match its type %d and shape",
                    name ? name : "", (unsigned long long)nbytes, dtype);
    clr_param p = {.dtype = dtype, .ndims = ndims, .nbytes = nbytes};
    if (!(p.name = copy_str(b, name)) || !(p.dims = copy_array(b, dims, ndims, sizeof *dims, 8))) return b->status;
    void *copy = clr_arena_alloc(b->arena, (size_t)nbytes, 64);
    if (!copy) return oom(b);
    if (nbytes) memcpy(copy, data, (size_t)nbytes);
    p.data = copy;
    clr_param *params = grow(b, b->params, b->nparams, &b->cap_params, sizeof *params);
    if (!params) return b->status;
    b->params = params;
    params[b->nparams++] = p;
    return CLR_OK;
}

/* --- finish -------------------------------------------------------------- */

static int cmp_slot(const void *x, const void *y) {
    return strcmp(((const clr_slot *)x)->param, ((const clr_slot *)y)->param);
}
static int cmp_attr(const void *x, const void *y) {
    return strcmp(((const clr_attr *)x)->name, ((const clr_attr *)y)->name);
}
static int cmp_param(const void *x, const void *y) {
    return strcmp(((const clr_param *)x)->name, ((const clr_param *)y)->name);
}

/* Sorts `n` elements and returns the index of the first of two equal keys, or -1. */
static int32_t sort_unique(void *arr, int32_t n, size_t elem, int (*cmp)(const void *, const void *)) {
    if (n > 1) qsort(arr, (size_t)n, elem, cmp);
    for (int32_t i = 1; i < n; i++)
        if (cmp((char *)arr + (size_t)(i - 1) * elem, (char *)arr + (size_t)i * elem) == 0) return i;
    return -1;
}

static clr_status finish_op(clr_builder *b, bop *src, clr_op *dst, int32_t bi, int32_t oi) {
    static const char *const dir[2] = {"input", "output"};
    for (int d = 0; d < 2; d++) {
        int32_t dup = sort_unique(src->slots[d], src->nslots[d], sizeof(clr_slot), cmp_slot);
        if (dup >= 0)
            return fail(b, CLR_ERR_ARG, "program builder: block %d op %d (%s): duplicate %s '%s'", bi, oi, src->type,
                        dir[d], src->slots[d][dup].param);
    }
    int32_t dup = sort_unique(src->attrs, src->nattrs, sizeof(clr_attr), cmp_attr);
    if (dup >= 0)
        return fail(b, CLR_ERR_ARG, "program builder: block %d op %d (%s): duplicate attr '%s'", bi, oi, src->type,
                    src->attrs[dup].name);
    *dst = (clr_op){.type = src->type,
                    .ninputs = src->nslots[0],
                    .noutputs = src->nslots[1],
                    .nattrs = src->nattrs,
                    .inputs = src->slots[0],
                    .outputs = src->slots[1],
                    .attrs = src->attrs};
    return CLR_OK;
}

static clr_status finish_blocks(clr_builder *b, clr_program *prog) {
    clr_block *blocks = clr_arena_array(b->arena, (size_t)b->nblocks, sizeof *blocks, ARRAY_ALIGN);
    if (!blocks) return oom(b);
    for (int32_t bi = 0; bi < b->nblocks; bi++) {
        bblock *src = &b->blocks[bi];
        clr_op *ops = clr_arena_array(b->arena, (size_t)src->nops, sizeof *ops, ARRAY_ALIGN);
        if (!ops) return oom(b);
        for (int32_t oi = 0; oi < src->nops; oi++)
            if (finish_op(b, &src->ops[oi], &ops[oi], bi, oi) != CLR_OK) return b->status;
        blocks[bi] = (clr_block){.idx = bi,
                                 .parent_idx = src->parent_idx,
                                 .forward_block_idx = src->forward_block_idx,
                                 .nvars = src->nvars,
                                 .nops = src->nops,
                                 .vars = src->vars,
                                 .ops = ops};
    }
    prog->nblocks = b->nblocks;
    prog->blocks = blocks;
    int32_t dup = sort_unique(b->params, b->nparams, sizeof(clr_param), cmp_param);
    if (dup >= 0) return fail(b, CLR_ERR_ARG, "program builder: duplicate parameter '%s'", b->params[dup].name);
    prog->nparams = b->nparams;
    prog->params = b->params;
    return CLR_OK;
}

clr_status clr_builder_finish(clr_builder *b, clr_program **out, clr_error *err) {
    if (!b) return clr_error_set(err, CLR_ERR_ARG, "clr_builder_finish: NULL builder");
    clr_program *prog = NULL;
    if (b->status == CLR_OK && !out) fail(b, CLR_ERR_ARG, "clr_builder_finish: NULL output");
    if (b->status == CLR_OK && !(prog = clr_calloc(1, sizeof *prog))) oom(b);
    if (b->status == CLR_OK) {
        prog->format = CLR_FORMAT_META2;
        memcpy(prog->opt_version, b->opt_version, sizeof prog->opt_version);
        prog->version = b->version;
        finish_blocks(b, prog);
    }
    if (b->status != CLR_OK) {
        clr_status st = clr_error_set(err, b->status, "%s", b->err.msg);
        free(prog);
        clr_arena_free(b->arena);
        return st;
    }
    prog->arena = b->arena; /* the builder's own memory goes with it */
    clr_status st = clr_program_finish(prog, "program builder", err);
    if (st != CLR_OK) {
        clr_program_free(prog);
        return st;
    }
    *out = prog;
    return CLR_OK;
}
