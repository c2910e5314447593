/* clrun — OpenCL depthwise convolution: the launcher of
 * cl_kernels/depthwise3x3.cl (see gpu_conv.h). Other depthwise geometries
 * run on conv.cl's depthwise_f32 through gpu_conv.c. */
#include <stdio.h>

#include "kernels/opencl/gpu_conv.h"

/* The geometry depthwise3x3.cl specialises: 3x3 taps, dilation 1, strides 1 or 2. */
bool clr_gpu_depthwise_fits(const clr_conv_geom *g) {
    return g->kh == 3 && g->kw == 3 && g->dh == 1 && g->dw == 1 && (g->sh == 1 || g->sh == 2) &&
           (g->sw == 1 || g->sw == 2);
}

clr_status clr_gpu_run_depthwise(clr_gpu_node *n, const conv_io *io, cl_mem ms, cl_int fuse) {
    const clr_conv_geom *g = &io->g;
    char extra[32], options[128];
    snprintf(extra, sizeof extra, "-DDW_SH=%d -DDW_SW=%d", (int)g->sh, (int)g->sw);
    clr_gpu_spec_options(options, sizeof options, &io->post.act, fuse, extra);
    size_t gws[3] = {(size_t)(g->ow + 7) / 8, (size_t)g->oh, (size_t)(g->batch * g->cout)};
    cl_conv_geom cg = clr_cl_conv_geom(g);
    clr_cl_act act = clr_cl_act_from(&io->post.act);
    cl_mem mx = clr_cl_mem(io->x), mf = clr_cl_mem(io->f), my = clr_cl_mem(io->y);
    cl_kernel k = NULL;
    clr_status st = clr_gpu_get_kernel(n, "depthwise3x3.cl", "depthwise3x3_f32", options, &k);
    if (st == CLR_OK) st = clr_gpu_arg(n, k, 0, sizeof mx, &mx);
    if (st == CLR_OK) st = clr_gpu_arg(n, k, 1, sizeof mf, &mf);
    if (st == CLR_OK) st = clr_gpu_arg(n, k, 2, sizeof io->bias, &io->bias);
    if (st == CLR_OK) st = clr_gpu_arg(n, k, 3, sizeof ms, &ms);
    if (st == CLR_OK) st = clr_gpu_arg(n, k, 4, sizeof my, &my);
    if (st == CLR_OK) st = clr_gpu_arg(n, k, 5, sizeof cg, &cg);
    if (st == CLR_OK) st = clr_gpu_arg(n, k, 6, sizeof act, &act);
    if (st == CLR_OK) st = clr_gpu_arg(n, k, 7, sizeof fuse, &fuse);
    if (st == CLR_OK && gws[2]) st = clr_gpu_launch(n, k, "depthwise3x3_f32", 3, gws, NULL);
    return st;
}
