/* clrun — clr_program_equal: compares the format-independent content of two
 * programs (everything but `format` and derived fields such as op places),
 * reporting the first difference as "block 0 op 12 (conv2d) attr 'strides':
 * ints differ at 1 (2 vs 1)". Values print as "(a vs b)". */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "clrun/program.h"

/* Context strings for messages; names are cut so nested contexts always fit. */
enum { WHERE_MAX = 256 };

static bool differ(clr_error *why, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static bool differ(clr_error *why, const char *fmt, ...) {
    if (why) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(why->msg, sizeof why->msg, fmt, ap);
        va_end(ap);
    }
    return false;
}

/* NULL and "" are the same empty string to every format. */
static const char *str(const char *s) { return s ? s : ""; }
static bool str_eq(const char *a, const char *b) { return strcmp(str(a), str(b)) == 0; }

/* Element `i` of a list attribute as text, for messages. */
static void list_elem(const clr_attr *a, int32_t i, char *out, size_t n) {
    switch (a->type) {
    case CLR_ATTR_INTS:
    case CLR_ATTR_BLOCKS: snprintf(out, n, "%d", a->list.ints[i]); break;
    case CLR_ATTR_FLOATS: snprintf(out, n, "%.9g", a->list.floats[i]); break;
    case CLR_ATTR_STRINGS: snprintf(out, n, "\"%s\"", str(a->list.strings[i])); break;
    case CLR_ATTR_BOOLEANS: snprintf(out, n, "%d", a->list.bools[i]); break;
    case CLR_ATTR_LONGS: snprintf(out, n, "%lld", (long long)a->list.longs[i]); break;
    default: snprintf(out, n, "%.17g", a->list.float64s[i]); break;
    }
}

/* Floats compare bit for bit: a round trip must be exact, NaN included. */
static bool list_elem_eq(const clr_attr *a, const clr_attr *b, int32_t i) {
    switch (a->type) {
    case CLR_ATTR_INTS:
    case CLR_ATTR_BLOCKS: return a->list.ints[i] == b->list.ints[i];
    case CLR_ATTR_FLOATS: return memcmp(&a->list.floats[i], &b->list.floats[i], sizeof(float)) == 0;
    case CLR_ATTR_STRINGS: return str_eq(a->list.strings[i], b->list.strings[i]);
    case CLR_ATTR_BOOLEANS: return a->list.bools[i] == b->list.bools[i];
    case CLR_ATTR_LONGS: return a->list.longs[i] == b->list.longs[i];
    default: return memcmp(&a->list.float64s[i], &b->list.float64s[i], sizeof(double)) == 0;
    }
}

static const char *list_kind(int32_t type) {
    switch (type) {
    case CLR_ATTR_INTS: return "ints";
    case CLR_ATTR_BLOCKS: return "blocks";
    case CLR_ATTR_FLOATS: return "floats";
    case CLR_ATTR_STRINGS: return "strings";
    case CLR_ATTR_BOOLEANS: return "bools";
    case CLR_ATTR_LONGS: return "longs";
    default: return "float64s";
    }
}

static bool attr_value_eq(const clr_attr *a, const clr_attr *b, const char *where, clr_error *why) {
    switch (a->type) {
    case CLR_ATTR_INT:
    case CLR_ATTR_BLOCK:
        return a->v.i == b->v.i || differ(why, "%s: int differs (%d vs %d)", where, a->v.i, b->v.i);
    case CLR_ATTR_FLOAT:
        return memcmp(&a->v.f, &b->v.f, sizeof a->v.f) == 0 ||
               differ(why, "%s: float differs (%.9g vs %.9g)", where, a->v.f, b->v.f);
    case CLR_ATTR_BOOLEAN:
        return a->v.b == b->v.b || differ(why, "%s: bool differs (%d vs %d)", where, a->v.b, b->v.b);
    case CLR_ATTR_LONG:
        return a->v.l == b->v.l ||
               differ(why, "%s: long differs (%lld vs %lld)", where, (long long)a->v.l, (long long)b->v.l);
    case CLR_ATTR_FLOAT64:
        return memcmp(&a->v.f64, &b->v.f64, sizeof a->v.f64) == 0 ||
               differ(why, "%s: float64 differs (%.17g vs %.17g)", where, a->v.f64, b->v.f64);
    case CLR_ATTR_STRING:
        return str_eq(a->v.s, b->v.s) ||
               differ(why, "%s: string differs (\"%s\" vs \"%s\")", where, str(a->v.s), str(b->v.s));
    case CLR_ATTR_INTS:
    case CLR_ATTR_FLOATS:
    case CLR_ATTR_STRINGS:
    case CLR_ATTR_BOOLEANS:
    case CLR_ATTR_BLOCKS:
    case CLR_ATTR_LONGS:
    case CLR_ATTR_FLOAT64S: break;
    default: return true; /* an unknown type carries no comparable value */
    }
    const char *kind = list_kind(a->type);
    if (a->count != b->count)
        return differ(why, "%s: %s have %d vs %d elements", where, kind, a->count, b->count);
    for (int32_t i = 0; i < a->count; i++)
        if (!list_elem_eq(a, b, i)) {
            char va[64], vb[64];
            list_elem(a, i, va, sizeof va);
            list_elem(b, i, vb, sizeof vb);
            return differ(why, "%s: %s differ at %d (%s vs %s)", where, kind, i, va, vb);
        }
    return true;
}

