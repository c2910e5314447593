/* clrun — ops that read a view of their input: slice, expand, expand_v2,
 * gather. The first three are strided copies (a window, or a broadcast with
 * stride 0); gather picks rows by index. All handle any element type. */
#include <inttypes.h>
#include <string.h>

#include "kernels/host/tensor_common.h"
#include "kernels/host/tensor_kernels.h"
#include "kernels/host/tensor_plans.h"

static void dense_strides(const clr_tensor *x, int64_t *strides) {
    int64_t s = 1;
    for (int32_t i = x->ndims - 1; i >= 0; i--) {
        strides[i] = s;
        s *= x->dims[i];
    }
}

/* starts/ends: <Name>Tensor (1-D) > <Name>TensorList > attribute. */
static clr_status slice_bounds(const clr_node *n, const char *tensor, const char *list, const char *attr, int32_t naxes,
                               int64_t *v) {
    int32_t count;
    clr_status st = tk_ints_tensor(n, tensor, v, TK_MAX_LIST, &count);
    if (st == CLR_OK && count < 0) st = tk_ints_list(n, list, v, TK_MAX_LIST, &count);
    if (st == CLR_OK && count < 0) st = tk_ints_attr(n, attr, v, TK_MAX_LIST, &count);
    if (st == CLR_OK && count != naxes)
        st = clr_node_fail(n, CLR_ERR_FORMAT, "%d %s for %d axes", count < 0 ? 0 : count, attr, naxes);
    return st;
}

/* Paddle's rule per sliced axis of size d: a negative bound counts from the
 * end (+d), then both are clamped into [0, d]; the length is end - start, or
 * 0 when that is negative. `decrease_axis` drops sliced dims of length 1
 * (all dropped leaves [1]); `infer_flags` only matter at compile time. */
clr_status tk_slice_plan(const clr_node *n, const clr_tensor *x, tk_view *v, int32_t *ndims, int64_t *dims,
                         bool *keeps_lod) {
    int64_t axes[TK_MAX_LIST], starts[TK_MAX_LIST], ends[TK_MAX_LIST], decrease[TK_MAX_LIST];
    int32_t naxes, ndecrease;
    clr_status st = tk_ints_attr(n, "axes", axes, TK_MAX_LIST, &naxes);
    if (st == CLR_OK && naxes < 0) st = clr_node_fail(n, CLR_ERR_FORMAT, "attribute 'axes' is missing");
    if (st == CLR_OK) st = slice_bounds(n, "StartsTensor", "StartsTensorList", "starts", naxes, starts);
    if (st == CLR_OK) st = slice_bounds(n, "EndsTensor", "EndsTensorList", "ends", naxes, ends);
    if (st == CLR_OK) st = tk_ints_attr(n, "decrease_axis", decrease, TK_MAX_LIST, &ndecrease);
    if (st != CLR_OK) return st;

    v->rank = x->ndims;
    v->offset = 0;
    memcpy(v->dims, x->dims, sizeof v->dims);
    dense_strides(x, v->strides);
    *keeps_lod = true;
    for (int32_t i = 0; i < naxes; i++) {
        int32_t a;
        if ((st = tk_axis(n, "slice axis", axes[i], x->ndims, &a)) != CLR_OK) return st;
        int64_t d = x->dims[a];
        int64_t s = starts[i] < 0 ? starts[i] + d : starts[i];
        int64_t e = ends[i] < 0 ? ends[i] + d : ends[i];
        s = s < 0 ? 0 : s > d ? d : s;
        e = e < 0 ? 0 : e > d ? d : e;
        v->dims[a] = e > s ? e - s : 0;
        v->offset += s * v->strides[a];
        *keeps_lod = *keeps_lod && a != 0; /* LoD indexes dim 0 */
    }
    bool drop[CLR_MAX_DIMS] = {false};
    for (int32_t i = 0; i < ndecrease; i++) {
        int32_t a;
        if ((st = tk_axis(n, "decrease_axis", decrease[i], x->ndims, &a)) != CLR_OK) return st;
        if (v->dims[a] != 1)
            return clr_node_fail(n, CLR_ERR_FORMAT, "decrease_axis %d has size %" PRId64 " after slicing, expected 1",
                                 a, v->dims[a]);
        drop[a] = true;
    }
    int32_t k = 0;
    for (int32_t d = 0; d < x->ndims; d++)
        if (!drop[d]) dims[k++] = v->dims[d];
    if (k == 0 && ndecrease > 0) dims[k++] = 1;
    *ndims = k;
    return CLR_OK;
}

