/* clrun — OpenCL elementwise family: unary activations, broadcasting binary
 * ops (with fused activation) and scale, from cl_kernels/elementwise.cl.
 * Programs are built per activation kind (and binary op and inner strides),
 * so the kernels' per-element work has no switch; work-items take blocks of
 * EW_VW elements. */
#include <stdio.h>
#include <string.h>

#include "kernels/host/broadcast.h"
#include "kernels/opencl/gpu_common.h"
#include "kernels/opencl/gpu_families.h"

static const char *const CL_FILE = "elementwise.cl";
enum { EW_VW = 8 }; /* elements per work-item, EW_VW in elementwise.cl */

/* A flat kernel over `count` elements in blocks of EW_VW. */
static clr_status launch_blocks(clr_gpu_node *n, cl_kernel k, const char *name, size_t count) {
    return count ? clr_gpu_launch_1d(n, k, name, (count + EW_VW - 1) / EW_VW) : CLR_OK;
}

/* Activation of an activation op, with its attributes. */
static bool op_activation(const clr_op *op, clr_act *act) {
    if (!clr_act_from_name(op->type, act)) return false;
    const clr_attr *a;
    if ((a = clr_op_attr(op, "threshold")) && a->type == CLR_ATTR_FLOAT) act->threshold = a->v.f;
    if ((a = clr_op_attr(op, "alpha")) && a->type == CLR_ATTR_FLOAT) act->alpha = a->v.f;
    if ((a = clr_op_attr(op, "slope")) && a->type == CLR_ATTR_FLOAT) act->slope = a->v.f;
    if ((a = clr_op_attr(op, "offset")) && a->type == CLR_ATTR_FLOAT) act->offset = a->v.f;
    if ((a = clr_op_attr(op, "scale")) && a->type == CLR_ATTR_FLOAT) act->scale = a->v.f;
    if ((a = clr_op_attr(op, "beta")) && a->type == CLR_ATTR_FLOAT) act->beta = a->v.f;
    if ((a = clr_op_attr(op, "approximate")) && a->type == CLR_ATTR_BOOLEAN) act->approximate = a->v.b;
    return true;
}

static bool supports_activation(const clr_op *op, const clr_program *prog, const clr_gpu_caps *caps, char *why,
                                size_t why_size) {
    clr_act act;
    if (!op_activation(op, &act)) {
        snprintf(why, why_size, "unknown activation");
        return false;
    }
    return clr_gpu_declared_f32(op, prog, "X", why, why_size);
}

static clr_status run_activation(clr_gpu_node *n) {
    clr_tensor *x, *y;
    clr_status st = clr_node_require_in(&n->node, "X", &x);
    if (st == CLR_OK) st = clr_node_require_out(&n->node, "Out", &y);
    if (st == CLR_OK) st = clr_gpu_require_f32(n, "X", x);
    clr_act act;
    op_activation(n->node.op, &act);
    clr_cl_act a = clr_cl_act_from(&act);
    cl_uint count = st == CLR_OK ? (cl_uint)clr_tensor_numel(x) : 0;
    /* The host's sigmoid and tanh take the last count % 4 values through
     * libm's expf (clr_act_apply), which OpenCL's exp does not reproduce. */
    if (st == CLR_OK && (act.kind == CLR_ACT_SIGMOID || act.kind == CLR_ACT_TANH) && count % 4)
        st = clr_node_fail(&n->node, CLR_ERR_UNSUPPORTED, "scalar tail of %u values (libm expf on the host)", count % 4);
    if (st == CLR_OK) st = clr_gpu_output(n, y, CLR_DTYPE_FP32, x->ndims, x->dims);
    cl_mem mx = clr_cl_mem(x), my = clr_cl_mem(y);
    cl_kernel k = NULL;
    char options[96];
    clr_gpu_spec_options(options, sizeof options, &act, 0, "");
    if (st == CLR_OK) st = clr_gpu_get_kernel(n, CL_FILE, "activation_f32", options, &k);
    if (st == CLR_OK) st = clr_gpu_arg(n, k, 0, sizeof mx, &mx);
    if (st == CLR_OK) st = clr_gpu_arg(n, k, 1, sizeof my, &my);
    if (st == CLR_OK) st = clr_gpu_arg(n, k, 2, sizeof count, &count);
    if (st == CLR_OK) st = clr_gpu_arg(n, k, 3, sizeof a, &a);
    if (st == CLR_OK) st = launch_blocks(n, k, "activation_f32", count);
    return st;
}