static bool attr_eq(const clr_attr *a, const clr_attr *b, const char *op_where, clr_error *why) {
    char where[WHERE_MAX];
    snprintf(where, sizeof where, "%.160s attr '%.64s'", op_where, str(a->name));
    if (!str_eq(a->name, b->name)) return differ(why, "%s: name differs (vs '%s')", where, str(b->name));
    if (a->type != b->type) return differ(why, "%s: type differs (%d vs %d)", where, a->type, b->type);
    return attr_value_eq(a, b, where, why);
}

static bool slots_eq(const clr_slot *a, int32_t na, const clr_slot *b, int32_t nb, const char *op_where,
                     const char *dir, clr_error *why) {
    if (na != nb) return differ(why, "%s: %d vs %d %s slots", op_where, na, nb, dir);
    for (int32_t i = 0; i < na; i++) {
        if (!str_eq(a[i].param, b[i].param))
            return differ(why, "%s: %s slot %d differs ('%s' vs '%s')", op_where, dir, i, str(a[i].param),
                          str(b[i].param));
        if (a[i].nargs != b[i].nargs)
            return differ(why, "%s: %s '%s' has %d vs %d arguments", op_where, dir, str(a[i].param), a[i].nargs,
                          b[i].nargs);
        for (int32_t j = 0; j < a[i].nargs; j++)
            if (!str_eq(a[i].args[j], b[i].args[j]))
                return differ(why, "%s: %s '%s' argument %d differs ('%s' vs '%s')", op_where, dir,
                              str(a[i].param), j, str(a[i].args[j]), str(b[i].args[j]));
    }
    return true;
}

static bool op_eq(const clr_op *a, const clr_op *b, int32_t bi, int32_t oi, clr_error *why) {
    char where[WHERE_MAX];
    snprintf(where, sizeof where, "block %d op %d (%.128s)", bi, oi, str(a->type));
    if (!str_eq(a->type, b->type)) return differ(why, "%s: type differs (vs '%s')", where, str(b->type));
    if (!slots_eq(a->inputs, a->ninputs, b->inputs, b->ninputs, where, "input", why)) return false;
    if (!slots_eq(a->outputs, a->noutputs, b->outputs, b->noutputs, where, "output", why)) return false;
    if (a->nattrs != b->nattrs) return differ(why, "%s: %d vs %d attrs", where, a->nattrs, b->nattrs);
    for (int32_t i = 0; i < a->nattrs; i++)
        if (!attr_eq(&a->attrs[i], &b->attrs[i], where, why)) return false;
    if (a->is_target != b->is_target)
        return differ(why, "%s: is_target differs (%d vs %d)", where, a->is_target, b->is_target);
    return true;
}

static bool dims_eq(const int64_t *a, int32_t na, const int64_t *b, int32_t nb, const char *where, clr_error *why) {
    if (na != nb) return differ(why, "%s: %d vs %d dims", where, na, nb);
    for (int32_t i = 0; i < na; i++)
        if (a[i] != b[i])
            return differ(why, "%s: dims differ at %d (%lld vs %lld)", where, i, (long long)a[i], (long long)b[i]);
    return true;
}

