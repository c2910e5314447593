/* clrun — reductions: reduce_{sum,mean,max,min,prod} over `dim` (all dims
 * when reduce_all or when dim is empty), keeping reduced dims as 1 with
 * keep_dim; and mean (all elements → [1]). FP32 accumulates in double,
 * INT32 / INT64 in int64 (wrapping). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "kernels/host/math_kernels.h"
#include "kernels/host/tensor_common.h"

typedef enum { RD_SUM, RD_MEAN, RD_MAX, RD_MIN, RD_PROD } rd_op;

static const struct {
    const char *name;
    rd_op op;
} rd_ops[] = {{"reduce_sum", RD_SUM}, {"reduce_mean", RD_MEAN}, {"reduce_max", RD_MAX},
              {"reduce_min", RD_MIN}, {"reduce_prod", RD_PROD}, {"mean", RD_MEAN}};

static double init_f(rd_op op) {
    return op == RD_MAX ? -INFINITY : op == RD_MIN ? INFINITY : op == RD_PROD ? 1.0 : 0.0;
}

static int64_t init_i(rd_op op) {
    return op == RD_MAX ? INT64_MIN : op == RD_MIN ? INT64_MAX : op == RD_PROD ? 1 : 0;
}

static double step_f(rd_op op, double a, double v) {
    switch (op) {
    case RD_MAX: return v > a ? v : a;
    case RD_MIN: return v < a ? v : a;
    case RD_PROD: return a * v;
    default: return a + v;
    }
}

static int64_t step_i(rd_op op, int64_t a, int64_t v) {
    switch (op) {
    case RD_MAX: return v > a ? v : a;
    case RD_MIN: return v < a ? v : a;
    case RD_PROD: return (int64_t)((uint64_t)a * (uint64_t)v);
    default: return (int64_t)((uint64_t)a + (uint64_t)v);
    }
}

/* Reduces x over the dims flagged in `red` into out (dense over the kept
 * dims): walks x in order with an odometer, tracking the output offset
 * through strides that are 0 along reduced dims. */
static clr_status reduce(const clr_node *n, rd_op op, const clr_tensor *x, const bool *red, clr_tensor *out) {
    int64_t ostride[CLR_MAX_DIMS], s = 1, idx[CLR_MAX_DIMS] = {0};
    int32_t r = x->ndims;
    for (int32_t d = r - 1; d >= 0; d--) {
        ostride[d] = red[d] ? 0 : s;
        s *= red[d] ? 1 : x->dims[d];
    }
    int64_t on = clr_tensor_numel(out), total = clr_tensor_numel(x);
    bool is_f = x->dtype == CLR_DTYPE_FP32;
    void *acc = clr_malloc((size_t)(on > 0 ? on : 1) * (is_f ? sizeof(double) : sizeof(int64_t)));
    if (!acc) return clr_node_fail(n, CLR_ERR_NOMEM, "out of memory for %lld accumulators", (long long)on);
    double *af = acc;
    int64_t *ai = acc;
    for (int64_t i = 0; i < on; i++) {
        if (is_f) af[i] = init_f(op);
        else ai[i] = init_i(op);
    }
    int64_t o = 0;
    for (int64_t i = 0; i < total; i++) {
        if (is_f) af[o] = step_f(op, af[o], ((const float *)x->data)[i]);
        else ai[o] = step_i(op, ai[o], tk_load_i64(x->data, x->dtype, i));
        for (int32_t d = r - 1; d >= 0; d--) {
            o += ostride[d];
            if (++idx[d] < x->dims[d]) break;
            o -= ostride[d] * x->dims[d];
            idx[d] = 0;
        }
    }
    int64_t count = on > 0 ? total / on : 0; /* values folded into each output */
    for (int64_t i = 0; i < on; i++) {
        if (is_f) ((float *)out->data)[i] = (float)(op == RD_MEAN ? af[i] / (double)count : af[i]);
        else tk_store_i64(out->data, out->dtype, i, op == RD_MEAN && count ? ai[i] / count : ai[i]);
    }
    free(acc);
    return CLR_OK;
}

static clr_status input(const clr_node *n, clr_tensor **x, clr_tensor **out, rd_op *op) {
    clr_status st = tk_in_out(n, "X", "Out", x, out);
    if (st != CLR_OK) return st;
    int32_t dt = (*x)->dtype;
    if (dt != CLR_DTYPE_FP32 && dt != CLR_DTYPE_INT32 && dt != CLR_DTYPE_INT64)
        return clr_node_fail(n, CLR_ERR_UNSUPPORTED, "input 'X' is %s, expected FP32, INT32 or INT64",
                             clr_dtype_name(dt) ? clr_dtype_name(dt) : "?");
    for (size_t i = 0; i < sizeof rd_ops / sizeof rd_ops[0]; i++)
        if (strcmp(rd_ops[i].name, n->op->type) == 0) {
            *op = rd_ops[i].op;
            if (*op != RD_SUM && *op != RD_MEAN && clr_tensor_numel(*x) == 0)
                return clr_node_fail(n, CLR_ERR_FORMAT, "cannot reduce an empty tensor");
            return CLR_OK;
        }
    return clr_node_fail(n, CLR_ERR_UNSUPPORTED, "not a reduction");
}

clr_status clr_mk_reduce(clr_node *n) {
    clr_tensor *x, *out;
    rd_op op;
    int64_t dims[TK_MAX_LIST];
    int32_t ndim;
    clr_status st = input(n, &x, &out, &op);
    if (st == CLR_OK) st = tk_ints_attr(n, "dim", dims, TK_MAX_LIST, &ndim);
    if (st != CLR_OK) return st;
    bool red[CLR_MAX_DIMS] = {false};
    bool all = clr_node_attr_bool(n, "reduce_all", false) || ndim <= 0;
    for (int32_t i = 0; i < x->ndims; i++) red[i] = all;
    for (int32_t i = 0; !all && i < ndim; i++) {
        int32_t d;
        st = tk_axis(n, "dim", dims[i], x->ndims, &d);
        if (st != CLR_OK) return st;
        red[d] = true;
    }
    bool keep = clr_node_attr_bool(n, "keep_dim", false);
    int64_t od[CLR_MAX_DIMS];
    int32_t orank = 0;
    for (int32_t i = 0; i < x->ndims; i++)
        if (keep || !red[i]) od[orank++] = red[i] ? 1 : x->dims[i];
    if (orank == 0) od[orank++] = 1; /* Paddle-Lite keeps a [1] for a full reduction */
    st = tk_resize(n, out, x->dtype, orank, od);
    return st == CLR_OK ? reduce(n, op, x, red, out) : st;
}

clr_status clr_mk_mean(clr_node *n) {
    clr_tensor *x, *out;
    rd_op op;
    int64_t one = 1;
    bool red[CLR_MAX_DIMS];
    clr_status st = input(n, &x, &out, &op);
    if (st == CLR_OK) st = tk_resize(n, out, x->dtype, 1, &one);
    if (st != CLR_OK) return st;
    for (int32_t i = 0; i < CLR_MAX_DIMS; i++) red[i] = true;
    return reduce(n, op, x, red, out);
}
