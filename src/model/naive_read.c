/* clrun — reader for the "naive buffer" encoding (nb-format.md 3.5): the
 * program and parameter list of meta_version 0 files and of the pre-v2.3
 * directory form (3.6).
 *
 * The encoding has no tags and no offsets: every field of every struct is
 * stored in declaration order, so the whole section is walked front to back
 * and every byte is checked. Fields clr_program has no place for (unused
 * attribute members, the VarType descriptions a var's type does not select,
 * parameter LoD) are still read and bounds-checked, then dropped without
 * allocating anything.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/error.h"
#include "core/reader.h"
#include "model/loader.h"

/* Smallest encoded size of each struct (all of its lists empty, strings
 * empty). A count read from the file is checked against the bytes left at
 * this size per element before anything is allocated. */
enum {
    STR_MIN = 8,                                      /* u64 length */
    LIST_MIN = 8,                                     /* u64 count */
    TENSOR_MIN = 4 + LIST_MIN,                        /* data_type, dims */
    LOD_TENSOR_MIN = TENSOR_MIN + 4,                  /* tensor, lod_level */
    VAR_TYPE_MIN = 4 + TENSOR_MIN + 2 * LOD_TENSOR_MIN + 2 * LIST_MIN,
    VAR_MIN = STR_MIN + VAR_TYPE_MIN + 1,             /* name, type, persistable */
    SLOT_MIN = STR_MIN + LIST_MIN,                    /* parameter, arguments */
    ATTR_MIN = STR_MIN + 4 + 4 + 4 + STR_MIN + 3 * LIST_MIN + 1 + LIST_MIN + 4 + 8 + 2 * LIST_MIN,
    OP_MIN = STR_MIN + 3 * LIST_MIN + 1,              /* type, inputs, outputs, attrs, is_target */
    BLOCK_MIN = 4 + 4 + 2 * LIST_MIN + 4,             /* idx, parent, vars, ops, forward */
    PARAM_MIN = STR_MIN + 4 + 8 + LIST_MIN + 4 + TENSOR_MIN + LIST_MIN,
};

/* Lite's internal VarDataType (the numbering of this format) to clr_dtype. */
static const int32_t lite_to_dtype[] = {
    CLR_DTYPE_BOOL,  CLR_DTYPE_INT16,  CLR_DTYPE_INT32,  CLR_DTYPE_INT64,
    CLR_DTYPE_FP16,  CLR_DTYPE_FP32,   CLR_DTYPE_FP64,   CLR_DTYPE_SIZE_T,
    CLR_DTYPE_UINT8, CLR_DTYPE_INT8,   CLR_VARTYPE_LOD_TENSOR,
    CLR_VARTYPE_SELECTED_ROWS,         CLR_VARTYPE_FEED_MINIBATCH,
    CLR_VARTYPE_FETCH_LIST,            CLR_VARTYPE_STEP_SCOPES,
    CLR_VARTYPE_LOD_RANK_TABLE,        CLR_VARTYPE_LOD_TENSOR_ARRAY,
    CLR_VARTYPE_PLACE_LIST,            CLR_VARTYPE_READER,
    CLR_VARTYPE_RAW,                   CLR_VARTYPE_TUPLE,
};

/* The cursor plus a description of the object being read, which prefixes
 * every error ("block 0 op 12 (conv2d) attr 'strides'"). */
typedef struct nb_in {
    clr_reader r;
    clr_load_ctx *ctx;
    size_t wlen;
    char where[256];
} nb_in;

/* A tensor description as kept in a var or parameter; `dtype` is still in
 * Lite's numbering, stored at section position `dtype_pos`. */
typedef struct nb_tensor {
    int32_t dtype, ndims;
    const int64_t *dims;
    size_t dtype_pos;
} nb_tensor;

