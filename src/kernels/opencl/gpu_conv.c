/* clrun — OpenCL conv family: conv2d and depthwise_conv2d (1x1 stride-1 as a
 * GEMM on gemm.cl, depthwise on gpu_depthwise.c, the rest directly on
 * conv.cl),
 * conv2d_transpose, and the table that adds fc, mul and matmul (gpu_gemm.c).
 *
 * Weights are read in their stored layout straight from the parameter's
 * device buffer, uploaded once per session by the executor: the GEMM takes
 * the filter [Cout][Cin] as its A operand (one scalar per row broadcast over
 * 16 columns, so no transposed copy is needed) and the direct kernels read
 * the taps of up to 8 output channels side by side (on a CPU device each is
 * an fma's broadcast memory operand, as fast as a packed load). Hence no
 * packed weight copies and no cache to keep in step with parameter buffers.
 * Register blocks, filter width and strides are build options chosen here
 * per shape; each output keeps the fma chain of the host's reference order. */
#include <stdio.h>
#include <string.h>

#include "kernels/host/conv_common.h"
#include "kernels/host/conv_shape.h"
#include "kernels/opencl/gpu_conv.h"
#include "kernels/opencl/gpu_families.h"
#include "kernels/opencl/gpu_gemm.h"
#include "kernels/opencl/gpu_int8.h"

static const char *const CL_FILE = "conv.cl";

cl_conv_geom clr_cl_conv_geom(const clr_conv_geom *g) {
    return (cl_conv_geom){(cl_int)g->batch, (cl_int)g->cin, (cl_int)g->h,  (cl_int)g->w,  (cl_int)g->cout, (cl_int)g->kh,
                          (cl_int)g->kw,    (cl_int)g->groups, (cl_int)g->sh, (cl_int)g->sw, (cl_int)g->dh, (cl_int)g->dw,
                          (cl_int)g->pt,    (cl_int)g->pl,  (cl_int)g->oh, (cl_int)g->ow};
}

/* The elementwise op fused with SecondInput, in clr_fuse_second's numbering;
 * -1 for one the kernels lack. */
static int fuse_code(const char *op) {
    if (!op[0]) return 0;
    if (strcmp(op, "elementwise_add") == 0) return 1;
    if (strcmp(op, "elementwise_sub") == 0) return 2;
    if (strcmp(op, "elementwise_mul") == 0) return 3;
    return -1;
}

static const char *attr_str(const clr_op *op, const char *name) {
    const clr_attr *a = clr_op_attr(op, name);
    return a && a->type == CLR_ATTR_STRING && a->v.s ? a->v.s : "";
}

/* The fused activation as the host conv reads it; false for PReLU (slopes
 * from a tensor) and activations the host rejects. */
static bool supported_act(const clr_op *op, char *why, size_t why_size) {
    clr_post post = {0};
    if (clr_post_conv_act(&(clr_node){.op = op}, &post) == CLR_OK && post.prelu == CLR_PRELU_NONE) return true;
    snprintf(why, why_size, "fused act_type '%s'", attr_str(op, "act_type"));
    return false;
}

static bool supports_conv(const clr_op *op, const clr_program *prog, const clr_gpu_caps *caps, char *why,
                          size_t why_size) {
    if (clr_gpu_int8_declared(op, prog, "Input", "Filter")) return clr_gpu_supports_conv_int8(op, prog, why, why_size);
    if (fuse_code(attr_str(op, "fuse_elementwise_op_type")) < 0) {
        snprintf(why, why_size, "fused %s", attr_str(op, "fuse_elementwise_op_type"));
        return false;
    }
    return supported_act(op, why, why_size) && clr_gpu_declared_f32(op, prog, "Input", why, why_size) &&
           clr_gpu_declared_f32(op, prog, "Filter", why, why_size) &&
           clr_gpu_declared_f32(op, prog, "Bias", why, why_size) &&
           clr_gpu_declared_f32(op, prog, "SecondInput", why, why_size);
}

