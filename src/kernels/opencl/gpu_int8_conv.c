/* clrun — OpenCL int8 conv2d and depthwise_conv2d: every geometry on
 * int8.cl's direct conv2d_int8 (blocks of 4 output channels, or 1 when a
 * group has one), with the epilogue of the ARM kernel the host picks for it
 * (GEMM, direct, depthwise, Winograd F(2,3)/F(4,3): clr_arm_int8_kernel_of),
 * int8 or fp32 output. The sums are exact, so the blocking is free. */
#include <stdio.h>

#include "kernels/host/conv_shape.h"
#include "kernels/opencl/gpu_conv.h"
#include "kernels/opencl/gpu_int8.h"

bool clr_gpu_supports_conv_int8(const clr_op *op, const clr_program *prog, char *why, size_t why_size) {
    const clr_attr *fuse = clr_op_attr(op, "fuse_elementwise_op_type");
    if (fuse && fuse->type == CLR_ATTR_STRING && fuse->v.s && fuse->v.s[0]) {
        snprintf(why, why_size, "fused %s with an int8 kernel", fuse->v.s);
        return false;
    }
    return clr_gpu_int8_epilogue_ok(op, prog, false, why, why_size);
}

clr_status clr_gpu_run_conv_int8(clr_gpu_node *n) {
    clr_node *node = &n->node;
    clr_tensor *x, *f, *y;
    clr_conv_geom g;
    clr_post post = {0};
    clr_status st = clr_node_require_in(node, "Input", &x);
    if (st == CLR_OK) st = clr_node_require_in(node, "Filter", &f);
    if (st == CLR_OK) st = clr_node_require_out(node, "Output", &y);
    if (st == CLR_OK) st = clr_gpu_require_s8(n, "Input", x);
    if (st == CLR_OK) st = clr_gpu_require_s8(n, "Filter", f);
    if (st == CLR_OK && clr_node_in(node, "SecondInput", 0))
        st = clr_node_fail(node, CLR_ERR_UNSUPPORTED, "SecondInput with an int8 kernel");
    if (st == CLR_OK) st = clr_conv_geom_read(node, x, f, false, &g);
    if (st == CLR_OK) st = clr_post_conv_act(node, &post);
    if (st == CLR_OK) st = clr_post_bind(node, &post, "Bias", g.cout, g.cout * g.oh * g.ow);
    if (st != CLR_OK) return st;
    /* Output channels per work-item: each input vector loaded feeds 8 * oc sums. */
    int64_t cout_g = g.cout / g.groups, oc = cout_g >= 8 ? 8 : cout_g == 1 ? 1 : 4;
    char oc_option[16];
    snprintf(oc_option, sizeof oc_option, "-DQ_OC=%d", (int)oc);
    /* conv2d_int8 sums at most 1024 taps in float (exact); the host refuses
     * depthwise filters larger than that too. */
    if (g.kh * g.kw > 1024) return clr_node_fail(node, CLR_ERR_UNSUPPORTED, "int8 filter larger than 1024 taps");
    cl_int chunk = (cl_int)(1024 / (g.kh * g.kw));
    post.kernel = clr_arm_int8_kernel_of(&g);
    post.fused = true; /* as clr_kernel_conv2d: one fmla onto the bias */
    clr_gpu_q_epi e = {0};
    st = clr_post_int8(node, &post, "Input0_scale", "Filter0_scale", "Output0_scale");
    int64_t dims[4] = {g.batch, g.cout, g.oh, g.ow};
    if (st == CLR_OK) st = clr_gpu_output(n, y, post.out_int8 ? CLR_DTYPE_INT8 : CLR_DTYPE_FP32, 4, dims);
    if (st == CLR_OK) st = clr_gpu_q_epi_init(n, &post, CLR_GPU_Q_FMA, oc_option, &e);
    int64_t zs = g.batch * g.groups * ((cout_g + oc - 1) / oc);
    size_t gws[3] = {(size_t)(g.ow + 7) / 8, (size_t)g.oh, (size_t)zs};
    cl_conv_geom cg = clr_cl_conv_geom(&g);
    cl_mem mx = clr_cl_mem(x), mf = clr_cl_mem(f), my = clr_cl_mem(y);
    cl_kernel k = NULL;
    if (st == CLR_OK) st = clr_gpu_get_kernel(n, "int8.cl", "conv2d_int8", e.options, &k);
    if (st == CLR_OK) st = clr_gpu_arg(n, k, 0, sizeof mx, &mx);
    if (st == CLR_OK) st = clr_gpu_arg(n, k, 1, sizeof mf, &mf);
    if (st == CLR_OK) st = clr_gpu_arg(n, k, 3, sizeof my, &my);
    if (st == CLR_OK) st = clr_gpu_arg(n, k, 4, sizeof cg, &cg);
    if (st == CLR_OK) st = clr_gpu_q_epi_args(n, k, 2, 5, &e);
    if (st == CLR_OK) st = clr_gpu_arg(n, k, 8, sizeof chunk, &chunk);
    if (st == CLR_OK && zs && g.oh && g.ow) st = clr_gpu_launch(n, k, "conv2d_int8", 3, gws, NULL);
    clr_gpu_q_epi_release(&e);
    clr_post_release(&post);
    return st;
}
