/* clrun — host tensors (see tensor.h). */
#include "runtime/tensor.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"

int64_t clr_tensor_numel(const clr_tensor *t) {
    int64_t n = 1;
    for (int32_t i = 0; i < t->ndims; i++) n *= t->dims[i];
    return n;
}

size_t clr_tensor_nbytes(const clr_tensor *t) { return (size_t)clr_tensor_numel(t) * clr_dtype_size(t->dtype); }

/* Validates a shape and returns its byte size in *bytes. */
static clr_status check_shape(int32_t dtype, int32_t ndims, const int64_t *dims, size_t *bytes, clr_error *err) {
    size_t esize = clr_dtype_size(dtype);
    if (!esize) return clr_error_set(err, CLR_ERR_ARG, "tensor type %d has no element size", dtype);
    if (ndims < 0 || ndims > CLR_MAX_DIMS)
        return clr_error_set(err, CLR_ERR_ARG, "tensor rank %d is outside 0..%d", ndims, CLR_MAX_DIMS);
    uint64_t numel = 1;
    for (int32_t i = 0; i < ndims; i++) {
        if (dims[i] < 0) return clr_error_set(err, CLR_ERR_ARG, "tensor dim %d is negative (%" PRId64 ")", i, dims[i]);
        if (dims[i] && numel > (UINT64_MAX >> 8) / (uint64_t)dims[i])
            return clr_error_set(err, CLR_ERR_ARG, "tensor of %d dims is too large", ndims);
        numel *= (uint64_t)dims[i];
    }
    if (numel > (uint64_t)(SIZE_MAX / 2) / esize)
        return clr_error_set(err, CLR_ERR_ARG, "tensor of %" PRIu64 " elements is too large", numel);
    *bytes = (size_t)numel * esize;
    return CLR_OK;
}

static void set_dims(clr_tensor *t, int32_t dtype, int32_t ndims, const int64_t *dims) {
    t->dtype = dtype;
    t->ndims = ndims;
    for (int32_t i = 0; i < ndims; i++) t->dims[i] = dims[i];
}

clr_status clr_tensor_set_shape(clr_tensor *t, int32_t dtype, int32_t ndims, const int64_t *dims, clr_error *err) {
    size_t need;
    clr_status st = check_shape(dtype, ndims, dims, &need, err);
    if (st == CLR_OK) set_dims(t, dtype, ndims, dims);
    return st;
}

clr_status clr_tensor_resize(clr_tensor *t, int32_t dtype, int32_t ndims, const int64_t *dims, clr_error *err) {
    size_t need;
    clr_status st = check_shape(dtype, ndims, dims, &need, err);
    if (st != CLR_OK) return st;
    if (t->borrowed) {
        t->data = NULL;
        t->capacity = 0;
        t->borrowed = false;
    }
    if (need > t->capacity || !t->data) {
        /* 64-byte alignment for vector loads. */
        void *p = clr_aligned_alloc64(need);
        if (!p) return clr_error_set(err, CLR_ERR_NOMEM, "out of memory for a tensor of %zu bytes", need);
        free(t->data);
        t->data = p;
        t->capacity = need ? need : 1;
    }
    set_dims(t, dtype, ndims, dims);
    return CLR_OK;
}

clr_status clr_tensor_resize_like(clr_tensor *t, const clr_tensor *like, clr_error *err) {
    return clr_tensor_resize(t, like->dtype, like->ndims, like->dims, err);
}

clr_status clr_tensor_set_lod(clr_tensor *t, int32_t n, const uint64_t *lod, clr_error *err) {
    uint64_t *copy = NULL;
    if (n > 0) {
        copy = clr_malloc((size_t)n * sizeof *copy);
        if (!copy) return clr_error_set(err, CLR_ERR_NOMEM, "out of memory for a LoD of %d entries", n);
        memcpy(copy, lod, (size_t)n * sizeof *copy);
    }
    free(t->lod);
    t->lod = copy;
    t->nlod = n > 0 ? n : 0;
    return CLR_OK;
}

clr_status clr_tensor_copy(clr_tensor *dst, const clr_tensor *src, clr_error *err) {
    if (dst == src) return CLR_OK;
    clr_status st = clr_tensor_resize_like(dst, src, err);
    if (st == CLR_OK) {
        size_t n = clr_tensor_nbytes(src);
        if (n) memcpy(dst->data, src->data, n);
        st = clr_tensor_set_lod(dst, src->nlod, src->lod, err);
    }
    return st;
}

void clr_tensor_borrow(clr_tensor *t, int32_t dtype, int32_t ndims, const int64_t *dims, const void *data) {
    clr_tensor_release(t);
    t->dtype = dtype;
    t->ndims = ndims > CLR_MAX_DIMS ? CLR_MAX_DIMS : ndims;
    for (int32_t i = 0; i < t->ndims; i++) t->dims[i] = dims[i];
    t->data = (void *)data; /* read-only by contract: kernels never write inputs */
    t->borrowed = true;
}

void clr_tensor_release(clr_tensor *t) {
    if (!t->borrowed) free(t->data);
    free(t->lod);
    memset(t, 0, sizeof *t);
}

const char *clr_tensor_shape_str(const clr_tensor *t, char *buf, size_t size) {
    size_t at = 0;
    at += (size_t)snprintf(buf, size, "[");
    for (int32_t i = 0; i < t->ndims && at < size; i++)
        at += (size_t)snprintf(buf + at, size - at, "%s%" PRId64, i ? "," : "", t->dims[i]);
    if (at < size) snprintf(buf + at, size - at, "]");
    return buf;
}
