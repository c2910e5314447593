/* clrun — value-level tensor ops: cast, arg_max, and the copies (assign,
 * dropout at inference, and io_copy / layout, which on the host move a
 * tensor unchanged). */
#include <inttypes.h>
#include <string.h>

#include "kernels/host/tensor_common.h"
#include "kernels/host/tensor_kernels.h"
#include "kernels/host/tensor_plans.h"

static const char *dtype_str(int32_t dtype) {
    const char *s = clr_dtype_name(dtype);
    return s ? s : "unknown";
}

/* Converts to `out_dtype` as C++'s static_cast does (float → int truncates;
 * anything → BOOL is != 0). The input's actual type is used: `in_dtype` only
 * restates it, and trusting the tensor keeps values right if they differ. */
clr_status clr_tk_cast(clr_node *n) {
    clr_tensor *x, *out;
    clr_status st = tk_in_out(n, "X", "Out", &x, &out);
    if (st != CLR_OK) return st;
    int64_t to = clr_node_attr_int(n, "out_dtype", -1);
    if (!tk_dtype_numeric(x->dtype))
        return clr_node_fail(n, CLR_ERR_UNSUPPORTED, "cannot cast input of type %s", dtype_str(x->dtype));
    if (to < 0 || to > INT32_MAX || !tk_dtype_numeric((int32_t)to))
        return clr_node_fail(n, CLR_ERR_UNSUPPORTED, "unsupported out_dtype %" PRId64, to);
    if ((st = tk_resize(n, out, (int32_t)to, x->ndims, x->dims)) != CLR_OK) return st;
    int64_t count = clr_tensor_numel(x);
    if (x->dtype == out->dtype) {
        memcpy(out->data, x->data, clr_tensor_nbytes(x));
    } else if (tk_dtype_is_int(x->dtype)) {
        for (int64_t i = 0; i < count; i++)
            tk_store_i64(out->data, out->dtype, i, tk_load_i64(x->data, x->dtype, i));
    } else {
        for (int64_t i = 0; i < count; i++)
            tk_store_f64(out->data, out->dtype, i, tk_load_f64(x->data, x->dtype, i));
    }
    return CLR_OK;
}

/* Index of the maximum of `size` values spaced `stride` apart. Ties go to the
 * LAST index: Paddle-Lite's ARM kernel takes the largest (value, index) pair. */
static int64_t argmax_f32(const float *p, int64_t size, int64_t stride) {
    int64_t best = 0;
    for (int64_t i = 1; i < size; i++)
        if (p[i * stride] >= p[best * stride]) best = i;
    return best;
}

static int64_t argmax_any(const void *data, int32_t dtype, int64_t base, int64_t size, int64_t stride) {
    int64_t best = 0;
    double bv = tk_load_f64(data, dtype, base);
    for (int64_t i = 1; i < size; i++) {
        double v = tk_load_f64(data, dtype, base + i * stride);
        if (v >= bv) {
            bv = v;
            best = i;
        }
    }
    return best;
}

/* Output shape: X without `axis` (kept as 1 with keepdims); with `flatten`,
 * X is searched as one vector. An empty result shape becomes [1]. */
static int32_t argmax_dims(const clr_tensor *x, int32_t axis, bool keepdims, bool flatten, int64_t *dims) {
    int32_t k = 0;
    for (int32_t d = 0; d < x->ndims; d++)
        if (flatten || d == axis) {
            if (keepdims) dims[k++] = 1;
        } else {
            dims[k++] = x->dims[d];
        }
    if (k == 0) dims[k++] = 1;
    return k;
}

