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

/* conv2d_f32's register block, fixed per program by build options (the host
 * picks it per shape, gpu_conv.c): CONV_MR output channels x CONV_VW (8 or
 * 16) consecutive pixels of an output row. */
#ifndef CONV_MR
#define CONV_MR 4
#endif
#ifndef CONV_VW
#define CONV_VW 8
#endif
/* The filter width and column stride as constants (-DCONV_KW=3
 * -DCONV_SW=1: the tap loop unrolls, the load's stride tests fold); the
 * geometry's values otherwise. */
#ifndef CONV_KW
#define CONV_KW g.kw
#endif
#ifndef CONV_SW
#define CONV_SW g.sw
#endif
#define CONV_CAT_(a, b) a##b
#define CONV_CAT(a, b) CONV_CAT_(a, b)
#define conv_vec CONV_CAT(float, CONV_VW)
#define conv_ivec CONV_CAT(int, CONV_VW)
#define conv_uvec CONV_CAT(uint, CONV_VW)
#define conv_vload CONV_CAT(vload, CONV_VW)
#define conv_store CONV_CAT(vstore, CONV_VW)
#if CONV_VW == 16
#define CONV_LANES (int16)(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15)
#else
#define CONV_LANES (int8)(0, 1, 2, 3, 4, 5, 6, 7)
#endif

/* row[iw + j*sw] for lanes j < CONV_VW, 0 outside [0, w) (the padding).
 * Inside the row: one vector load (two for stride 2). Near its edges, for
 * strides 1 and 2: the window clamped into the row is loaded, a shuffle
 * moves each lane's value into place and the padding lanes are zeroed, so
 * edge blocks cost little more than inner ones. Otherwise lane by lane.
 * Inlined so that the accumulators stay in registers across the call. */
__attribute__((always_inline)) inline conv_vec conv_load_row(__global const float *row, int iw, int sw, int w) {
    const int span = CONV_VW * sw;
    if (iw >= 0 && iw + span <= w) {
        if (sw == 1) return conv_vload(0, row + iw);
        if (sw == 2) return (conv_vec)(conv_vload(0, row + iw).even, conv_vload(1, row + iw).even);
    }
    if (sw <= 2 && w >= span) {
        const int base = clamp(iw, 0, w - span);
        const conv_ivec p = iw + CONV_LANES * sw;
        const conv_uvec at = CONV_CAT(as_uint, CONV_VW)(p - base) & (conv_uvec)(span - 1);
        const conv_vec v = sw == 1 ? shuffle(conv_vload(0, row + base), at)
                                   : shuffle2(conv_vload(0, row + base), conv_vload(1, row + base), at);
        return select((conv_vec)0.0f, v, (p >= 0) & (p < w));
    }
    float t[CONV_VW];
    for (int j = 0; j < CONV_VW; j++) t[j] = conv_at(row, iw + j * sw, w);
    return conv_vload(0, t);
}

/* Work-item (ow / CONV_VW, oh, (batch item, group, block of CONV_MR output
 * channels)): CONV_MR accumulators of CONV_VW pixels, so each input vector
 * loaded feeds CONV_MR fma and each weight CONV_VW. The last block of a row
 * (when ow >= CONV_VW) and of a group's channels (the host keeps CONV_MR <=
 * cout / groups) is moved back to end at the edge, overlapping its
 * neighbour, which writes the same values. Each output is one fma chain over
 * (ic, kh, kw) ascending from 0, then + bias, act, fused op. */
