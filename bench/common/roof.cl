/* The two kernels behind the roofline (bench/common/roof.h): what this
 * device's arithmetic and memory can do at best. bench/roofline and cltime
 * both build them from this one source. */

/* FMA peak: ROOF_CHAINS independent float8 fma chains per work-item, so the
 * loop is bound by FMA throughput, not by one chain's latency. Each
 * iteration is ROOF_CHAINS * 8 * 2 FLOPs per work-item. `m` and `c` come from
 * the host so the compiler cannot fold the chains away; the sum is stored
 * so it cannot drop them either. */
#ifndef ROOF_CHAINS
#define ROOF_CHAINS 16
#endif

__kernel void roof_fma(__global float *out, const float m, const float c, const int iters) {
    float8 acc[ROOF_CHAINS];
    float seed = (float)get_global_id(0) * 1e-6f;
    for (int j = 0; j < ROOF_CHAINS; j++) acc[j] = (float8)(seed + (float)j);
    for (int i = 0; i < iters; i++)
#pragma unroll
        for (int j = 0; j < ROOF_CHAINS; j++) acc[j] = fma(acc[j], (float8)m, (float8)c);
    float8 sum = acc[0];
    for (int j = 1; j < ROOF_CHAINS; j++) sum += acc[j];
    out[get_global_id(0)] = sum.s0 + sum.s1 + sum.s2 + sum.s3 + sum.s4 + sum.s5 + sum.s6 + sum.s7;
}

/* Copy bandwidth: one float4 read and one float4 write per work-item. */
__kernel void roof_copy(__global const float4 *src, __global float4 *dst) {
    size_t i = get_global_id(0);
    dst[i] = src[i];
}
