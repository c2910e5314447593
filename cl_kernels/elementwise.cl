/* clrun — element-wise kernels over flat float buffers. */

__kernel void copy_f32(__global const float *src, __global float *dst, uint n) {
    CLR_GID0_OR_RETURN(n);
    dst[gid] = src[gid];
}

__kernel void relu_f32(__global const float *src, __global float *dst, uint n) {
    CLR_GID0_OR_RETURN(n);
    dst[gid] = fmax(src[gid], 0.0f);
}
