/* clrun — depthwise convolution (one filter per channel, or a channel
 * multiplier), the bulk of MobileNet-style networks, for every filter size,
 * stride and dilation. The geometry is fixed at build time so that the tap
 * loops unroll and fold:
 *   -DDW_KH, -DDW_KW   filter size        -DDW_SH, -DDW_SW   strides
 *   -DDW_DH, -DDW_DW   dilations          -DDW_VW            outputs per row (8 or 16)
 *   -DDW_RH            output rows per work-item
 *   -DDW_BIAS_FIRST    1: acc starts from the bias (the 3x3 dilation-1
 *                      kernel's order), 0: acc starts from 0 and the bias is
 *                      added before the activation (every other geometry)
 * plus the fused activation and elementwise op (CLR_ACT_KIND, CLR_FUSE_OP).
 *
 * Work-item (ox / VW, oy / RH, batch item * cout + channel) computes a block
 * of RH x VW outputs with floatVW math (PoCL does not vectorise across
 * work-items here, so the vector work is explicit). Each input row of the
 * block's window is loaded once and feeds every output row it reaches, so a
 * 3x3 stride-1 block of 4 rows reads 6 rows instead of 12. Each output still
 * sums its taps kh-major, kw inner, from the same start value, with the rows
 * over the padding skipped and the columns over it read as 0: the same
 * operations in the same order for every RH and VW. */
#define DW_CAT_(a, b) a##b
#define DW_CAT(a, b) DW_CAT_(a, b)
#define DW_VEC DW_CAT(float, DW_VW)
#define DW_VLOAD DW_CAT(vload, DW_VW)
#define DW_VSTORE DW_CAT(vstore, DW_VW)

/* Input rows one block reads, and the inputs of one row it reads from ix0:
 * the vector loads of strides 1 and 2 read whole vectors (stride 2 one
 * past the last tap it uses). */
#define DW_ROWS ((DW_RH - 1) * DW_SH + (DW_KH - 1) * DW_DH + 1)
#if DW_SW == 1
#define DW_SPAN ((DW_KW - 1) * DW_DW + DW_VW)
#else
#define DW_SPAN ((DW_KW - 1) * DW_DW + DW_SW * DW_VW)
#endif

/* Tap kw of the block's VW outputs: p[kw * DW + j * SW] for j < VW, p in any
 * address space. Strides above 2 only read the private row copy. */
#if DW_SW == 1
#define DW_TAP(p, kw) DW_VLOAD(0, (p) + (kw) * DW_DW)
#elif DW_SW == 2 && DW_VW == 8
#define DW_TAP(p, kw) vload16(0, (p) + (kw) * DW_DW).even
#elif DW_SW == 2
#define DW_TAP(p, kw) (float16)(vload16(0, (p) + (kw) * DW_DW).even, vload16(0, (p) + (kw) * DW_DW + 16).even)
#else
inline DW_VEC dw_gather(const float *p) {
    float t[DW_VW];
    for (int j = 0; j < DW_VW; j++) t[j] = p[j * DW_SW];
    return DW_VLOAD(0, t);
}
#define DW_TAP(p, kw) dw_gather((p) + (kw) * DW_DW)
#endif

/* The activation and the fused elementwise op on a block row, in float8
 * halves for VW 16 (lane by lane the same operations). */
#if DW_VW == 8
#define DW_ACT(v) clr_act8(act, v)
#define DW_FUSE(sv, v) clr_fuse_second8(fuse, sv, v)
#else
#define DW_ACT(v) (float16)(clr_act8(act, (v).lo), clr_act8(act, (v).hi))
#define DW_FUSE(sv, v) (float16)(clr_fuse_second8(fuse, (sv).lo, (v).lo), clr_fuse_second8(fuse, (sv).hi, (v).hi))
#endif

/* A whole-plane build (-DDW_XB=n: n blocks cover an output row, RH rows
 * cover the plane, and the input geometry -DDW_H, -DDW_W, -DDW_PT, -DDW_PL is
 * fixed too, with the output size -DDW_OH, -DDW_OW) computes a channel's plane in one work-item: every block's row
 * and column bounds are then compile-time constants, so the padded edges of
 * small planes (14x14, 7x7: every block is an edge) cost no checks. */
#ifdef DW_XB
#define DW_GH DW_H
#define DW_GW DW_W
#define DW_GPT DW_PT
#define DW_GPL DW_PL
#define DW_GOH DW_OH
#define DW_GOW DW_OW
#else
#define DW_XB 1
#define DW_GH g.h
#define DW_GW g.w
#define DW_GPT g.pt
#define DW_GPL g.pl
#define DW_GOH g.oh
#define DW_GOW g.ow
#endif

