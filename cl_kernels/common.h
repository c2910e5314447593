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

/* Indices of a 3-D launch over (ow, oh, planes) of NCHW planes, guarded
 * like CLR_GID0_OR_RETURN. */
#define CLR_PLANE_IDS_OR_RETURN(planes, oh, ow)                                       \
    const int ox = get_global_id(0), oy = get_global_id(1);                            \
    const uint plane = get_global_id(2);                                               \
    if (ox >= (ow) || oy >= (oh) || plane >= (uint)(planes)) return

/* Activations, numbered as clr_act_kind in src/kernels/host/activation.h
 * (keep the two lists in the same order). p = {threshold, alpha, slope,
 * offset, scale, beta, approximate}. */
#define CLR_ACT_NONE 0
#define CLR_ACT_RELU 1
#define CLR_ACT_RELU6 2
#define CLR_ACT_LEAKY_RELU 3
#define CLR_ACT_SIGMOID 4
#define CLR_ACT_TANH 5
#define CLR_ACT_HARD_SIGMOID 6
#define CLR_ACT_HARD_SWISH 7
#define CLR_ACT_SWISH 8
#define CLR_ACT_ABS 9
#define CLR_ACT_EXP 10
#define CLR_ACT_SQRT 11
#define CLR_ACT_GELU 12
#define CLR_ACT_SILU 13
#define CLR_ACT_LOG 14
#define CLR_ACT_SQUARE 15
#define CLR_ACT_RSQRT 16

typedef struct clr_act_params {
    int kind;
    float threshold, alpha, slope, offset, scale, beta;
    int approximate;
} clr_act_params;

/* A program built with -DCLR_ACT_KIND=k (or -DCLR_FUSE_OP=f) fixes the fused
 * activation (fused elementwise op) at compile time: the switches below fold
 * to one case, which lets the compiler vectorise across work-items. Without
 * the option the kind is read from the arguments at run time. */
#ifdef CLR_ACT_KIND
#define CLR_ACT_KIND_OF(a) CLR_ACT_KIND
#else
#define CLR_ACT_KIND_OF(a) (a).kind
#endif
#ifdef CLR_FUSE_OP
#define CLR_FUSE_OP_OF(op) CLR_FUSE_OP
#else
#define CLR_FUSE_OP_OF(op) (op)
#endif

/* clr_act (float) and clr_act8 (float8, for the blocked kernels' epilogues)
 * share one definition; every builtin used is overloaded for both. */
#define CLR_ACT_DEFINE(name, T)                                                                            \
    inline T name(const clr_act_params a, T x) {                                                           \
        switch (CLR_ACT_KIND_OF(a)) {                                                                                  \
        case CLR_ACT_RELU: return fmax(x, 0.0f);                                                           \
        case CLR_ACT_RELU6: return fmin(fmax(x, 0.0f), a.threshold);                                       \
        case CLR_ACT_LEAKY_RELU: return x > 0.0f ? x : a.alpha * x;                                        \
        case CLR_ACT_SIGMOID: return 1.0f / (1.0f + exp(-x));                                              \
        case CLR_ACT_TANH: return tanh(x);                                                                 \
        case CLR_ACT_HARD_SIGMOID: return fmin(fmax(a.slope * x + a.offset, 0.0f), 1.0f);                  \
        case CLR_ACT_HARD_SWISH: return x * fmin(fmax(x + a.offset, 0.0f), a.threshold) / a.scale;         \
        case CLR_ACT_SWISH: return x / (1.0f + exp(-a.beta * x));                                          \
        case CLR_ACT_ABS: return fabs(x);                                                                  \
        case CLR_ACT_EXP: return exp(x);                                                                   \
        case CLR_ACT_SQRT: return sqrt(x);                                                                 \
        case CLR_ACT_GELU:                                                                                 \
            return a.approximate ? 0.5f * x * (1.0f + tanh(0.7978845608f * (x + 0.044715f * x * x * x)))   \
                                 : 0.5f * x * (1.0f + erf(x * 0.70710678f));                               \
        case CLR_ACT_SILU: return x / (1.0f + exp(-x));                                                    \
        case CLR_ACT_LOG: return log(x);                                                                   \
        case CLR_ACT_SQUARE: return x * x;                                                                 \
        case CLR_ACT_RSQRT: return rsqrt(x);                                                               \
        default: return x;                                                                                 \
        }                                                                                                  \
    }
CLR_ACT_DEFINE(clr_act, float)
CLR_ACT_DEFINE(clr_act8, float8)

/* The elementwise op opt's conv_elementwise_tree fusion folded into a conv
 * or GEMM (SecondInput x, the op's own result y): 1 add, 2 sub, 3 mul. */
#define CLR_FUSE_DEFINE(name, T)                      \
    inline T name(int op, T x, T y) {                 \
        switch (CLR_FUSE_OP_OF(op)) {                 \
        case 1: return x + y;                         \
        case 2: return x - y;                         \
        case 3: return x * y;                         \
        default: return y;                            \
        }                                             \
    }
CLR_FUSE_DEFINE(clr_fuse_second, float)
CLR_FUSE_DEFINE(clr_fuse_second8, float8)

/* Convolution geometry for conv.cl and depthwise3x3.cl; mirrors
 * cl_conv_geom in src/kernels/opencl/gpu_conv.c, field for field. For
 * conv2d_transpose h/w are the input and oh/ow the (larger) output. */
typedef struct conv_geom {
    int batch, cin, h, w, cout, kh, kw, groups, sh, sw, dh, dw, pt, pl, oh, ow;
} conv_geom;
