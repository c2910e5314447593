/* clrun — helpers shared by the tensor-family host kernels (see tensor_common.h). */
#include "kernels/host/tensor_common.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/error.h"

clr_status tk_in_out(const clr_node *n, const char *in_slot, const char *out_slot, clr_tensor **in, clr_tensor **out) {
    clr_status st = clr_node_require_in(n, in_slot, in);
    if (st == CLR_OK && !(*in)->data) st = clr_node_fail(n, CLR_ERR_FORMAT, "input '%s' holds no data", in_slot);
    if (st == CLR_OK) st = clr_node_require_out(n, out_slot, out);
    return st;
}

clr_status tk_resize(const clr_node *n, clr_tensor *t, int32_t dtype, int32_t ndims, const int64_t *dims) {
    clr_status st = clr_tensor_resize(t, dtype, ndims, dims, n->err);
    if (st != CLR_OK) return clr_error_prefix(n->err, st, "op %d (%s)", n->index, n->op->type);
    return clr_tensor_set_lod(t, 0, NULL, n->err); /* cannot fail: nothing is allocated */
}

clr_status tk_copy(const clr_node *n, clr_tensor *dst, const clr_tensor *src) {
    clr_status st = clr_tensor_copy(dst, src, n->err);
    return st == CLR_OK ? st : clr_error_prefix(n->err, st, "op %d (%s)", n->index, n->op->type);
}

clr_status tk_copy_reshaped(const clr_node *n, clr_tensor *dst, const clr_tensor *src, int32_t ndims,
                            const int64_t *dims) {
    clr_status st = tk_resize(n, dst, src->dtype, ndims, dims);
    if (st != CLR_OK) return st;
    size_t bytes = clr_tensor_nbytes(src);
    if (bytes) memcpy(dst->data, src->data, bytes);
    st = clr_tensor_set_lod(dst, src->nlod, src->lod, n->err);
    return st == CLR_OK ? st : clr_error_prefix(n->err, st, "op %d (%s)", n->index, n->op->type);
}

clr_status tk_set_xshape(const clr_node *n, const clr_tensor *x) {
    clr_tensor *xs = clr_node_out(n, "XShape", 0);
    if (!xs || x->ndims + 1 > CLR_MAX_DIMS) return CLR_OK;
    int64_t dims[CLR_MAX_DIMS] = {0};
    for (int32_t i = 0; i < x->ndims; i++)
        dims[i + 1] = x->dims[i];
    return tk_resize(n, xs, x->dtype, x->ndims + 1, dims);
}

clr_status tk_elem_size(const clr_node *n, const char *what, int32_t dtype, size_t *size) {
    *size = clr_dtype_size(dtype);
    if (*size) return CLR_OK;
    const char *name = clr_dtype_name(dtype);
    return clr_node_fail(n, CLR_ERR_UNSUPPORTED, "%s has type %s, which holds no elements", what,
                         name ? name : "unknown");
}

/* A bound, non-empty tensor in slot[i], or NULL. */
static const clr_tensor *present(const clr_node *n, const char *slot, int32_t i) {
    const clr_tensor *t = clr_node_in(n, slot, i);
    return t && t->data ? t : NULL;
}

static clr_status check_int_tensor(const clr_node *n, const char *slot, const clr_tensor *t) {
    if (t->dtype == CLR_DTYPE_INT32 || t->dtype == CLR_DTYPE_INT64) return CLR_OK;
    const char *name = clr_dtype_name(t->dtype);
    return clr_node_fail(n, CLR_ERR_UNSUPPORTED, "input '%s' has type %s, expected INT32 or INT64", slot,
                         name ? name : "unknown");
}

clr_status tk_ints_tensor(const clr_node *n, const char *slot, int64_t *out, int32_t max, int32_t *count) {
    *count = -1;
    const clr_tensor *t = present(n, slot, 0);
    if (!t) return CLR_OK;
    clr_status st = check_int_tensor(n, slot, t);
    if (st != CLR_OK) return st;
    int64_t numel = clr_tensor_numel(t);
    if (numel > max)
        return clr_node_fail(n, CLR_ERR_UNSUPPORTED, "input '%s' has %" PRId64 " values, at most %d supported", slot,
                             numel, max);
    for (int64_t i = 0; i < numel; i++)
        out[i] = tk_load_i64(t->data, t->dtype, i);
    *count = (int32_t)numel;
    return CLR_OK;
}