__kernel void depthwise_f32(__global const float *x, __global const float *w, __global const float *bias,
                            __global const float *s, __global float *y, conv_geom g, clr_act_params act, int fuse) {
    const int bx = get_global_id(0) * DW_XB, oy0 = get_global_id(1) * DW_RH, z = get_global_id(2);
    if (bx * DW_VW >= DW_GOW || oy0 >= DW_GOH || z >= g.batch * g.cout) return;
    const int b = z / g.cout, oc = z % g.cout, ic = oc / (g.cout / g.groups);
    __global const float *xc = x + (b * g.cin + ic) * DW_GH * DW_GW;
    float wt[DW_KH * DW_KW];
#pragma unroll
    for (int i = 0; i < DW_KH * DW_KW; i++) wt[i] = w[oc * DW_KH * DW_KW + i];
    const float bv = bias ? bias[oc] : 0.0f;
    const int iy0 = oy0 * DW_SH - DW_GPT;
#pragma unroll
    for (int xb = 0; xb < DW_XB; xb++) {
        const int ox0 = (bx + xb) * DW_VW, ix0 = ox0 * DW_SW - DW_GPL;
        const bool inner = ix0 >= 0 && ix0 + DW_SPAN <= DW_GW;
        DW_VEC acc[DW_RH];
#pragma unroll
        for (int j = 0; j < DW_RH; j++) acc[j] = DW_BIAS_FIRST ? bv : 0.0f;
#pragma unroll
        for (int r = 0; r < DW_ROWS; r++) {
            const int iy = iy0 + r;
            if (iy < 0 || iy >= DW_GH) continue;
            __global const float *row = xc + iy * DW_GW;
            DW_VEC t[DW_KW];
#if DW_SW <= 2
            if (inner) {
#pragma unroll
                for (int kw = 0; kw < DW_KW; kw++) t[kw] = DW_TAP(row + ix0, kw);
            } else
#endif
            { /* at the padding: a private copy with zeros outside the row */
                float part[DW_SPAN];
#pragma unroll
                for (int i = 0; i < DW_SPAN; i++) part[i] = ix0 + i >= 0 && ix0 + i < DW_GW ? row[ix0 + i] : 0.0f;
#pragma unroll
                for (int kw = 0; kw < DW_KW; kw++) t[kw] = DW_TAP(part, kw);
            }
            /* Output row j takes this input row as its tap row kh = (r - j * SH) / DH. */
#pragma unroll
            for (int j = 0; j < DW_RH; j++) {
                const int d = r - j * DW_SH;
                if (d < 0 || d % DW_DH != 0 || d / DW_DH >= DW_KH) continue;
#pragma unroll
                for (int kw = 0; kw < DW_KW; kw++) acc[j] = fma((DW_VEC)wt[d / DW_DH * DW_KW + kw], t[kw], acc[j]);
            }
        }
        const int n = min(DW_VW, DW_GOW - ox0);
#pragma unroll
        for (int j = 0; j < DW_RH; j++) {
            if (oy0 + j >= DW_GOH || n <= 0) continue;
            DW_VEC v = DW_ACT(DW_BIAS_FIRST ? acc[j] : acc[j] + bv);
            const int at = (z * DW_GOH + oy0 + j) * DW_GOW + ox0;
            if (n == DW_VW) {
                if (CLR_FUSE_OP_OF(fuse)) v = DW_FUSE(DW_VLOAD(0, s + at), v);
                DW_VSTORE(v, 0, y + at);
                continue;
            }
            /* A row's last n < VW outputs, stored in pieces of 8, 4 and 1
             * lanes (constants in whole-plane builds: no loop remains). */
            if (CLR_FUSE_OP_OF(fuse)) {
                float sv[DW_VW] = {0.0f};
                for (int i = 0; i < n; i++) sv[i] = s[at + i];
                v = DW_FUSE(DW_VLOAD(0, sv), v);
            }
            float t[DW_VW];
            DW_VSTORE(v, 0, t);
            int o = 0;
#if DW_VW == 16
            if (n & 8) {
                vstore8(vload8(0, t), 0, y + at);
                o = 8;
            }
#endif
            if (n & 4) {
                vstore4(vload4(0, t + o), 0, y + at + o);
                o += 4;
            }
            for (int i = o; i < n; i++) y[at + i] = t[i];
        }
    }
}
