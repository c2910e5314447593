/* clrun — OpenCL tensor family: the shape-only ops (reshape(2), flatten(2),
 * flatten_contiguous_range, squeeze(2), unsqueeze(2)) as a device copy under
 * the shape the host rules give, and inference dropout. */
#include <stdio.h>
#include <string.h>

#include "core/error.h"
#include "kernels/host/tensor_plans.h"
#include "kernels/opencl/gpu_tensor.h"

static const char *const SHAPE_TENSORS[] = {"Shape", "ShapeTensor", NULL};
static const char *const AXES_TENSORS[] = {"AxesTensor", "AxesTensorList", NULL};

bool gt_supports_reshape(const clr_op *op, const clr_program *prog, const clr_gpu_caps *caps, char *why, size_t ws) {
    return gt_attrs_only(op, SHAPE_TENSORS, why, ws) && clr_gpu_declared_f32(op, prog, "X", why, ws);
}

bool gt_supports_unsqueeze(const clr_op *op, const clr_program *prog, const clr_gpu_caps *caps, char *why,
                           size_t ws) {
    return gt_attrs_only(op, AXES_TENSORS, why, ws) && clr_gpu_declared_f32(op, prog, "X", why, ws);
}

/* Out = X's values under rule(X)'s shape, LoD kept; XShape gets its shape. */
static clr_status reshaped(clr_gpu_node *n, const char *const *tensors, tk_dims_fn rule) {
    clr_node *node = &n->node;
    clr_tensor *x, *out;
    int64_t dims[CLR_MAX_DIMS];
    int32_t ndims = 0;
    clr_status st = gt_require_attrs_only(n, tensors);
    if (st == CLR_OK) st = clr_node_require_in(node, "X", &x);
    if (st == CLR_OK) st = clr_node_require_out(node, "Out", &out);
    if (st == CLR_OK) st = rule(node, x, &ndims, dims);
    if (st == CLR_OK && out != x && (st = clr_cl_tensor_copy(n->cl, out, x, node->err)) != CLR_OK)
        return clr_error_prefix(node->err, st, "op %d (%s)", node->index, node->op->type);
    /* The rule checked the element count; these only record metadata. */
    if (st == CLR_OK) st = clr_tensor_set_shape(out, x->dtype, ndims, dims, node->err);
    if (st == CLR_OK && out != x) st = clr_tensor_set_lod(out, x->nlod, x->lod, node->err);
    clr_tensor *xs = clr_node_out(node, "XShape", 0);
    if (st == CLR_OK && xs && x->ndims < CLR_MAX_DIMS) {
        int64_t xd[CLR_MAX_DIMS] = {0};
        memcpy(xd + 1, x->dims, (size_t)x->ndims * sizeof *xd);
        st = clr_gpu_output(n, xs, x->dtype, x->ndims + 1, xd);
    }
    return st;
}

static const char *const NONE[] = {NULL};

clr_status gt_run_reshape(clr_gpu_node *n) { return reshaped(n, SHAPE_TENSORS, tk_reshape_dims); }
clr_status gt_run_flatten(clr_gpu_node *n) { return reshaped(n, NONE, tk_flatten_dims); }
clr_status gt_run_flatten_contiguous_range(clr_gpu_node *n) {
    return reshaped(n, NONE, tk_flatten_contiguous_range_dims);
}
clr_status gt_run_squeeze(clr_gpu_node *n) { return reshaped(n, NONE, tk_squeeze_dims); }
clr_status gt_run_unsqueeze(clr_gpu_node *n) { return reshaped(n, AXES_TENSORS, tk_unsqueeze_dims); }

/* The factor dropout applies at inference: 1 - dropout_prob for
 * "downgrade_in_infer", 1 for "upscale_in_train"; false for others. */
static bool dropout_keep(const clr_op *op, float *keep) {
    const clr_attr *impl = clr_op_attr(op, "dropout_implementation");
    const clr_attr *prob = clr_op_attr(op, "dropout_prob");
    const char *s = impl && impl->type == CLR_ATTR_STRING ? impl->v.s : "downgrade_in_infer";
    *keep = 1.0f - (prob && prob->type == CLR_ATTR_FLOAT ? prob->v.f : 0.5f);
    if (strcmp(s, "upscale_in_train") == 0) *keep = 1.0f;
    return strcmp(s, "upscale_in_train") == 0 || strcmp(s, "downgrade_in_infer") == 0;
}

bool gt_supports_dropout(const clr_op *op, const clr_program *prog, const clr_gpu_caps *caps, char *why, size_t ws) {
    float keep;
    if (!dropout_keep(op, &keep)) {
        snprintf(why, ws, "dropout_implementation");
        return false;
    }
    return clr_gpu_declared_f32(op, prog, "X", why, ws);
}

/* Out = keep * X through elementwise.cl's scale kernel. */
clr_status gt_run_dropout(clr_gpu_node *n) {
    clr_tensor *x, *y;
    float keep;
    clr_status st = clr_node_require_in(&n->node, "X", &x);
    if (st == CLR_OK) st = clr_node_require_out(&n->node, "Out", &y);
    if (st == CLR_OK && !dropout_keep(n->node.op, &keep))
        st = clr_node_fail(&n->node, CLR_ERR_UNSUPPORTED, "unsupported dropout_implementation");
    if (st == CLR_OK) st = clr_gpu_require_f32(n, "X", x);
    if (st == CLR_OK) st = clr_gpu_output(n, y, CLR_DTYPE_FP32, x->ndims, x->dims);
    if (st != CLR_OK) return st;
    clr_cl_act none = {.kind = 0};
    cl_float s = keep, b = 0.0f;
    cl_uint count = (cl_uint)clr_tensor_numel(x);
    cl_mem mx = clr_cl_mem(x), my = clr_cl_mem(y);
    cl_kernel k = NULL;
    st = clr_gpu_get_kernel(n, "elementwise.cl", "scale_f32", "", &k);
    if (st == CLR_OK) st = clr_gpu_arg(n, k, 0, sizeof mx, &mx);
    if (st == CLR_OK) st = clr_gpu_arg(n, k, 1, sizeof my, &my);
    if (st == CLR_OK) st = clr_gpu_arg(n, k, 2, sizeof count, &count);
    if (st == CLR_OK) st = clr_gpu_arg(n, k, 3, sizeof s, &s);
    if (st == CLR_OK) st = clr_gpu_arg(n, k, 4, sizeof b, &b);
    if (st == CLR_OK) st = clr_gpu_arg(n, k, 5, sizeof none, &none);
    /* scale_f32 takes blocks of 8 elements per work-item (EW_VW). */
    if (st == CLR_OK && count) st = clr_gpu_launch_1d(n, k, "scale_f32", (count + 7) / 8);
    return st;
}
