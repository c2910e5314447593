/* clrun — FLOP counts per op (see flops.h). */
#include "runtime/flops.h"

#include <string.h>

static double numel(const clr_tensor *t) { return t ? (double)clr_tensor_numel(t) : 0; }

static const clr_tensor *first_output(const clr_node *n) {
    return n->noutputs && n->outputs[0].n ? n->outputs[0].tensors[0] : NULL;
}

/* Product of dims [from, to) of t. */
static double dims_product(const clr_tensor *t, int32_t from, int32_t to) {
    double p = 1;
    for (int32_t d = from; d < to && d < t->ndims; d++) p *= (double)t->dims[d];
    return p;
}

static bool is_any(const char *type, const char *const *list) {
    for (; *list; list++)
        if (strcmp(type, *list) == 0) return true;
    return false;
}

/* Ops that only move or describe data. */
static const char *const data_ops[] = {
    "feed", "fetch", "io_copy", "io_copy_once", "layout", "layout_once", "reshape", "reshape2", "flatten",
    "flatten2", "flatten_contiguous_range", "squeeze", "squeeze2", "unsqueeze", "unsqueeze2", "transpose",
    "transpose2", "shuffle_channel", "concat", "split", "stack", "slice", "expand", "expand_v2", "gather", "pad2d",
    "fill_constant", "fill_constant_batch_size_like", "fill_zeros_like", "shape", "range", "assign", "dropout",
    NULL};

/* Filter [A, B, KH, KW]: each output (conv) or input (transpose) element of
 * a group costs B * KH * KW multiply-adds. */
static double conv_flops(const clr_node *n, bool transpose) {
    const clr_tensor *f = clr_node_in(n, "Filter", 0);
    const clr_tensor *x = transpose ? clr_node_in(n, "Input", 0) : clr_node_out(n, "Output", 0);
    if (!f || f->ndims != 4 || !x) return 0;
    return 2 * numel(x) * dims_product(f, 1, 4);
}

/* out = M x N; K is the reduced dim of the weights/second operand. */
static double gemm_flops(const clr_node *n, const char *type) {
    const clr_tensor *out = first_output(n);
    const clr_tensor *w = clr_node_in(n, strcmp(type, "fc") == 0 ? "W" : "Y", 0);
    if (!out || !w || w->ndims < 1) return 0;
    double k;
    if (strcmp(type, "fc") == 0) {
        k = (double)w->dims[0];
    } else if (strcmp(type, "mul") == 0) {
        k = dims_product(w, 0, (int32_t)clr_node_attr_int(n, "y_num_col_dims", 1));
    } else {
        bool ty = clr_node_attr_bool(n, strcmp(type, "matmul") == 0 ? "transpose_Y" : "trans_y", false);
        k = w->ndims == 1 ? (double)w->dims[0] : (double)w->dims[w->ndims - (ty ? 1 : 2)];
    }
    return 2 * numel(out) * k;
}

static double pool_flops(const clr_node *n) {
    const clr_tensor *x = clr_node_in(n, "X", 0), *out = first_output(n);
    if (!x || !out || x->ndims != 4) return numel(out);
    if (clr_node_attr_bool(n, "global_pooling", false) || clr_node_attr_bool(n, "adaptive", false))
        return numel(x); /* every input element enters one window (adaptive: about one) */
    int64_t k[2] = {1, 1};
    clr_node_attr_ints(n, "ksize", k, 2);
    return numel(out) * (double)k[0] * (double)k[1];
}

double clr_node_flops(const clr_node *n) {
    const char *type = n->op->type;
    if (is_any(type, data_ops)) return 0;
    if (strstr(type, "conv2d")) return conv_flops(n, strstr(type, "transpose") != NULL);
    if (is_any(type, (const char *const[]){"fc", "mul", "matmul", "matmul_v2", NULL})) return gemm_flops(n, type);
    if (strcmp(type, "pool2d") == 0) return pool_flops(n);
    double out = numel(first_output(n));
    if (strcmp(type, "softmax") == 0) return 5 * out;
    if (strcmp(type, "layer_norm") == 0) return 4 * numel(clr_node_out(n, "Y", 0));
    if (strcmp(type, "batch_norm") == 0) return 2 * numel(clr_node_out(n, "Y", 0));
    return out;
}
