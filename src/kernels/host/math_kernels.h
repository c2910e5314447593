/* clrun — the math-family host kernels (elementwise arithmetic, activations,
 * scale, normalisation, pooling, interpolation, reductions), each in the file
 * its comment names; math_kernels.c lists them in the registry table. */
#ifndef CLRUN_KERNELS_HOST_MATH_KERNELS_H
#define CLRUN_KERNELS_HOST_MATH_KERNELS_H

#include "runtime/node.h"

/* elementwise.c */
clr_status clr_host_elementwise(clr_node *n);
/* activation_ops.c */
clr_status clr_host_activation(clr_node *n);
clr_status clr_host_prelu(clr_node *n);
clr_status clr_host_clip(clr_node *n);
clr_status clr_host_scale(clr_node *n);
/* normalize.c */
clr_status clr_host_softmax(clr_node *n);
clr_status clr_host_layer_norm(clr_node *n);
clr_status clr_host_batch_norm(clr_node *n);
/* pool.c */
clr_status clr_host_pool2d(clr_node *n);
/* interp.c */
clr_status clr_host_interp(clr_node *n);
/* reduce.c */
clr_status clr_host_reduce(clr_node *n);

#endif