static clr_status conv_prepare(clr_gpu_node *n, bool transpose, conv_io *io) {
    clr_node *node = &n->node;
    clr_status st = clr_node_require_in(node, "Input", &io->x);
    if (st == CLR_OK) st = clr_node_require_in(node, "Filter", &io->f);
    if (st == CLR_OK) st = clr_node_require_out(node, "Output", &io->y);
    if (st == CLR_OK) st = clr_gpu_require_f32(n, "Input", io->x);
    if (st == CLR_OK) st = clr_gpu_require_f32(n, "Filter", io->f);
    if (st == CLR_OK) st = clr_conv_geom_read(node, io->x, io->f, transpose, &io->g);
    if (st == CLR_OK && transpose) st = clr_conv_transpose_size(node, &io->g);
    if (st == CLR_OK) st = clr_post_conv_act(node, &io->post);
    if (st == CLR_OK) st = clr_post_bind(node, &io->post, "Bias", io->g.cout, io->g.cout * io->g.oh * io->g.ow);
    if (st == CLR_OK && io->post.prelu != CLR_PRELU_NONE)
        st = clr_node_fail(node, CLR_ERR_UNSUPPORTED, "fused prelu");
    int64_t dims[4] = {io->g.batch, io->g.cout, io->g.oh, io->g.ow};
    if (st == CLR_OK) st = clr_gpu_output(n, io->y, CLR_DTYPE_FP32, 4, dims);
    const clr_tensor *b = clr_node_in(node, "Bias", 0);
    io->bias = b ? clr_cl_mem(b) : NULL;
    return st;
}

/* 1x1, stride 1, no padding, one group: per batch item, Output [Cout][HW] =
 * Filter [Cout][Cin] x Input [Cin][HW]. */
static bool is_pointwise(const clr_conv_geom *g) {
    return g->kh == 1 && g->kw == 1 && g->sh == 1 && g->sw == 1 && g->groups == 1 && !g->pt && !g->pb && !g->pl &&
           !g->pr;
}

static clr_status run_pointwise(clr_gpu_node *n, const conv_io *io, cl_mem second, int fuse) {
    const clr_conv_geom *g = &io->g;
    int64_t hw = g->h * g->w;
    clr_gpu_gemm gm = {.a = clr_cl_mem(io->f), .b = clr_cl_mem(io->x), .c = clr_cl_mem(io->y), .bias = io->bias,
                       .s = second, .m = g->cout, .n = hw, .k = g->cin, .a_rs = g->cin, .a_cs = 1, .b_rs = hw, .b_cs = 1,
                       .nb = 1, .bdims = {g->batch}, .b_bs = {g->cin * hw}, .alpha = 1.0f,
                       .bias_mode = io->bias ? 1 : 0, .act = io->post.act, .fuse = fuse};
    return clr_gpu_gemm_run(n, &gm);
}

/* Output channels per work-item (CONV_MR in conv.cl): at most 8, and no
 * more than a group has. */
static int64_t channel_block(int64_t cout_g) { return cout_g >= 8 ? 8 : cout_g >= 4 ? 4 : cout_g >= 2 ? 2 : 1; }

/* The local size for conv2d_transpose: on a CPU device, work-groups of one
 * row of blocks (at most 64 work-items, and no more than the kernel allows),
 * many small groups that its cores take as they come free, where PoCL's own
 * choice is a couple of large ones (2x on ppocr_v3_det's 24->24 transpose,
 * in every run; conv2d_f32 gained nothing from it and keeps lws NULL, i.e.
 * the tuning file or the driver). NULL on other devices, whose groups want
 * whole waves. */