clr_status tk_ints_list(const clr_node *n, const char *slot, int64_t *out, int32_t max, int32_t *count) {
    *count = -1;
    int32_t k = clr_node_in_count(n, slot);
    if (k == 0) return CLR_OK;
    if (k > max)
        return clr_node_fail(n, CLR_ERR_UNSUPPORTED, "input '%s' has %d tensors, at most %d supported", slot, k, max);
    for (int32_t i = 0; i < k; i++) {
        const clr_tensor *t = present(n, slot, i);
        if (!t || clr_tensor_numel(t) < 1)
            return clr_node_fail(n, CLR_ERR_FORMAT, "input '%s' element %d holds no value", slot, i);
        clr_status st = check_int_tensor(n, slot, t);
        if (st != CLR_OK) return st;
        out[i] = tk_load_i64(t->data, t->dtype, 0);
    }
    *count = k;
    return CLR_OK;
}

clr_status tk_ints_attr(const clr_node *n, const char *name, int64_t *out, int32_t max, int32_t *count) {
    *count = clr_node_attr_ints(n, name, out, max);
    if (*count > max)
        return clr_node_fail(n, CLR_ERR_UNSUPPORTED, "attribute '%s' has %d values, at most %d supported", name, *count,
                             max);
    return CLR_OK;
}

clr_status tk_int_tensor_or_attr(const clr_node *n, const char *slot, const char *attr, int64_t dflt, int64_t *v) {
    const clr_tensor *t = present(n, slot, 0);
    if (!t) {
        *v = clr_node_attr_int(n, attr, dflt);
        return CLR_OK;
    }
    clr_status st = check_int_tensor(n, slot, t);
    if (st != CLR_OK) return st;
    if (clr_tensor_numel(t) < 1) return clr_node_fail(n, CLR_ERR_FORMAT, "input '%s' holds no value", slot);
    *v = tk_load_i64(t->data, t->dtype, 0);
    return CLR_OK;
}

clr_status tk_axis(const clr_node *n, const char *what, int64_t axis, int32_t rank, int32_t *out) {
    if (axis < -(int64_t)rank || axis >= rank)
        return clr_node_fail(n, CLR_ERR_FORMAT, "%s %" PRId64 " is out of range for %d dims", what, axis, rank);
    *out = (int32_t)(axis < 0 ? axis + rank : axis);
    return CLR_OK;
}

const char *tk_dims_str(char *buf, size_t size, int32_t ndims, const int64_t *dims) {
    size_t at = (size_t)snprintf(buf, size, "[");
    for (int32_t i = 0; i < ndims && at < size; i++)
        at += (size_t)snprintf(buf + at, size - at, i ? ",%" PRId64 : "%" PRId64, dims[i]);
    if (at < size) snprintf(buf + at, size - at, "]");
    return buf;
}

int64_t tk_prod(const int64_t *dims, int32_t from, int32_t to) {
    int64_t p = 1;
    for (int32_t i = from; i < to; i++)
        p *= dims[i];
    return p;
}

bool tk_dtype_is_int(int32_t dtype) {
    switch (dtype) {
    case CLR_DTYPE_BOOL:
    case CLR_DTYPE_INT16:
    case CLR_DTYPE_INT32:
    case CLR_DTYPE_INT64:
    case CLR_DTYPE_UINT8:
    case CLR_DTYPE_INT8: return true;
    default: return false;
    }
}

bool tk_dtype_numeric(int32_t dtype) {
    return tk_dtype_is_int(dtype) || dtype == CLR_DTYPE_FP32 || dtype == CLR_DTYPE_FP64;
}

/* Saturating truncation toward zero; the bounds are exactly representable. */
static int64_t f64_to_i64(double v) {
    if (isnan(v)) return 0;
    if (v >= 9223372036854775807.0) return INT64_MAX;
    if (v <= -9223372036854775808.0) return INT64_MIN;
    return (int64_t)v;
}

int64_t tk_load_i64(const void *data, int32_t dtype, int64_t i) {
    switch (dtype) {
    case CLR_DTYPE_BOOL: return ((const uint8_t *)data)[i] != 0;
    case CLR_DTYPE_INT16: return ((const int16_t *)data)[i];
    case CLR_DTYPE_INT32: return ((const int32_t *)data)[i];
    case CLR_DTYPE_INT64: return ((const int64_t *)data)[i];
    case CLR_DTYPE_UINT8: return ((const uint8_t *)data)[i];
    case CLR_DTYPE_INT8: return ((const int8_t *)data)[i];
    case CLR_DTYPE_FP32: return f64_to_i64(((const float *)data)[i]);
    case CLR_DTYPE_FP64: return f64_to_i64(((const double *)data)[i]);
    default: return 0;
    }
}

