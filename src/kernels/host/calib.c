/* clrun — calib / calib_once: the precision casts opt inserts between
 * kernels, chosen by the kernel alias (lite/kernels/arm/calib_compute.cc). */
#include <math.h>
#include <string.h>

#include "kernels/host/conv_common.h"

typedef enum calib_kind {
    FP32_TO_INT8, INT8_TO_FP32, INT32_TO_FP32, INT64_TO_FP32, FP32_TO_INT32, FP32_TO_INT64, INT32_TO_INT64,
    INT64_TO_INT32
} calib_kind;

static const struct {
    const char *alias;
    calib_kind kind;
    int32_t in, out;
} kinds[] = {
    {"fp32_to_int8", FP32_TO_INT8, CLR_DTYPE_FP32, CLR_DTYPE_INT8},
    {"int8_to_fp32", INT8_TO_FP32, CLR_DTYPE_INT8, CLR_DTYPE_FP32},
    {"int32_to_fp32", INT32_TO_FP32, CLR_DTYPE_INT32, CLR_DTYPE_FP32},
    {"int64_to_fp32", INT64_TO_FP32, CLR_DTYPE_INT64, CLR_DTYPE_FP32},
    {"fp32_to_int32", FP32_TO_INT32, CLR_DTYPE_FP32, CLR_DTYPE_INT32},
    {"fp32_to_int64", FP32_TO_INT64, CLR_DTYPE_FP32, CLR_DTYPE_INT64},
    {"int32_to_int64", INT32_TO_INT64, CLR_DTYPE_INT32, CLR_DTYPE_INT64},
    {"int64_to_int32", INT64_TO_INT32, CLR_DTYPE_INT64, CLR_DTYPE_INT32},
};

/* Truncation toward zero like a C++ static_cast, saturated (and NaN -> 0)
 * instead of undefined. */
static int64_t trunc_sat(float v, double lo, double hi) {
    if (v != v) return 0;
    double d = truncf(v);
    return (int64_t)(d < lo ? lo : d > hi ? hi : d);
}

typedef struct calib_job {
    calib_kind kind;
    const void *x;
    void *y;
    float scale, inv; /* ARM multiplies by the reciprocal to quantize */
} calib_job;

/* One loop per kind, so that each vectorises. */
#define CALIB_LOOP(out_t, in_t, expr)                                                                                  \
    do {                                                                                                               \
        const in_t *in = (const in_t *)j->x;                                                                           \
        out_t *out = (out_t *)j->y;                                                                                    \
        for (int64_t i = b; i < e; i++) out[i] = (expr);                                                               \
    } while (0)

/* Elements [b, e) (a range of clr_parallel_for). */
static void calib_range(void *ctx, int64_t b, int64_t e) {
    const calib_job *j = ctx;
    float scale = j->scale, inv = j->inv;
    switch (j->kind) {
    case FP32_TO_INT8: CALIB_LOOP(int8_t, float, clr_quant_s8(in[i] * inv)); break;
    case INT8_TO_FP32: CALIB_LOOP(float, int8_t, (float)in[i] * scale); break;
    case INT32_TO_FP32: CALIB_LOOP(float, int32_t, (float)in[i]); break;
    case INT64_TO_FP32: CALIB_LOOP(float, int64_t, (float)in[i]); break;
    case FP32_TO_INT32: CALIB_LOOP(int32_t, float, (int32_t)trunc_sat(in[i], INT32_MIN, INT32_MAX)); break;
    case FP32_TO_INT64:
        CALIB_LOOP(int64_t, float, trunc_sat(in[i], -9.2233720368547748e18, 9.2233720368547748e18 - 1025.0));
        break;
    case INT32_TO_INT64: CALIB_LOOP(int64_t, int32_t, in[i]); break;
    case INT64_TO_INT32: CALIB_LOOP(int32_t, int64_t, (int32_t)in[i]); break;
    }
}

/* Without a kernel alias (no place attribute), the input type decides; the
 * int32/int64 pair is ambiguous and is refused. */
static const char *alias_from_input(int32_t dtype) {
    switch (dtype) {
    case CLR_DTYPE_FP32: return "fp32_to_int8";
    case CLR_DTYPE_INT8: return "int8_to_fp32";
    case CLR_DTYPE_INT64: return "int64_to_int32";
    default: return NULL;
    }
}

clr_status clr_kernel_calib(clr_node *n) {
    clr_tensor *x, *y;
    clr_status st;
    if ((st = clr_node_require_in(n, "Input", &x)) || (st = clr_node_require_out(n, "Out", &y))) return st;
    const char *alias = n->op->place.present && n->op->place.alias ? n->op->place.alias : alias_from_input(x->dtype);
    if (!alias)
        return clr_node_fail(n, CLR_ERR_UNSUPPORTED, "calib without kernel alias on %s input",
                             clr_dtype_name(x->dtype) ? clr_dtype_name(x->dtype) : "?");
    int k = -1;
    for (int i = 0; i < (int)(sizeof kinds / sizeof kinds[0]); i++)
        if (strcmp(kinds[i].alias, alias) == 0) k = i;
    if (k < 0) return clr_node_fail(n, CLR_ERR_UNSUPPORTED, "unsupported calib kernel '%s'", alias);
    if ((st = clr_expect_dtype(n, "Input", x, kinds[k].in))) return st;
    float scale = clr_node_attr_float(n, "scale", 0.0f);
    bool scaled = kinds[k].kind == FP32_TO_INT8 || kinds[k].kind == INT8_TO_FP32;
    if (scaled && !(scale > 0.0f))
        return clr_node_fail(n, CLR_ERR_FORMAT, "calib %s needs a positive 'scale' attribute", kinds[k].alias);
    int64_t dims[CLR_MAX_DIMS];
    memcpy(dims, x->dims, sizeof dims);
    if ((st = clr_tensor_resize(y, kinds[k].out, x->ndims, dims, n->err))) return st;
    if (x->nlod && (st = clr_tensor_set_lod(y, x->nlod, x->lod, n->err))) return st;
    calib_job j = {.kind = kinds[k].kind, .x = x->data, .y = y->data, .scale = scale, .inv = 1.0f / scale};
    int64_t cnt = clr_tensor_numel(x);
    clr_parallel_for(n->pool, cnt, clr_parallel_grain(n->pool, cnt, 16384, 64), calib_range, &j);
    return CLR_OK;
}
