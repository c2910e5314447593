/* clrun — OpenCL tensor family: reductions along an axis (softmax,
 * layer_norm, arg_max) and batch_norm, from cl_kernels/norm.cl. */
#include <stdio.h>
#include <string.h>

#include "kernels/host/tensor_common.h"
#include "kernels/host/tensor_plans.h"
#include "kernels/opencl/gpu_tensor.h"

static const char *const CL_FILE = "norm.cl";
enum { ROW_WG = 64 }; /* CLR_ROW_WG in norm.cl */

/* One work-group of ROW_WG per row. */
static clr_status launch_rows(clr_gpu_node *n, cl_kernel k, const char *name, int64_t rows) {
    size_t gws = (size_t)rows * ROW_WG, lws = ROW_WG;
    return rows ? clr_gpu_launch(n, k, name, 1, &gws, &lws) : CLR_OK;
}

/* Sets arguments first.. from sizes[i] bytes at values[i]. */
static clr_status args(clr_gpu_node *n, cl_kernel k, cl_uint first, int count, const size_t *sizes,
                       const void *const *values) {
    clr_status st = CLR_OK;
    for (int i = 0; st == CLR_OK && i < count; i++) st = clr_gpu_arg(n, k, first + (cl_uint)i, sizes[i], values[i]);
    return st;
}

/* A row the host ends with libm's expf (see gt_run_softmax). */
static bool libm_tail(int64_t len) { return len <= 4 || len % 4; }

bool gt_supports_softmax(const clr_op *op, const clr_program *prog, const clr_gpu_caps *caps, char *why, size_t ws) {
    /* Rows along the last axis whose declared length has such a tail stay on the host. */
    const clr_slot *s = clr_op_input(op, "X");
    const clr_var *v = s && s->nargs && prog->nblocks ? clr_block_var(&prog->blocks[0], s->args[0]) : NULL;
    const clr_attr *a = clr_op_attr(op, "axis");
    int32_t axis = a && a->type == CLR_ATTR_INT ? a->v.i : -1;
    if (v && v->ndims > 0 && (axis == -1 || axis == v->ndims - 1) && v->dims[v->ndims - 1] > 0 &&
        libm_tail(v->dims[v->ndims - 1])) {
        snprintf(why, ws, "rows of %lld end in libm's expf on the host", (long long)v->dims[v->ndims - 1]);
        return false;
    }
    return clr_gpu_declared_f32(op, prog, "X", why, ws);
}

/* Contiguous rows (axis last) reduce per work-group, short ones (the host's
 * ARM arithmetic) with one work-item each; other axes walk one strided column
 * per work-item. */
clr_status gt_run_softmax(clr_gpu_node *n) {
    clr_tensor *x, *y;
    int32_t axis = 0;
    clr_status st = clr_node_require_in(&n->node, "X", &x);
    if (st == CLR_OK) st = clr_node_require_out(&n->node, "Out", &y);
    if (st == CLR_OK) st = clr_gpu_require_f32(n, "X", x);
    if (st == CLR_OK && x->ndims == 0) st = clr_node_fail(&n->node, CLR_ERR_FORMAT, "input 'X' has no dims");
    if (st == CLR_OK) st = tk_axis(&n->node, "axis", clr_node_attr_int(&n->node, "axis", -1), x->ndims, &axis);
    if (st != CLR_OK) return st;
    int64_t outer = tk_prod(x->dims, 0, axis), inner = tk_prod(x->dims, axis + 1, x->ndims);
    cl_uint len = (cl_uint)x->dims[axis], in = (cl_uint)inner, rows = (cl_uint)(outer * inner);
    /* The host's contiguous rows take the last len % 4 values (all of a row
     * of up to 4) through libm's expf (arm_softmax_row): the CPU keeps those. */
    if (inner == 1 && libm_tail(len))
        return clr_node_fail(&n->node, CLR_ERR_UNSUPPORTED, "softmax row tail (libm expf on the host)");
    if ((st = clr_gpu_output(n, y, CLR_DTYPE_FP32, x->ndims, x->dims)) != CLR_OK) return st;
    cl_mem mx = clr_cl_mem(x), my = clr_cl_mem(y);
    bool short_rows = inner == 1 && len <= ROW_WG, grouped = inner == 1 && !short_rows;
    const char *name = short_rows ? "softmax_short_rows_f32" : grouped ? "softmax_rows_f32" : "softmax_cols_f32";
    const size_t sizes[] = {sizeof mx, sizeof my, sizeof rows, sizeof len, sizeof in};
    const void *const values[] = {&mx, &my, &rows, &len, &in};
    cl_kernel k = NULL;
    if (rows == 0 || len == 0) return CLR_OK;
    st = clr_gpu_get_kernel(n, CL_FILE, name, "", &k);
    if (st == CLR_OK) st = args(n, k, 0, inner == 1 ? 4 : 5, sizes, values);
    if (st == CLR_OK) st = grouped ? launch_rows(n, k, name, rows) : clr_gpu_launch_1d(n, k, name, rows);
    return st;
}

