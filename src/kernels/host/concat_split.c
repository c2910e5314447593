/* clrun — ops that join or cut tensors along an axis: concat, split, stack.
 * Each works on raw elements, so every dtype passes through.
 *
 * Seen around the axis, a tensor is [outer, axis dim * inner]: joining and
 * cutting are then copies of contiguous rows of `axis dim * inner` elements. */
#include <inttypes.h>
#include <string.h>

#include "kernels/host/tensor_common.h"
#include "kernels/host/tensor_kernels.h"
#include "kernels/host/tensor_plans.h"

/* The i-th tensor of list slot `param`, which must be bound and hold data. */
static clr_status list_input(const clr_node *n, const char *param, int32_t i, clr_tensor **t) {
    *t = clr_node_in(n, param, i);
    if (*t && (*t)->data) return CLR_OK;
    return clr_node_fail(n, CLR_ERR_FORMAT, "input '%s' element %d holds no data", param, i);
}

/* Whether a and b agree on every dim except `axis`. */
static bool same_but_axis(const clr_tensor *a, const clr_tensor *b, int32_t axis) {
    if (a->ndims != b->ndims || a->dtype != b->dtype) return false;
    for (int32_t d = 0; d < a->ndims; d++)
        if (d != axis && a->dims[d] != b->dims[d]) return false;
    return true;
}

static clr_status mismatch(const clr_node *n, const char *param, int32_t i, const clr_tensor *a, const clr_tensor *b) {
    char abuf[160], bbuf[160];
    const char *an = clr_dtype_name(a->dtype), *bn = clr_dtype_name(b->dtype);
    return clr_node_fail(n, CLR_ERR_FORMAT, "input '%s' element %d is %s %s, element 0 is %s %s", param, i,
                         bn ? bn : "?", clr_tensor_shape_str(b, bbuf, sizeof bbuf), an ? an : "?",
                         clr_tensor_shape_str(a, abuf, sizeof abuf));
}

clr_status tk_concat_plan(const clr_node *n, int32_t *axis, int64_t *dims) {
    int64_t axis_raw;
    int32_t k = clr_node_in_count(n, "X");
    const clr_tensor *first = clr_node_in(n, "X", 0);
    if (k == 0 || !first) return clr_node_fail(n, CLR_ERR_FORMAT, "input 'X' is missing");
    clr_status st = tk_int_tensor_or_attr(n, "AxisTensor", "axis", 0, &axis_raw);
    if (st == CLR_OK) st = tk_axis(n, "axis", axis_raw, first->ndims, axis);
    if (st != CLR_OK) return st;
    memcpy(dims, first->dims, sizeof first->dims);
    for (int32_t i = 1; i < k; i++) {
        const clr_tensor *t = clr_node_in(n, "X", i);
        if (!t) return clr_node_fail(n, CLR_ERR_FORMAT, "input 'X' element %d is unbound", i);
        if (!same_but_axis(first, t, *axis)) return mismatch(n, "X", i, first, t);
        dims[*axis] += t->dims[*axis];
    }
    return CLR_OK;
}

clr_status clr_tk_concat(clr_node *n) {
    clr_tensor *first, *out;
    size_t esize;
    int32_t axis, k = clr_node_in_count(n, "X");
    int64_t dims[CLR_MAX_DIMS];
    clr_status st = tk_concat_plan(n, &axis, dims);
    for (int32_t i = 0; st == CLR_OK && i < k; i++) st = list_input(n, "X", i, &first);
    if (st == CLR_OK) st = clr_node_require_out(n, "Out", &out);
    if (st != CLR_OK) return st;
    first = clr_node_in(n, "X", 0);
    if ((st = tk_elem_size(n, "input 'X'", first->dtype, &esize)) != CLR_OK) return st;
    if ((st = tk_resize(n, out, first->dtype, first->ndims, dims)) != CLR_OK) return st;
    int64_t outer = tk_prod(dims, 0, axis), inner = tk_prod(dims, axis + 1, first->ndims);
    size_t out_row = (size_t)(dims[axis] * inner) * esize, at = 0;
    for (int32_t i = 0; i < k; i++) {
        const clr_tensor *t = clr_node_in(n, "X", i);
        size_t row = (size_t)(t->dims[axis] * inner) * esize;
        for (int64_t o = 0; o < outer; o++)
            memcpy((char *)out->data + (size_t)o * out_row + at, (const char *)t->data + (size_t)o * row, row);
        at += row;
    }
    return CLR_OK;
}

/* Section sizes: `num` equal parts, else SectionsTensorList > `sections`,
 * where one -1 takes what the others leave. */
static clr_status split_sections(const clr_node *n, int64_t dim, int32_t k, int64_t *sec) {
    int64_t num = clr_node_attr_int(n, "num", 0);
    if (num > 0) {
        if (num != k || dim % num != 0)
            return clr_node_fail(n, CLR_ERR_FORMAT,
                                 "cannot split a dim of %" PRId64 " into num %" PRId64 " parts for %d outputs", dim,
                                 num, k);
        for (int32_t i = 0; i < k; i++)
            sec[i] = dim / num;
        return CLR_OK;
    }
    int32_t count;
    clr_status st = tk_ints_list(n, "SectionsTensorList", sec, TK_MAX_LIST, &count);
    if (st == CLR_OK && count < 0) st = tk_ints_attr(n, "sections", sec, TK_MAX_LIST, &count);
    if (st != CLR_OK) return st;
    if (count != k)
        return clr_node_fail(n, CLR_ERR_FORMAT, "%d sections (num is 0) for %d outputs", count < 0 ? 0 : count, k);
    int32_t unknown = -1;
    int64_t known = 0;
    char buf[400];
    for (int32_t i = 0; i < k; i++) {
        if (sec[i] == -1 && unknown < 0) {
            unknown = i;
        } else if (sec[i] < 0) {
            return clr_node_fail(n, CLR_ERR_FORMAT, "bad sections %s", tk_dims_str(buf, sizeof buf, k, sec));
        } else {
            known += sec[i];
        }
    }
    if (unknown >= 0 && known <= dim)
        sec[unknown] = dim - known;
    else if (unknown >= 0 || known != dim)
        return clr_node_fail(n, CLR_ERR_FORMAT, "sections %s do not add up to the axis dim %" PRId64,
                             tk_dims_str(buf, sizeof buf, k, sec), dim);
    return CLR_OK;
}

