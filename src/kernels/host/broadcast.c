/* clrun — Paddle's elementwise broadcasting (see broadcast.h). */
#include "kernels/host/broadcast.h"

#include <inttypes.h>
#include <string.h>

#include "kernels/host/tensor_common.h"

/* Places `small` (rank rs) into `rank` dims starting at `axis`, 1 elsewhere. */
static void align_dims(int64_t *aligned, int32_t rank, const int64_t *small, int32_t rs, int32_t axis) {
    for (int32_t i = 0; i < rank; i++) aligned[i] = 1;
    for (int32_t i = 0; i < rs; i++) aligned[axis + i] = small[i];
}

static clr_status broadcast_shape(const clr_node *n, const clr_tensor *x, const clr_tensor *y, int64_t *out,
                                  int32_t *rank, int64_t *xd, int64_t *yd) {
    char bx[128], by[128];
    const clr_tensor *big = x->ndims >= y->ndims ? x : y, *small = big == x ? y : x;
    int32_t rs = small->ndims;
    int64_t axis = clr_node_attr_int(n, "axis", -1);
    *rank = big->ndims;
    if (x->ndims == y->ndims && memcmp(x->dims, y->dims, (size_t)x->ndims * sizeof x->dims[0]) == 0) {
        memcpy(xd, x->dims, sizeof x->dims);
        memcpy(yd, x->dims, sizeof x->dims);
        memcpy(out, x->dims, sizeof x->dims);
        return CLR_OK;
    }
    /* Paddle: a negative axis counts from the rank difference (-1 = at the end). */
    if (axis < 0) axis += big->ndims - rs + 1;
    while (axis >= 0 && axis + rs > big->ndims && rs > 0 && small->dims[rs - 1] == 1) rs--;
    if (axis < 0 || axis + rs > big->ndims)
        return clr_node_fail(n, CLR_ERR_FORMAT, "axis %" PRId64 " does not place Y %s within X %s",
                             clr_node_attr_int(n, "axis", -1), tk_dims_str(by, sizeof by, y->ndims, y->dims),
                             tk_dims_str(bx, sizeof bx, x->ndims, x->dims));
    align_dims(big == x ? yd : xd, *rank, small->dims, rs, (int32_t)axis);
    memcpy(big == x ? xd : yd, big->dims, sizeof big->dims);
    for (int32_t i = 0; i < *rank; i++) {
        if (xd[i] != yd[i] && xd[i] != 1 && yd[i] != 1)
            return clr_node_fail(n, CLR_ERR_FORMAT, "X %s and Y %s do not broadcast (axis %" PRId64 ")",
                                 tk_dims_str(bx, sizeof bx, x->ndims, x->dims),
                                 tk_dims_str(by, sizeof by, y->ndims, y->dims), clr_node_attr_int(n, "axis", -1));
        out[i] = xd[i] == 1 ? yd[i] : xd[i];
    }
    return CLR_OK;
}

/* Strides with 0 on broadcast dims; size-1 output dims dropped; contiguous
 * neighbours merged. */
static void merge_plan(clr_broadcast *p, int32_t rank, const int64_t *out, const int64_t *xd, const int64_t *yd) {
    int64_t xs = 1, ys = 1;
    int64_t sx[CLR_MAX_DIMS], sy[CLR_MAX_DIMS];
    for (int32_t i = rank - 1; i >= 0; i--) {
        sx[i] = xd[i] == 1 ? 0 : xs;
        sy[i] = yd[i] == 1 ? 0 : ys;
        xs *= xd[i];
        ys *= yd[i];
    }
    p->rank = 0;
    for (int32_t i = 0; i < rank; i++) {
        if (out[i] == 1) continue;
        int32_t r = p->rank;
        if (r > 0 && p->xs[r - 1] == sx[i] * out[i] && p->ys[r - 1] == sy[i] * out[i]) {
            p->dims[r - 1] *= out[i];
            p->xs[r - 1] = sx[i];
            p->ys[r - 1] = sy[i];
            continue;
        }
        p->dims[r] = out[i];
        p->xs[r] = sx[i];
        p->ys[r] = sy[i];
        p->rank++;
    }
    if (p->rank == 0) { /* a single element */
        p->rank = 1;
        p->dims[0] = 1;
        p->xs[0] = p->ys[0] = 0;
    }
}

clr_status clr_broadcast_plan(const clr_node *n, const clr_tensor *x, const clr_tensor *y, clr_broadcast *b) {
    int64_t xd[CLR_MAX_DIMS], yd[CLR_MAX_DIMS];
    clr_status st = broadcast_shape(n, x, y, b->out_dims, &b->out_rank, xd, yd);
    if (st == CLR_OK) merge_plan(b, b->out_rank, b->out_dims, xd, yd);
    return st;
}