static bool var_eq(const clr_var *a, const clr_var *b, int32_t bi, int32_t vi, clr_error *why) {
    char where[WHERE_MAX];
    snprintf(where, sizeof where, "block %d var %d (%.200s)", bi, vi, str(a->name));
    if (!str_eq(a->name, b->name)) return differ(why, "%s: name differs (vs '%s')", where, str(b->name));
    if (a->type != b->type) return differ(why, "%s: type differs (%d vs %d)", where, a->type, b->type);
    if (a->dtype != b->dtype) return differ(why, "%s: dtype differs (%d vs %d)", where, a->dtype, b->dtype);
    if (!dims_eq(a->dims, a->ndims, b->dims, b->ndims, where, why)) return false;
    if (a->lod_level != b->lod_level)
        return differ(why, "%s: lod_level differs (%d vs %d)", where, a->lod_level, b->lod_level);
    if (a->persistable != b->persistable)
        return differ(why, "%s: persistable differs (%d vs %d)", where, a->persistable, b->persistable);
    if (a->need_check_feed != b->need_check_feed)
        return differ(why, "%s: need_check_feed differs (%d vs %d)", where, a->need_check_feed, b->need_check_feed);
    return true;
}

static bool block_eq(const clr_block *a, const clr_block *b, int32_t bi, clr_error *why) {
    if (a->idx != b->idx) return differ(why, "block %d: idx differs (%d vs %d)", bi, a->idx, b->idx);
    if (a->parent_idx != b->parent_idx)
        return differ(why, "block %d: parent_idx differs (%d vs %d)", bi, a->parent_idx, b->parent_idx);
    if (a->forward_block_idx != b->forward_block_idx)
        return differ(why, "block %d: forward_block_idx differs (%d vs %d)", bi, a->forward_block_idx,
                      b->forward_block_idx);
    if (a->nvars != b->nvars) return differ(why, "block %d: %d vs %d vars", bi, a->nvars, b->nvars);
    for (int32_t i = 0; i < a->nvars; i++)
        if (!var_eq(&a->vars[i], &b->vars[i], bi, i, why)) return false;
    if (a->nops != b->nops) return differ(why, "block %d: %d vs %d ops", bi, a->nops, b->nops);
    for (int32_t i = 0; i < a->nops; i++)
        if (!op_eq(&a->ops[i], &b->ops[i], bi, i, why)) return false;
    return true;
}

static bool param_eq(const clr_param *a, const clr_param *b, int32_t pi, clr_error *why) {
    char where[WHERE_MAX];
    snprintf(where, sizeof where, "param %d (%.200s)", pi, str(a->name));
    if (!str_eq(a->name, b->name)) return differ(why, "%s: name differs (vs '%s')", where, str(b->name));
    if (a->dtype != b->dtype) return differ(why, "%s: dtype differs (%d vs %d)", where, a->dtype, b->dtype);
    if (!dims_eq(a->dims, a->ndims, b->dims, b->ndims, where, why)) return false;
    if (a->nbytes != b->nbytes)
        return differ(why, "%s: %llu vs %llu bytes", where, (unsigned long long)a->nbytes,
                      (unsigned long long)b->nbytes);
    const unsigned char *da = a->data, *db = b->data;
    for (uint64_t i = 0; i < a->nbytes; i++)
        if (da[i] != db[i])
            return differ(why, "%s: data differs at byte %llu (0x%02x vs 0x%02x)", where, (unsigned long long)i,
                          da[i], db[i]);
    return true;
}

bool clr_program_equal(const clr_program *a, const clr_program *b, clr_error *why) {
    if (!a || !b) return a == b || differ(why, "one program is NULL");
    if (strcmp(a->opt_version, b->opt_version) != 0)
        return differ(why, "opt_version differs (\"%s\" vs \"%s\")", a->opt_version, b->opt_version);
    if (a->version != b->version)
        return differ(why, "program version differs (%lld vs %lld)", (long long)a->version, (long long)b->version);
    if (a->nblocks != b->nblocks) return differ(why, "%d vs %d blocks", a->nblocks, b->nblocks);
    for (int32_t i = 0; i < a->nblocks; i++)
        if (!block_eq(&a->blocks[i], &b->blocks[i], i, why)) return false;
    if (a->nparams != b->nparams) return differ(why, "%d vs %d params", a->nparams, b->nparams);
    for (int32_t i = 0; i < a->nparams; i++)
        if (!param_eq(&a->params[i], &b->params[i], i, why)) return false;
    if (why) why->msg[0] = '\0';
    return true;
}
