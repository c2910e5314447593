/* clrun — the math-family host kernels (elementwise, activations, scale,
 * softmax, normalisations, pooling, interpolation, reductions), listed in
 * clr_host_kernels_math (math_kernels.c), and the helpers they share. */
#ifndef CLRUN_KERNELS_HOST_MATH_KERNELS_H
#define CLRUN_KERNELS_HOST_MATH_KERNELS_H

#include "kernels/host/activation.h"
#include "runtime/node.h"

/* elementwise.c */
clr_status clr_mk_elementwise(clr_node *n);
clr_status clr_mk_fusion_elementwise(clr_node *n);
/* activation_ops.c */
clr_status clr_mk_activation(clr_node *n);
clr_status clr_mk_prelu(clr_node *n);
clr_status clr_mk_clip(clr_node *n);
clr_status clr_mk_scale(clr_node *n);
/* softmax_norm.c */
clr_status clr_mk_softmax(clr_node *n);
clr_status clr_mk_log_softmax(clr_node *n);
clr_status clr_mk_layer_norm(clr_node *n);
clr_status clr_mk_batch_norm(clr_node *n);
clr_status clr_mk_instance_norm(clr_node *n);
/* pool.c */
clr_status clr_mk_pool2d(clr_node *n);
/* interp.c */
clr_status clr_mk_interp(clr_node *n);
/* reduce.c */
clr_status clr_mk_reduce(clr_node *n);
clr_status clr_mk_mean(clr_node *n);

/* Shared by the files above (math_kernels.c). */

/* X = input `in_slot`[0] (FP32, holding data) and Out = output `out_slot`[0],
 * resized to X's shape with X's LoD. */
clr_status mk_f32_unary(const clr_node *n, const char *in_slot, const char *out_slot, clr_tensor **x,
                        clr_tensor **out);
/* Fails naming `slot` unless t is FP32. */
clr_status mk_require_f32(const clr_node *n, const char *slot, const clr_tensor *t);
/* Activation `name` with its parameters read from the op's attributes under
 * Paddle's names (threshold, alpha, slope, offset, scale, beta, approximate),
 * Paddle's defaults where absent; fails for an unknown name. */
clr_status mk_act_from_attrs(const clr_node *n, const char *name, clr_act *act);
/* Gives `out` the LoD of `x` (outputs of shape-preserving ops keep it). */
clr_status mk_share_lod(const clr_node *n, clr_tensor *out, const clr_tensor *x);

#endif /* CLRUN_KERNELS_HOST_MATH_KERNELS_H */
