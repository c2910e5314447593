/* clrun — Paddle's elementwise broadcasting, shared by the host and OpenCL
 * elementwise kernels (nb-format.md 6.4). Equal shapes combine element by
 * element. Otherwise the lower-rank operand is aligned at `axis` of the
 * higher-rank one (negative axis counts from the rank difference: -1 = at
 * the end), padded with 1s, and size-1 dims broadcast. Trailing 1s of the
 * lower-rank operand are dropped first when it would not fit at `axis`, as
 * the ARM kernels' fast path does ([C,1,1] at axis 1 of [N,C,H,W]). */
#ifndef CLRUN_KERNELS_HOST_BROADCAST_H
#define CLRUN_KERNELS_HOST_BROADCAST_H

#include "runtime/node.h"

/* The output shape, and an iteration space over it in which size-1 dims are
 * dropped and neighbours contiguous for both operands are merged; xs/ys are
 * each operand's element stride per merged dim (0 where it broadcasts). The
 * merged dims multiply to the output's element count (rank >= 1). */
typedef struct clr_broadcast {
    int32_t out_rank;
    int64_t out_dims[CLR_MAX_DIMS];
    int32_t rank;
    int64_t dims[CLR_MAX_DIMS];
    int64_t xs[CLR_MAX_DIMS], ys[CLR_MAX_DIMS];
} clr_broadcast;

/* Reads the op's `axis`; fails naming the op when the shapes do not fit. */
clr_status clr_broadcast_plan(const clr_node *n, const clr_tensor *x, const clr_tensor *y, clr_broadcast *b);

#endif
