/* clrun — the direct (depthwise) convolution of one input plane with one
 * KH x KW filter, shared by conv2d's groups of one input channel. */
#ifndef CLRUN_KERNELS_HOST_DEPTHWISE_H
#define CLRUN_KERNELS_HOST_DEPTHWISE_H

#include "kernels/host/conv_shape.h"

/* Outputs o in [*lo, *hi) of `out_len` positions whose source o*stride + off
 * lies inside [0, in_len). */
void clr_conv_valid_range(int64_t out_len, int64_t in_len, int64_t stride, int64_t off, int64_t *lo, int64_t *hi);

/* Floats of scratch clr_depthwise_plane wants for geometry g (a zero-padded
 * copy of the input plane). */
int64_t clr_depthwise_scratch(const clr_conv_geom *g);

/* out[oh][ow] = sum over the taps (kh, kw) ascending, those inside the
 * input only, of w[kh][kw] * in[oh*sh - pt + kh*dh][ow*sw - pl + kw*dw],
 * each product rounded and then added (no fma), starting from +0: the
 * order clrun's depthwise kernel has always used. Overwrites the plane.
 * `scratch` (clr_depthwise_scratch floats, or NULL) makes it faster. */
void clr_depthwise_plane(const float *in, const float *w, const clr_conv_geom *g, float *out, float *scratch);

#endif
