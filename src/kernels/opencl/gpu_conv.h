/* clrun — what the OpenCL convolution launchers share: the geometry as the
 * kernels see it, an op's tensors with their fused epilogue, and the
 * depthwise launcher (gpu_depthwise.c) that gpu_conv.c dispatches to. */
#ifndef CLRUN_KERNELS_OPENCL_GPU_CONV_H
#define CLRUN_KERNELS_OPENCL_GPU_CONV_H

#include <stdbool.h>

#include "kernels/host/conv_common.h"
#include "kernels/host/conv_shape.h"
#include "kernels/opencl/gpu_common.h"

/* Mirrors conv_geom in cl_kernels/common.h, field for field. */
typedef struct cl_conv_geom {
    cl_int batch, cin, h, w, cout, kh, kw, groups, sh, sw, dh, dw, pt, pl, oh, ow;
} cl_conv_geom;

cl_conv_geom clr_cl_conv_geom(const clr_conv_geom *g);

/* Input, Filter and Output of a conv with its geometry, fused activation
 * (bias checked by clr_post_bind) and the bias buffer (NULL when none). */
typedef struct conv_io {
    clr_tensor *x, *f, *y;
    clr_conv_geom g;
    clr_post post;
    cl_mem bias;
} conv_io;

/* A depthwise conv (groups == cin) with the fused elementwise op `fuse`
 * (clr_fuse_second's numbering) on SecondInput `second` (NULL when none). */
clr_status clr_gpu_run_depthwise(clr_gpu_node *n, const conv_io *io, cl_mem second, cl_int fuse);

#endif