static void nb_init(nb_in *in, clr_load_ctx *ctx, const uint8_t *buf, size_t size, size_t base) {
    clr_reader_init(&in->r, buf, size, base, ctx->name, ctx->err);
    in->ctx = ctx;
    in->wlen = 0;
    in->where[0] = '\0';
}

/* Appends to the object description; returns the length to restore with
 * where_pop. Names come from the file, so control bytes are masked to keep
 * the message on one line. */
static size_t where_push(nb_in *in, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static size_t where_push(nb_in *in, const char *fmt, ...) {
    size_t mark = in->wlen, room = sizeof in->where - mark;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(in->where + mark, room, fmt, ap);
    va_end(ap);
    in->wlen = n < 0 ? mark : mark + ((size_t)n < room ? (size_t)n : room - 1);
    in->where[in->wlen] = '\0';
    for (size_t i = mark; i < in->wlen; i++)
        if ((unsigned char)in->where[i] < 0x20 || in->where[i] == 0x7f) in->where[i] = '?';
    return mark;
}

static void where_pop(nb_in *in, size_t mark) {
    in->wlen = mark;
    in->where[mark] = '\0';
}

/* Records a format error at section position `pos` (so it names the start
 * of the offending field), prefixed with the object description. */
static clr_status nb_fail(nb_in *in, size_t pos, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static clr_status nb_fail(nb_in *in, size_t pos, const char *fmt, ...) {
    char what[320];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    in->r.pos = pos;
    if (in->wlen) return clr_reader_fail(&in->r, "%s: %s", in->where, what);
    return clr_reader_fail(&in->r, "%s", what);
}

static clr_status nb_nomem(nb_in *in, const char *what) {
    return clr_error_set(in->ctx->err, CLR_ERR_NOMEM, "%s: out of memory reading %s%s%s", in->ctx->name,
                         in->where, in->wlen ? " " : "", what);
}

/* The next n bytes, in place. */
static clr_status take(nb_in *in, size_t n, const uint8_t **p, const char *what) {
    if (n > clr_reader_left(&in->r))
        return nb_fail(in, in->r.pos, "%s: need %zu bytes, %zu left", what, n, clr_reader_left(&in->r));
    return clr_read_bytes(&in->r, n, p, what);
}

static clr_status rd_u32(nb_in *in, uint32_t *v, const char *what) {
    const uint8_t *p;
    clr_status st = take(in, 4, &p, what);
    if (st == CLR_OK) *v = clr_load_u32(p);
    return st;
}

static clr_status rd_i32(nb_in *in, int32_t *v, const char *what) {
    uint32_t u;
    clr_status st = rd_u32(in, &u, what);
    if (st == CLR_OK) memcpy(v, &u, sizeof *v);
    return st;
}

static clr_status rd_u64(nb_in *in, uint64_t *v, const char *what) {
    const uint8_t *p;
    clr_status st = take(in, 8, &p, what);
    if (st == CLR_OK) *v = clr_load_u64(p);
    return st;
}

/* A bool is one byte, 0 or 1, when kept in *v. One that is not kept (an
 * attribute's unused `b`) is skipped unchecked: Lite leaves those
 * uninitialized (observed 32, 125). */
static clr_status rd_bool(nb_in *in, bool *v, const char *what) {
    const uint8_t *p;
    clr_status st = take(in, 1, &p, what);
    if (st != CLR_OK || !v) return st;
    if (*p > 1) return nb_fail(in, in->r.pos - 1, "%s: bool byte is %u, not 0 or 1", what, *p);
    *v = *p;
    return CLR_OK;
}

/* Converts Lite's internal data-type numbering to clr_dtype. */
static bool from_lite_dtype(int32_t t, int32_t *v) {
    if (t < 0 || (size_t)t >= sizeof lite_to_dtype / sizeof lite_to_dtype[0]) return false;
    *v = lite_to_dtype[t];
    return true;
}

static clr_status rd_dtype(nb_in *in, int32_t *v, const char *what) {
    int32_t t;
    clr_status st = rd_i32(in, &t, what);
    if (st == CLR_OK && !from_lite_dtype(t, v))
        return nb_fail(in, in->r.pos - 4, "%s: unknown data type %d", what, t);
    return st;
}

/* A list count, checked against the bytes left at `min_size` bytes per
 * element (so the allocation it drives is bounded by the input size) and
 * against `max` (what the in-memory count can hold). */
static clr_status rd_count(nb_in *in, size_t min_size, uint64_t max, uint64_t *n, const char *what) {
    clr_status st = rd_u64(in, n, what);
    if (st != CLR_OK) return st;
    size_t left = clr_reader_left(&in->r);
    if (*n > left / min_size && min_size == 1)
        return nb_fail(in, in->r.pos - 8, "%s: length %llu exceeds the %zu bytes left", what,
                       (unsigned long long)*n, left);
    if (*n > left / min_size)
        return nb_fail(in, in->r.pos - 8, "%s: count %llu (at least %zu bytes each) exceeds the %zu bytes left",
                       what, (unsigned long long)*n, min_size, left);
    if (*n > max) return nb_fail(in, in->r.pos - 8, "%s: count %llu is too large", what, (unsigned long long)*n);
    return CLR_OK;
}

/* Zeroed arena array; NULL (with the error recorded) when out of memory. */
static void *alloc_array(nb_in *in, uint64_t n, size_t elem, clr_status *st, const char *what) {
    void *p = clr_arena_array(in->ctx->arena, (size_t)n, elem, 8);
    if (!p) *st = nb_nomem(in, what);
    return p;
}

/* A string; copied NUL-terminated into the arena when `out` is not NULL. */
static clr_status rd_str(nb_in *in, const char **out, const char *what) {
    uint64_t len;
    const uint8_t *p;
    clr_status st = rd_count(in, 1, SIZE_MAX, &len, what);
    if (st == CLR_OK) st = take(in, (size_t)len, &p, what);
    if (st != CLR_OK || !out) return st;
    *out = clr_arena_strndup(in->ctx->arena, (const char *)p, (size_t)len);
    return *out ? CLR_OK : nb_nomem(in, what);
}

/* A list of fixed-size little-endian elements (4 or 8 bytes), decoded into
 * a new arena array when `keep`. Elements are copied as integers of their
 * size, which is also right for float and double. */
static clr_status rd_words(nb_in *in, size_t esize, bool keep, const void **out, int32_t *count, const char *what) {
    uint64_t n;
    const uint8_t *p;
    clr_status st = rd_count(in, esize, INT32_MAX, &n, what);
    if (st == CLR_OK) st = take(in, (size_t)n * esize, &p, what);
    if (st != CLR_OK || !keep) return st;
    uint8_t *v = alloc_array(in, n, esize, &st, what);
    if (!v) return st;
    for (size_t i = 0; i < n; i++, p += esize) {
        if (esize == 4) {
            uint32_t u = clr_load_u32(p);
            memcpy(v + i * 4, &u, 4);
        } else {
            uint64_t u = clr_load_u64(p);
            memcpy(v + i * 8, &u, 8);
        }
    }
    *out = v;
    *count = (int32_t)n;
    return CLR_OK;
}

static clr_status rd_bools(nb_in *in, const bool **out, int32_t *count, const char *what) {
    uint64_t n;
    clr_status st = rd_count(in, 1, INT32_MAX, &n, what);
    bool *v = NULL;
    if (st == CLR_OK && out) v = alloc_array(in, n, sizeof *v, &st, what);
    for (uint64_t i = 0; st == CLR_OK && i < n; i++) st = rd_bool(in, v ? &v[i] : NULL, what);
    if (st == CLR_OK && out) {
        *out = v;
        *count = (int32_t)n;
    }
    return st;
}

static clr_status rd_strs(nb_in *in, const char *const **out, int32_t *count, const char *what) {
    uint64_t n;
    clr_status st = rd_count(in, STR_MIN, INT32_MAX, &n, what);
    const char **v = NULL;
    if (st == CLR_OK && out) v = alloc_array(in, n, sizeof *v, &st, what);
    for (uint64_t i = 0; st == CLR_OK && i < n; i++) st = rd_str(in, v ? &v[i] : NULL, what);
    if (st == CLR_OK && out) {
        *out = v;
        *count = (int32_t)n;
    }
    return st;
}

/* TensorDesc = data_type, dims. Kept in *out when not NULL; the caller
 * interprets the data type. */
static clr_status read_tensor(nb_in *in, nb_tensor *out, const char *what) {
    nb_tensor t = {.dtype_pos = in->r.pos};
    const void *dims = NULL;
    clr_status st = rd_i32(in, &t.dtype, what);
    if (st == CLR_OK) st = rd_words(in, 8, out != NULL, &dims, &t.ndims, what);
    if (st == CLR_OK && out) {
        t.dims = dims;
        *out = t;
    }
    return st;
}

/* LoDTensorDesc = tensor, lod_level. */
static clr_status read_lod_tensor(nb_in *in, nb_tensor *out, int32_t *lod_level, const char *what) {
    int32_t level;
    clr_status st = read_tensor(in, out, what);
    if (st == CLR_OK) st = rd_i32(in, &level, what);
    if (st == CLR_OK && lod_level) *lod_level = level;
    return st;
}

/* VarType = type, selected_rows, lod_tensor, tensor_array, reader, tuple.
 * The var keeps the description its type selects (lod_tensor for every type
 * but SELECTED_ROWS and LOD_TENSOR_ARRAY, as Lite does). Lite never sets a
 * var's tensor data type in this format and writes whatever the memory held
 * (mostly 0, also 32 or 51098784): a value that is no data type reads as 0
 * (BOOL), and the data types of the other descriptions are not checked. */
static clr_status read_var_type(nb_in *in, clr_var *v) {
    nb_tensor t = {0};
    int32_t level = 0;
    uint64_t n;
    clr_status st = rd_dtype(in, &v->type, "var type");
    if (st != CLR_OK) return st;
    bool rows = v->type == CLR_VARTYPE_SELECTED_ROWS, array = v->type == CLR_VARTYPE_LOD_TENSOR_ARRAY;
    bool lod = !rows && !array;
    if ((st = read_tensor(in, rows ? &t : NULL, "selected_rows")) != CLR_OK) return st;
    if ((st = read_lod_tensor(in, lod ? &t : NULL, lod ? &level : NULL, "lod_tensor")) != CLR_OK) return st;
    if ((st = read_lod_tensor(in, array ? &t : NULL, array ? &level : NULL, "tensor_array")) != CLR_OK) return st;
    if ((st = rd_count(in, LOD_TENSOR_MIN, UINT64_MAX, &n, "reader")) != CLR_OK) return st;
    for (uint64_t i = 0; st == CLR_OK && i < n; i++) st = read_lod_tensor(in, NULL, NULL, "reader");
    if (st == CLR_OK) st = rd_words(in, 4, false, NULL, NULL, "tuple");
    if (!from_lite_dtype(t.dtype, &v->dtype)) v->dtype = CLR_DTYPE_BOOL;
    v->ndims = t.ndims;
    v->dims = t.dims;
    v->lod_level = level;
    return st;
}

/* Var = name, type, persistable. */
static clr_status read_var(nb_in *in, uint64_t i, clr_var *v) {
    size_t mark = where_push(in, " var %llu", (unsigned long long)i);
    clr_status st = rd_str(in, &v->name, "name");
    if (st == CLR_OK) {
        where_push(in, " '%.80s'", v->name);
        st = read_var_type(in, v);
    }
    if (st == CLR_OK) st = rd_bool(in, &v->persistable, "persistable");
    where_pop(in, mark);
    return st;
}

/* Slot = parameter, arguments. */
static clr_status read_slot(nb_in *in, const char *kind, clr_slot *s) {
    clr_status st = rd_str(in, &s->param, kind);
    if (st != CLR_OK) return st;
    size_t mark = where_push(in, " %s '%.80s'", kind, s->param);
    st = rd_strs(in, &s->args, &s->nargs, "arguments");
    where_pop(in, mark);
    return st;
}

static clr_status read_slots(nb_in *in, const char *kind, const clr_slot **out, int32_t *count) {
    uint64_t n;
    clr_slot *s = NULL;
    clr_status st = rd_count(in, SLOT_MIN, INT32_MAX, &n, kind);
    if (st == CLR_OK) s = alloc_array(in, n, sizeof *s, &st, kind);
    for (uint64_t i = 0; st == CLR_OK && i < n; i++) st = read_slot(in, kind, &s[i]);
    if (st == CLR_OK) {
        *out = s;
        *count = (int32_t)n;
    }
    return st;
}

/* Attr = name, type, then all 14 value members; only the one `type`
 * selects is kept. The format predates FLOAT64/FLOAT64S and opt never
 * writes VAR/VARS, so types 12 and above are invalid here. */
static clr_status read_attr_values(nb_in *in, clr_attr *a) {
    int32_t t = a->type, i, block;
    uint32_t f;
    uint64_t l;
    bool b = false;
    const void *words = NULL; /* the kept INTS/FLOATS/BLOCKS/LONGS array */
    clr_status st;
    if ((st = rd_i32(in, &i, "i")) != CLR_OK) return st;
    if ((st = rd_u32(in, &f, "f")) != CLR_OK) return st;
    if ((st = rd_str(in, t == CLR_ATTR_STRING ? &a->v.s : NULL, "s")) != CLR_OK) return st;
    if ((st = rd_words(in, 4, t == CLR_ATTR_INTS, &words, &a->count, "ints")) != CLR_OK) return st;
    if ((st = rd_words(in, 4, t == CLR_ATTR_FLOATS, &words, &a->count, "floats")) != CLR_OK) return st;
    if ((st = rd_strs(in, t == CLR_ATTR_STRINGS ? &a->list.strings : NULL, &a->count, "strings")) != CLR_OK)
        return st;
    if ((st = rd_bool(in, t == CLR_ATTR_BOOLEAN ? &b : NULL, "b")) != CLR_OK) return st;
    if ((st = rd_bools(in, t == CLR_ATTR_BOOLEANS ? &a->list.bools : NULL, &a->count, "bools")) != CLR_OK)
        return st;
    if ((st = rd_i32(in, &block, "block_idx")) != CLR_OK) return st;
    if ((st = rd_u64(in, &l, "l")) != CLR_OK) return st;
    if ((st = rd_words(in, 4, t == CLR_ATTR_BLOCKS, &words, &a->count, "blocks_idx")) != CLR_OK) return st;
    if ((st = rd_words(in, 8, t == CLR_ATTR_LONGS, &words, &a->count, "longs")) != CLR_OK) return st;
    switch (t) {
    case CLR_ATTR_INT: a->v.i = i; break;
    case CLR_ATTR_FLOAT: memcpy(&a->v.f, &f, sizeof f); break;
    case CLR_ATTR_BOOLEAN: a->v.b = b; break;
    case CLR_ATTR_BLOCK: a->v.i = block; break;
    case CLR_ATTR_LONG: memcpy(&a->v.l, &l, sizeof l); break;
    case CLR_ATTR_INTS: case CLR_ATTR_BLOCKS: a->list.ints = words; break;
    case CLR_ATTR_FLOATS: a->list.floats = words; break;
    case CLR_ATTR_LONGS: a->list.longs = words; break;
    default: break; /* STRING, STRINGS and BOOLEANS were kept while reading */
    }
    return CLR_OK;
}

static clr_status read_attr(nb_in *in, clr_attr *a) {
    clr_status st = rd_str(in, &a->name, "attr name");
    if (st != CLR_OK) return st;
    size_t mark = where_push(in, " attr '%.80s'", a->name);
    if ((st = rd_i32(in, &a->type, "type")) == CLR_OK && (a->type < 0 || a->type > CLR_ATTR_LONGS))
        st = nb_fail(in, in->r.pos - 4, "unknown attribute type %d", a->type);
    if (st == CLR_OK) st = read_attr_values(in, a);
    where_pop(in, mark);
    return st;
}

/* Op = type, inputs, outputs, attrs, is_target. */
static clr_status read_op(nb_in *in, uint64_t i, clr_op *op) {
    size_t mark = where_push(in, " op %llu", (unsigned long long)i);
    uint64_t n;
    clr_attr *a = NULL;
    clr_status st = rd_str(in, &op->type, "type");
    if (st == CLR_OK) {
        where_push(in, " (%.80s)", op->type);
        st = read_slots(in, "input", &op->inputs, &op->ninputs);
    }
    if (st == CLR_OK) st = read_slots(in, "output", &op->outputs, &op->noutputs);
    if (st == CLR_OK) st = rd_count(in, ATTR_MIN, INT32_MAX, &n, "attrs");
    if (st == CLR_OK) a = alloc_array(in, n, sizeof *a, &st, "attrs");
    for (uint64_t k = 0; st == CLR_OK && k < n; k++) st = read_attr(in, &a[k]);
    if (st == CLR_OK) {
        op->attrs = a;
        op->nattrs = (int32_t)n;
        st = rd_bool(in, &op->is_target, "is_target");
    }
    where_pop(in, mark);
    return st;
}

/* Block = idx, parent_idx, vars, ops, forward_block_idx. */
static clr_status read_block(nb_in *in, int32_t b, clr_block *blk) {
    size_t mark = where_push(in, "block %d", b);
    uint64_t nvars = 0, nops = 0;
    clr_var *vars = NULL;
    clr_op *ops = NULL;
    clr_status st = rd_i32(in, &blk->idx, "idx");
    if (st == CLR_OK) st = rd_i32(in, &blk->parent_idx, "parent_idx");
    if (st == CLR_OK) st = rd_count(in, VAR_MIN, INT32_MAX, &nvars, "vars");
    if (st == CLR_OK) vars = alloc_array(in, nvars, sizeof *vars, &st, "vars");
    for (uint64_t i = 0; st == CLR_OK && i < nvars; i++) st = read_var(in, i, &vars[i]);
    if (st == CLR_OK) st = rd_count(in, OP_MIN, INT32_MAX, &nops, "ops");
    if (st == CLR_OK) ops = alloc_array(in, nops, sizeof *ops, &st, "ops");
    for (uint64_t i = 0; st == CLR_OK && i < nops; i++) st = read_op(in, i, &ops[i]);
    if (st == CLR_OK) st = rd_i32(in, &blk->forward_block_idx, "forward_block_idx");
    where_pop(in, mark);
    if (st != CLR_OK) return st;
    blk->nvars = (int32_t)nvars;
    blk->vars = vars;
    blk->nops = (int32_t)nops;
    blk->ops = ops;
    return CLR_OK;
}

static clr_status no_trailing(nb_in *in, const char *what) {
    size_t left = clr_reader_left(&in->r);
    if (left) return nb_fail(in, in->r.pos, "%zu trailing bytes after the %s", left, what);
    return CLR_OK;
}

/* Program = blocks, version. */
clr_status clr_naive_read_program(clr_load_ctx *ctx, const uint8_t *buf, size_t size, size_t base) {
    nb_in in;
    nb_init(&in, ctx, buf, size, base);
    uint64_t n;
    clr_block *blocks = NULL;
    uint64_t version = 0;
    clr_status st = rd_count(&in, BLOCK_MIN, INT32_MAX, &n, "block count");
    if (st == CLR_OK) blocks = alloc_array(&in, n, sizeof *blocks, &st, "blocks");
    for (uint64_t i = 0; st == CLR_OK && i < n; i++) st = read_block(&in, (int32_t)i, &blocks[i]);
    if (st == CLR_OK) st = rd_u64(&in, &version, "program version");
    if (st == CLR_OK) st = no_trailing(&in, "program");
    if (st != CLR_OK) return st;
    memcpy(&ctx->prog->version, &version, sizeof version);
    ctx->prog->nblocks = (int32_t)n;
    ctx->prog->blocks = blocks;
    return CLR_OK;
}

/* LoD = list<list<u64>>: not part of a clr_param (weights carry none), so
 * only checked. */
static clr_status skip_lod(nb_in *in) {
    uint64_t n;
    clr_status st = rd_count(in, LIST_MIN, UINT64_MAX, &n, "lod");
    for (uint64_t i = 0; st == CLR_OK && i < n; i++) st = rd_words(in, 8, false, NULL, NULL, "lod level");
    return st;
}

/* Param = name, model_version, lod_level, lod, tensor_version, tensor_desc,
 * data. model_version and lod_level have no place in a clr_param. */
static clr_status read_param_fields(nb_in *in, clr_param *p) {
    uint32_t model_version, tensor_version;
    uint64_t lod_level, nbytes;
    nb_tensor t;
    const uint8_t *data;
    clr_status st = rd_u32(in, &model_version, "model_version");
    if (st == CLR_OK) st = rd_u64(in, &lod_level, "lod_level");
    if (st == CLR_OK) st = skip_lod(in);
    if (st == CLR_OK) st = rd_u32(in, &tensor_version, "tensor_version");
    if (st == CLR_OK && tensor_version != 0)
        st = nb_fail(in, in->r.pos - 4, "tensor_version %u is not 0", tensor_version);
    if (st == CLR_OK) st = read_tensor(in, &t, "tensor_desc");
    if (st == CLR_OK && !from_lite_dtype(t.dtype, &p->dtype))
        st = nb_fail(in, t.dtype_pos, "tensor_desc: unknown data type %d", t.dtype);
    if (st == CLR_OK) st = rd_count(in, 1, SIZE_MAX, &nbytes, "data");
    if (st != CLR_OK) return st;
    size_t offset = clr_reader_offset(&in->r);
    if ((st = take(in, (size_t)nbytes, &data, "data")) != CLR_OK) return st;
    p->ndims = t.ndims;
    p->dims = t.dims;
    return clr_load_param_data(in->ctx, p, data, nbytes, offset);
}

static clr_status read_param(nb_in *in, uint64_t i, clr_param *p) {
    size_t mark = where_push(in, "param %llu", (unsigned long long)i);
    clr_status st = rd_str(in, &p->name, "name");
    if (st == CLR_OK) {
        where_push(in, " '%.80s'", p->name);
        st = read_param_fields(in, p);
    }
    where_pop(in, mark);
    return st;
}

/* Parameters = list<Param>, in file order. */
clr_status clr_naive_read_params(clr_load_ctx *ctx, const uint8_t *buf, size_t size, size_t base) {
    nb_in in;
    nb_init(&in, ctx, buf, size, base);
    uint64_t n;
    clr_param *params = NULL;
    clr_status st = rd_count(&in, PARAM_MIN, INT32_MAX, &n, "parameter count");
    if (st == CLR_OK) params = alloc_array(&in, n, sizeof *params, &st, "parameters");
    for (uint64_t i = 0; st == CLR_OK && i < n; i++) st = read_param(&in, i, &params[i]);
    if (st == CLR_OK) st = no_trailing(&in, "parameter list");
    if (st != CLR_OK) return st;
    ctx->prog->nparams = (int32_t)n;
    ctx->prog->params = params;
    return CLR_OK;
}