static const size_t *row_groups(const clr_gpu_node *n, cl_kernel k, const size_t gws[3], size_t lws[3]) {
    if (!(n->cl->info.type & CL_DEVICE_TYPE_CPU)) return NULL;
    size_t most = 64, allowed = 0;
    cl_int rc = k ? clGetKernelWorkGroupInfo(k, n->cl->device, CL_KERNEL_WORK_GROUP_SIZE, sizeof allowed, &allowed, NULL)
                  : CL_INVALID_KERNEL;
    if (rc == CL_SUCCESS && allowed && allowed < most) most = allowed;
    lws[0] = gws[0] < most ? (gws[0] ? gws[0] : 1) : most;
    lws[1] = lws[2] = 1;
    return lws;
}

static clr_status run_conv(clr_gpu_node *n) {
    clr_node *node = &n->node;
    const clr_tensor *in = clr_node_in(node, "Input", 0);
    if (clr_node_attr_bool(node, "enable_int8", false) || (in && in->dtype == CLR_DTYPE_INT8))
        return clr_gpu_run_conv_int8(n); /* gpu_int8_conv.c */
    conv_io io;
    clr_status st = conv_prepare(n, false, &io);
    if (st != CLR_OK) return st;
    cl_int fuse = fuse_code(clr_node_attr_str(node, "fuse_elementwise_op_type", ""));
    const clr_tensor *second = fuse ? clr_node_in(node, "SecondInput", 0) : NULL;
    if (fuse < 0 || (fuse && !second))
        return clr_node_fail(node, CLR_ERR_UNSUPPORTED, "fused elementwise op without a usable SecondInput");
    if (second && (second->dtype != CLR_DTYPE_FP32 || clr_tensor_numel(second) != clr_tensor_numel(io.y)))
        return clr_node_fail(node, CLR_ERR_UNSUPPORTED, "SecondInput is not FP32 of the output's size");
    cl_mem ms = second ? clr_cl_mem(second) : NULL;
    const clr_conv_geom *g = &io.g;
    if (is_pointwise(g)) return run_pointwise(n, &io, ms, fuse);
    if (g->groups == g->cin && g->groups > 1) return clr_gpu_run_depthwise(n, &io, ms, fuse);
    const char *name = "conv2d_f32";
    /* conv2d: blocks of mr output channels within each group x vw pixels. */
    int64_t cout_g = g->cout / g->groups, mr = channel_block(cout_g);
    int64_t vw = g->ow < 16 ? 8 : 16;
    int64_t zs = g->batch * g->groups * ((cout_g + mr - 1) / mr);
    size_t gws[3] = {(size_t)((g->ow + vw - 1) / vw), (size_t)g->oh, (size_t)zs};
    cl_conv_geom cg = clr_cl_conv_geom(g);
    clr_cl_act act = clr_cl_act_from(&io.post.act);
    cl_mem mx = clr_cl_mem(io.x), mf = clr_cl_mem(io.f), my = clr_cl_mem(io.y);
    cl_kernel k = NULL;
    /* Filter widths up to 7 as constants (their tap loop unrolls); wider ones
     * stay a run-time bound rather than a long unrolled body. */
    char tile[96], kw[24] = "", options[192] = "";
    if (g->kw <= 7) snprintf(kw, sizeof kw, " -DCONV_KW=%d", (int)g->kw);
    snprintf(tile, sizeof tile, "-DCONV_MR=%d -DCONV_VW=%d -DCONV_SW=%d%s", (int)mr, (int)vw, (int)g->sw, kw);
    clr_gpu_spec_options(options, sizeof options, &io.post.act, fuse, tile);
    st = clr_gpu_get_kernel(n, CL_FILE, name, options, &k);
    if (st == CLR_OK) st = clr_gpu_arg(n, k, 0, sizeof mx, &mx);
    if (st == CLR_OK) st = clr_gpu_arg(n, k, 1, sizeof mf, &mf);
    if (st == CLR_OK) st = clr_gpu_arg(n, k, 2, sizeof io.bias, &io.bias);
    if (st == CLR_OK) st = clr_gpu_arg(n, k, 3, sizeof ms, &ms);
    if (st == CLR_OK) st = clr_gpu_arg(n, k, 4, sizeof my, &my);
    if (st == CLR_OK) st = clr_gpu_arg(n, k, 5, sizeof cg, &cg);
    if (st == CLR_OK) st = clr_gpu_arg(n, k, 6, sizeof act, &act);
    if (st == CLR_OK) st = clr_gpu_arg(n, k, 7, sizeof fuse, &fuse);
    if (st == CLR_OK && zs) st = clr_gpu_launch(n, k, name, 3, gws, NULL);
    return st;
}

