/* clrun — ops that make tensors from attributes or shapes: fill_constant,
 * fill_constant_batch_size_like, fill_zeros_like, range, shape. */
#include <inttypes.h>
#include <math.h>
#include <string.h>

#include "kernels/host/tensor_common.h"
#include "kernels/host/tensor_kernels.h"

static clr_status check_dtype(const clr_node *n, int64_t dtype) {
    if (dtype >= 0 && dtype <= INT32_MAX && tk_dtype_numeric((int32_t)dtype)) return CLR_OK;
    const char *name = dtype >= 0 && dtype <= INT32_MAX ? clr_dtype_name((int32_t)dtype) : NULL;
    return clr_node_fail(n, CLR_ERR_UNSUPPORTED, "unsupported dtype %" PRId64 " (%s)", dtype, name ? name : "unknown");
}

/* Writes element 0 then doubles the filled prefix until the tensor is full. */
static void replicate_first(clr_tensor *t) {
    size_t total = clr_tensor_nbytes(t), done = clr_dtype_size(t->dtype);
    while (done < total) {
        size_t chunk = done < total - done ? done : total - done;
        memcpy((char *)t->data + done, t->data, chunk);
        done += chunk;
    }
}

static clr_status fill_float(const clr_node *n, clr_tensor *out, int64_t dtype, int32_t ndims, const int64_t *dims,
                             double value) {
    clr_status st = tk_resize(n, out, (int32_t)dtype, ndims, dims);
    if (st == CLR_OK && clr_tensor_numel(out) > 0) {
        tk_store_f64(out->data, out->dtype, 0, value);
        replicate_first(out);
    }
    return st;
}

static clr_status check_shape(const clr_node *n, int32_t ndims, const int64_t *dims) {
    char buf[160];
    if (ndims > CLR_MAX_DIMS)
        return clr_node_fail(n, CLR_ERR_UNSUPPORTED, "shape has %d dims, at most %d supported", ndims, CLR_MAX_DIMS);
    for (int32_t i = 0; i < ndims; i++)
        if (dims[i] < 0)
            return clr_node_fail(n, CLR_ERR_FORMAT, "shape %s has a negative dim",
                                 tk_dims_str(buf, sizeof buf, ndims, dims));
    return CLR_OK;
}

/* Shape: ShapeTensor (1-D) > ShapeTensorList > `shape`; value: ValueTensor >
 * `value` (`str_value` is ignored, as in Paddle-Lite). */
clr_status clr_tk_fill_constant(clr_node *n) {
    clr_tensor *out;
    int64_t dims[TK_MAX_LIST], dtype = clr_node_attr_int(n, "dtype", CLR_DTYPE_FP32);
    int32_t ndims;
    clr_status st = clr_node_require_out(n, "Out", &out);
    if (st == CLR_OK) st = check_dtype(n, dtype);
    if (st == CLR_OK) st = tk_ints_tensor(n, "ShapeTensor", dims, TK_MAX_LIST, &ndims);
    if (st == CLR_OK && ndims < 0) st = tk_ints_list(n, "ShapeTensorList", dims, TK_MAX_LIST, &ndims);
    if (st == CLR_OK && ndims < 0) st = tk_ints_attr(n, "shape", dims, TK_MAX_LIST, &ndims);
    if (st == CLR_OK && ndims < 0) ndims = 0;
    if (st == CLR_OK) st = check_shape(n, ndims, dims);
    if (st != CLR_OK) return st;
    const clr_tensor *vt = clr_node_in(n, "ValueTensor", 0);
    if (!vt || !vt->data) return fill_float(n, out, dtype, ndims, dims, clr_node_attr_float(n, "value", 0.0f));
    if (!tk_dtype_numeric(vt->dtype) || clr_tensor_numel(vt) < 1)
        return clr_node_fail(n, CLR_ERR_FORMAT, "input 'ValueTensor' holds no usable value");
    if (!tk_dtype_is_int(vt->dtype)) return fill_float(n, out, dtype, ndims, dims, tk_load_f64(vt->data, vt->dtype, 0));
    /* Integer values go through int64 so large ones stay exact. */
    if ((st = tk_resize(n, out, (int32_t)dtype, ndims, dims)) != CLR_OK) return st;
    if (clr_tensor_numel(out) > 0) {
        tk_store_i64(out->data, out->dtype, 0, tk_load_i64(vt->data, vt->dtype, 0));
        replicate_first(out);
    }
    return CLR_OK;
}

/* `shape` with dim output_dim_idx taken from Input's dim input_dim_idx (or,
 * for dim 0 of an input with LoD, its sequence count, as Paddle-Lite does). */
