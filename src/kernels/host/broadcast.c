/* clrun — Paddle's elementwise broadcasting rule (see broadcast.h). */
#include "kernels/host/broadcast.h"

#include "kernels/host/tensor_common.h"

/* Output dims and per-operand element strides (0 where broadcast). */
clr_status clr_broadcast(const clr_node *n, const clr_tensor *x, const clr_tensor *y, int64_t axis, int32_t *rank,
                            int64_t *dims, int64_t *xs, int64_t *ys) {
    int32_t r = x->ndims > y->ndims ? x->ndims : y->ndims;
    const clr_tensor *big = x->ndims >= y->ndims ? x : y, *small = big == x ? y : x;
    int64_t bd[CLR_MAX_DIMS], sd[CLR_MAX_DIMS];
    int64_t off = axis < 0 ? r - small->ndims : axis;
    if (x->ndims == y->ndims) off = 0;
    /* Paddle drops trailing size-1 dims of the small operand before aligning. */
    int32_t sn = small->ndims;
    while (sn > 0 && off + sn > r && small->dims[sn - 1] == 1) sn--;
    if (off < 0 || off + sn > r) {
        char a[64], b[64];
        return clr_node_fail(n, CLR_ERR_FORMAT, "cannot broadcast %s with %s at axis %lld",
                             tk_dims_str(a, sizeof a, x->ndims, x->dims), tk_dims_str(b, sizeof b, y->ndims, y->dims),
                             (long long)axis);
    }
    for (int32_t d = 0; d < r; d++) {
        bd[d] = big->dims[d];
        sd[d] = d >= off && d < off + sn ? small->dims[d - off] : 1;
    }
    const int64_t *xd = big == x ? bd : sd, *yd = big == x ? sd : bd;
    int64_t xstride = 1, ystride = 1;
    for (int32_t d = r - 1; d >= 0; d--) {
        if (xd[d] != yd[d] && xd[d] != 1 && yd[d] != 1) {
            char a[64], b[64];
            return clr_node_fail(n, CLR_ERR_FORMAT, "shapes %s and %s do not broadcast (axis %lld)",
                                 tk_dims_str(a, sizeof a, x->ndims, x->dims),
                                 tk_dims_str(b, sizeof b, y->ndims, y->dims), (long long)axis);
        }
        dims[d] = xd[d] > yd[d] ? xd[d] : yd[d];
        if (xd[d] == 0 || yd[d] == 0) dims[d] = 0;
        xs[d] = xd[d] == 1 ? 0 : xstride;
        ys[d] = yd[d] == 1 ? 0 : ystride;
        xstride *= xd[d];
        ystride *= yd[d];
    }
    *rank = r;
    return CLR_OK;
}