double tk_load_f64(const void *data, int32_t dtype, int64_t i) {
    switch (dtype) {
    case CLR_DTYPE_FP32: return ((const float *)data)[i];
    case CLR_DTYPE_FP64: return ((const double *)data)[i];
    default: return (double)tk_load_i64(data, dtype, i);
    }
}

static int64_t clamp_i64(int64_t v, int64_t lo, int64_t hi) { return v < lo ? lo : v > hi ? hi : v; }

void tk_store_i64(void *data, int32_t dtype, int64_t i, int64_t v) {
    switch (dtype) {
    case CLR_DTYPE_BOOL: ((uint8_t *)data)[i] = v != 0; break;
    case CLR_DTYPE_INT16: ((int16_t *)data)[i] = (int16_t)clamp_i64(v, INT16_MIN, INT16_MAX); break;
    case CLR_DTYPE_INT32: ((int32_t *)data)[i] = (int32_t)clamp_i64(v, INT32_MIN, INT32_MAX); break;
    case CLR_DTYPE_INT64: ((int64_t *)data)[i] = v; break;
    case CLR_DTYPE_UINT8: ((uint8_t *)data)[i] = (uint8_t)clamp_i64(v, 0, UINT8_MAX); break;
    case CLR_DTYPE_INT8: ((int8_t *)data)[i] = (int8_t)clamp_i64(v, INT8_MIN, INT8_MAX); break;
    case CLR_DTYPE_FP32: ((float *)data)[i] = (float)v; break;
    case CLR_DTYPE_FP64: ((double *)data)[i] = (double)v; break;
    default: break;
    }
}

void tk_store_f64(void *data, int32_t dtype, int64_t i, double v) {
    switch (dtype) {
    case CLR_DTYPE_FP32: ((float *)data)[i] = (float)v; break;
    case CLR_DTYPE_FP64: ((double *)data)[i] = v; break;
    case CLR_DTYPE_BOOL: ((uint8_t *)data)[i] = v != 0; break; /* NaN is true, as in C++ */
    default: tk_store_i64(data, dtype, i, f64_to_i64(v)); break;
    }
}

/* dst[j] = src[j * stride] for j < count, for one element size. */
static void gather_row(void *dst, const void *src, int64_t count, int64_t stride, size_t esize) {
    if (stride == 1) {
        memcpy(dst, src, (size_t)count * esize);
        return;
    }
    switch (esize) {
    case 1:
        for (int64_t j = 0; j < count; j++)
            ((uint8_t *)dst)[j] = ((const uint8_t *)src)[j * stride];
        break;
    case 2:
        for (int64_t j = 0; j < count; j++)
            ((uint16_t *)dst)[j] = ((const uint16_t *)src)[j * stride];
        break;
    case 4:
        for (int64_t j = 0; j < count; j++)
            ((uint32_t *)dst)[j] = ((const uint32_t *)src)[j * stride];
        break;
    case 8:
        for (int64_t j = 0; j < count; j++)
            ((uint64_t *)dst)[j] = ((const uint64_t *)src)[j * stride];
        break;
    default:
        for (int64_t j = 0; j < count; j++)
            memcpy((char *)dst + (size_t)j * esize, (const char *)src + (size_t)(j * stride) * esize, esize);
        break;
    }
}

void tk_strided_copy(void *dst, const void *src, size_t esize, int32_t rank, const int64_t *dims,
                     const int64_t *strides) {
    if (rank == 0) {
        memcpy(dst, src, esize);
        return;
    }
    for (int32_t d = 0; d < rank; d++)
        if (dims[d] == 0) return;
    int64_t inner = dims[rank - 1], inner_stride = strides[rank - 1];
    int64_t idx[TK_MAX_VIEW_DIMS] = {0};
    int64_t off = 0; /* source offset of the current row, in elements */
    char *out = dst;
    for (;;) {
        gather_row(out, (const char *)src + (size_t)off * esize, inner, inner_stride, esize);
        out += (size_t)inner * esize;
        /* Odometer over the outer dims, keeping `off` in step. */
        int32_t d = rank - 2;
        while (d >= 0 && ++idx[d] == dims[d]) {
            off -= (dims[d] - 1) * strides[d];
            idx[d--] = 0;
        }
        if (d < 0) return;
        off += strides[d];
    }
}
