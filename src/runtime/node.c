/* clrun — kernel-side view of an op (see node.h). */
#include "runtime/node.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const clr_node_slot *find(const clr_node_slot *slots, int32_t n, const char *param) {
    for (int32_t i = 0; i < n; i++)
        if (strcmp(slots[i].param, param) == 0) return &slots[i];
    return NULL;
}

clr_tensor *clr_node_in(const clr_node *n, const char *param, int32_t i) {
    const clr_node_slot *s = find(n->inputs, n->ninputs, param);
    return s && i >= 0 && i < s->n ? s->tensors[i] : NULL;
}

clr_tensor *clr_node_out(const clr_node *n, const char *param, int32_t i) {
    const clr_node_slot *s = find(n->outputs, n->noutputs, param);
    return s && i >= 0 && i < s->n ? s->tensors[i] : NULL;
}

int32_t clr_node_in_count(const clr_node *n, const char *param) {
    const clr_node_slot *s = find(n->inputs, n->ninputs, param);
    return s ? s->n : 0;
}

int32_t clr_node_out_count(const clr_node *n, const char *param) {
    const clr_node_slot *s = find(n->outputs, n->noutputs, param);
    return s ? s->n : 0;
}

bool clr_node_has_attr(const clr_node *n, const char *name) { return clr_op_attr(n->op, name) != NULL; }

int64_t clr_node_attr_int(const clr_node *n, const char *name, int64_t dflt) {
    const clr_attr *a = clr_op_attr(n->op, name);
    if (!a) return dflt;
    switch (a->type) {
    case CLR_ATTR_INT:
    case CLR_ATTR_BLOCK: return a->v.i;
    case CLR_ATTR_LONG: return a->v.l;
    case CLR_ATTR_BOOLEAN: return a->v.b;
    case CLR_ATTR_FLOAT: return (int64_t)a->v.f;
    default: return dflt;
    }
}

float clr_node_attr_float(const clr_node *n, const char *name, float dflt) {
    const clr_attr *a = clr_op_attr(n->op, name);
    if (!a) return dflt;
    switch (a->type) {
    case CLR_ATTR_FLOAT: return a->v.f;
    case CLR_ATTR_FLOAT64: return (float)a->v.f64;
    case CLR_ATTR_INT: return (float)a->v.i;
    case CLR_ATTR_LONG: return (float)a->v.l;
    case CLR_ATTR_FLOATS: return a->count ? a->list.floats[0] : dflt;
    default: return dflt;
    }
}

bool clr_node_attr_bool(const clr_node *n, const char *name, bool dflt) {
    const clr_attr *a = clr_op_attr(n->op, name);
    if (!a) return dflt;
    switch (a->type) {
    case CLR_ATTR_BOOLEAN: return a->v.b;
    case CLR_ATTR_INT: return a->v.i != 0;
    case CLR_ATTR_LONG: return a->v.l != 0;
    default: return dflt;
    }
}

const char *clr_node_attr_str(const clr_node *n, const char *name, const char *dflt) {
    const clr_attr *a = clr_op_attr(n->op, name);
    return a && a->type == CLR_ATTR_STRING && a->v.s ? a->v.s : dflt;
}

int32_t clr_node_attr_ints(const clr_node *n, const char *name, int64_t *out, int32_t max) {
    const clr_attr *a = clr_op_attr(n->op, name);
    if (!a) return -1;
    switch (a->type) {
    case CLR_ATTR_INTS:
        for (int32_t i = 0; i < a->count && i < max; i++) out[i] = a->list.ints[i];
        return a->count;
    case CLR_ATTR_LONGS:
        for (int32_t i = 0; i < a->count && i < max; i++) out[i] = a->list.longs[i];
        return a->count;
    case CLR_ATTR_INT:
        if (max > 0) out[0] = a->v.i;
        return 1;
    case CLR_ATTR_LONG:
        if (max > 0) out[0] = a->v.l;
        return 1;
    default: return -1;
    }
}

int32_t clr_node_attr_floats(const clr_node *n, const char *name, float *out, int32_t max) {
    const clr_attr *a = clr_op_attr(n->op, name);
    if (!a) return -1;
    switch (a->type) {
    case CLR_ATTR_FLOATS:
        for (int32_t i = 0; i < a->count && i < max; i++) out[i] = a->list.floats[i];
        return a->count;
    case CLR_ATTR_FLOAT64S:
        for (int32_t i = 0; i < a->count && i < max; i++) out[i] = (float)a->list.float64s[i];
        return a->count;
    case CLR_ATTR_FLOAT:
        if (max > 0) out[0] = a->v.f;
        return 1;
    default: return -1;
    }
}

clr_status clr_node_fail(const clr_node *n, clr_status status, const char *fmt, ...) {
    if (n->err) {
        char msg[400];
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(msg, sizeof msg, fmt, ap);
        va_end(ap);
        snprintf(n->err->msg, sizeof n->err->msg, "op %d (%s): %s", n->index, n->op->type, msg);
    }
    return status;
}

clr_status clr_node_require_in(const clr_node *n, const char *param, clr_tensor **t) {
    *t = clr_node_in(n, param, 0);
    return *t ? CLR_OK : clr_node_fail(n, CLR_ERR_FORMAT, "input '%s' is missing", param);
}

clr_status clr_node_require_out(const clr_node *n, const char *param, clr_tensor **t) {
    *t = clr_node_out(n, param, 0);
    return *t ? CLR_OK : clr_node_fail(n, CLR_ERR_FORMAT, "output '%s' is missing", param);
}
