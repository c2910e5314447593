/* clrun — OpenCL tensor family: ops that move elements (transpose(2),
 * shuffle_channel, slice, concat, split as strided views through
 * gt_view_copy; pad2d), with the host kernels' plans. The views copy any
 * 4- or 8-byte element type; placement still asks for FP32 inputs so that
 * integer shape arithmetic stays on the host. */
#include <stdio.h>
#include <string.h>

#include "kernels/host/tensor_common.h"
#include "kernels/host/tensor_plans.h"
#include "kernels/opencl/gpu_tensor.h"

static void dense_strides(int32_t rank, const int64_t *dims, int64_t *strides) {
    int64_t s = 1;
    for (int32_t i = rank - 1; i >= 0; i--) {
        strides[i] = s;
        s *= dims[i];
    }
}

/* Element size of a tensor the views can copy. */
static clr_status elem_size(clr_gpu_node *n, const char *what, const clr_tensor *t, size_t *esize) {
    clr_status st = tk_elem_size(&n->node, what, t->dtype, esize);
    if (st == CLR_OK && clr_tensor_numel(t) >= (int64_t)1 << 30)
        st = clr_node_fail(&n->node, CLR_ERR_UNSUPPORTED, "%s is too large for 32-bit indexing", what);
    return st;
}

bool gt_supports_x(const clr_op *op, const clr_program *prog, const clr_gpu_caps *caps, char *why, size_t ws) {
    return clr_gpu_declared_f32(op, prog, "X", why, ws);
}

/* Out = a view of X (dense output of the view's dims). */
static clr_status copy_view(clr_gpu_node *n, const clr_tensor *x, clr_tensor *out, const tk_view *v, int32_t ndims,
                            const int64_t *dims) {
    size_t esize;
    int64_t ds[CLR_MAX_DIMS];
    clr_status st = elem_size(n, "input", x, &esize);
    if (st == CLR_OK) st = clr_gpu_output(n, out, x->dtype, ndims, dims);
    if (st != CLR_OK) return st;
    dense_strides(v->rank, v->dims, ds);
    return gt_view_copy(n, clr_cl_mem(x), v->offset, v->strides, clr_cl_mem(out), 0, ds, v->rank, v->dims, esize);
}

/* The XShape output of the *2 ops: its shape only (no values are read). */
static clr_status xshape(clr_gpu_node *n, const clr_tensor *x) {
    clr_tensor *xs = clr_node_out(&n->node, "XShape", 0);
    if (!xs || x->ndims + 1 > CLR_MAX_DIMS) return CLR_OK;
    int64_t dims[CLR_MAX_DIMS] = {0};
    memcpy(dims + 1, x->dims, (size_t)x->ndims * sizeof *dims);
    return clr_gpu_output(n, xs, x->dtype, x->ndims + 1, dims);
}

clr_status gt_run_transpose(clr_gpu_node *n) {
    clr_tensor *x, *out;
    tk_view v;
    clr_status st = clr_node_require_in(&n->node, "X", &x);
    if (st == CLR_OK) st = clr_node_require_out(&n->node, "Out", &out);
    if (st == CLR_OK) st = tk_transpose_view(&n->node, x, &v);
    if (st == CLR_OK) st = copy_view(n, x, out, &v, v.rank, v.dims);
    return st == CLR_OK ? xshape(n, x) : st;
}

/* [N, C, H, W] read as [N, C/g, g, H*W] from its [N, g, C/g, H*W] layout. */
clr_status gt_run_shuffle_channel(clr_gpu_node *n) {
    clr_tensor *x, *out;
    int64_t group;
    clr_status st = clr_node_require_in(&n->node, "X", &x);
    if (st == CLR_OK) st = clr_node_require_out(&n->node, "Out", &out);
    if (st == CLR_OK) st = tk_shuffle_group(&n->node, x, &group);
    if (st != CLR_OK) return st;
    int64_t c = x->dims[1], hw = x->dims[2] * x->dims[3], per = c / group;
    tk_view v = {.rank = 4, .dims = {x->dims[0], per, group, hw}, .strides = {c * hw, hw, per * hw, 1}};
    return copy_view(n, x, out, &v, 4, x->dims);
}