clr_status tk_arg_max_plan(const clr_node *n, const clr_tensor *x, tk_argmax_plan *p) {
    int32_t axis = 0;
    clr_status st = CLR_OK;
    if (!tk_dtype_numeric(x->dtype) || clr_tensor_numel(x) == 0)
        st = clr_node_fail(n, CLR_ERR_UNSUPPORTED, "input 'X' (%s, %" PRId64 " elements) has no maximum",
                           dtype_str(x->dtype), clr_tensor_numel(x));
    bool flatten = clr_node_attr_bool(n, "flatten", false), keepdims = clr_node_attr_bool(n, "keepdims", false);
    if (st == CLR_OK && !flatten) st = tk_axis(n, "axis", clr_node_attr_int(n, "axis", -1), x->ndims, &axis);
    if (st != CLR_OK) return st;
    int64_t dtype_attr = clr_node_attr_int(n, "dtype", -1);
    if (dtype_attr != -1 && dtype_attr != CLR_DTYPE_INT32 && dtype_attr != CLR_DTYPE_INT64)
        return clr_node_fail(n, CLR_ERR_UNSUPPORTED, "dtype %" PRId64 " is not -1, 2 (INT32) or 3 (INT64)", dtype_attr);
    p->ndims = argmax_dims(x, axis, keepdims, flatten, p->dims);
    p->out_dtype = dtype_attr == CLR_DTYPE_INT32 ? CLR_DTYPE_INT32 : CLR_DTYPE_INT64;
    p->outer = 1, p->size = clr_tensor_numel(x), p->inner = 1;
    if (!flatten) {
        p->outer = tk_prod(x->dims, 0, axis);
        p->size = x->dims[axis];
        p->inner = tk_prod(x->dims, axis + 1, x->ndims);
    }
    return CLR_OK;
}

clr_status clr_tk_arg_max(clr_node *n) {
    clr_tensor *x, *out;
    tk_argmax_plan p;
    clr_status st = tk_in_out(n, "X", "Out", &x, &out);
    if (st == CLR_OK) st = tk_arg_max_plan(n, x, &p);
    if (st == CLR_OK) st = tk_resize(n, out, p.out_dtype, p.ndims, p.dims);
    if (st != CLR_OK) return st;
    for (int64_t o = 0; o < p.outer; o++)
        for (int64_t i = 0; i < p.inner; i++) {
            int64_t base = o * p.size * p.inner + i;
            int64_t best = x->dtype == CLR_DTYPE_FP32 ? argmax_f32((const float *)x->data + base, p.size, p.inner)
                                                      : argmax_any(x->data, x->dtype, base, p.size, p.inner);
            tk_store_i64(out->data, p.out_dtype, o * p.inner + i, best);
        }
    return CLR_OK;
}

clr_status clr_tk_assign(clr_node *n) {
    clr_tensor *x, *out;
    clr_status st = tk_in_out(n, "X", "Out", &x, &out);
    return st == CLR_OK ? tk_copy(n, out, x) : st;
}

/* Inference dropout: "downgrade_in_infer" scales by (1 - dropout_prob),
 * "upscale_in_train" is the identity. The Mask output is not produced. */
clr_status clr_tk_dropout(clr_node *n) {
    clr_tensor *x, *out;
    clr_status st = tk_in_out(n, "X", "Out", &x, &out);
    if (st != CLR_OK) return st;
    const char *impl = clr_node_attr_str(n, "dropout_implementation", "downgrade_in_infer");
    if (strcmp(impl, "upscale_in_train") == 0) return tk_copy(n, out, x);
    if (strcmp(impl, "downgrade_in_infer") != 0)
        return clr_node_fail(n, CLR_ERR_UNSUPPORTED, "unsupported dropout_implementation '%s'", impl);
    if (x->dtype != CLR_DTYPE_FP32)
        return clr_node_fail(n, CLR_ERR_UNSUPPORTED, "input 'X' has type %s, expected FP32", dtype_str(x->dtype));
    if ((st = tk_copy(n, out, x)) != CLR_OK) return st;
    float keep = 1.0f - clr_node_attr_float(n, "dropout_prob", 0.5f);
    float *p = out->data;
    for (int64_t i = 0; i < clr_tensor_numel(out); i++)
        p[i] *= keep;
    return CLR_OK;
}

/* io_copy(_once) and layout(_once): on the host, the value moves unchanged
 * from `Input` (or `InputArray`) to `Out` (or `OutArray`). */
clr_status clr_tk_identity_copy(clr_node *n) {
    clr_tensor *in = clr_node_in(n, "Input", 0), *out = clr_node_out(n, "Out", 0);
    if (!in) in = clr_node_in(n, "InputArray", 0);
    if (!out) out = clr_node_out(n, "OutArray", 0);
    if (!in || !in->data) return clr_node_fail(n, CLR_ERR_FORMAT, "input 'Input' is missing or holds no data");
    if (!out) return clr_node_fail(n, CLR_ERR_FORMAT, "output 'Out' is missing");
    return tk_copy(n, out, in);
}