/* Binary ops the kernel implements, in its `op` numbering. */
static int binary_code(const char *type) {
    static const char *const names[] = {"add", "sub", "mul", "div", "max", "min", "pow"};
    const char *p = strncmp(type, "fusion_elementwise_", 19) == 0 ? type + 19 : type + strlen("elementwise_");
    for (int i = 0; i < 7; i++) {
        size_t len = strlen(names[i]);
        if (strncmp(p, names[i], len) == 0 && (p[len] == '\0' || p[len] == '_')) return i;
    }
    return -1;
}

static bool supports_binary(const clr_op *op, const clr_program *prog, const clr_gpu_caps *caps, char *why,
                            size_t why_size) {
    clr_act act;
    const clr_attr *a = clr_op_attr(op, "act_type");
    const clr_attr *fs = clr_op_attr(op, "fuse_scale");
    if (binary_code(op->type) < 0) {
        snprintf(why, why_size, "no GPU kernel for %s", op->type);
        return false;
    }
    if (a && a->type == CLR_ATTR_STRING && !clr_act_from_name(a->v.s, &act)) {
        snprintf(why, why_size, "fused activation '%s'", a->v.s);
        return false;
    }
    if (fs && fs->type == CLR_ATTR_BOOLEAN && fs->v.b) {
        snprintf(why, why_size, "fuse_scale");
        return false;
    }
    return clr_gpu_declared_f32(op, prog, "X", why, why_size) && clr_gpu_declared_f32(op, prog, "Y", why, why_size);
}

static clr_status run_binary(clr_gpu_node *n) {
    clr_node *node = &n->node;
    clr_tensor *x, *y, *out;
    clr_status st = clr_node_require_in(node, "X", &x);
    if (st == CLR_OK) st = clr_node_require_in(node, "Y", &y);
    if (st == CLR_OK) st = clr_node_require_out(node, "Out", &out);
    if (st == CLR_OK) st = clr_gpu_require_f32(n, "X", x);
    if (st == CLR_OK) st = clr_gpu_require_f32(n, "Y", y);
    clr_broadcast b;
    if (st == CLR_OK) st = clr_broadcast_plan(node, x, y, &b);
    if (st == CLR_OK) st = clr_gpu_output(n, out, CLR_DTYPE_FP32, b.out_rank, b.out_dims);
    if (st != CLR_OK) return st;
    /* Right-align the merged iteration space into the kernel's fixed rank 8. */
    cl_int d8[8], x8[8], y8[8];
    for (int k = 0; k < 8; k++) {
        int src = k - (8 - b.rank);
        d8[k] = src >= 0 ? (cl_int)b.dims[src] : 1;
        x8[k] = src >= 0 ? (cl_int)b.xs[src] : 0;
        y8[k] = src >= 0 ? (cl_int)b.ys[src] : 0;
    }
    clr_act act;
    clr_act_from_name(clr_node_attr_str(node, "act_type", ""), &act);
    clr_cl_act a = clr_cl_act_from(&act);
    cl_int rank = b.rank;
    /* Inner strides are 1, or 0 where an operand broadcasts along the dim. */
    if (x8[7] > 1 || y8[7] > 1) return clr_node_fail(node, CLR_ERR_INTERNAL, "inner stride above 1");
    char extra[80], options[128];
    snprintf(extra, sizeof extra, "-DEW_OP=%d -DEW_XS=%d -DEW_YS=%d", binary_code(node->op->type), (int)x8[7],
             (int)y8[7]);
    clr_gpu_spec_options(options, sizeof options, &act, 0, extra);
    size_t count = (size_t)clr_tensor_numel(out), inner = (size_t)b.dims[b.rank - 1];
    cl_mem mx = clr_cl_mem(x), my = clr_cl_mem(y), mo = clr_cl_mem(out);
    cl_kernel k = NULL;
    st = clr_gpu_get_kernel(n, CL_FILE, "binary_f32", options, &k);
    if (st == CLR_OK) st = clr_gpu_arg(n, k, 0, sizeof mx, &mx);
    if (st == CLR_OK) st = clr_gpu_arg(n, k, 1, sizeof my, &my);
    if (st == CLR_OK) st = clr_gpu_arg(n, k, 2, sizeof mo, &mo);
    if (st == CLR_OK) st = clr_gpu_arg(n, k, 3, sizeof rank, &rank);
    if (st == CLR_OK) st = clr_gpu_arg(n, k, 4, sizeof d8, d8);
    if (st == CLR_OK) st = clr_gpu_arg(n, k, 5, sizeof x8, x8);
    if (st == CLR_OK) st = clr_gpu_arg(n, k, 6, sizeof y8, y8);
    if (st == CLR_OK) st = clr_gpu_arg(n, k, 7, sizeof a, &a);
    /* Groups of about 64 work-items, over several rows when rows are short. */
    size_t blocks = (inner + EW_VW - 1) / EW_VW, rows = inner ? count / inner : 0, gws[2] = {blocks, rows};
    size_t lws[2] = {blocks >= 64 ? 64 : blocks, 1};
    lws[1] = 64 / lws[0] < rows ? 64 / lws[0] : rows;
    if (st == CLR_OK && count) st = clr_gpu_launch(n, k, "binary_f32", 2, gws, lws);
    return st;
}