static const char *const SLICE_TENSORS[] = {"StartsTensor", "EndsTensor", "StartsTensorList", "EndsTensorList", NULL};

bool gt_supports_slice(const clr_op *op, const clr_program *prog, const clr_gpu_caps *caps, char *why, size_t ws) {
    return gt_attrs_only(op, SLICE_TENSORS, why, ws) && clr_gpu_declared_f32(op, prog, "Input", why, ws);
}

clr_status gt_run_slice(clr_gpu_node *n) {
    clr_tensor *x, *out;
    tk_view v;
    int64_t dims[CLR_MAX_DIMS];
    int32_t ndims;
    bool keeps_lod;
    clr_status st = gt_require_attrs_only(n, SLICE_TENSORS);
    if (st == CLR_OK) st = clr_node_require_in(&n->node, "Input", &x);
    if (st == CLR_OK) st = clr_node_require_out(&n->node, "Out", &out);
    if (st == CLR_OK) st = tk_slice_plan(&n->node, x, &v, &ndims, dims, &keeps_lod);
    if (st == CLR_OK) st = copy_view(n, x, out, &v, ndims, dims);
    if (st == CLR_OK) st = clr_tensor_set_lod(out, keeps_lod ? x->nlod : 0, x->lod, n->node.err);
    return st;
}

static const char *const AXIS_TENSOR[] = {"AxisTensor", NULL};

bool gt_supports_concat(const clr_op *op, const clr_program *prog, const clr_gpu_caps *caps, char *why, size_t ws) {
    return gt_attrs_only(op, AXIS_TENSOR, why, ws) && clr_gpu_declared_f32(op, prog, "X", why, ws);
}

/* Each input lands in its slab of the output, one view copy per input. */
clr_status gt_run_concat(clr_gpu_node *n) {
    clr_tensor *out;
    int32_t axis, k = clr_node_in_count(&n->node, "X");
    int64_t dims[CLR_MAX_DIMS], ds[CLR_MAX_DIMS], ss[CLR_MAX_DIMS];
    size_t esize;
    clr_status st = gt_require_attrs_only(n, AXIS_TENSOR);
    if (st == CLR_OK) st = clr_node_require_out(&n->node, "Out", &out);
    if (st == CLR_OK) st = tk_concat_plan(&n->node, &axis, dims);
    if (st != CLR_OK) return st;
    const clr_tensor *first = clr_node_in(&n->node, "X", 0);
    if ((st = elem_size(n, "input 'X'", first, &esize)) != CLR_OK) return st;
    if ((st = clr_gpu_output(n, out, first->dtype, first->ndims, dims)) != CLR_OK) return st;
    dense_strides(first->ndims, dims, ds);
    int64_t at = 0;
    for (int32_t i = 0; st == CLR_OK && i < k; i++) {
        const clr_tensor *t = clr_node_in(&n->node, "X", i);
        dense_strides(t->ndims, t->dims, ss);
        st = gt_view_copy(n, clr_cl_mem(t), 0, ss, clr_cl_mem(out), at * ds[axis], ds, t->ndims, t->dims, esize);
        at += t->dims[axis];
    }
    return st;
}

static const char *const SPLIT_TENSORS[] = {"AxisTensor", "SectionsTensorList", NULL};

bool gt_supports_split(const clr_op *op, const clr_program *prog, const clr_gpu_caps *caps, char *why, size_t ws) {
    return gt_attrs_only(op, SPLIT_TENSORS, why, ws) && clr_gpu_declared_f32(op, prog, "X", why, ws);
}

