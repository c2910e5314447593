/* clrun — depthwise 3x3 convolution (dilation 1, one filter per channel or a
 * channel multiplier), the bulk of MobileNet-style networks. Strides are
 * compile-time constants (-DDW_SH=.. -DDW_SW=..), as are the fused activation
 * and elementwise op (CLR_ACT_KIND, CLR_FUSE_OP in common.h), so the taps
 * unroll and the epilogue has no switch.
 *
 * Work-item (ox / 8, oy, batch item * cout + channel) computes 8 neighbouring
 * outputs of a row with float8 math: PoCL does not vectorise across
 * work-items here, so the vector work has to be explicit. Inside the row the
 * three taps of a filter row are vector loads; segments touching the left or
 * right padding take a bounds-checked path. A loop over several rows per
 * work-item measured slower on PoCL. */
inline float dw_at(__global const float *row, int ix, int w) { return ix >= 0 && ix < w ? row[ix] : 0.0f; }

/* The three taps' inputs t0..t2 of a segment at the padding: the window of
 * 10 (stride 1) or 17 (stride 2) inputs from ix, each loaded once with a
 * bounds check. */
inline void dw_edge(__global const float *row, int ix, int w, float8 *t0, float8 *t1, float8 *t2) {
    float16 a;
    a.s0 = dw_at(row, ix, w);
    a.s1 = dw_at(row, ix + 1, w);
    a.s2 = dw_at(row, ix + 2, w);
    a.s3 = dw_at(row, ix + 3, w);
    a.s4 = dw_at(row, ix + 4, w);
    a.s5 = dw_at(row, ix + 5, w);
    a.s6 = dw_at(row, ix + 6, w);
    a.s7 = dw_at(row, ix + 7, w);
    a.s8 = dw_at(row, ix + 8, w);
    a.s9 = dw_at(row, ix + 9, w);
#if DW_SW == 1
    *t0 = a.s01234567;
    *t1 = a.s12345678;
    *t2 = a.s23456789;
#else
    a.sa = dw_at(row, ix + 10, w);
    a.sb = dw_at(row, ix + 11, w);
    a.sc = dw_at(row, ix + 12, w);
    a.sd = dw_at(row, ix + 13, w);
    a.se = dw_at(row, ix + 14, w);
    a.sf = dw_at(row, ix + 15, w);
    *t0 = a.even;
    *t1 = a.odd;
    *t2 = (float8)(a.s2468, a.sace, dw_at(row, ix + 16, w));
#endif
}

__kernel void depthwise3x3_f32(__global const float *x, __global const float *w, __global const float *bias,
                               __global const float *s, __global float *y, conv_geom g, clr_act_params act,
                               int fuse) {
    const int ox0 = get_global_id(0) * 8, oy = get_global_id(1), z = get_global_id(2);
    if (ox0 >= g.ow || oy >= g.oh || z >= g.batch * g.cout) return;
    const int b = z / g.cout, oc = z % g.cout, ic = oc / (g.cout / g.groups);
    __global const float *xc = x + (b * g.cin + ic) * g.h * g.w;
    __global const float *wk = w + oc * 9;
    const int iy0 = oy * DW_SH - g.pt, ix0 = ox0 * DW_SW - g.pl;
    /* The last input read by a vector load: ix0 + 2 + 7 * DW_SW, or for
     * stride 2 the end of the 16-wide load at ix0 + 2. */
    const bool inner = ix0 >= 0 && ix0 + (DW_SW == 1 ? 10 : 18) <= g.w;
    float8 acc = bias ? bias[oc] : 0.0f;
#pragma unroll
    for (int kh = 0; kh < 3; kh++) {
        const int iy = iy0 + kh;
        if (iy < 0 || iy >= g.h) continue;
        __global const float *row = xc + iy * g.w;
        float8 t0, t1, t2;
        if (inner) {
#if DW_SW == 1
            t0 = vload8(0, row + ix0);
            t1 = vload8(0, row + ix0 + 1);
            t2 = vload8(0, row + ix0 + 2);
#else
            const float16 a = vload16(0, row + ix0);
            t0 = a.even;
            t1 = a.odd;
            t2 = vload16(0, row + ix0 + 2).even;
#endif
        } else {
            dw_edge(row, ix0, g.w, &t0, &t1, &t2);
        }
        acc = fma((float8)wk[kh * 3], t0, acc);
        acc = fma((float8)wk[kh * 3 + 1], t1, acc);
        acc = fma((float8)wk[kh * 3 + 2], t2, acc);
    }
    float8 v = clr_act8(act, acc);
    const int at = (z * g.oh + oy) * g.ow + ox0, n = min(8, g.ow - ox0);
    if (n == 8) {
        if (CLR_FUSE_OP_OF(fuse)) v = clr_fuse_second8(fuse, vload8(0, s + at), v);
        vstore8(v, 0, y + at);
        return;
    }
    float t[8];
    vstore8(v, 0, t);
    for (int j = 0; j < n; j++) y[at + j] = CLR_FUSE_OP_OF(fuse) ? clr_fuse_second(fuse, s[at + j], t[j]) : t[j];
}
