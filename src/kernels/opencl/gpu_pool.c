/* clrun — OpenCL tensor family: pool2d and nearest/bilinear interpolation.
 * The host plans (kernels/host/math_plans.h) give every output row's and
 * column's window or taps; cl_kernels/pool.cl walks those tables, so both
 * sides share one set of geometry rules. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "kernels/host/math_plans.h"
#include "kernels/opencl/gpu_tensor.h"

bool gt_supports_pool2d(const clr_op *op, const clr_program *prog, const clr_gpu_caps *caps, char *why, size_t ws) {
    const clr_attr *t = clr_op_attr(op, "pooling_type");
    if (!t || t->type != CLR_ATTR_STRING || (strcmp(t->v.s, "max") != 0 && strcmp(t->v.s, "avg") != 0)) {
        snprintf(why, ws, "pooling_type is not max or avg");
        return false;
    }
    return clr_gpu_declared_f32(op, prog, "X", why, ws);
}

/* Mirrors pool.cl's pool_win. */
typedef struct cl_pool_win {
    cl_int lo, hi, span;
} cl_pool_win;

/* Launches `name` over out's elements with arguments (x, out, planes, ih, iw,
 * oh, ow, table rows, table cols) followed by `extra` ints. */
static clr_status launch_planes(clr_gpu_node *n, const char *name, const clr_tensor *x, clr_tensor *out, cl_mem th,
                                cl_mem tw, int extras, const cl_int *extra) {
    cl_uint planes = (cl_uint)(out->dims[0] * out->dims[1]);
    cl_int geo[4] = {(cl_int)x->dims[2], (cl_int)x->dims[3], (cl_int)out->dims[2], (cl_int)out->dims[3]};
    cl_mem mx = clr_cl_mem(x), mo = clr_cl_mem(out);
    cl_kernel k = NULL;
    clr_status st = clr_gpu_get_kernel(n, "pool.cl", name, "", &k);
    if (st == CLR_OK) st = clr_gpu_arg(n, k, 0, sizeof mx, &mx);
    if (st == CLR_OK) st = clr_gpu_arg(n, k, 1, sizeof mo, &mo);
    if (st == CLR_OK) st = clr_gpu_arg(n, k, 2, sizeof planes, &planes);
    for (cl_uint i = 0; st == CLR_OK && i < 4; i++) st = clr_gpu_arg(n, k, 3 + i, sizeof geo[i], &geo[i]);
    if (st == CLR_OK) st = clr_gpu_arg(n, k, 7, sizeof th, &th);
    if (st == CLR_OK) st = clr_gpu_arg(n, k, 8, sizeof tw, &tw);
    for (int i = 0; st == CLR_OK && i < extras; i++) st = clr_gpu_arg(n, k, 9 + (cl_uint)i, sizeof extra[i], &extra[i]);
    if (st == CLR_OK) st = gt_launch_3d(n, k, name, out->dims[3], out->dims[2], planes);
    return st;
}

/* Uploads rows (oh entries) and columns (ow entries) of a host table. */
static clr_status tables(clr_gpu_node *n, const void *rows, const void *cols, size_t esize, int64_t oh, int64_t ow,
                         cl_mem *th, cl_mem *tw) {
    *tw = NULL;
    clr_status st = gt_table(n, rows, (size_t)oh * esize, th);
    if (st == CLR_OK) st = gt_table(n, cols, (size_t)ow * esize, tw);
    return st;
}

