/* clrun — ops that only change a tensor's shape: reshape(2), flatten(2),
 * flatten_contiguous_range, squeeze(2), unsqueeze(2). Values are copied
 * unchanged (the executor gives a fresh output), whatever the element type;
 * LoD is carried over as Paddle-Lite does. The *2 variants also describe
 * the input's shape in an optional XShape output. */
#include <inttypes.h>

#include "kernels/host/tensor_common.h"
#include "kernels/host/tensor_kernels.h"
#include "kernels/host/tensor_plans.h"

/* Paddle's target shape: ShapeTensor (list of scalars) > Shape (1-D) > attr. */
static clr_status reshape_target(const clr_node *n, int64_t *shape, int32_t *count) {
    clr_status st = tk_ints_list(n, "ShapeTensor", shape, CLR_MAX_DIMS, count);
    if (st == CLR_OK && *count < 0) st = tk_ints_tensor(n, "Shape", shape, CLR_MAX_DIMS, count);
    if (st == CLR_OK && *count < 0) st = tk_ints_attr(n, "shape", shape, CLR_MAX_DIMS, count);
    if (st != CLR_OK) return st;
    if (*count < 0)
        return clr_node_fail(n, CLR_ERR_FORMAT, "no target shape (ShapeTensor, Shape or attribute 'shape')");
    if (*count > CLR_MAX_DIMS)
        return clr_node_fail(n, CLR_ERR_UNSUPPORTED, "target shape has %d dims, at most %d supported", *count,
                             CLR_MAX_DIMS);
    return CLR_OK;
}

/* Resolves 0 (copy the input's dim at that index) and -1 (inferred). */
static clr_status resolve_shape(const clr_node *n, const clr_tensor *x, const int64_t *shape, int32_t count,
                                int64_t *out) {
    char sbuf[160], xbuf[160];
    int64_t numel = clr_tensor_numel(x), known = 1;
    int32_t unknown = -1;
    for (int32_t i = 0; i < count; i++) {
        if (shape[i] == -1) {
            if (unknown >= 0)
                return clr_node_fail(n, CLR_ERR_FORMAT, "target shape %s has more than one -1",
                                     tk_dims_str(sbuf, sizeof sbuf, count, shape));
            unknown = i;
            continue;
        }
        if (shape[i] == 0 && i >= x->ndims)
            return clr_node_fail(n, CLR_ERR_FORMAT, "target shape %s copies dim %d of input %s, which has no such dim",
                                 tk_dims_str(sbuf, sizeof sbuf, count, shape), i,
                                 clr_tensor_shape_str(x, xbuf, sizeof xbuf));
        if (shape[i] < 0)
            return clr_node_fail(n, CLR_ERR_FORMAT, "target shape %s has negative dim %" PRId64,
                                 tk_dims_str(sbuf, sizeof sbuf, count, shape), shape[i]);
        out[i] = shape[i] ? shape[i] : x->dims[i];
        known *= out[i];
    }
    if (unknown >= 0) {
        if (known == 0 || numel % known != 0)
            return clr_node_fail(n, CLR_ERR_FORMAT, "input %s (%" PRId64 " elements) cannot take target shape %s",
                                 clr_tensor_shape_str(x, xbuf, sizeof xbuf), numel,
                                 tk_dims_str(sbuf, sizeof sbuf, count, shape));
        out[unknown] = numel / known;
    } else if (known != numel) {
        return clr_node_fail(n, CLR_ERR_FORMAT, "input %s has %" PRId64 " elements, target shape %s has %" PRId64,
                             clr_tensor_shape_str(x, xbuf, sizeof xbuf), numel,
                             tk_dims_str(sbuf, sizeof sbuf, count, shape), known);
    }
    return CLR_OK;
}

clr_status tk_reshape_dims(const clr_node *n, const clr_tensor *x, int32_t *ndims, int64_t *dims) {
    int64_t shape[CLR_MAX_DIMS];
    clr_status st = reshape_target(n, shape, ndims);
    return st == CLR_OK ? resolve_shape(n, x, shape, *ndims, dims) : st;
}

/* flatten (v1): [prod(d[0:axis]), prod(d[axis:])], 0 <= axis <= rank. */
clr_status tk_flatten_dims(const clr_node *n, const clr_tensor *x, int32_t *ndims, int64_t *dims) {
    int64_t axis = clr_node_attr_int(n, "axis", 1);
    if (axis < 0 || axis > x->ndims)
        return clr_node_fail(n, CLR_ERR_FORMAT, "axis %" PRId64 " is outside 0..%d", axis, x->ndims);
    *ndims = 2;
    dims[0] = tk_prod(x->dims, 0, (int32_t)axis);
    dims[1] = tk_prod(x->dims, (int32_t)axis, x->ndims);
    return CLR_OK;
}