clr_status clr_tk_fill_constant_batch_size_like(clr_node *n) {
    clr_tensor *in, *out;
    int64_t dims[TK_MAX_LIST], dtype = clr_node_attr_int(n, "dtype", CLR_DTYPE_FP32);
    int32_t ndims;
    clr_status st = tk_in_out(n, "Input", "Out", &in, &out);
    if (st == CLR_OK) st = check_dtype(n, dtype);
    if (st == CLR_OK) st = tk_ints_attr(n, "shape", dims, TK_MAX_LIST, &ndims);
    if (st != CLR_OK) return st;
    int64_t in_idx = clr_node_attr_int(n, "input_dim_idx", 0), out_idx = clr_node_attr_int(n, "output_dim_idx", 0);
    if (in_idx < 0 || in_idx >= in->ndims || out_idx < 0 || out_idx >= ndims)
        return clr_node_fail(n, CLR_ERR_FORMAT,
                             "input_dim_idx %" PRId64 " / output_dim_idx %" PRId64 " out of range (%d / %d dims)",
                             in_idx, out_idx, in->ndims, ndims < 0 ? 0 : ndims);
    dims[out_idx] = in_idx == 0 && in->nlod > 1 ? in->nlod - 1 : in->dims[in_idx];
    if ((st = check_shape(n, ndims, dims)) != CLR_OK) return st;
    return fill_float(n, out, dtype, ndims, dims, clr_node_attr_float(n, "value", 0.0f));
}

clr_status clr_tk_fill_zeros_like(clr_node *n) {
    clr_tensor *x, *out;
    clr_status st = tk_in_out(n, "X", "Out", &x, &out);
    if (st == CLR_OK) st = tk_resize(n, out, x->dtype, x->ndims, x->dims);
    if (st == CLR_OK) memset(out->data, 0, clr_tensor_nbytes(out));
    return st;
}

/* Out = the input's dims as INT32 [rank]. */
clr_status clr_tk_shape(clr_node *n) {
    clr_tensor *x, *out;
    clr_status st = clr_node_require_in(n, "Input", &x);
    if (st == CLR_OK) st = clr_node_require_out(n, "Out", &out);
    int64_t rank = x ? x->ndims : 0;
    if (st == CLR_OK) st = tk_resize(n, out, CLR_DTYPE_INT32, 1, &rank);
    for (int32_t i = 0; st == CLR_OK && i < rank; i++)
        ((int32_t *)out->data)[i] = (int32_t)x->dims[i];
    return st;
}

static clr_status range_scalar(const clr_node *n, const char *slot, int32_t dtype, clr_tensor **t) {
    clr_status st = clr_node_require_in(n, slot, t);
    if (st != CLR_OK) return st;
    if (!(*t)->data || clr_tensor_numel(*t) != 1)
        return clr_node_fail(n, CLR_ERR_FORMAT, "input '%s' must hold one value", slot);
    if ((*t)->dtype != dtype) return clr_node_fail(n, CLR_ERR_FORMAT, "input '%s' type differs from 'Start'", slot);
    return CLR_OK;
}

/* [Start, End) by Step, in Start's type. Values accumulate step by step in
 * that type, as Paddle-Lite's kernel does. */
clr_status clr_tk_range(clr_node *n) {
    clr_tensor *ts, *te, *tp, *out;
    clr_status st = clr_node_require_in(n, "Start", &ts);
    if (st == CLR_OK &&
        !(ts->data && (ts->dtype == CLR_DTYPE_FP32 || ts->dtype == CLR_DTYPE_INT32 || ts->dtype == CLR_DTYPE_INT64)))
        st = clr_node_fail(n, CLR_ERR_UNSUPPORTED, "input 'Start' must be FP32, INT32 or INT64");
    if (st == CLR_OK) st = range_scalar(n, "Start", ts->dtype, &ts);
    if (st == CLR_OK) st = range_scalar(n, "End", ts->dtype, &te);
    if (st == CLR_OK) st = range_scalar(n, "Step", ts->dtype, &tp);
    if (st == CLR_OK) st = clr_node_require_out(n, "Out", &out);
    if (st != CLR_OK) return st;
    double start = tk_load_f64(ts->data, ts->dtype, 0), end = tk_load_f64(te->data, te->dtype, 0);
    double step = tk_load_f64(tp->data, tp->dtype, 0);
    if (step == 0 || isnan(start) || isnan(end) || isnan(step) || (start != end && (end > start) != (step > 0)))
        return clr_node_fail(n, CLR_ERR_FORMAT, "range from %g to %g by %g is empty or endless", start, end, step);
    int64_t count;
    if (ts->dtype == CLR_DTYPE_FP32) {
        /* In float, like the kernel, so the count matches at the edges. */
        count = (int64_t)ceilf(fabsf(((float)end - (float)start) / (float)step));
    } else {
        int64_t s = tk_load_i64(ts->data, ts->dtype, 0), e = tk_load_i64(te->data, te->dtype, 0);
        int64_t p = tk_load_i64(tp->data, tp->dtype, 0), span = e > s ? e - s : s - e, ap = p > 0 ? p : -p;
        count = (span + ap - 1) / ap;
    }
    if ((st = tk_resize(n, out, ts->dtype, 1, &count)) != CLR_OK) return st;
    if (ts->dtype == CLR_DTYPE_FP32) {
        float v = (float)start, fs = (float)step;
        for (int64_t i = 0; i < count; i++, v += fs)
            ((float *)out->data)[i] = v;
    } else {
        int64_t v = tk_load_i64(ts->data, ts->dtype, 0), p = tk_load_i64(tp->data, tp->dtype, 0);
        for (int64_t i = 0; i < count; i++, v += p)
            tk_store_i64(out->data, out->dtype, i, v);
    }
    return CLR_OK;
}
