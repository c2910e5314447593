/* clrun — the geometry rules of pool2d and interpolation, apart from the
 * arithmetic, so that the host kernels and the OpenCL kernels
 * (src/kernels/opencl/gpu_pool.c, gpu_interp.c) agree exactly: both walk
 * the per-output-index tables computed here. */
#ifndef CLRUN_KERNELS_HOST_MATH_PLANS_H
#define CLRUN_KERNELS_HOST_MATH_PLANS_H

#include <stdbool.h>
#include <stdint.h>

#include "runtime/node.h"
#include "runtime/tensor.h"

/* pool2d (pool.c) along one axis. */
typedef struct clr_pool_axis {
    int64_t in, out, k, s, pad0, pad1;
    bool adaptive;
} clr_pool_axis;

/* The window of one output index: [lo, hi) clipped to the input (empty when
 * it covers padding only), and the extent an inclusive average divides by. */
typedef struct clr_pool_win {
    int64_t lo, hi, span;
} clr_pool_win;

/* Reads ksize, strides, paddings, global/adaptive, padding_algorithm and
 * ceil_mode for X (4-D NCHW, shape only) into the H and W axes. */
clr_status clr_pool_plan(const clr_node *n, const clr_tensor *x, clr_pool_axis *ah, clr_pool_axis *aw);
clr_pool_win clr_pool_window(const clr_pool_axis *a, int64_t i);

/* Interpolation (interp.c): per output index along an axis, the two source
 * indices and the weight of `hi` (nearest: lo == hi, weight 0). */
typedef struct clr_interp_tap {
    int64_t lo, hi;
    float w;
} clr_interp_tap;

/* Output size [oh, ow] and the taps of every output row then column
 * (oh + ow entries, clr_malloc'ed; the caller frees *taps). Reads SizeTensor,
 * OutSize and Scale when bound (host data), else the attributes. */
clr_status clr_interp_plan(const clr_node *n, const clr_tensor *x, int64_t *oh, int64_t *ow, clr_interp_tap **taps);

#endif /* CLRUN_KERNELS_HOST_MATH_PLANS_H */
