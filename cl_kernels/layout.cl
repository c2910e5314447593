/* clrun — kernels that move elements without arithmetic: strided views
 * (transpose, slice, concat, split, shuffle_channel) and pad2d. */

/* dst[dst_off + Σ i_k ds_k] = src[src_off + Σ i_k ss_k] over the index
 * space `dims` (rank 8, leading 1s), n = Π dims. Works on 32-bit words:
 * the host views wider elements as pairs of words. */
__kernel void view_copy_u32(__global const uint *src, uint src_off, __global uint *dst, uint dst_off, uint n,
                            int8 dims, int8 ss, int8 ds) {
    CLR_GID0_OR_RETURN(n);
    int d[8] = {dims.s0, dims.s1, dims.s2, dims.s3, dims.s4, dims.s5, dims.s6, dims.s7};
    int s[8] = {ss.s0, ss.s1, ss.s2, ss.s3, ss.s4, ss.s5, ss.s6, ss.s7};
    int t[8] = {ds.s0, ds.s1, ds.s2, ds.s3, ds.s4, ds.s5, ds.s6, ds.s7};
    uint rem = gid, is = src_off, id = dst_off;
    for (int k = 7; k >= 0 && rem; k--) {
        uint i = rem % (uint)d[k];
        rem /= (uint)d[k];
        is += i * (uint)s[k];
        id += i * (uint)t[k];
    }
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

/* pad2d over NCHW planes: out [planes, oh, ow] from x [planes, h, w]. */
__kernel void pad2d_f32(__global const float *x, __global float *out, uint n, int h, int w, int oh, int ow, int top,
                        int left, int mode, float value) {
    CLR_GID0_OR_RETURN(n);
    int ox = gid % (uint)ow, oy = (gid / (uint)ow) % (uint)oh;
    uint plane = gid / (uint)(ow * oh);
    int iy = pad_source(mode, oy - top, h), ix = pad_source(mode, ox - left, w);
    out[gid] = iy >= 0 && ix >= 0 ? x[(plane * (uint)h + (uint)iy) * (uint)w + (uint)ix] : value;
}
