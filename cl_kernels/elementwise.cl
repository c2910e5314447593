/* clrun — element-wise kernels over flat float buffers. */

__kernel void copy_f32(__global const float *src, __global float *dst, uint n) {
    CLR_GID0_OR_RETURN(n);
    dst[gid] = src[gid];
}

__kernel void relu_f32(__global const float *src, __global float *dst, uint n) {
    CLR_GID0_OR_RETURN(n);
    dst[gid] = fmax(src[gid], 0.0f);
}

/* y = act(x) over n elements. */
__kernel void activation_f32(__global const float *x, __global float *y, uint n, clr_act_params act) {
    CLR_GID0_OR_RETURN(n);
    y[gid] = clr_act(act, x[gid]);
}

/* y = act(s * x + b) (b already folded for bias-before-scale). */
__kernel void scale_f32(__global const float *x, __global float *y, uint n, float s, float b, clr_act_params act) {
    CLR_GID0_OR_RETURN(n);
    y[gid] = clr_act(act, fma(s, x[gid], b));
}

/* Broadcasting binary op over the merged iteration space of
 * src/kernels/host/broadcast.h: `rank` dims (right-aligned in the int8
 * vectors), element strides of x and y per dim (0 where broadcast). op: 0 add,
 * 1 sub, 2 mul, 3 div, 4 max, 5 min, 6 pow. A 2-D launch: dimension 0 walks
 * the innermost dim, dimension 1 the rows formed by the outer dims, so the
 * index arithmetic per element is one multiply-add per operand. */
__kernel void binary_f32(__global const float *x, __global const float *y, __global float *out, int rank, int8 dims,
                         int8 xs, int8 ys, int op, clr_act_params act) {
    const uint inner = (uint)dims.s7, i = get_global_id(0), row = get_global_id(1);
    if (i >= inner) return;
    int d[8] = {dims.s0, dims.s1, dims.s2, dims.s3, dims.s4, dims.s5, dims.s6, dims.s7};
    int sx[8] = {xs.s0, xs.s1, xs.s2, xs.s3, xs.s4, xs.s5, xs.s6, xs.s7};
    int sy[8] = {ys.s0, ys.s1, ys.s2, ys.s3, ys.s4, ys.s5, ys.s6, ys.s7};
    uint rem = row, ix = i * (uint)sx[7], iy = i * (uint)sy[7];
    for (int k = 6; k >= 8 - rank; k--) {
        uint q = rem % (uint)d[k];
        rem /= (uint)d[k];
        ix += q * (uint)sx[k];
        iy += q * (uint)sy[k];
    }
    float a = x[ix], b = y[iy], r;
    switch (op) {
    case 0: r = a + b; break;
    case 1: r = a - b; break;
    case 2: r = a * b; break;
    case 3: r = a / b; break;
    case 4: r = fmax(a, b); break;
    case 5: r = fmin(a, b); break;
    default: r = pow(a, b); break;
    }
    out[row * inner + i] = clr_act(act, r);
}