/* Dims start_axis..stop_axis (negative counts from the end) become one. */
clr_status tk_flatten_contiguous_range_dims(const clr_node *n, const clr_tensor *x, int32_t *ndims,
                                                int64_t *dims) {
    if (x->ndims == 0) { /* a scalar flattens to [1] */
        *ndims = 1;
        dims[0] = 1;
        return CLR_OK;
    }
    int32_t start, stop;
    clr_status st = tk_axis(n, "start_axis", clr_node_attr_int(n, "start_axis", 1), x->ndims, &start);
    if (st == CLR_OK) st = tk_axis(n, "stop_axis", clr_node_attr_int(n, "stop_axis", -1), x->ndims, &stop);
    if (st != CLR_OK) return st;
    if (start > stop) return clr_node_fail(n, CLR_ERR_FORMAT, "start_axis %d is after stop_axis %d", start, stop);
    int32_t k = 0;
    for (int32_t i = 0; i < start; i++)
        dims[k++] = x->dims[i];
    dims[k++] = tk_prod(x->dims, start, stop + 1);
    for (int32_t i = stop + 1; i < x->ndims; i++)
        dims[k++] = x->dims[i];
    *ndims = k;
    return CLR_OK;
}

/* Drops the listed size-1 dims, or every size-1 dim when `axes` is empty.
 * A listed dim whose size is not 1 is kept, as Paddle 2.x does. */
clr_status tk_squeeze_dims(const clr_node *n, const clr_tensor *x, int32_t *ndims, int64_t *dims) {
    int64_t axes[TK_MAX_LIST];
    int32_t naxes;
    clr_status st = tk_ints_attr(n, "axes", axes, TK_MAX_LIST, &naxes);
    if (st != CLR_OK) return st;
    bool drop[CLR_MAX_DIMS] = {false};
    for (int32_t i = 0; i < naxes; i++) {
        int32_t a;
        st = tk_axis(n, "squeeze axis", axes[i], x->ndims, &a);
        if (st != CLR_OK) return st;
        drop[a] = x->dims[a] == 1;
    }
    int32_t k = 0;
    for (int32_t i = 0; i < x->ndims; i++)
        if (!(naxes > 0 ? drop[i] : x->dims[i] == 1)) dims[k++] = x->dims[i];
    *ndims = k;
    return CLR_OK;
}

/* Inserts size-1 dims. Axes come from AxesTensor > AxesTensorList > attr and
 * are applied one after another, each relative to the rank reached so far
 * (negative: counted from the end of that shape), as Paddle does. */
clr_status tk_unsqueeze_dims(const clr_node *n, const clr_tensor *x, int32_t *ndims, int64_t *dims) {
    int64_t axes[TK_MAX_LIST];
    int32_t naxes;
    clr_status st = tk_ints_tensor(n, "AxesTensor", axes, TK_MAX_LIST, &naxes);
    if (st == CLR_OK && naxes < 0) st = tk_ints_list(n, "AxesTensorList", axes, TK_MAX_LIST, &naxes);
    if (st == CLR_OK && naxes < 0) st = tk_ints_attr(n, "axes", axes, TK_MAX_LIST, &naxes);
    if (st != CLR_OK) return st;
    if (naxes < 0) naxes = 0;
    if (x->ndims + naxes > CLR_MAX_DIMS)
        return clr_node_fail(n, CLR_ERR_UNSUPPORTED, "unsqueezing %d dims into %d gives more than %d", naxes, x->ndims,
                             CLR_MAX_DIMS);
    int32_t rank = x->ndims;
    for (int32_t i = 0; i < rank; i++)
        dims[i] = x->dims[i];
    for (int32_t i = 0; i < naxes; i++) {
        int64_t a = axes[i] < 0 ? axes[i] + rank + 1 : axes[i];
        if (a < 0 || a > rank)
            return clr_node_fail(n, CLR_ERR_FORMAT, "unsqueeze axis %" PRId64 " is out of range for %d dims", axes[i],
                                 rank);
        for (int32_t j = rank; j > a; j--)
            dims[j] = dims[j - 1];
        dims[a] = 1;
        rank++;
    }
    *ndims = rank;
    return CLR_OK;
}

static clr_status reshaped(clr_node *n, tk_dims_fn rule) {
    clr_tensor *x, *out;
    int64_t dims[CLR_MAX_DIMS];
    int32_t ndims = 0;
    clr_status st = tk_in_out(n, "X", "Out", &x, &out);
    if (st == CLR_OK) st = rule(n, x, &ndims, dims);
    if (st == CLR_OK) st = tk_copy_reshaped(n, out, x, ndims, dims);
    return st == CLR_OK ? tk_set_xshape(n, x) : st;
}

clr_status clr_tk_reshape(clr_node *n) { return reshaped(n, tk_reshape_dims); }
clr_status clr_tk_flatten(clr_node *n) { return reshaped(n, tk_flatten_dims); }
clr_status clr_tk_flatten_contiguous_range(clr_node *n) { return reshaped(n, tk_flatten_contiguous_range_dims); }
clr_status clr_tk_squeeze(clr_node *n) { return reshaped(n, tk_squeeze_dims); }
clr_status clr_tk_unsqueeze(clr_node *n) { return reshaped(n, tk_unsqueeze_dims); }
