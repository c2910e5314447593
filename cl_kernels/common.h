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

/* Paddle-Lite's ARM arithmetic for sigmoid and tanh, as the host computes it
 * (src/kernels/host/arm_math.c): exp_ps, the FRECPE estimate and FRECPS
 * Newton steps, flush-to-zero. Defined for float (suffix "") and float8
 * ("8"); contraction is off so each operation rounds as written. */
#define CLR_ARM_DEFINE(S, T, U, I)                                                                         \
    inline T clr_arm_flush##S(T v) { return select(v, copysign((T)0.0f, v), isless(fabs(v), (T)FLT_MIN)); } \
    inline T clr_arm_frecpe##S(T x) {                                                                       \
        U u = as_##U(x), sign = u & 0x80000000u;                                                           \
        I scaled = 0x100 | as_##I((u >> 15) & 0xffu), e = as_##I((u >> 23) & 0xffu);                      \
        I est = ((1 << 19) / (scaled * 2 + 1) + 1) / 2;                                                    \
        T r = as_##T(sign | as_##U(253 - e) << 23 | as_##U(est & 0xff) << 15);                            \
        r = select(r, as_##T(sign | 0x7f800000u), isless(fabs(x), (T)FLT_MIN));                            \
        return select(select(r, as_##T(sign), isgreaterequal(fabs(x), (T)0x1p126f)), x, isnan(x));       \
    }                                                                                                      \
    inline T clr_arm_frecps##S(T a, T b) {                                                                  \
        a = clr_arm_flush##S(a);                                                                           \
        b = clr_arm_flush##S(b);                                                                           \
        I special = (isinf(a) && b == 0.0f) || (isinf(b) && a == 0.0f);                                    \
        return select(clr_arm_flush##S(fma(-a, b, (T)2.0f)), (T)2.0f, special);                            \
    }                                                                                                      \
    inline T clr_arm_exp##S(T x) {                                                                          \
        _Pragma("OPENCL FP_CONTRACT OFF")                                                                  \
        x = fmax(fmin(x, 88.3762626647949f), -88.3762626647949f);                                          \
        T fx = fma(x, (T)1.44269504088896341f, (T)0.5f);                                                   \
        T whole = convert_##T(convert_##I##_rtz(fx));                                                      \
        fx = select(whole, whole - 1.0f, isgreater(whole, fx));                                            \
        x = fma(-fx, (T)0.693359375f, x);                                                                  \
        x = fma(-fx, (T)-2.12194440e-4f, x);                                                               \
        T z = x * x, y = 1.9875691500e-4f;                                                                 \
        y = fma(y, x, (T)1.3981999507e-3f);                                                                \
        y = fma(y, x, (T)8.3334519073e-3f);                                                                \
        y = fma(y, x, (T)4.1665795894e-2f);                                                                \
        y = fma(y, x, (T)1.6666665459e-1f);                                                                \
        y = fma(y, x, (T)5.0000001201e-1f);                                                                \
        y = fma(y, z, x + 1.0f);                                                                           \
        return clr_arm_flush##S(y * as_##T((convert_##I(fx) + 0x7f) << 23));                               \
    }                                                                                                      \
    inline T clr_arm_sigmoid##S(T x) {                                                                      \
        _Pragma("OPENCL FP_CONTRACT OFF")                                                                  \
        T d = clr_arm_exp##S(-x) + 1.0f, r = clr_arm_frecpe##S(d);                                         \
        r = clr_arm_flush##S(clr_arm_frecps##S(d, r) * r);                                                 \
        return clr_arm_flush##S(clr_arm_frecps##S(d, r) * r);                                              \
    }                                                                                                      \
    inline T clr_arm_tanh##S(T x) {                                                                         \
        _Pragma("OPENCL FP_CONTRACT OFF")                                                                  \
        x = fmax(fmin(x, 70.00008f), -70.00008f);                                                          \
        T ep = clr_arm_exp##S(x), em = clr_arm_exp##S(-x), sum = ep + em, r = clr_arm_frecpe##S(sum);      \
        r = clr_arm_flush##S(clr_arm_frecps##S(sum, r) * r);                                               \
        return clr_arm_flush##S((ep - em) * r);                                                            \
    }
CLR_ARM_DEFINE(, float, uint, int)
CLR_ARM_DEFINE(8, float8, uint8, int8)

/* clr_act (float) and clr_act8 (float8, for the blocked kernels' epilogues)
 * share one definition; every builtin used is overloaded for both. The
 * formulas are the host's (src/kernels/host/activation.c). */
#define CLR_ACT_DEFINE(name, S, T)                                                                         \
    inline T name(const clr_act_params a, T x) {                                                           \
        switch (CLR_ACT_KIND_OF(a)) {                                                                                  \
        case CLR_ACT_RELU: return fmax(x, 0.0f);                                                           \
        case CLR_ACT_RELU6: return fmin(fmax(x, 0.0f), a.threshold);                                       \
        case CLR_ACT_LEAKY_RELU: return x > 0.0f ? x : a.alpha * x;                                        \
        case CLR_ACT_SIGMOID: return clr_arm_sigmoid##S(x);                                                \
        case CLR_ACT_TANH: return clr_arm_tanh##S(x);                                                      \
        case CLR_ACT_HARD_SIGMOID: return fmin(fmax(fma(x, (T)a.slope, (T)a.offset), 0.0f), 1.0f);         \
        case CLR_ACT_HARD_SWISH: return fmin(fmax(x + a.offset, 0.0f), a.threshold) * x * (1.0f / a.scale); \
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
CLR_ACT_DEFINE(clr_act, , float)
CLR_ACT_DEFINE(clr_act8, 8, float8)

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

/* Convolution geometry for conv.cl and depthwise.cl; mirrors
 * cl_conv_geom in src/kernels/opencl/gpu_conv.c, field for field. For
 * conv2d_transpose h/w are the input and oh/ow the (larger) output. */
typedef struct conv_geom {
    int batch, cin, h, w, cout, kh, kw, groups, sh, sw, dh, dw, pt, pl, oh, ow;
} conv_geom;
