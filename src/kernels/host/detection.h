/* clrun — shared pieces of the detection kernel family (prior boxes,
 * box_coder, NMS, yolo_box, rnn): the kernel entry points that
 * detection_kernels.c lists, and small input checks they all use. */
#ifndef CLRUN_KERNELS_HOST_DETECTION_H
#define CLRUN_KERNELS_HOST_DETECTION_H

#include "kernels/host/registry.h"

clr_status clr_k_prior_box(clr_node *n);
clr_status clr_k_density_prior_box(clr_node *n);
clr_status clr_k_box_coder(clr_node *n);
clr_status clr_k_multiclass_nms(clr_node *n);
clr_status clr_k_yolo_box(clr_node *n);
clr_status clr_k_rnn(clr_node *n);

/* Input `param`[0] must be bound, FP32, and have `ndims` dims (any rank when
 * ndims < 0). */
clr_status clr_det_input_f32(const clr_node *n, const char *param, int32_t ndims, clr_tensor **t);

/* Same check for a tensor already in hand, named `what` in the message. */
clr_status clr_det_check_f32(const clr_node *n, const clr_tensor *t, const char *what, int32_t ndims);

#endif