__kernel void conv2d_f32(__global const float *x, __global const float *w, __global const float *bias,
                         __global const float *s, __global float *y, conv_geom g, clr_act_params act, int fuse) {
    const int bx = get_global_id(0) * CONV_VW, oh = get_global_id(1), z = get_global_id(2);
    const int cin_g = g.cin / g.groups, cout_g = g.cout / g.groups, blocks = (cout_g + CONV_MR - 1) / CONV_MR;
    const int b = z / (g.groups * blocks), grp = z / blocks % g.groups;
    if (bx >= g.ow || oh >= g.oh || b >= g.batch) return;
    const int ow0 = max(0, min(bx, g.ow - CONV_VW)), oc0 = grp * cout_g + min(z % blocks * CONV_MR, cout_g - CONV_MR);
    const int taps = cin_g * g.kh * g.kw;
    __global const float *wr[CONV_MR];
    conv_vec acc[CONV_MR];
#pragma unroll
    for (int r = 0; r < CONV_MR; r++) {
        wr[r] = w + (oc0 + r) * taps;
        acc[r] = 0.0f;
    }
    __global const float *xg = x + (b * g.cin + grp * cin_g) * g.h * g.w;
    const int iw0 = ow0 * CONV_SW - g.pl;
    for (int ic = 0; ic < cin_g; ic++)
        for (int kh = 0; kh < g.kh; kh++) {
            const int ih = oh * g.sh - g.pt + kh * g.dh;
            if (ih < 0 || ih >= g.h) continue;
            __global const float *row = xg + (ic * g.h + ih) * g.w;
            const int t0 = (ic * g.kh + kh) * CONV_KW;
#pragma unroll
            for (int kw = 0; kw < CONV_KW; kw++) {
                const conv_vec v = conv_load_row(row, iw0 + kw * g.dw, CONV_SW, g.w);
#pragma unroll
                for (int r = 0; r < CONV_MR; r++) acc[r] = fma((conv_vec)wr[r][t0 + kw], v, acc[r]);
            }
        }
    const int n = min(CONV_VW, g.ow - ow0), plane = g.oh * g.ow;
    const int at = (b * g.cout + oc0) * plane + oh * g.ow + ow0;
#pragma unroll
    for (int r = 0; r < CONV_MR; r++) {
        const float bb = bias ? bias[oc0 + r] : 0.0f;
#if CONV_VW == 16
        conv_finish(y, s, at + r * plane, min(n, 8), acc[r].lo, bb, act, fuse);
        if (n > 8) conv_finish(y, s, at + r * plane + 8, n - 8, acc[r].hi, bb, act, fuse);
#else
        conv_finish(y, s, at + r * plane, n, acc[r], bb, act, fuse);
#endif
    }
}

/* conv2d_transpose's column stride, fixed per program (-DTCONV_SW): a
 * work-item computes all TCONV_SW output phases of its columns. */
#ifndef TCONV_SW
#define TCONV_SW 1
#endif

/* act(v + bias) of CONV_VW lanes (float16 in two float8 halves). */
inline conv_vec conv_act_bias(clr_act_params act, conv_vec v, float bias) {
#if CONV_VW == 16
    return (float16)(clr_act8(act, v.lo + bias), clr_act8(act, v.hi + bias));
#else
    return clr_act8(act, v + bias);
#endif
}

/* Stores the TCONV_SW phases v[p] (lane j = output column (q0 + j) * sw + p)
 * of one output row from column q0 * sw, act(v + bias); the two phases of
 * stride 2 are interleaved by shuffles, other strides (and blocks cut by
 * the row's end) are stored lane by lane. */
inline void tconv_store(__global float *y, int q0, int ow, const conv_vec *v, float bias, clr_act_params act) {
    const int c0 = q0 * TCONV_SW;
#if TCONV_SW == 1
    if (c0 + CONV_VW <= ow) {
        conv_store(conv_act_bias(act, v[0], bias), 0, y + c0);
        return;
    }
#elif TCONV_SW == 2
    if (c0 + 2 * CONV_VW <= ow) {
#if CONV_VW == 16
        const float16 lo = shuffle2(v[0], v[1], (uint16)(0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23));
        const float16 hi = shuffle2(v[0], v[1], (uint16)(8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31));
#else
        const float16 u = shuffle2(v[0], v[1], (uint16)(0, 8, 1, 9, 2, 10, 3, 11, 4, 12, 5, 13, 6, 14, 7, 15));
        const float8 lo = u.lo, hi = u.hi;
#endif
        conv_store(conv_act_bias(act, lo, bias), 0, y + c0);
        conv_store(conv_act_bias(act, hi, bias), 1, y + c0);
        return;
    }
#endif
    for (int p = 0; p < TCONV_SW; p++) {
        float t[CONV_VW];
        conv_store(conv_act_bias(act, v[p], bias), 0, t);
        for (int j = 0; j < CONV_VW && c0 + j * TCONV_SW + p < ow; j++) y[c0 + j * TCONV_SW + p] = t[j];
    }
}

