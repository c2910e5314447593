/* clrun — shared OpenCL C definitions, passed to clCreateProgramWithSource as
 * the first source string of every program (so kernels need no #include).
 *
 * Precision: a program is built with -DCLR_DTYPE_half or -DCLR_DTYPE_float
 * (the default); kernels use CLR_DTYPE / CLR_DTYPE4 for storage and math. */
#ifdef CLR_DTYPE_half
#pragma OPENCL EXTENSION cl_khr_fp16 : enable
#define CLR_DTYPE half
#define CLR_DTYPE4 half4
#else
#define CLR_DTYPE float
#define CLR_DTYPE4 float4
#endif

/* Index of a 1-D launch; kernels whose size is not a multiple of the local
 * size get a rounded-up global size and return early past `n`. */
#define CLR_GID0_OR_RETURN(n)   \
    const uint gid = get_global_id(0); \
    if (gid >= (uint)(n)) return
