/* clrun — elementwise_{add,sub,mul,div,max,min,pow,mod,floordiv} and the
 * fusion_elementwise_*_activation ops, with Paddle's broadcasting: the
 * lower-rank operand's dims line up with the higher-rank one's starting at
 * `axis` (-1: aligned to the end), then size-1 dims broadcast. */
#include <math.h>
#include <string.h>

#include "kernels/host/activation.h"
#include "kernels/host/broadcast.h"
#include "kernels/host/math_kernels.h"
#include "kernels/host/tensor_common.h"

typedef enum ew_op { EW_ADD, EW_SUB, EW_MUL, EW_DIV, EW_MAX, EW_MIN, EW_POW, EW_MOD, EW_FLOORDIV } ew_op;

static bool parse_op(const char *type, ew_op *op) {
    static const char *const names[] = {"add", "sub", "mul", "div", "max", "min", "pow", "mod", "floordiv"};
    const char *p = strncmp(type, "fusion_elementwise_", 19) == 0 ? type + 19 : type + strlen("elementwise_");
    for (int i = 0; i < 9; i++) {
        size_t len = strlen(names[i]);
        if (strncmp(p, names[i], len) == 0 && (p[len] == '\0' || p[len] == '_')) {
            *op = (ew_op)i;
            return true;
        }
    }
    return false;
}

static float apply_f32(ew_op op, float a, float b) {
    switch (op) {
    case EW_ADD: return a + b;
    case EW_SUB: return a - b;
    case EW_MUL: return a * b;
    case EW_DIV: return a / b;
    case EW_MAX: return a > b ? a : b;
    case EW_MIN: return a < b ? a : b;
    case EW_POW: return powf(a, b);
    case EW_MOD: {
        float r = fmodf(a, b); /* Python-style: the result takes the divisor's sign */
        return (r != 0.0f && ((r < 0.0f) != (b < 0.0f))) ? r + b : r;
    }
    case EW_FLOORDIV: return floorf(a / b);
    }
    return a;
}

/* Integer arithmetic in int64; division by zero yields 0 instead of a trap. */
static int64_t apply_i64(ew_op op, int64_t a, int64_t b) {
    switch (op) {
    case EW_ADD: return (int64_t)((uint64_t)a + (uint64_t)b);
    case EW_SUB: return (int64_t)((uint64_t)a - (uint64_t)b);
    case EW_MUL: return (int64_t)((uint64_t)a * (uint64_t)b);
    case EW_DIV: return b == 0 || (b == -1 && a == INT64_MIN) ? 0 : a / b;
    case EW_MAX: return a > b ? a : b;
    case EW_MIN: return a < b ? a : b;
    case EW_POW: {
        int64_t r = 1;
        for (int64_t k = 0; k < b && k < 64; k++) r = (int64_t)((uint64_t)r * (uint64_t)a);
        return r;
    }
    case EW_MOD: {
        if (b == 0 || (b == -1 && a == INT64_MIN)) return 0;
        int64_t r = a % b;
        return (r != 0 && ((r < 0) != (b < 0))) ? r + b : r;
    }
    case EW_FLOORDIV: {
        if (b == 0 || (b == -1 && a == INT64_MIN)) return 0;
        int64_t q = a / b;
        return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
    }
    }
    return a;
}

/* Walks the output in order; the innermost dim runs as a tight loop. */
#define EW_LOOP(TYPE, APPLY)                                                                          \
    do {                                                                                              \
        const TYPE *px = x->data, *py = y->data;                                                      \
        TYPE *po = out->data;                                                                         \
        int64_t idx[CLR_MAX_DIMS] = {0}, inner = rank ? dims[rank - 1] : 1;                           \
        int64_t xi = rank ? xs[rank - 1] : 0, yi = rank ? ys[rank - 1] : 0;                           \
        for (int64_t o = 0; o < total; o += inner) {                                                  \
            int64_t bx = 0, by = 0;                                                                   \
            for (int32_t d = 0; d + 1 < rank; d++) bx += idx[d] * xs[d], by += idx[d] * ys[d];        \
            for (int64_t k = 0; k < inner; k++) po[o + k] = (TYPE)APPLY(px[bx + k * xi], py[by + k * yi]); \
            for (int32_t d = rank - 2; d >= 0; d--) {                                                 \
                if (++idx[d] < dims[d]) break;                                                        \
                idx[d] = 0;                                                                           \
            }                                                                                         \
        }                                                                                             \
    } while (0)

#define APPLY_F32(a, b) apply_f32(op, (a), (b))
#define APPLY_I64(a, b) apply_i64(op, (int64_t)(a), (int64_t)(b))

clr_status clr_host_elementwise(clr_node *n) {
    clr_tensor *x, *y, *out;
    clr_status st = clr_node_require_in(n, "X", &x);
    if (st == CLR_OK) st = clr_node_require_in(n, "Y", &y);
    if (st == CLR_OK) st = clr_node_require_out(n, "Out", &out);
    if (st != CLR_OK) return st;
    ew_op op;
    if (!parse_op(n->op->type, &op)) return clr_node_fail(n, CLR_ERR_UNSUPPORTED, "unknown elementwise op");
    if (x->dtype != y->dtype)
        return clr_node_fail(n, CLR_ERR_FORMAT, "X is %s but Y is %s", clr_dtype_name(x->dtype) ? clr_dtype_name(x->dtype) : "?",
                             clr_dtype_name(y->dtype) ? clr_dtype_name(y->dtype) : "?");
    if (x->dtype != CLR_DTYPE_FP32 && x->dtype != CLR_DTYPE_INT32 && x->dtype != CLR_DTYPE_INT64)
        return clr_node_fail(n, CLR_ERR_UNSUPPORTED, "element type %s", clr_dtype_name(x->dtype) ? clr_dtype_name(x->dtype) : "?");
    clr_act act = {.kind = CLR_ACT_NONE};
    const char *act_name = clr_node_attr_str(n, "act_type", "");
    if (!clr_act_from_name(act_name, &act))
        return clr_node_fail(n, CLR_ERR_UNSUPPORTED, "fused activation '%s'", act_name);
    int32_t rank = 0;
    int64_t dims[CLR_MAX_DIMS], xs[CLR_MAX_DIMS], ys[CLR_MAX_DIMS];
    if ((st = clr_broadcast(n, x, y, clr_node_attr_int(n, "axis", -1), &rank, dims, xs, ys)) != CLR_OK) return st;
    if ((st = tk_resize(n, out, x->dtype, rank, dims)) != CLR_OK) return st;
    int64_t total = clr_tensor_numel(out);
    if (total == 0) return CLR_OK;
    if (x->dtype == CLR_DTYPE_FP32) {
        EW_LOOP(float, APPLY_F32);
        if (clr_node_attr_bool(n, "fuse_scale", false)) {
            float s = clr_node_attr_float(n, "scale", 1.0f), b = clr_node_attr_float(n, "bias", 0.0f);
            for (int64_t i = 0; i < total; i++) ((float *)out->data)[i] = ((float *)out->data)[i] * s + b;
        }
        clr_act_apply(&act, out->data, total);
    } else if (x->dtype == CLR_DTYPE_INT32) {
        EW_LOOP(int32_t, APPLY_I64);
    } else {
        EW_LOOP(int64_t, APPLY_I64);
    }
    return CLR_OK;
}
