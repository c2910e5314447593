/* clrun — reduce_{mean,sum,max,min,prod} over `dim` (keep_dim, reduce_all)
 * and `mean` (over everything, shape [1]). */
#include <float.h>
#include <string.h>

#include "kernels/host/math_kernels.h"
#include "kernels/host/tensor_common.h"

typedef enum red_op { RED_SUM, RED_MEAN, RED_MAX, RED_MIN, RED_PROD } red_op;

static red_op parse(const char *type) {
    if (strcmp(type, "mean") == 0 || strcmp(type, "reduce_mean") == 0) return RED_MEAN;
    if (strcmp(type, "reduce_max") == 0) return RED_MAX;
    if (strcmp(type, "reduce_min") == 0) return RED_MIN;
    if (strcmp(type, "reduce_prod") == 0) return RED_PROD;
    return RED_SUM;
}

clr_status clr_host_reduce(clr_node *n) {
    clr_tensor *x, *out;
    clr_status st = tk_in_out(n, "X", "Out", &x, &out);
    if (st != CLR_OK) return st;
    if (x->dtype != CLR_DTYPE_FP32) return clr_node_fail(n, CLR_ERR_UNSUPPORTED, "X must be FP32");
    red_op op = parse(n->op->type);
    bool all = strcmp(n->op->type, "mean") == 0 || clr_node_attr_bool(n, "reduce_all", false);
    bool keep = clr_node_attr_bool(n, "keep_dim", false);
    int64_t axes[CLR_MAX_DIMS];
    int32_t naxes = all ? -1 : clr_node_attr_ints(n, "dim", axes, CLR_MAX_DIMS);
    bool reduced[CLR_MAX_DIMS] = {false};
    for (int32_t d = 0; d < x->ndims; d++) reduced[d] = naxes <= 0;
    for (int32_t i = 0; i < naxes && i < CLR_MAX_DIMS; i++) {
        int32_t a;
        if ((st = tk_axis(n, "dim", axes[i], x->ndims, &a)) != CLR_OK) return st;
        reduced[a] = true;
    }
    int64_t dims[CLR_MAX_DIMS], src_stride[CLR_MAX_DIMS], out_stride[CLR_MAX_DIMS];
    int32_t nd = 0;
    for (int32_t d = 0; d < x->ndims; d++)
        if (!reduced[d] || keep) dims[nd++] = reduced[d] ? 1 : x->dims[d];
    if (nd == 0) dims[nd++] = 1; /* a full reduction gives [1] */
    if ((st = tk_resize(n, out, CLR_DTYPE_FP32, nd, dims)) != CLR_OK) return st;
    /* Map each input element to its output element through strides. */
    int64_t os = 1;
    for (int32_t d = x->ndims - 1; d >= 0; d--) {
        out_stride[d] = reduced[d] ? 0 : os;
        os *= reduced[d] ? 1 : x->dims[d];
    }
    int64_t ss = 1;
    for (int32_t d = x->ndims - 1; d >= 0; d--) src_stride[d] = ss, ss *= x->dims[d];
    float *po = out->data;
    int64_t total_out = clr_tensor_numel(out), total = clr_tensor_numel(x);
    float init = op == RED_MAX ? -FLT_MAX : op == RED_MIN ? FLT_MAX : op == RED_PROD ? 1.0f : 0.0f;
    for (int64_t i = 0; i < total_out; i++) po[i] = init;
    const float *px = x->data;
    for (int64_t i = 0; i < total; i++) {
        int64_t o = 0, rem = i;
        for (int32_t d = 0; d < x->ndims; d++) {
            o += (rem / src_stride[d]) * out_stride[d];
            rem %= src_stride[d];
        }
        float v = px[i];
        switch (op) {
        case RED_MAX: po[o] = v > po[o] ? v : po[o]; break;
        case RED_MIN: po[o] = v < po[o] ? v : po[o]; break;
        case RED_PROD: po[o] *= v; break;
        default: po[o] += v; break;
        }
    }
    if (op == RED_MEAN && total_out) {
        float cnt = (float)(total / total_out);
        for (int64_t i = 0; i < total_out; i++) po[i] /= cnt;
    }
    return CLR_OK;
}
