/* clrun — Paddle's elementwise broadcasting, shared by the host and OpenCL
 * elementwise kernels: the lower-rank operand's dims line up with the
 * higher-rank one's starting at `axis` (-1: aligned to the end; trailing
 * size-1 dims of the smaller operand are dropped first), then size-1 dims
 * broadcast. */
#ifndef CLRUN_KERNELS_HOST_BROADCAST_H
#define CLRUN_KERNELS_HOST_BROADCAST_H

#include "runtime/node.h"

/* Output rank and dims, and each operand's element stride per output dim
 * (0 where it broadcasts). Fails naming the op when the shapes do not fit. */
clr_status clr_broadcast(const clr_node *n, const clr_tensor *x, const clr_tensor *y, int64_t axis, int32_t *rank,
                         int64_t *dims, int64_t *xs, int64_t *ys);

#endif