bool gt_supports_layer_norm(const clr_op *op, const clr_program *prog, const clr_gpu_caps *caps, char *why,
                            size_t ws) {
    return clr_gpu_declared_f32(op, prog, "X", why, ws) && clr_gpu_declared_f32(op, prog, "Scale", why, ws) &&
           clr_gpu_declared_f32(op, prog, "Bias", why, ws);
}

/* An optional FP32 parameter of `need` values (NULL buffer when unbound). */
static clr_status param(clr_gpu_node *n, const char *slot, int64_t need, bool required, cl_mem *m) {
    const clr_tensor *t = clr_node_in(&n->node, slot, 0);
    *m = NULL;
    if (!t) return required ? clr_node_fail(&n->node, CLR_ERR_FORMAT, "input '%s' is missing", slot) : CLR_OK;
    clr_status st = clr_gpu_require_f32(n, slot, t);
    if (st == CLR_OK && clr_tensor_numel(t) != need)
        st = clr_node_fail(&n->node, CLR_ERR_FORMAT, "input '%s' has %lld values, expected %lld", slot,
                           (long long)clr_tensor_numel(t), (long long)need);
    if (st == CLR_OK) *m = clr_cl_mem(t);
    return st;
}

/* An optional statistics output of `rows` values. */
static clr_status stat_out(clr_gpu_node *n, const char *slot, int64_t rows, cl_mem *m) {
    clr_tensor *t = clr_node_out(&n->node, slot, 0);
    *m = NULL;
    clr_status st = t ? clr_gpu_output(n, t, CLR_DTYPE_FP32, 1, &rows) : CLR_OK;
    if (t && st == CLR_OK) *m = clr_cl_mem(t);
    return st;
}

clr_status gt_run_layer_norm(clr_gpu_node *n) {
    clr_tensor *x, *y;
    cl_mem scale, bias, mean, var;
    clr_status st = clr_node_require_in(&n->node, "X", &x);
    if (st == CLR_OK) st = clr_node_require_out(&n->node, "Y", &y);
    if (st == CLR_OK) st = clr_gpu_require_f32(n, "X", x);
    if (st != CLR_OK) return st;
    int64_t axis = clr_node_attr_int(&n->node, "begin_norm_axis", 1);
    if (axis < 1 || axis > x->ndims)
        return clr_node_fail(&n->node, CLR_ERR_FORMAT, "begin_norm_axis %lld is out of range for %d dims",
                             (long long)axis, x->ndims);
    int64_t rows = tk_prod(x->dims, 0, (int32_t)axis), len = tk_prod(x->dims, (int32_t)axis, x->ndims);
    st = clr_gpu_output(n, y, CLR_DTYPE_FP32, x->ndims, x->dims);
    if (st == CLR_OK) st = param(n, "Scale", len, false, &scale);
    if (st == CLR_OK) st = param(n, "Bias", len, false, &bias);
    if (st == CLR_OK) st = stat_out(n, "Mean", rows, &mean);
    if (st == CLR_OK) st = stat_out(n, "Variance", rows, &var);
    if (st != CLR_OK || len == 0) return st;
    cl_uint r = (cl_uint)rows, l = (cl_uint)len;
    cl_float eps = clr_node_attr_float(&n->node, "epsilon", 1e-5f);
    cl_mem mx = clr_cl_mem(x), my = clr_cl_mem(y);
    const size_t sizes[] = {sizeof mx, sizeof my, sizeof r, sizeof l, sizeof eps, sizeof(cl_mem), sizeof(cl_mem),
                            sizeof(cl_mem), sizeof(cl_mem)};
    const void *const values[] = {&mx, &my, &r, &l, &eps, &scale, &bias, &mean, &var};
    cl_kernel k = NULL;
    st = clr_gpu_get_kernel(n, CL_FILE, "layer_norm_f32", "", &k);
    if (st == CLR_OK) st = args(n, k, 0, 9, sizes, values);
    if (st == CLR_OK) st = launch_rows(n, k, "layer_norm_f32", rows);
    return st;
}