clr_status tk_split_plan(const clr_node *n, const clr_tensor *x, int32_t *axis, int32_t *k, int64_t *sections) {
    int64_t axis_raw;
    *k = clr_node_out_count(n, "Out");
    if (*k == 0 || *k > TK_MAX_LIST)
        return clr_node_fail(n, CLR_ERR_FORMAT, "output 'Out' has %d tensors, expected 1..%d", *k, TK_MAX_LIST);
    clr_status st = tk_int_tensor_or_attr(n, "AxisTensor", "axis", 0, &axis_raw);
    if (st == CLR_OK) st = tk_axis(n, "axis", axis_raw, x->ndims, axis);
    if (st == CLR_OK) st = split_sections(n, x->dims[*axis], *k, sections);
    for (int32_t i = 0; st == CLR_OK && i < *k; i++)
        if (!clr_node_out(n, "Out", i)) st = clr_node_fail(n, CLR_ERR_FORMAT, "output 'Out' element %d is unbound", i);
    return st;
}

clr_status clr_tk_split(clr_node *n) {
    clr_tensor *x;
    size_t esize;
    int64_t sec[TK_MAX_LIST];
    int32_t axis, k;
    clr_status st = clr_node_require_in(n, "X", &x);
    if (st == CLR_OK && !x->data) st = clr_node_fail(n, CLR_ERR_FORMAT, "input 'X' holds no data");
    if (st == CLR_OK) st = tk_elem_size(n, "input 'X'", x->dtype, &esize);
    if (st == CLR_OK) st = tk_split_plan(n, x, &axis, &k, sec);
    if (st != CLR_OK) return st;
    int64_t outer = tk_prod(x->dims, 0, axis), inner = tk_prod(x->dims, axis + 1, x->ndims);
    size_t in_row = (size_t)(x->dims[axis] * inner) * esize, at = 0;
    for (int32_t i = 0; i < k; i++) {
        clr_tensor *t = clr_node_out(n, "Out", i);
        int64_t dims[CLR_MAX_DIMS];
        memcpy(dims, x->dims, sizeof dims);
        dims[axis] = sec[i];
        if ((st = tk_resize(n, t, x->dtype, x->ndims, dims)) != CLR_OK) return st;
        size_t row = (size_t)(sec[i] * inner) * esize;
        for (int64_t o = 0; o < outer; o++)
            memcpy((char *)t->data + (size_t)o * row, (const char *)x->data + (size_t)o * in_row + at, row);
        at += row;
    }
    return CLR_OK;
}

/* Equal-shaped inputs gain a new dim of size k at `axis` (in [-rank-1, rank]). */
clr_status clr_tk_stack(clr_node *n) {
    clr_tensor *first, *out;
    size_t esize;
    int32_t axis, k = clr_node_in_count(n, "X");
    if (k == 0) return clr_node_fail(n, CLR_ERR_FORMAT, "input 'X' is missing");
    clr_status st = list_input(n, "X", 0, &first);
    if (st == CLR_OK) st = clr_node_require_out(n, "Y", &out);
    if (st == CLR_OK) st = tk_elem_size(n, "input 'X'", first->dtype, &esize);
    if (st == CLR_OK && first->ndims >= CLR_MAX_DIMS)
        st = clr_node_fail(n, CLR_ERR_UNSUPPORTED, "stacking inputs of %d dims gives more than %d", first->ndims,
                           CLR_MAX_DIMS);
    if (st == CLR_OK) st = tk_axis(n, "axis", clr_node_attr_int(n, "axis", 0), first->ndims + 1, &axis);
    if (st != CLR_OK) return st;
    for (int32_t i = 1; i < k; i++) {
        clr_tensor *t;
        if ((st = list_input(n, "X", i, &t)) != CLR_OK) return st;
        if (!same_but_axis(first, t, -1)) return mismatch(n, "X", i, first, t);
    }
    int64_t dims[CLR_MAX_DIMS];
    for (int32_t d = 0, s = 0; d <= first->ndims; d++)
        dims[d] = d == axis ? k : first->dims[s++];
    if ((st = tk_resize(n, out, first->dtype, first->ndims + 1, dims)) != CLR_OK) return st;
    int64_t outer = tk_prod(first->dims, 0, axis);
    size_t row = (size_t)tk_prod(first->dims, axis, first->ndims) * esize;
    for (int64_t o = 0; o < outer; o++)
        for (int32_t i = 0; i < k; i++)
            memcpy((char *)out->data + (size_t)(o * k + i) * row,
                   (const char *)clr_node_in(n, "X", i)->data + (size_t)o * row, row);
    return CLR_OK;
}