clr_status clr_tk_slice(clr_node *n) {
    clr_tensor *x, *out;
    size_t esize;
    tk_view v;
    int64_t dims[CLR_MAX_DIMS];
    int32_t ndims;
    bool keeps_lod;
    clr_status st = tk_in_out(n, "Input", "Out", &x, &out);
    if (st == CLR_OK) st = tk_elem_size(n, "input 'Input'", x->dtype, &esize);
    if (st == CLR_OK) st = tk_slice_plan(n, x, &v, &ndims, dims, &keeps_lod);
    if (st == CLR_OK) st = tk_resize(n, out, x->dtype, ndims, dims);
    if (st != CLR_OK) return st;
    tk_strided_copy(out->data, (const char *)x->data + (size_t)v.offset * esize, esize, v.rank, v.dims, v.strides);
    return keeps_lod ? clr_tensor_set_lod(out, x->nlod, x->lod, n->err) : CLR_OK;
}

/* Broadcasts X against a target shape aligned to its last dims. */
static clr_status broadcast_to(clr_node *n, const clr_tensor *x, clr_tensor *out, const int64_t *target, int32_t rank) {
    size_t esize;
    char xbuf[160], tbuf[160];
    clr_status st = tk_elem_size(n, "input 'X'", x->dtype, &esize);
    if (st != CLR_OK) return st;
    if (rank < x->ndims || rank > CLR_MAX_DIMS)
        return clr_node_fail(n, CLR_ERR_FORMAT, "cannot expand input %s to shape %s",
                             clr_tensor_shape_str(x, xbuf, sizeof xbuf), tk_dims_str(tbuf, sizeof tbuf, rank, target));
    int64_t xs[CLR_MAX_DIMS], dims[CLR_MAX_DIMS], strides[CLR_MAX_DIMS];
    dense_strides(x, xs);
    int32_t lead = rank - x->ndims;
    for (int32_t i = 0; i < rank; i++) {
        int64_t xd = i < lead ? 1 : x->dims[i - lead];
        int64_t t = target[i];
        if (t == -1 && i >= lead) t = xd; /* -1 keeps the input's dim */
        if (t < 0 || (xd != 1 && xd != t))
            return clr_node_fail(n, CLR_ERR_FORMAT, "cannot expand input %s to shape %s",
                                 clr_tensor_shape_str(x, xbuf, sizeof xbuf),
                                 tk_dims_str(tbuf, sizeof tbuf, rank, target));
        dims[i] = t;
        strides[i] = i < lead || xd == 1 ? 0 : xs[i - lead];
    }
    if ((st = tk_resize(n, out, x->dtype, rank, dims)) != CLR_OK) return st;
    tk_strided_copy(out->data, x->data, esize, rank, dims, strides);
    return CLR_OK;
}

/* expand_v2: target shape from Shape (1-D) > expand_shapes_tensor > `shape`. */
clr_status clr_tk_expand_v2(clr_node *n) {
    clr_tensor *x, *out;
    int64_t shape[TK_MAX_LIST];
    int32_t count;
    clr_status st = tk_in_out(n, "X", "Out", &x, &out);
    if (st == CLR_OK) st = tk_ints_tensor(n, "Shape", shape, TK_MAX_LIST, &count);
    if (st == CLR_OK && count < 0) st = tk_ints_list(n, "expand_shapes_tensor", shape, TK_MAX_LIST, &count);
    if (st == CLR_OK && count < 0) st = tk_ints_attr(n, "shape", shape, TK_MAX_LIST, &count);
    if (st == CLR_OK && count < 0) st = clr_node_fail(n, CLR_ERR_FORMAT, "no target shape");
    return st == CLR_OK ? broadcast_to(n, x, out, shape, count) : st;
}

/* expand (v1): dim i is repeated times[i] times (tiling, not broadcasting).
 * Seen as [t0, d0, t1, d1, ...] with stride 0 on each t, it is a strided copy. */