static bool supports_transpose(const clr_op *op, const clr_program *prog, const clr_gpu_caps *caps, char *why,
                               size_t why_size) {
    return supported_act(op, why, why_size) && clr_gpu_declared_f32(op, prog, "Input", why, why_size) &&
           clr_gpu_declared_f32(op, prog, "Filter", why, why_size) &&
           clr_gpu_declared_f32(op, prog, "Bias", why, why_size);
}

static clr_status run_transpose(clr_gpu_node *n) {
    conv_io io;
    clr_status st = conv_prepare(n, true, &io);
    if (st != CLR_OK) return st;
    const clr_conv_geom *g = &io.g;
    /* Blocks of mr output channels of a group x vw columns of each of the sw
     * phases: 16 where a phase has that many (1.3-2x on ppocr_v3_det's), else 8. */
    int64_t mr = channel_block(g->cout / g->groups), cols = (g->ow + g->sw - 1) / g->sw, vw = cols >= 16 ? 16 : 8;
    size_t gws[3] = {(size_t)((cols + vw - 1) / vw), (size_t)g->oh,
                     (size_t)(g->batch * g->groups * ((g->cout / g->groups + mr - 1) / mr))};
    cl_conv_geom cg = clr_cl_conv_geom(g);
    clr_cl_act act = clr_cl_act_from(&io.post.act);
    cl_mem mx = clr_cl_mem(io.x), mf = clr_cl_mem(io.f), my = clr_cl_mem(io.y);
    cl_kernel k = NULL;
    char tile[64], options[160];
    snprintf(tile, sizeof tile, "-DCONV_MR=%d -DCONV_VW=%d -DTCONV_SW=%d", (int)mr, (int)vw, (int)g->sw);
    clr_gpu_spec_options(options, sizeof options, &io.post.act, 0, tile);
    st = clr_gpu_get_kernel(n, CL_FILE, "conv2d_transpose_f32", options, &k);
    if (st == CLR_OK) st = clr_gpu_arg(n, k, 0, sizeof mx, &mx);
    if (st == CLR_OK) st = clr_gpu_arg(n, k, 1, sizeof mf, &mf);
    if (st == CLR_OK) st = clr_gpu_arg(n, k, 2, sizeof io.bias, &io.bias);
    if (st == CLR_OK) st = clr_gpu_arg(n, k, 3, sizeof my, &my);
    if (st == CLR_OK) st = clr_gpu_arg(n, k, 4, sizeof cg, &cg);
    if (st == CLR_OK) st = clr_gpu_arg(n, k, 5, sizeof act, &act);
    size_t lws[3];
    const size_t *local = row_groups(n, k, gws, lws);
    if (st == CLR_OK && gws[2]) st = clr_gpu_launch(n, k, "conv2d_transpose_f32", 3, gws, local);
    return st;
}

const clr_gpu_kernel clr_gpu_kernels_conv[] = {
    {"conv2d", supports_conv, run_conv},
    {"depthwise_conv2d", supports_conv, run_conv},
    {"conv2d_transpose", supports_transpose, run_transpose},
    {"depthwise_conv2d_transpose", supports_transpose, run_transpose},
    {"fc", clr_gpu_supports_fc, clr_gpu_run_fc},
    {"mul", clr_gpu_supports_matmul, clr_gpu_run_mul},
    {"matmul", clr_gpu_supports_matmul, clr_gpu_run_matmul},
    {"matmul_v2", clr_gpu_supports_matmul, clr_gpu_run_matmul_v2},
    {NULL, NULL, NULL},
};
