/* clrun — output shapes of the conv family (conv2d, depthwise_conv2d,
 * conv2d_transpose, fc, mul, matmul), read from a node's attributes and
 * inputs exactly as Paddle-Lite does. Shared by the host kernels and the
 * OpenCL ones so both agree on every padding and broadcasting rule. */
#ifndef CLRUN_KERNELS_HOST_CONV_SHAPE_H
#define CLRUN_KERNELS_HOST_CONV_SHAPE_H

#include <stdbool.h>
#include <stdint.h>

#include "runtime/node.h"

typedef struct clr_conv_geom {
    int64_t batch, cin, h, w;       /* input */
    int64_t cout, kh, kw, groups;   /* output channels, filter size */
    int64_t sh, sw, dh, dw;         /* strides, dilations */
    int64_t pt, pb, pl, pr;         /* paddings: top, bottom, left, right */
    int64_t oh, ow;                 /* output */
} clr_conv_geom;

/* Reads strides, paddings (2 or 4 values), dilations, groups and
 * padding_algorithm, and checks the filter against the input. For a
 * transposed conv the filter is [Cin, Cout/groups, KH, KW] and oh/ow are the
 * natural size (see clr_conv_transpose_size). */
clr_status clr_conv_geom_read(const clr_node *n, const clr_tensor *x, const clr_tensor *f, bool transpose,
                              clr_conv_geom *g);
/* conv2d_transpose: applies `output_size` or `output_padding` to oh/ow. */
clr_status clr_conv_transpose_size(const clr_node *n, clr_conv_geom *g);

/* Flattens `t` to [prod(dims[:at]), prod(dims[at:])], with at in [1, ndims)
 * (`attr` names the attribute `at` came from in errors). */
clr_status clr_flatten_at(const clr_node *n, const char *slot, const clr_tensor *t, int64_t at, const char *attr,
                          int64_t *rows, int64_t *cols);

/* A product of two operands flattened to matrices (fc, mul). */
typedef struct clr_flat_shape {
    int64_t m, k, n;
    int32_t ndims; /* output */
    int64_t dims[CLR_MAX_DIMS];
} clr_flat_shape;

/* fc: Input flattened at `in_num_col_dims` times W [K, N]. */
clr_status clr_fc_shape_of(const clr_node *n, const clr_tensor *x, const clr_tensor *w, clr_flat_shape *s);
/* mul: X flattened at `x_num_col_dims` times Y flattened at `y_num_col_dims`. */
clr_status clr_mul_shape_of(const clr_node *n, const clr_tensor *x, const clr_tensor *y, clr_flat_shape *s);

/* A batched matrix product Out[b] = X[b] * Y[b] (matmul, matmul_v2). */
typedef struct clr_matmul_shape {
    int64_t m, k, n;
    bool tx, ty;                      /* effective transposes (ignored for 1-D operands) */
    int32_t nb;                       /* batch dims, numpy-broadcast and right-aligned */
    int64_t bdims[CLR_MAX_DIMS];
    int64_t xbs[CLR_MAX_DIMS];        /* element offset of X per step of batch dim i (0: broadcast) */
    int64_t ybs[CLR_MAX_DIMS];
    int64_t batches;                  /* prod(bdims) */
    int32_t ndims;                    /* output */
    int64_t dims[CLR_MAX_DIMS];
} clr_matmul_shape;

/* A 1-D operand is a row (X) or column (Y) vector whose unit dim is dropped
 * from the output. */
clr_status clr_matmul_shape_of(const clr_node *n, const clr_tensor *x, const clr_tensor *y, bool tx, bool ty,
                               clr_matmul_shape *s);

#endif
