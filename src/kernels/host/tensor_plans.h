/* clrun — the shape and index rules of tensor-family ops, apart from the
 * copying, so that the host kernels and the OpenCL kernels
 * (src/kernels/opencl/gpu_*.c) plan outputs identically. Each reads the op's
 * attributes and, where Paddle allows, its small integer inputs (those need
 * host data; GPU kernels decline ops that bind them). Input tensors are read
 * for their shape only. */
#ifndef CLRUN_KERNELS_HOST_TENSOR_PLANS_H
#define CLRUN_KERNELS_HOST_TENSOR_PLANS_H

#include <stdbool.h>
#include <stdint.h>

#include "runtime/node.h"
#include "runtime/tensor.h"

/* Output shape of a shape-only op (reshape.c): reshape(2), flatten(2),
 * flatten_contiguous_range, squeeze(2), unsqueeze(2). */
typedef clr_status (*tk_dims_fn)(const clr_node *n, const clr_tensor *x, int32_t *ndims, int64_t *dims);
clr_status tk_reshape_dims(const clr_node *n, const clr_tensor *x, int32_t *ndims, int64_t *dims);
clr_status tk_flatten_dims(const clr_node *n, const clr_tensor *x, int32_t *ndims, int64_t *dims);
clr_status tk_flatten_contiguous_range_dims(const clr_node *n, const clr_tensor *x, int32_t *ndims, int64_t *dims);
clr_status tk_squeeze_dims(const clr_node *n, const clr_tensor *x, int32_t *ndims, int64_t *dims);
clr_status tk_unsqueeze_dims(const clr_node *n, const clr_tensor *x, int32_t *ndims, int64_t *dims);

/* A strided view of a dense input: element idx of the view (row-major over
 * dims) is input element offset + sum(idx[d] * strides[d]). */
typedef struct tk_view {
    int32_t rank;
    int64_t dims[CLR_MAX_DIMS], strides[CLR_MAX_DIMS], offset;
} tk_view;

/* transpose(2) (transpose.c): the output as a view of X. */
clr_status tk_transpose_view(const clr_node *n, const clr_tensor *x, tk_view *v);

/* slice (slice.c): the sliced window of Input, the output shape after
 * decrease_axis, and whether X's LoD carries over. */
clr_status tk_slice_plan(const clr_node *n, const clr_tensor *x, tk_view *v, int32_t *ndims, int64_t *dims,
                         bool *keeps_lod);

/* concat (concat_split.c): the axis and output shape over the bound X list. */
clr_status tk_concat_plan(const clr_node *n, int32_t *axis, int64_t *dims);

/* split (concat_split.c): the axis, and the size along it of each of the
 * *k outputs (at most TK_MAX_LIST). */
clr_status tk_split_plan(const clr_node *n, const clr_tensor *x, int32_t *axis, int32_t *k, int64_t *sections);

/* shuffle_channel (transpose.c): the group count, which divides X's channels. */
clr_status tk_shuffle_group(const clr_node *n, const clr_tensor *x, int64_t *group);

/* pad2d (pad.c): mode and paddings (top, bottom, left, right). */
typedef enum tk_pad_mode { TK_PAD_CONSTANT, TK_PAD_REFLECT, TK_PAD_EDGE } tk_pad_mode;
clr_status tk_pad2d_plan(const clr_node *n, const clr_tensor *x, tk_pad_mode *mode, int64_t *pads);

/* arg_max (misc.c): output type and shape, and X seen as
 * [outer, size, inner] with the maximum taken over `size`. */
typedef struct tk_argmax_plan {
    int32_t out_dtype, ndims;
    int64_t dims[CLR_MAX_DIMS], outer, size, inner;
} tk_argmax_plan;
clr_status tk_arg_max_plan(const clr_node *n, const clr_tensor *x, tk_argmax_plan *p);

#endif /* CLRUN_KERNELS_HOST_TENSOR_PLANS_H */