/* Filter [cin][cout/groups][kh][kw]. Each output gathers the input pixels
 * whose scattered taps land on it: ih * sh - pt + kh * dh == oh. The taps
 * that can reach output row oh are found once per row, those of output
 * column phase p (columns ≡ p mod sw) once per phase, and for CONV_VW
 * columns of a phase they read CONV_VW consecutive input pixels. Work-item
 * (block of CONV_VW columns of every phase, oh, (batch item, group, block of
 * CONV_MR output channels)) keeps CONV_MR x TCONV_SW accumulators, so each input
 * vector loaded feeds CONV_MR fma. Inputs outside the image are zeros, which
 * leave a sum unchanged. Each output is one fma chain over (kh, kw, icg)
 * ascending from 0, then + bias and act. The last blocks of a row and of a
 * group's channels (the host keeps CONV_MR <= cout / groups) overlap their
 * neighbours, which write the same values. */
__kernel void conv2d_transpose_f32(__global const float *x, __global const float *w, __global const float *bias,
                                   __global float *y, conv_geom g, clr_act_params act) {
    const int bq = get_global_id(0) * CONV_VW, oh = get_global_id(1), z = get_global_id(2);
    const int cin_g = g.cin / g.groups, cout_g = g.cout / g.groups, blocks = (cout_g + CONV_MR - 1) / CONV_MR;
    const int b = z / (g.groups * blocks), grp = z / blocks % g.groups, cols = (g.ow + TCONV_SW - 1) / TCONV_SW;
    if (bq >= cols || oh >= g.oh || b >= g.batch) return;
    const int q0 = max(0, min(bq, cols - CONV_VW)), ocg0 = min(z % blocks * CONV_MR, cout_g - CONV_MR);
    const int plane = g.h * g.w, kk = g.kh * g.kw, wstride = cout_g * kk;
    __global const float *xb = x + (b * g.cin + grp * cin_g) * plane;
    __global const float *wb = w + (grp * cin_g * cout_g + ocg0) * kk;
    conv_vec acc[CONV_MR][TCONV_SW];
#pragma unroll
    for (int r = 0; r < CONV_MR; r++)
#pragma unroll
        for (int p = 0; p < TCONV_SW; p++) acc[r][p] = 0.0f;
    for (int kh = 0; kh < g.kh; kh++) {
        const int th = oh + g.pt - kh * g.dh;
        if (th < 0 || th % g.sh || th / g.sh >= g.h) continue;
        __global const float *xr = xb + th / g.sh * g.w;
#pragma unroll
        for (int p = 0; p < TCONV_SW; p++)
            for (int kw = 0; kw < g.kw; kw++) {
                const int d = p + g.pl - kw * g.dw;
                if (d % TCONV_SW) continue;
                const int iw = q0 + d / TCONV_SW;
                if (iw >= g.w || iw + CONV_VW <= 0) continue;
                const bool inside = iw >= 0 && iw + CONV_VW <= g.w;
                __global const float *xp = xr, *wp = wb + kh * g.kw + kw;
                for (int icg = 0; icg < cin_g; icg++, xp += plane, wp += wstride) {
                    const conv_vec v = inside ? conv_vload(0, xp + iw) : conv_load_row(xp, iw, 1, g.w);
#pragma unroll
                    for (int r = 0; r < CONV_MR; r++) acc[r][p] = fma((conv_vec)wp[r * kk], v, acc[r][p]);
                }
            }
    }
#pragma unroll
    for (int r = 0; r < CONV_MR; r++) {
        const int oc = grp * cout_g + ocg0 + r;
        tconv_store(y + ((b * g.cout + oc) * g.oh + oh) * g.ow, q0, g.ow, acc[r], bias ? bias[oc] : 0.0f, act);
    }
}
