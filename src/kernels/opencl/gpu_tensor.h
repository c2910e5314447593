/* clrun — the OpenCL tensor family (table in gpu_tensor.c): entry points of
 * its files and the helpers they share. Shapes and index rules come from the
 * host kernels' plans (kernels/host/tensor_plans.h, math_plans.h). */
#ifndef CLRUN_KERNELS_OPENCL_GPU_TENSOR_H
#define CLRUN_KERNELS_OPENCL_GPU_TENSOR_H

#include "kernels/opencl/gpu_common.h"
#include "kernels/opencl/gpu_registry.h"

/* Shared `supports` tails: false (with a reason) when any of the NULL-ended
 * input slots is bound, i.e. a shape, size or bound would come from a tensor
 * the GPU holds (the host rules read such tensors' host data). */
bool gt_attrs_only(const clr_op *op, const char *const *slots, char *why, size_t why_size);

/* The run-time side of gt_attrs_only: CLR_ERR_UNSUPPORTED when a listed
 * slot is bound (the executor only runs supported ops; tests call run
 * directly). */
clr_status gt_require_attrs_only(clr_gpu_node *n, const char *const *slots);

/* A read-only device copy of a small host table (per-index windows/taps);
 * the caller releases it after enqueuing the kernels that read it. */
clr_status gt_table(clr_gpu_node *n, const void *data, size_t bytes, cl_mem *m);

/* Launches k over a 3-D range (d0, d1, d2) with work-groups of about 64
 * spread over d0 then d1 (the kernel guards the rounded-up range). */
clr_status gt_launch_3d(clr_gpu_node *n, cl_kernel k, const char *name, int64_t d0, int64_t d1, int64_t d2);

/* Copies a strided view: dst[dst_off + Σ i_d dst_strides[d]] =
 * src[src_off + Σ i_d src_strides[d]] over `dims` (offsets and strides in
 * elements of esize bytes; 4- and 8-byte elements). */
clr_status gt_view_copy(clr_gpu_node *n, cl_mem src, int64_t src_off, const int64_t *src_strides, cl_mem dst,
                        int64_t dst_off, const int64_t *dst_strides, int32_t rank, const int64_t *dims, size_t esize);

/* gpu_pool.c */
bool gt_supports_pool2d(const clr_op *op, const clr_program *prog, const clr_gpu_caps *caps, char *why, size_t ws);
clr_status gt_run_pool2d(clr_gpu_node *n);
bool gt_supports_interp(const clr_op *op, const clr_program *prog, const clr_gpu_caps *caps, char *why, size_t ws);
clr_status gt_run_interp(clr_gpu_node *n);

/* gpu_norm.c */
bool gt_supports_softmax(const clr_op *op, const clr_program *prog, const clr_gpu_caps *caps, char *why, size_t ws);
clr_status gt_run_softmax(clr_gpu_node *n);
bool gt_supports_layer_norm(const clr_op *op, const clr_program *prog, const clr_gpu_caps *caps, char *why,
                            size_t ws);
clr_status gt_run_layer_norm(clr_gpu_node *n);
bool gt_supports_batch_norm(const clr_op *op, const clr_program *prog, const clr_gpu_caps *caps, char *why,
                            size_t ws);
clr_status gt_run_batch_norm(clr_gpu_node *n);
bool gt_supports_arg_max(const clr_op *op, const clr_program *prog, const clr_gpu_caps *caps, char *why, size_t ws);
clr_status gt_run_arg_max(clr_gpu_node *n);

/* gpu_layout.c */
bool gt_supports_x(const clr_op *op, const clr_program *prog, const clr_gpu_caps *caps, char *why, size_t ws);
clr_status gt_run_transpose(clr_gpu_node *n);
clr_status gt_run_shuffle_channel(clr_gpu_node *n);
bool gt_supports_slice(const clr_op *op, const clr_program *prog, const clr_gpu_caps *caps, char *why, size_t ws);
clr_status gt_run_slice(clr_gpu_node *n);
bool gt_supports_concat(const clr_op *op, const clr_program *prog, const clr_gpu_caps *caps, char *why, size_t ws);
clr_status gt_run_concat(clr_gpu_node *n);
bool gt_supports_split(const clr_op *op, const clr_program *prog, const clr_gpu_caps *caps, char *why, size_t ws);
clr_status gt_run_split(clr_gpu_node *n);
bool gt_supports_pad2d(const clr_op *op, const clr_program *prog, const clr_gpu_caps *caps, char *why, size_t ws);
clr_status gt_run_pad2d(clr_gpu_node *n);

/* gpu_reshape.c */
bool gt_supports_reshape(const clr_op *op, const clr_program *prog, const clr_gpu_caps *caps, char *why, size_t ws);
bool gt_supports_unsqueeze(const clr_op *op, const clr_program *prog, const clr_gpu_caps *caps, char *why,
                           size_t ws);
clr_status gt_run_reshape(clr_gpu_node *n);
clr_status gt_run_flatten(clr_gpu_node *n);
clr_status gt_run_flatten_contiguous_range(clr_gpu_node *n);
clr_status gt_run_squeeze(clr_gpu_node *n);
clr_status gt_run_unsqueeze(clr_gpu_node *n);
bool gt_supports_dropout(const clr_op *op, const clr_program *prog, const clr_gpu_caps *caps, char *why, size_t ws);
clr_status gt_run_dropout(clr_gpu_node *n);

#endif
