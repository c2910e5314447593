/* clrun — kernels that move elements without arithmetic: strided views
 * (transpose, slice, concat, split, shuffle_channel) and pad2d. */

/* dst[dst_off + Σ i_k ds_k] = src[src_off + Σ i_k ss_k] over the index
 * space `dims` (rank 4, leading 1s) on a 3-D range (d3, d2, d0 * d1), so a
 * work-item divides once. Works on 32-bit words: the host views wider
 * elements as pairs of words and folds deeper views (view_copy8_u32). */
__kernel void view_copy4_u32(__global const uint *src, uint src_off, __global uint *dst, uint dst_off, int4 dims,
                             int4 ss, int4 ds) {
    const uint i3 = get_global_id(0), i2 = get_global_id(1), i01 = get_global_id(2);
    if (i3 >= (uint)dims.s3 || i2 >= (uint)dims.s2 || i01 >= (uint)(dims.s0 * dims.s1)) return;
    const uint i0 = i01 / (uint)dims.s1, i1 = i01 % (uint)dims.s1;
    dst[dst_off + i0 * ds.s0 + i1 * ds.s1 + i2 * ds.s2 + i3 * ds.s3] =
        src[src_off + i0 * ss.s0 + i1 * ss.s1 + i2 * ss.s2 + i3 * ss.s3];
}

/* The same over rank 8 (leading 1s), one work-item per element; n = Π dims. */
__kernel void view_copy8_u32(__global const uint *src, uint src_off, __global uint *dst, uint dst_off, uint n,
                             int8 dims, int8 ss, int8 ds) {
    CLR_GID0_OR_RETURN(n);
    uint rem = gid, is = src_off, id = dst_off, i;
#define CLR_VIEW_STEP(c)         \
    i = rem % (uint)dims.c;      \
    rem /= (uint)dims.c;         \
    is += i * (uint)ss.c;        \
    id += i * (uint)ds.c;
    CLR_VIEW_STEP(s7) CLR_VIEW_STEP(s6) CLR_VIEW_STEP(s5) CLR_VIEW_STEP(s4)
    CLR_VIEW_STEP(s3) CLR_VIEW_STEP(s2) CLR_VIEW_STEP(s1) CLR_VIEW_STEP(s0)
#undef CLR_VIEW_STEP
    dst[id] = src[is];
}

/* Source index of padded position i (may be outside [0, d)); -1 for the
 * constant. mode: 0 constant, 1 reflect, 2 edge (as pad.c's source_index). */
inline int pad_source(int mode, int i, int d) {
    if (i >= 0 && i < d) return i;
    if (mode == 1) return i < 0 ? -i : 2 * (d - 1) - i;
    if (mode == 2) return i < 0 ? 0 : d - 1;
    return -1;
}

/* pad2d over NCHW planes: out [planes, oh, ow] from x [planes, h, w], on a
 * 3-D range (ow, oh, planes). */
__kernel void pad2d_f32(__global const float *x, __global float *out, uint planes, int h, int w, int oh, int ow,
                        int top, int left, int mode, float value) {
    CLR_PLANE_IDS_OR_RETURN(planes, oh, ow);
    int iy = pad_source(mode, oy - top, h), ix = pad_source(mode, ox - left, w);
    out[(plane * (uint)oh + (uint)oy) * (uint)ow + (uint)ox] =
        iy >= 0 && ix >= 0 ? x[(plane * (uint)h + (uint)iy) * (uint)w + (uint)ix] : value;
}
