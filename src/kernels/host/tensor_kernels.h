/* clrun — the tensor-family host kernels (shape manipulation, fill, cast,
 * copies), listed in clr_host_kernels_tensor (tensor_kernels.c). */
#ifndef CLRUN_KERNELS_HOST_TENSOR_KERNELS_H
#define CLRUN_KERNELS_HOST_TENSOR_KERNELS_H

#include "runtime/node.h"

/* reshape.c */
clr_status clr_tk_reshape(clr_node *n);
clr_status clr_tk_flatten(clr_node *n);
clr_status clr_tk_flatten_contiguous_range(clr_node *n);
clr_status clr_tk_squeeze(clr_node *n);
clr_status clr_tk_unsqueeze(clr_node *n);
/* transpose.c */
clr_status clr_tk_transpose(clr_node *n);
clr_status clr_tk_shuffle_channel(clr_node *n);
/* concat_split.c */
clr_status clr_tk_concat(clr_node *n);
clr_status clr_tk_split(clr_node *n);
clr_status clr_tk_stack(clr_node *n);
/* slice.c */
clr_status clr_tk_slice(clr_node *n);
clr_status clr_tk_expand(clr_node *n);
clr_status clr_tk_expand_v2(clr_node *n);
clr_status clr_tk_gather(clr_node *n);
/* pad.c */
clr_status clr_tk_pad2d(clr_node *n);
/* fill.c */
clr_status clr_tk_fill_constant(clr_node *n);
clr_status clr_tk_fill_constant_batch_size_like(clr_node *n);
clr_status clr_tk_fill_zeros_like(clr_node *n);
clr_status clr_tk_shape(clr_node *n);
clr_status clr_tk_range(clr_node *n);
/* misc.c */
clr_status clr_tk_cast(clr_node *n);
clr_status clr_tk_arg_max(clr_node *n);
clr_status clr_tk_assign(clr_node *n);
clr_status clr_tk_dropout(clr_node *n);
clr_status clr_tk_identity_copy(clr_node *n);

#endif /* CLRUN_KERNELS_HOST_TENSOR_KERNELS_H */
