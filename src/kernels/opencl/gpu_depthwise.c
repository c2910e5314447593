/* clrun — OpenCL depthwise convolution: the launcher of
 * cl_kernels/depthwise.cl for every depthwise geometry (see gpu_conv.h).
 *
 * The build options fix the geometry (filter, strides, dilations) and the
 * block each work-item computes. Planes of at most SMALL_PLANE x SMALL_PLANE
 * outputs (14x14, 7x7 in MobileNets) get one work-item per channel plane with
 * the whole plane's geometry fixed too, so their padded edges need no checks;
 * that is one program per such plane size (a handful per model, cached on
 * disk). Larger planes take blocks of 4 rows x 8 columns: each input row is
 * loaded once for the (up to) 3 output rows it feeds. Measured on PoCL
 * (MobileNetV2's depthwise convs): 1.5-4x the one-row kernel. */
#include <stdio.h>

#include "kernels/opencl/gpu_conv.h"

enum { SMALL_PLANE = 32, BLOCK_ROWS = 4 };

/* The 3x3 dilation-1 kernel with strides 1 or 2 always started its sums from
 * the bias; every other geometry adds the bias after the taps. Each keeps
 * its order, so answers stay bit for bit as they were. */
static bool bias_first(const clr_conv_geom *g) {
    return g->kh == 3 && g->kw == 3 && g->dh == 1 && g->dw == 1 && (g->sh == 1 || g->sh == 2) &&
           (g->sw == 1 || g->sw == 2);
}

clr_status clr_gpu_run_depthwise(clr_gpu_node *n, const conv_io *io, cl_mem ms, cl_int fuse) {
    const clr_conv_geom *g = &io->g;
    bool plane = g->ow <= SMALL_PLANE && g->oh <= SMALL_PLANE;
    int vw = plane && g->ow > 8 && g->ow <= 16 ? 16 : 8, rh = plane ? (int)g->oh : BLOCK_ROWS;
    int xb = (int)(g->ow + vw - 1) / vw;
    char extra[320], options[400];
    int len = snprintf(extra, sizeof extra,
                       "-DDW_KH=%d -DDW_KW=%d -DDW_SH=%d -DDW_SW=%d -DDW_DH=%d -DDW_DW=%d -DDW_VW=%d -DDW_RH=%d "
                       "-DDW_BIAS_FIRST=%d",
                       (int)g->kh, (int)g->kw, (int)g->sh, (int)g->sw, (int)g->dh, (int)g->dw, vw, rh, bias_first(g));
    if (plane)
        snprintf(extra + len, sizeof extra - (size_t)len,
                 " -DDW_XB=%d -DDW_H=%d -DDW_W=%d -DDW_PT=%d -DDW_PL=%d -DDW_OH=%d -DDW_OW=%d", xb, (int)g->h,
                 (int)g->w, (int)g->pt, (int)g->pl, (int)g->oh, (int)g->ow);
    clr_gpu_spec_options(options, sizeof options, &io->post.act, fuse, extra);
    size_t gws[3] = {plane ? 1 : (size_t)xb, (size_t)(g->oh + rh - 1) / (size_t)rh, (size_t)(g->batch * g->cout)};
    cl_conv_geom cg = clr_cl_conv_geom(g);
    clr_cl_act act = clr_cl_act_from(&io->post.act);
    cl_mem mx = clr_cl_mem(io->x), mf = clr_cl_mem(io->f), my = clr_cl_mem(io->y);
    cl_kernel k = NULL;
    clr_status st = clr_gpu_get_kernel(n, "depthwise.cl", "depthwise_f32", options, &k);
    if (st == CLR_OK) st = clr_gpu_arg(n, k, 0, sizeof mx, &mx);
    if (st == CLR_OK) st = clr_gpu_arg(n, k, 1, sizeof mf, &mf);
    if (st == CLR_OK) st = clr_gpu_arg(n, k, 2, sizeof io->bias, &io->bias);
    if (st == CLR_OK) st = clr_gpu_arg(n, k, 3, sizeof ms, &ms);
    if (st == CLR_OK) st = clr_gpu_arg(n, k, 4, sizeof my, &my);
    if (st == CLR_OK) st = clr_gpu_arg(n, k, 5, sizeof cg, &cg);
    if (st == CLR_OK) st = clr_gpu_arg(n, k, 6, sizeof act, &act);
    if (st == CLR_OK) st = clr_gpu_arg(n, k, 7, sizeof fuse, &fuse);
    if (st == CLR_OK && gws[1] && gws[2]) st = clr_gpu_launch(n, k, "depthwise_f32", 3, gws, NULL);
    return st;
}