/* Each output is a slab of the input. */
clr_status gt_run_split(clr_gpu_node *n) {
    clr_tensor *x;
    int32_t axis, k;
    int64_t sec[TK_MAX_LIST], ss[CLR_MAX_DIMS], ds[CLR_MAX_DIMS], dims[CLR_MAX_DIMS];
    size_t esize;
    clr_status st = gt_require_attrs_only(n, SPLIT_TENSORS);
    if (st == CLR_OK) st = clr_node_require_in(&n->node, "X", &x);
    if (st == CLR_OK) st = elem_size(n, "input 'X'", x, &esize);
    if (st == CLR_OK) st = tk_split_plan(&n->node, x, &axis, &k, sec);
    if (st != CLR_OK) return st;
    dense_strides(x->ndims, x->dims, ss);
    int64_t at = 0;
    for (int32_t i = 0; st == CLR_OK && i < k; i++) {
        clr_tensor *t = clr_node_out(&n->node, "Out", i);
        memcpy(dims, x->dims, sizeof dims);
        dims[axis] = sec[i];
        st = clr_gpu_output(n, t, x->dtype, x->ndims, dims);
        dense_strides(x->ndims, dims, ds);
        if (st == CLR_OK)
            st = gt_view_copy(n, clr_cl_mem(x), at * ss[axis], ss, clr_cl_mem(t), 0, ds, x->ndims, dims, esize);
        at += sec[i];
    }
    return st;
}

static const char *const PADDINGS_TENSOR[] = {"Paddings", NULL};

bool gt_supports_pad2d(const clr_op *op, const clr_program *prog, const clr_gpu_caps *caps, char *why, size_t ws) {
    return gt_attrs_only(op, PADDINGS_TENSOR, why, ws) && clr_gpu_declared_f32(op, prog, "X", why, ws);
}

clr_status gt_run_pad2d(clr_gpu_node *n) {
    clr_tensor *x, *out;
    tk_pad_mode mode;
    int64_t p[4];
    clr_status st = gt_require_attrs_only(n, PADDINGS_TENSOR);
    if (st == CLR_OK) st = clr_node_require_in(&n->node, "X", &x);
    if (st == CLR_OK) st = clr_node_require_out(&n->node, "Out", &out);
    if (st == CLR_OK) st = clr_gpu_require_f32(n, "X", x);
    if (st == CLR_OK) st = tk_pad2d_plan(&n->node, x, &mode, p);
    if (st != CLR_OK) return st;
    int64_t dims[4] = {x->dims[0], x->dims[1], x->dims[2] + p[0] + p[1], x->dims[3] + p[2] + p[3]};
    if ((st = clr_gpu_output(n, out, CLR_DTYPE_FP32, 4, dims)) != CLR_OK) return st;
    if (clr_tensor_numel(out) >= (int64_t)1 << 31)
        return clr_node_fail(&n->node, CLR_ERR_UNSUPPORTED, "output too large");
    cl_uint planes = (cl_uint)(dims[0] * dims[1]);
    cl_int a[7] = {(cl_int)x->dims[2], (cl_int)x->dims[3], (cl_int)dims[2], (cl_int)dims[3],
                   (cl_int)p[0],       (cl_int)p[2],       (cl_int)mode};
    cl_float value = clr_node_attr_float(&n->node, "pad_value", 0.0f);
    cl_mem mx = clr_cl_mem(x), mo = clr_cl_mem(out);
    cl_kernel k = NULL;
    st = clr_gpu_get_kernel(n, "layout.cl", "pad2d_f32", "", &k);
    if (st == CLR_OK) st = clr_gpu_arg(n, k, 0, sizeof mx, &mx);
    if (st == CLR_OK) st = clr_gpu_arg(n, k, 1, sizeof mo, &mo);
    if (st == CLR_OK) st = clr_gpu_arg(n, k, 2, sizeof planes, &planes);
    for (cl_uint i = 0; st == CLR_OK && i < 7; i++) st = clr_gpu_arg(n, k, 3 + i, sizeof a[i], &a[i]);
    if (st == CLR_OK) st = clr_gpu_arg(n, k, 10, sizeof value, &value);
    if (st == CLR_OK) st = gt_launch_3d(n, k, "pad2d_f32", dims[3], dims[2], planes);
    return st;
}