clr_status clr_tk_expand(clr_node *n) {
    clr_tensor *x, *out;
    int64_t times[TK_MAX_LIST];
    int32_t count;
    size_t esize;
    clr_status st = tk_in_out(n, "X", "Out", &x, &out);
    if (st == CLR_OK) st = tk_elem_size(n, "input 'X'", x->dtype, &esize);
    if (st == CLR_OK) st = tk_ints_tensor(n, "ExpandTimes", times, TK_MAX_LIST, &count);
    if (st == CLR_OK && count < 0) st = tk_ints_list(n, "expand_times_tensor", times, TK_MAX_LIST, &count);
    if (st == CLR_OK && count < 0) st = tk_ints_attr(n, "expand_times", times, TK_MAX_LIST, &count);
    if (st != CLR_OK) return st;
    if (count != x->ndims)
        return clr_node_fail(n, CLR_ERR_FORMAT, "%d expand_times for an input of %d dims", count < 0 ? 0 : count,
                             x->ndims);
    int64_t xs[CLR_MAX_DIMS], dims[CLR_MAX_DIMS], vdims[TK_MAX_VIEW_DIMS], vstrides[TK_MAX_VIEW_DIMS];
    dense_strides(x, xs);
    for (int32_t i = 0; i < x->ndims; i++) {
        if (times[i] < 1)
            return clr_node_fail(n, CLR_ERR_FORMAT, "expand_times[%d] is %" PRId64 ", expected >= 1", i, times[i]);
        dims[i] = x->dims[i] * times[i];
        vdims[2 * i] = times[i];
        vdims[2 * i + 1] = x->dims[i];
        vstrides[2 * i] = 0;
        vstrides[2 * i + 1] = xs[i];
    }
    if ((st = tk_resize(n, out, x->dtype, x->ndims, dims)) != CLR_OK) return st;
    tk_strided_copy(out->data, x->data, esize, 2 * x->ndims, vdims, vstrides);
    return CLR_OK;
}

/* Out = X with dim `axis` replaced by the picked indices (Index: INT32/INT64,
 * [K] or [K, 1]); axis from the Axis tensor > attribute (default 0). */
clr_status clr_tk_gather(clr_node *n) {
    clr_tensor *x, *index, *out;
    size_t esize;
    int64_t axis_raw;
    int32_t axis;
    clr_status st = tk_in_out(n, "X", "Out", &x, &out);
    if (st == CLR_OK) st = clr_node_require_in(n, "Index", &index);
    if (st == CLR_OK && !index->data) st = clr_node_fail(n, CLR_ERR_FORMAT, "input 'Index' holds no data");
    if (st == CLR_OK) st = tk_elem_size(n, "input 'X'", x->dtype, &esize);
    if (st == CLR_OK) st = tk_int_tensor_or_attr(n, "Axis", "axis", 0, &axis_raw);
    if (st == CLR_OK) st = tk_axis(n, "axis", axis_raw, x->ndims, &axis);
    if (st != CLR_OK) return st;
    if (index->dtype != CLR_DTYPE_INT32 && index->dtype != CLR_DTYPE_INT64)
        return clr_node_fail(n, CLR_ERR_UNSUPPORTED, "input 'Index' has type %s, expected INT32 or INT64",
                             clr_dtype_name(index->dtype) ? clr_dtype_name(index->dtype) : "unknown");
    if (!(index->ndims == 1 || (index->ndims == 2 && index->dims[1] == 1)))
        return clr_node_fail(n, CLR_ERR_FORMAT, "input 'Index' has %d dims, expected [K] or [K, 1]", index->ndims);
    int64_t count = index->dims[0], dims[CLR_MAX_DIMS];
    memcpy(dims, x->dims, sizeof dims);
    dims[axis] = count;
    if ((st = tk_resize(n, out, x->dtype, x->ndims, dims)) != CLR_OK) return st;
    int64_t outer = tk_prod(x->dims, 0, axis), axis_dim = x->dims[axis];
    size_t row = (size_t)tk_prod(x->dims, axis + 1, x->ndims) * esize;
    for (int64_t k = 0; k < count; k++) {
        int64_t at = tk_load_i64(index->data, index->dtype, k);
        if (at < 0 || at >= axis_dim)
            return clr_node_fail(n, CLR_ERR_FORMAT, "index %" PRId64 " is outside 0..%" PRId64, at, axis_dim - 1);
        for (int64_t o = 0; o < outer; o++)
            memcpy((char *)out->data + (size_t)(o * count + k) * row,
                   (const char *)x->data + (size_t)(o * axis_dim + at) * row, row);
    }
    return CLR_OK;
}