static bool supports_scale(const clr_op *op, const clr_program *prog, const clr_gpu_caps *caps, char *why,
                           size_t why_size) {
    const clr_slot *st = clr_op_input(op, "ScaleTensor");
    const clr_attr *act = clr_op_attr(op, "activation_type");
    clr_act parsed;
    if (st && st->nargs) {
        snprintf(why, why_size, "scale from a ScaleTensor");
        return false;
    }
    if (act && act->type == CLR_ATTR_STRING && !clr_act_from_name(act->v.s, &parsed)) {
        snprintf(why, why_size, "fused activation '%s'", act->v.s);
        return false;
    }
    return clr_gpu_declared_f32(op, prog, "X", why, why_size);
}

static clr_status run_scale(clr_gpu_node *n) {
    clr_node *node = &n->node;
    clr_tensor *x, *y;
    clr_status st = clr_node_require_in(node, "X", &x);
    if (st == CLR_OK) st = clr_node_require_out(node, "Out", &y);
    if (st == CLR_OK) st = clr_gpu_require_f32(n, "X", x);
    if (st == CLR_OK) st = clr_gpu_output(n, y, CLR_DTYPE_FP32, x->ndims, x->dims);
    if (st != CLR_OK) return st;
    cl_float s = clr_node_attr_float(node, "scale", 1.0f), b = clr_node_attr_float(node, "bias", 0.0f);
    if (!clr_node_attr_bool(node, "bias_after_scale", true)) b *= s;
    clr_act act;
    clr_act_from_name(clr_node_attr_str(node, "activation_type", ""), &act);
    if (act.kind == CLR_ACT_RELU6) act.threshold = clr_node_attr_float(node, "alpha", 6.0f);
    if (act.kind == CLR_ACT_LEAKY_RELU) act.alpha = clr_node_attr_float(node, "alpha", act.alpha);
    clr_cl_act a = clr_cl_act_from(&act);
    cl_uint count = (cl_uint)clr_tensor_numel(x);
    cl_mem mx = clr_cl_mem(x), my = clr_cl_mem(y);
    cl_kernel k = NULL;
    char options[96];
    clr_gpu_spec_options(options, sizeof options, &act, 0, "");
    st = clr_gpu_get_kernel(n, CL_FILE, "scale_f32", options, &k);
    if (st == CLR_OK) st = clr_gpu_arg(n, k, 0, sizeof mx, &mx);
    if (st == CLR_OK) st = clr_gpu_arg(n, k, 1, sizeof my, &my);
    if (st == CLR_OK) st = clr_gpu_arg(n, k, 2, sizeof count, &count);
    if (st == CLR_OK) st = clr_gpu_arg(n, k, 3, sizeof s, &s);
    if (st == CLR_OK) st = clr_gpu_arg(n, k, 4, sizeof b, &b);
    if (st == CLR_OK) st = clr_gpu_arg(n, k, 5, sizeof a, &a);
    if (st == CLR_OK) st = launch_blocks(n, k, "scale_f32", count);
    return st;
}

#define ACT(name) {name, supports_activation, run_activation}
#define BIN(name) {name, supports_binary, run_binary}

const clr_gpu_kernel clr_gpu_kernels_elementwise[] = {
    ACT("relu"), ACT("relu6"), ACT("leaky_relu"), ACT("sigmoid"), ACT("tanh"), ACT("exp"), ACT("abs"),
    ACT("sqrt"), ACT("rsqrt"), ACT("log"), ACT("square"), ACT("hard_sigmoid"), ACT("hard_swish"),
    ACT("swish"), ACT("silu"), ACT("gelu"),
    BIN("elementwise_add"), BIN("elementwise_sub"), BIN("elementwise_mul"), BIN("elementwise_div"),
    BIN("elementwise_max"), BIN("elementwise_min"), BIN("elementwise_pow"),
    BIN("fusion_elementwise_add_activation"), BIN("fusion_elementwise_sub_activation"),
    BIN("fusion_elementwise_mul_activation"), BIN("fusion_elementwise_div_activation"),
    {"scale", supports_scale, run_scale},
    {NULL, NULL, NULL},
};