bool gt_supports_batch_norm(const clr_op *op, const clr_program *prog, const clr_gpu_caps *caps, char *why,
                            size_t ws) {
    const clr_attr *layout = clr_op_attr(op, "data_layout");
    if (layout && layout->type == CLR_ATTR_STRING && strcmp(layout->v.s, "NCHW") != 0 &&
        strcmp(layout->v.s, "AnyLayout") != 0) {
        snprintf(why, ws, "data_layout '%s'", layout->v.s);
        return false;
    }
    static const char *const slots[] = {"X", "Scale", "Bias", "Mean", "Variance"};
    for (size_t i = 0; i < sizeof slots / sizeof *slots; i++)
        if (!clr_gpu_declared_f32(op, prog, slots[i], why, ws)) return false;
    return true;
}

clr_status gt_run_batch_norm(clr_gpu_node *n) {
    clr_tensor *x, *y;
    cl_mem scale, bias, mean, var;
    clr_status st = clr_node_require_in(&n->node, "X", &x);
    if (st == CLR_OK) st = clr_node_require_out(&n->node, "Y", &y);
    if (st == CLR_OK) st = clr_gpu_require_f32(n, "X", x);
    if (st == CLR_OK && x->ndims < 2)
        st = clr_node_fail(&n->node, CLR_ERR_FORMAT, "input 'X' has %d dims, expected at least 2", x->ndims);
    if (st != CLR_OK) return st;
    int64_t c = x->dims[1];
    st = param(n, "Scale", c, true, &scale);
    if (st == CLR_OK) st = param(n, "Bias", c, true, &bias);
    if (st == CLR_OK) st = param(n, "Mean", c, true, &mean);
    if (st == CLR_OK) st = param(n, "Variance", c, true, &var);
    if (st == CLR_OK) st = clr_gpu_output(n, y, CLR_DTYPE_FP32, x->ndims, x->dims);
    cl_uint count = (cl_uint)clr_tensor_numel(x), ch = (cl_uint)c, inner = (cl_uint)tk_prod(x->dims, 2, x->ndims);
    if (st != CLR_OK || count == 0) return st;
    cl_float eps = clr_node_attr_float(&n->node, "epsilon", 1e-5f);
    cl_mem mx = clr_cl_mem(x), my = clr_cl_mem(y);
    const size_t sizes[] = {sizeof mx,     sizeof my,     sizeof count,  sizeof ch,     sizeof inner,
                            sizeof(cl_mem), sizeof(cl_mem), sizeof(cl_mem), sizeof(cl_mem), sizeof eps};
    const void *const values[] = {&mx, &my, &count, &ch, &inner, &scale, &bias, &mean, &var, &eps};
    cl_kernel k = NULL;
    st = clr_gpu_get_kernel(n, CL_FILE, "batch_norm_f32", "", &k);
    if (st == CLR_OK) st = args(n, k, 0, 10, sizes, values);
    if (st == CLR_OK) st = clr_gpu_launch_1d(n, k, "batch_norm_f32", count);
    return st;
}

bool gt_supports_arg_max(const clr_op *op, const clr_program *prog, const clr_gpu_caps *caps, char *why, size_t ws) {
    return clr_gpu_declared_f32(op, prog, "X", why, ws);
}

/* INT32 or INT64 indices, as the dtype attribute asks; the executor moves
 * either back as bytes. */
clr_status gt_run_arg_max(clr_gpu_node *n) {
    clr_tensor *x, *out;
    tk_argmax_plan p;
    clr_status st = clr_node_require_in(&n->node, "X", &x);
    if (st == CLR_OK) st = clr_node_require_out(&n->node, "Out", &out);
    if (st == CLR_OK) st = clr_gpu_require_f32(n, "X", x);
    if (st == CLR_OK) st = tk_arg_max_plan(&n->node, x, &p);
    if (st == CLR_OK) st = clr_gpu_output(n, out, p.out_dtype, p.ndims, p.dims);
    if (st != CLR_OK) return st;
    const char *name = p.out_dtype == CLR_DTYPE_INT32 ? "arg_max_i32" : "arg_max_i64";
    cl_uint count = (cl_uint)(p.outer * p.inner), size = (cl_uint)p.size, inner = (cl_uint)p.inner;
    cl_mem mx = clr_cl_mem(x), mo = clr_cl_mem(out);
    const size_t sizes[] = {sizeof mx, sizeof mo, sizeof count, sizeof size, sizeof inner};
    const void *const values[] = {&mx, &mo, &count, &size, &inner};
    cl_kernel k = NULL;
    st = clr_gpu_get_kernel(n, CL_FILE, name, "", &k);
    if (st == CLR_OK) st = args(n, k, 0, 5, sizes, values);
    if (st == CLR_OK) st = clr_gpu_launch_1d(n, k, name, count);
    return st;
}
