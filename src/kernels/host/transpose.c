/* clrun — ops that reorder elements: transpose(2) and shuffle_channel.
 * Both work on raw elements of any size, so every dtype passes through. */
#include <inttypes.h>
#include <string.h>

#include "kernels/host/tensor_common.h"
#include "kernels/host/tensor_kernels.h"
#include "kernels/host/tensor_plans.h"

/* Out dim i is input dim perm[i] (negative entries count from the end). */
clr_status tk_transpose_view(const clr_node *n, const clr_tensor *x, tk_view *v) {
    int64_t perm[TK_MAX_LIST];
    int32_t count;
    clr_status st = tk_ints_attr(n, "axis", perm, TK_MAX_LIST, &count);
    if (st != CLR_OK) return st;
    char pbuf[160], xbuf[160];
    if (count != x->ndims)
        return clr_node_fail(n, CLR_ERR_FORMAT, "axis %s does not permute the %d dims of input %s",
                             tk_dims_str(pbuf, sizeof pbuf, count < 0 ? 0 : count, perm), x->ndims,
                             clr_tensor_shape_str(x, xbuf, sizeof xbuf));
    int64_t in_strides[CLR_MAX_DIMS];
    bool seen[CLR_MAX_DIMS] = {false};
    int64_t stride = 1;
    for (int32_t i = x->ndims - 1; i >= 0; i--) {
        in_strides[i] = stride;
        stride *= x->dims[i];
    }
    v->rank = x->ndims;
    v->offset = 0;
    for (int32_t i = 0; i < count; i++) {
        int32_t a;
        if (tk_axis(n, "axis entry", perm[i], x->ndims, &a) != CLR_OK || seen[a])
            return clr_node_fail(n, CLR_ERR_FORMAT, "axis %s is not a permutation of %d dims",
                                 tk_dims_str(pbuf, sizeof pbuf, count, perm), x->ndims);
        seen[a] = true;
        v->dims[i] = x->dims[a];
        v->strides[i] = in_strides[a];
    }
    return CLR_OK;
}

clr_status clr_tk_transpose(clr_node *n) {
    clr_tensor *x, *out;
    size_t esize;
    tk_view v;
    clr_status st = tk_in_out(n, "X", "Out", &x, &out);
    if (st == CLR_OK) st = tk_elem_size(n, "input 'X'", x->dtype, &esize);
    if (st == CLR_OK) st = tk_transpose_view(n, x, &v);
    if (st == CLR_OK) st = tk_resize(n, out, x->dtype, v.rank, v.dims);
    if (st != CLR_OK) return st;
    tk_strided_copy(out->data, x->data, esize, v.rank, v.dims, v.strides);
    return tk_set_xshape(n, x);
}

clr_status tk_shuffle_group(const clr_node *n, const clr_tensor *x, int64_t *group) {
    if (x->ndims != 4) return clr_node_fail(n, CLR_ERR_FORMAT, "input 'X' has %d dims, expected 4", x->ndims);
    *group = clr_node_attr_int(n, "group", 1);
    if (*group <= 0 || x->dims[1] % *group != 0)
        return clr_node_fail(n, CLR_ERR_FORMAT, "group %" PRId64 " does not divide the %" PRId64 " channels", *group,
                             x->dims[1]);
    return CLR_OK;
}

/* [N, C, H, W] seen as [N, g, C/g, H*W] becomes [N, C/g, g, H*W]. */
clr_status clr_tk_shuffle_channel(clr_node *n) {
    clr_tensor *x, *out;
    size_t esize;
    clr_status st = tk_in_out(n, "X", "Out", &x, &out);
    int64_t group = 1;
    if (st == CLR_OK) st = tk_elem_size(n, "input 'X'", x->dtype, &esize);
    if (st == CLR_OK) st = tk_shuffle_group(n, x, &group);
    if (st == CLR_OK) st = tk_resize(n, out, x->dtype, 4, x->dims);
    if (st != CLR_OK) return st;
    int64_t per = x->dims[1] / group;
    size_t plane = (size_t)(x->dims[2] * x->dims[3]) * esize;
    for (int64_t b = 0; b < x->dims[0]; b++)
        for (int64_t g = 0; g < group; g++)
            for (int64_t j = 0; j < per; j++) {
                size_t src = (size_t)(b * x->dims[1] + g * per + j) * plane;
                size_t dst = (size_t)(b * x->dims[1] + j * group + g) * plane;
                memcpy((char *)out->data + dst, (const char *)x->data + src, plane);
            }
    return CLR_OK;
}
