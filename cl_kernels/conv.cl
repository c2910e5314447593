/* clrun — direct convolutions on NCHW float buffers: conv2d (any filter,
 * stride, dilation, padding and groups; 1x1 stride-1 convs go to gemm.cl
 * instead; depthwise_conv2d is depthwise.cl's) and conv2d_transpose.
 *
 * conv2d work-items compute 8 consecutive outputs of a row for 4 output
 * channels at once, so each input vector loaded feeds 32 fma; the epilogue
 * adds the bias, applies the fused activation and the fused elementwise op
 * with SecondInput `s` (clr_fuse_second). */

inline float conv_at(__global const float *row, int p, int w) { return p >= 0 && p < w ? row[p] : 0.0f; }

/* row[iw + j*sw] for j < 8, 0 outside [0, w) (the padding). */
inline float8 conv_load8(__global const float *row, int iw, int sw, int w) {
    if (iw >= 0 && iw + 8 * sw <= w) {
        if (sw == 1) return vload8(0, row + iw);
        if (sw == 2) return (float8)(vload8(0, row + iw).even, vload8(0, row + iw + 8).even);
    }
    return (float8)(conv_at(row, iw, w), conv_at(row, iw + sw, w), conv_at(row, iw + 2 * sw, w),
                    conv_at(row, iw + 3 * sw, w), conv_at(row, iw + 4 * sw, w), conv_at(row, iw + 5 * sw, w),
                    conv_at(row, iw + 6 * sw, w), conv_at(row, iw + 7 * sw, w));
}

/* Finishes the n <= 8 outputs y[at..] of one channel. */
inline void conv_finish(__global float *y, __global const float *s, int at, int n, float8 acc, float bias,
                        clr_act_params act, int fuse) {
    float8 v = clr_act8(act, acc + bias);
    if (fuse) v = clr_fuse_second8(fuse, conv_load8(s + at, 0, 1, n), v);
    if (n == 8) {
        vstore8(v, 0, y + at);
        return;
    }
    float t[8];
    vstore8(v, 0, t);
    for (int j = 0; j < n; j++) y[at + j] = t[j];
}

/* Work-item (ow / 8, oh, (batch item, group, block of 4 output channels)).
 * Channels past the group's end repeat its last one and are not stored. */
__kernel void conv2d_f32(__global const float *x, __global const float *w, __global const float *bias,
                         __global const float *s, __global float *y, conv_geom g, clr_act_params act, int fuse) {
    const int ow0 = get_global_id(0) * 8, oh = get_global_id(1), z = get_global_id(2);
    const int cin_g = g.cin / g.groups, cout_g = g.cout / g.groups, blocks = (cout_g + 3) / 4;
    const int b = z / (g.groups * blocks), grp = z / blocks % g.groups, oc0 = grp * cout_g + z % blocks * 4;
    if (ow0 >= g.ow || oh >= g.oh || b >= g.batch) return;
    const int last = grp * cout_g + cout_g - 1, taps = cin_g * g.kh * g.kw;
    __global const float *w0 = w + oc0 * taps;
    __global const float *w1 = w + min(oc0 + 1, last) * taps;
    __global const float *w2 = w + min(oc0 + 2, last) * taps;
    __global const float *w3 = w + min(oc0 + 3, last) * taps;
    __global const float *xg = x + (b * g.cin + grp * cin_g) * g.h * g.w;
    const int iw0 = ow0 * g.sw - g.pl;
    float8 a0 = 0.0f, a1 = 0.0f, a2 = 0.0f, a3 = 0.0f;
    for (int ic = 0; ic < cin_g; ic++)
        for (int kh = 0; kh < g.kh; kh++) {
            const int ih = oh * g.sh - g.pt + kh * g.dh;
            if (ih < 0 || ih >= g.h) continue;
            __global const float *row = xg + (ic * g.h + ih) * g.w;
            const int t0 = (ic * g.kh + kh) * g.kw;
            for (int kw = 0; kw < g.kw; kw++) {
                const float8 v = conv_load8(row, iw0 + kw * g.dw, g.sw, g.w);
                a0 = fma((float8)w0[t0 + kw], v, a0);
                a1 = fma((float8)w1[t0 + kw], v, a1);
                a2 = fma((float8)w2[t0 + kw], v, a2);
                a3 = fma((float8)w3[t0 + kw], v, a3);
            }
        }
    const int n = min(8, g.ow - ow0), plane = g.oh * g.ow;
    const int at = (b * g.cout + oc0) * plane + oh * g.ow + ow0;
    conv_finish(y, s, at, n, a0, bias ? bias[oc0] : 0.0f, act, fuse);
    if (oc0 + 1 <= last) conv_finish(y, s, at + plane, n, a1, bias ? bias[oc0 + 1] : 0.0f, act, fuse);
    if (oc0 + 2 <= last) conv_finish(y, s, at + 2 * plane, n, a2, bias ? bias[oc0 + 2] : 0.0f, act, fuse);
    if (oc0 + 3 <= last) conv_finish(y, s, at + 3 * plane, n, a3, bias ? bias[oc0 + 3] : 0.0f, act, fuse);
}

/* Filter [cin][cout/groups][kh][kw]; one output per work-item (ow, oh,
 * batch item * cout + output channel), gathering the inputs that scatter
 * into it: ih * sh - pt + kh * dh == oh. */
/* Each output gathers the input pixels whose scattered taps land on it. The
 * taps that can reach output row oh are found once (for dilation 1 they are
 * every sh-th kernel row starting at (oh + pt) mod sh, so no division runs per
 * tap), then the loop over input channels only walks memory: a stride-2 2x2
 * up-sampling reads one input value and one weight per channel. */
__kernel void conv2d_transpose_f32(__global const float *x, __global const float *w, __global const float *bias,
                                   __global float *y, conv_geom g, clr_act_params act) {
    const int ow = get_global_id(0), oh = get_global_id(1), z = get_global_id(2);
    if (ow >= g.ow || oh >= g.oh || z >= g.batch * g.cout) return;
    const int b = z / g.cout, oc = z % g.cout, cin_g = g.cin / g.groups, cout_g = g.cout / g.groups;
    const int grp = oc / cout_g, ocg = oc % cout_g, plane = g.h * g.w, wstride = cout_g * g.kh * g.kw;
    __global const float *xb = x + (b * g.cin + grp * cin_g) * plane;
    __global const float *wb = w + (grp * cin_g * cout_g + ocg) * g.kh * g.kw;
    float acc = 0.0f;
    for (int kh = 0; kh < g.kh; kh++) {
        const int th = oh + g.pt - kh * g.dh;
        if (th < 0 || th % g.sh || th / g.sh >= g.h) continue;
        for (int kw = 0; kw < g.kw; kw++) {
            const int tw = ow + g.pl - kw * g.dw;
            if (tw < 0 || tw % g.sw || tw / g.sw >= g.w) continue;
            __global const float *xp = xb + th / g.sh * g.w + tw / g.sw;
            __global const float *wp = wb + kh * g.kw + kw;
            for (int icg = 0; icg < cin_g; icg++) acc = fma(xp[icg * plane], wp[icg * wstride], acc);
        }
    }
    y[(z * g.oh + oh) * g.ow + ow] = clr_act(act, acc + (bias ? bias[oc] : 0.0f));
}
