/* clrun tests — hand-built single ops (see test_node.h). */
#include "test_node.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernels/host/registry.h"
#include "test_models.h"

void tn_init(clr_test_node *t, const char *op_type) {
    memset(t, 0, sizeof *t);
    t->op.type = op_type;
    t->op.inputs = t->in;
    t->op.outputs = t->out;
    t->op.attrs = t->attrs;
    t->node.op = &t->op;
    t->node.inputs = t->nin;
    t->node.outputs = t->nout;
    t->node.err = &t->err;
}

static void bind(clr_slot *slots, clr_node_slot *nslots, const char *(*args)[TN_ARGS], clr_tensor *(*tens)[TN_ARGS],
                 int32_t *count, const char *param, clr_tensor *x) {
    int32_t s = 0;
    while (s < *count && strcmp(slots[s].param, param) != 0) s++;
    if (s == *count) {
        if (s == TN_SLOTS) abort();
        (*count)++;
        slots[s].param = nslots[s].param = param;
        slots[s].args = args[s];
        nslots[s].tensors = tens[s];
    }
    if (slots[s].nargs == TN_ARGS) abort();
    args[s][slots[s].nargs] = param; /* names are not used by kernels */
    tens[s][slots[s].nargs] = x;
    nslots[s].n = ++slots[s].nargs;
}

void tn_input(clr_test_node *t, const char *param, clr_tensor *x) {
    bind(t->in, t->nin, t->in_args, t->tin, &t->op.ninputs, param, x);
    t->node.ninputs = t->op.ninputs;
}

void tn_output(clr_test_node *t, const char *param, clr_tensor *x) {
    bind(t->out, t->nout, t->out_args, t->tout, &t->op.noutputs, param, x);
    t->node.noutputs = t->op.noutputs;
}

static clr_attr *new_attr(clr_test_node *t, const char *name, int32_t type) {
    if (t->op.nattrs == TN_ATTRS) abort();
    clr_attr *a = &t->attrs[t->op.nattrs++];
    a->name = name;
    a->type = type;
    return a;
}

void tn_attr_int(clr_test_node *t, const char *name, int32_t v) { new_attr(t, name, CLR_ATTR_INT)->v.i = v; }
void tn_attr_long(clr_test_node *t, const char *name, int64_t v) { new_attr(t, name, CLR_ATTR_LONG)->v.l = v; }
void tn_attr_float(clr_test_node *t, const char *name, float v) { new_attr(t, name, CLR_ATTR_FLOAT)->v.f = v; }
void tn_attr_bool(clr_test_node *t, const char *name, bool v) { new_attr(t, name, CLR_ATTR_BOOLEAN)->v.b = v; }
void tn_attr_str(clr_test_node *t, const char *name, const char *v) { new_attr(t, name, CLR_ATTR_STRING)->v.s = v; }

void tn_attr_ints(clr_test_node *t, const char *name, int32_t n, const int32_t *v) {
    int32_t k = t->op.nattrs;
    clr_attr *a = new_attr(t, name, CLR_ATTR_INTS);
    if (n > TN_LIST) abort();
    memcpy(t->ints[k], v, (size_t)n * sizeof *v);
    a->count = n;
    a->list.ints = t->ints[k];
}

void tn_attr_floats(clr_test_node *t, const char *name, int32_t n, const float *v) {
    int32_t k = t->op.nattrs;
    clr_attr *a = new_attr(t, name, CLR_ATTR_FLOATS);
    if (n > TN_LIST) abort();
    memcpy(t->floats[k], v, (size_t)n * sizeof *v);
    a->count = n;
    a->list.floats = t->floats[k];
}

clr_status tn_run(clr_test_node *t) {
    const clr_host_kernel *k = clr_host_kernel_find(t->op.type);
    if (!k) {
        snprintf(t->err.msg, sizeof t->err.msg, "no host kernel for %s", t->op.type);
        return CLR_ERR_UNSUPPORTED;
    }
    clr_status st = k->run(&t->node);
    if (t->node.cache_free) t->node.cache_free(t->node.cache); /* a test node runs once */
    t->node.cache = NULL;
    t->node.cache_free = NULL;
    return st;
}

void tn_tensor_f32(clr_tensor *x, int32_t ndims, const int64_t *dims) {
    memset(x, 0, sizeof *x);
    if (clr_tensor_resize(x, CLR_DTYPE_FP32, ndims, dims, NULL) != CLR_OK) abort();
}

void tn_fill_uniform(clr_tensor *x, unsigned long long seed, float lo, float hi) {
    clr_test_rng rng = {seed * 2654435761ull + 1};
    float *p = x->data;
    for (int64_t i = 0; i < clr_tensor_numel(x); i++)
        p[i] = lo + (hi - lo) * (float)((clr_test_rng_next(&rng) >> 11) * (1.0 / 9007199254740992.0));
}

double tn_max_rel_diff(const clr_tensor *a, const clr_tensor *b) {
    const float *pa = a->data, *pb = b->data;
    int64_t n = clr_tensor_numel(b);
    double scale = 1.0, worst = 0.0;
    for (int64_t i = 0; i < n; i++) scale = fmax(scale, fabs(pb[i]));
    for (int64_t i = 0; i < n; i++) worst = fmax(worst, fabs((double)pa[i] - pb[i]) / scale);
    return worst;
}