clr_status gt_run_pool2d(clr_gpu_node *n) {
    clr_tensor *x, *out;
    clr_pool_axis ah, aw;
    clr_status st = clr_node_require_in(&n->node, "X", &x);
    if (st == CLR_OK) st = clr_node_require_out(&n->node, "Out", &out);
    if (st == CLR_OK) st = clr_gpu_require_f32(n, "X", x);
    if (st == CLR_OK && x->ndims != 4) st = clr_node_fail(&n->node, CLR_ERR_FORMAT, "input 'X' is not 4-D");
    if (st == CLR_OK) st = clr_pool_plan(&n->node, x, &ah, &aw);
    if (st != CLR_OK) return st;
    int64_t dims[4] = {x->dims[0], x->dims[1], ah.out, aw.out};
    if ((st = clr_gpu_output(n, out, CLR_DTYPE_FP32, 4, dims)) != CLR_OK) return st;
    cl_pool_win *w = clr_malloc((size_t)(ah.out + aw.out) * sizeof *w);
    if (!w) return clr_node_fail(&n->node, CLR_ERR_NOMEM, "out of memory for pooling windows");
    for (int64_t i = 0; i < ah.out + aw.out; i++) {
        clr_pool_win v = i < ah.out ? clr_pool_window(&ah, i) : clr_pool_window(&aw, i - ah.out);
        w[i] = (cl_pool_win){(cl_int)v.lo, (cl_int)v.hi, (cl_int)v.span};
    }
    cl_mem th = NULL, tw = NULL;
    st = tables(n, w, w + ah.out, sizeof *w, ah.out, aw.out, &th, &tw);
    free(w);
    const clr_attr *type = clr_op_attr(n->node.op, "pooling_type");
    cl_int is_max = type && type->type == CLR_ATTR_STRING && strcmp(type->v.s, "max") == 0;
    /* The global average follows the host's ARM summation order (pool.cl). */
    cl_int extra[3] = {is_max, clr_node_attr_bool(&n->node, "exclusive", true),
                       !is_max && clr_node_attr_bool(&n->node, "global_pooling", false)};
    if (st == CLR_OK) st = launch_planes(n, "pool2d_f32", x, out, th, tw, 3, extra);
    if (th) clReleaseMemObject(th);
    if (tw) clReleaseMemObject(tw);
    return st;
}

static const char *const SIZE_TENSORS[] = {"OutSize", "SizeTensor", "Scale", NULL};

bool gt_supports_interp(const clr_op *op, const clr_program *prog, const clr_gpu_caps *caps, char *why, size_t ws) {
    return gt_attrs_only(op, SIZE_TENSORS, why, ws) && clr_gpu_declared_f32(op, prog, "X", why, ws);
}

/* Mirrors pool.cl's interp_tap. */
typedef struct cl_interp_tap {
    cl_int lo, hi;
    cl_float w;
} cl_interp_tap;

clr_status gt_run_interp(clr_gpu_node *n) {
    clr_tensor *x, *out;
    clr_interp_tap *taps = NULL;
    int64_t oh, ow;
    clr_status st = gt_require_attrs_only(n, SIZE_TENSORS);
    if (st == CLR_OK) st = clr_node_require_in(&n->node, "X", &x);
    if (st == CLR_OK) st = clr_node_require_out(&n->node, "Out", &out);
    if (st == CLR_OK) st = clr_gpu_require_f32(n, "X", x);
    if (st == CLR_OK) st = clr_interp_plan(&n->node, x, &oh, &ow, &taps);
    int64_t dims[4] = {0};
    if (st == CLR_OK) dims[0] = x->dims[0], dims[1] = x->dims[1], dims[2] = oh, dims[3] = ow;
    if (st == CLR_OK) st = clr_gpu_output(n, out, CLR_DTYPE_FP32, 4, dims);
    cl_interp_tap *t = st == CLR_OK ? clr_malloc((size_t)(oh + ow) * sizeof *t) : NULL;
    if (st == CLR_OK && !t) st = clr_node_fail(&n->node, CLR_ERR_NOMEM, "out of memory for interpolation taps");
    cl_mem th = NULL, tw = NULL;
    if (st == CLR_OK) {
        for (int64_t i = 0; i < oh + ow; i++) t[i] = (cl_interp_tap){(cl_int)taps[i].lo, (cl_int)taps[i].hi, taps[i].w};
        st = tables(n, t, t + oh, sizeof *t, oh, ow, &th, &tw);
    }
    free(t);
    free(taps);
    if (st == CLR_OK) st = launch_planes(n, "interp_f32", x, out, th, tw, 0, NULL);
    if (th) clReleaseMemObject(th);
    if (tw) clReleaseMemObject(tw);
    return st;
}
