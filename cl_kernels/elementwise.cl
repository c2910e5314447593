/* clrun — element-wise kernels over flat float buffers.
 *
 * Work-items take EW_VW consecutive elements with float8 math (PoCL does not
 * vectorise these across work-items well), the last one fewer. The fused
 * activation (CLR_ACT_KIND) and the binary op (-DEW_OP) are build options,
 * so the per-element work has no switch. Lane by lane each element goes
 * through the same float operations as one element at a time. */
#define EW_VW 8

__kernel void copy_f32(__global const float *src, __global float *dst, uint n) {
    CLR_GID0_OR_RETURN(n);
    dst[gid] = src[gid];
}

__kernel void relu_f32(__global const float *src, __global float *dst, uint n) {
    CLR_GID0_OR_RETURN(n);
    dst[gid] = fmax(src[gid], 0.0f);
}

/* The activation of 8 lanes: clr_act8 where the formula is plain arithmetic
 * or the ARM functions (the same operations per lane), clr_act per lane for
 * the library functions, whose vector forms may round differently. */
inline float8 ew_act8(const clr_act_params a, float8 v) {
    switch (CLR_ACT_KIND_OF(a)) {
    case CLR_ACT_SWISH:
    case CLR_ACT_EXP:
    case CLR_ACT_SQRT:
    case CLR_ACT_GELU:
    case CLR_ACT_SILU:
    case CLR_ACT_LOG:
    case CLR_ACT_RSQRT: {
        float t[EW_VW];
        vstore8(v, 0, t);
        for (int i = 0; i < EW_VW; i++) t[i] = clr_act(a, t[i]);
        return vload8(0, t);
    }
    default: return clr_act8(a, v);
    }
}

/* Work-item `gid` of a flat kernel over n elements: its first element and
 * how many it takes (EW_VW but at the end). */
#define EW_BLOCK_OR_RETURN(n)                        \
    const uint at = get_global_id(0) * EW_VW;        \
    if (at >= (uint)(n)) return;                     \
    const uint cnt = min((uint)EW_VW, (uint)(n) - at)

/* y = act(x) over n elements. */
__kernel void activation_f32(__global const float *x, __global float *y, uint n, clr_act_params act) {
    EW_BLOCK_OR_RETURN(n);
    if (cnt == EW_VW) {
        vstore8(ew_act8(act, vload8(0, x + at)), 0, y + at);
        return;
    }
    for (uint i = 0; i < cnt; i++) y[at + i] = clr_act(act, x[at + i]);
}

/* y = act(s * x + b) (b already folded for bias-before-scale). */
__kernel void scale_f32(__global const float *x, __global float *y, uint n, float s, float b, clr_act_params act) {
    EW_BLOCK_OR_RETURN(n);
    if (cnt == EW_VW) {
        vstore8(ew_act8(act, fma((float8)s, vload8(0, x + at), (float8)b)), 0, y + at);
        return;
    }
    for (uint i = 0; i < cnt; i++) y[at + i] = clr_act(act, fma(s, x[at + i], b));
}

/* The binary op -DEW_OP: 0 add, 1 sub, 2 mul, 3 div, 4 max, 5 min, 6 pow
 * (pow per lane: its vector form may round differently), and the inner
 * strides; the defaults only let programs built without them compile. */
#ifndef EW_OP
#define EW_OP 0
#endif
#ifndef EW_XS
#define EW_XS 1
#endif
#ifndef EW_YS
#define EW_YS 1
#endif
#if EW_OP == 0
#define EW_APPLY(a, b) ((a) + (b))
#elif EW_OP == 1
#define EW_APPLY(a, b) ((a) - (b))
#elif EW_OP == 2
#define EW_APPLY(a, b) ((a) * (b))
#elif EW_OP == 3
#define EW_APPLY(a, b) ((a) / (b))
#elif EW_OP == 4
#define EW_APPLY(a, b) fmax(a, b)
#elif EW_OP == 5
#define EW_APPLY(a, b) fmin(a, b)
#else
#define EW_APPLY(a, b) pow(a, b)
#define EW_APPLY8_PER_LANE
#endif

inline float8 ew_apply8(float8 a, float8 b) {
#ifdef EW_APPLY8_PER_LANE
    float ta[EW_VW], tb[EW_VW];
    vstore8(a, 0, ta);
    vstore8(b, 0, tb);
    for (int i = 0; i < EW_VW; i++) ta[i] = EW_APPLY(ta[i], tb[i]);
    return vload8(0, ta);
#else
    return EW_APPLY(a, b);
#endif
}

/* Broadcasting binary op over the merged iteration space of
 * src/kernels/host/broadcast.h: `rank` dims (right-aligned in the int8
 * vectors), element strides of x and y per dim (0 where broadcast). A 2-D
 * launch: dimension 0 walks blocks of EW_VW along the innermost dim, where
 * each operand's stride is -DEW_XS / -DEW_YS (1, or 0 where it broadcasts),
 * dimension 1 the rows formed by the outer dims, so the index arithmetic of
 * the outer dims runs once per block. */
__kernel void binary_f32(__global const float *x, __global const float *y, __global float *out, int rank, int8 dims,
                         int8 xs, int8 ys, clr_act_params act) {
    const uint inner = (uint)dims.s7, i0 = get_global_id(0) * EW_VW, row = get_global_id(1);
    if (i0 >= inner) return;
    int d[8] = {dims.s0, dims.s1, dims.s2, dims.s3, dims.s4, dims.s5, dims.s6, dims.s7};
    int sx[8] = {xs.s0, xs.s1, xs.s2, xs.s3, xs.s4, xs.s5, xs.s6, xs.s7};
    int sy[8] = {ys.s0, ys.s1, ys.s2, ys.s3, ys.s4, ys.s5, ys.s6, ys.s7};
    uint rem = row, ix = i0 * EW_XS, iy = i0 * EW_YS;
    for (int k = 6; k >= 8 - rank; k--) {
        uint q = rem % (uint)d[k];
        rem /= (uint)d[k];
        ix += q * (uint)sx[k];
        iy += q * (uint)sy[k];
    }
    if (rem) return; /* a row past the last, from a rounded-up launch */
    __global float *po = out + row * inner + i0;
    const uint cnt = min((uint)EW_VW, inner - i0);
    if (cnt == EW_VW) {
        float8 a = EW_XS ? vload8(0, x + ix) : (float8)x[ix];
        float8 b = EW_YS ? vload8(0, y + iy) : (float8)y[iy];
        vstore8(ew_act8(act, ew_apply8(a, b)), 0, po);
        return;
    }
    for (uint i = 0; i < cnt; i++) po[i] = clr_act(act, EW_APPLY(x[ix + i * EW_XS], y[iy + i * EW_YS]));
}
