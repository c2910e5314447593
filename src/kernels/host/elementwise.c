/* clrun — elementwise binary ops with Paddle's axis broadcasting
 * (nb-format.md 6.4; the shape rule is in broadcast.c), plain and with a
 * fused scale / activation. The innermost loop runs over the longest row the
 * merged broadcast plan allows (a per-channel bias on NCHW becomes rows of
 * H*W with a constant Y). */
#include <inttypes.h>
#include <math.h>
#include <string.h>

#include "kernels/host/broadcast.h"
#include "kernels/host/math_kernels.h"
#include "kernels/host/tensor_common.h"

typedef enum { EW_ADD, EW_SUB, EW_MUL, EW_DIV, EW_MAX, EW_MIN, EW_POW, EW_MOD, EW_FLOORDIV } ew_op;

static const struct {
    const char *name; /* after "elementwise_" / "fusion_elementwise_" */
    ew_op op;
} ops[] = {{"add", EW_ADD}, {"sub", EW_SUB}, {"mul", EW_MUL}, {"div", EW_DIV},          {"max", EW_MAX},
           {"min", EW_MIN}, {"pow", EW_POW}, {"mod", EW_MOD}, {"floordiv", EW_FLOORDIV}};

/* One output row: o[i] = x[i*xs] op y[i*ys]. Float mod follows Paddle (the
 * result takes the divisor's sign), floordiv rounds toward -inf. */
#define EW_ROW_LOOP(expr)                                                                                              \
    for (int64_t i = 0; i < len; i++) {                                                                                \
        float a = x[i * xs], b = y[i * ys];                                                                            \
        o[i] = (expr);                                                                                                 \
    }                                                                                                                  \
    break

static float mod_f32(float a, float b) {
    float r = fmodf(a, b);
    return r != 0.0f && ((r < 0.0f) != (b < 0.0f)) ? r + b : r;
}

static void row_f32(ew_op op, const float *x, int64_t xs, const float *y, int64_t ys, float *o, int64_t len) {
    switch (op) {
    case EW_ADD: EW_ROW_LOOP(a + b);
    case EW_SUB: EW_ROW_LOOP(a - b);
    case EW_MUL: EW_ROW_LOOP(a * b);
    case EW_DIV: EW_ROW_LOOP(a / b);
    case EW_MAX: EW_ROW_LOOP(a > b ? a : b);
    case EW_MIN: EW_ROW_LOOP(a < b ? a : b);
    case EW_POW: EW_ROW_LOOP(powf(a, b));
    case EW_MOD: EW_ROW_LOOP(mod_f32(a, b));
    case EW_FLOORDIV: EW_ROW_LOOP(floorf(a / b));
    }
}

/* Integer ops in int64 (exact for both INT32 and INT64 inputs, wrapping
 * instead of overflowing); the divisor is known to be nonzero. */
static int64_t wrap_add(int64_t a, int64_t b) { return (int64_t)((uint64_t)a + (uint64_t)b); }
static int64_t wrap_sub(int64_t a, int64_t b) { return (int64_t)((uint64_t)a - (uint64_t)b); }
static int64_t wrap_mul(int64_t a, int64_t b) { return (int64_t)((uint64_t)a * (uint64_t)b); }

static int64_t trunc_div(int64_t a, int64_t b) { return b == -1 ? wrap_sub(0, a) : a / b; }

static int64_t pow_i64(int64_t a, int64_t b) {
    double r = pow((double)a, (double)b); /* Paddle: std::pow then a cast */
    if (!(r == r)) return 0;
    if (r >= 9.2233720368547758e18) return INT64_MAX;
    if (r <= -9.2233720368547758e18) return INT64_MIN;
    return (int64_t)r;
}

static int64_t op_i64(ew_op op, int64_t a, int64_t b) {
    switch (op) {
    case EW_ADD: return wrap_add(a, b);
    case EW_SUB: return wrap_sub(a, b);
    case EW_MUL: return wrap_mul(a, b);
    case EW_DIV: return trunc_div(a, b);
    case EW_MAX: return a > b ? a : b;
    case EW_MIN: return a < b ? a : b;
    case EW_POW: return pow_i64(a, b);
    case EW_MOD: {
        int64_t r = b == -1 ? 0 : a % b;
        return r != 0 && ((r < 0) != (b < 0)) ? r + b : r;
    }
    case EW_FLOORDIV: {
        int64_t q = trunc_div(a, b);
        return q * b != a && ((a < 0) != (b < 0)) ? q - 1 : q;
    }
    }
    return 0;
}

static void row_int(ew_op op, int32_t dtype, const void *x, int64_t xs, const void *y, int64_t ys, void *o,
                    int64_t len) {
    for (int64_t i = 0; i < len; i++)
        tk_store_i64(o, dtype, i, op_i64(op, tk_load_i64(x, dtype, i * xs), tk_load_i64(y, dtype, i * ys)));
}

/* Work units: rows of the merged plan cut into chunks of at most CHUNK
 * values, so that one long row (equal shapes) spreads over threads too. */
enum { CHUNK = 16384 };

typedef struct ew_job {
    const clr_broadcast *p;
    ew_op op;
    int32_t dtype;
    const void *x, *y;
    void *out;
    int64_t len, chunk, nchunk; /* row length, chunk length, chunks per row */
} ew_job;

/* Units [u0, u1): u = row * nchunk + chunk (a range of clr_parallel_for). */
static void run_units(void *ctx, int64_t u0, int64_t u1) {
    const ew_job *j = ctx;
    const clr_broadcast *p = j->p;
    size_t es = clr_dtype_size(j->dtype);
    int32_t last = p->rank - 1;
    int64_t xs = p->xs[last], ys = p->ys[last], idx[CLR_MAX_DIMS] = {0}, xo = 0, yo = 0;
    int64_t r = u0 / j->nchunk, c = u0 % j->nchunk;
    for (int64_t q = r, d = last - 1; d >= 0; d--) { /* the odometer at row r */
        idx[d] = q % p->dims[d];
        q /= p->dims[d];
        xo += idx[d] * p->xs[d];
        yo += idx[d] * p->ys[d];
    }
    for (int64_t u = u0; u < u1; u++) {
        int64_t b = c * j->chunk, e = b + j->chunk < j->len ? b + j->chunk : j->len;
        const char *xr = (const char *)j->x + (size_t)(xo + b * xs) * es;
        const char *yr = (const char *)j->y + (size_t)(yo + b * ys) * es;
        char *orow = (char *)j->out + (size_t)(r * j->len + b) * es;
        if (j->dtype == CLR_DTYPE_FP32)
            row_f32(j->op, (const float *)xr, xs, (const float *)yr, ys, (float *)orow, e - b);
        else
            row_int(j->op, j->dtype, xr, xs, yr, ys, orow, e - b);
        if (++c < j->nchunk) continue;
        c = 0;
        r++;
        for (int32_t d = last - 1; d >= 0; d--) { /* odometer over the outer dims */
            xo += p->xs[d];
            yo += p->ys[d];
            if (++idx[d] < p->dims[d]) break;
            xo -= p->xs[d] * p->dims[d];
            yo -= p->ys[d] * p->dims[d];
            idx[d] = 0;
        }
    }
}

static void run_plan(clr_thread_pool *pool, const clr_broadcast *p, ew_op op, int32_t dtype, const void *x,
                     const void *y, void *out) {
    int32_t last = p->rank - 1;
    int64_t len = p->dims[last], rows = 1;
    for (int32_t d = 0; d < last; d++) rows *= p->dims[d];
    ew_job j = {.p = p, .op = op, .dtype = dtype, .x = x, .y = y, .out = out, .len = len,
                .chunk = len < CHUNK ? (len > 0 ? len : 1) : CHUNK};
    j.nchunk = (len + j.chunk - 1) / j.chunk;
    int64_t units = rows * j.nchunk, min_units = CHUNK / j.chunk;
    clr_parallel_for(pool, units, clr_parallel_grain(pool, units, min_units > 0 ? min_units : 1, 1), run_units, &j);
}

static bool has_zero(const clr_tensor *t) {
    for (int64_t i = 0; i < clr_tensor_numel(t); i++)
        if (tk_load_i64(t->data, t->dtype, i) == 0) return true;
    return false;
}

/* The post-processing a fused op adds to FP32 results. */
typedef struct ew_post {
    bool scale;
    float s, b;
    clr_act act;
} ew_post;

static clr_status compute(clr_node *n, ew_op op, const ew_post *post) {
    clr_tensor *x, *y, *out;
    clr_status st = tk_in_out(n, "X", "Out", &x, &out);
    if (st == CLR_OK) st = clr_node_require_in(n, "Y", &y);
    if (st != CLR_OK) return st;
    if (!y->data) return clr_node_fail(n, CLR_ERR_FORMAT, "input 'Y' holds no data");
    if (x->dtype != y->dtype)
        return clr_node_fail(n, CLR_ERR_FORMAT, "X is %s but Y is %s", clr_dtype_name(x->dtype) ? clr_dtype_name(x->dtype) : "?",
                             clr_dtype_name(y->dtype) ? clr_dtype_name(y->dtype) : "?");
    bool is_int = x->dtype == CLR_DTYPE_INT32 || x->dtype == CLR_DTYPE_INT64;
    if (x->dtype != CLR_DTYPE_FP32 && !is_int)
        return clr_node_fail(n, CLR_ERR_UNSUPPORTED, "unsupported element type %s (FP32, INT32, INT64 handled)",
                             clr_dtype_name(x->dtype) ? clr_dtype_name(x->dtype) : "?");
    if (is_int && (post->scale || post->act.kind != CLR_ACT_NONE))
        return clr_node_fail(n, CLR_ERR_UNSUPPORTED, "fused scale/activation on integer tensors");
    if (is_int && (op == EW_DIV || op == EW_MOD || op == EW_FLOORDIV) && has_zero(y))
        return clr_node_fail(n, CLR_ERR_ARG, "integer division by zero");
    clr_broadcast plan;
    st = clr_broadcast_plan(n, x, y, &plan);
    if (st == CLR_OK) st = tk_resize(n, out, x->dtype, plan.out_rank, plan.out_dims);
    if (st == CLR_OK) st = mk_share_lod(n, out, x);
    if (st != CLR_OK || clr_tensor_numel(out) == 0) return st;
    run_plan(n->pool, &plan, op, x->dtype, x->data, y->data, out->data);
    if (x->dtype == CLR_DTYPE_FP32) {
        float *o = out->data;
        int64_t cnt = clr_tensor_numel(out);
        if (post->scale)
            for (int64_t i = 0; i < cnt; i++) o[i] = post->s * o[i] + post->b;
        clr_act_apply_par(n->pool, &post->act, o, cnt);
    }
    return CLR_OK;
}

static clr_status find_op(const clr_node *n, const char *prefix, ew_op *op) {
    const char *t = n->op->type;
    size_t pl = strlen(prefix);
    if (strncmp(t, prefix, pl) == 0)
        for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++) {
            size_t nl = strlen(ops[i].name);
            if (strncmp(t + pl, ops[i].name, nl) == 0 && (t[pl + nl] == '\0' || t[pl + nl] == '_')) {
                *op = ops[i].op;
                return CLR_OK;
            }
        }
    return clr_node_fail(n, CLR_ERR_UNSUPPORTED, "not an elementwise op");
}

/* elementwise_*: optional `fuse_scale` (lite_elementwise_scale_fuse_pass)
 * gives out = act(scale * r + bias), act from `activation_type` whose
 * relu6 / leaky_relu parameter is `alpha`. */
clr_status clr_mk_elementwise(clr_node *n) {
    ew_op op;
    clr_status st = find_op(n, "elementwise_", &op);
    if (st != CLR_OK) return st;
    ew_post post = {.scale = clr_node_attr_bool(n, "fuse_scale", false)};
    clr_act_from_name("", &post.act);
    if (post.scale) {
        post.s = clr_node_attr_float(n, "scale", 1.0f);
        post.b = clr_node_attr_float(n, "bias", 0.0f);
        const char *act = clr_node_attr_str(n, "activation_type", "");
        if (!clr_act_from_name(act, &post.act))
            return clr_node_fail(n, CLR_ERR_UNSUPPORTED, "unsupported activation_type '%s'", act);
        float alpha = clr_node_attr_float(n, "alpha", post.act.kind == CLR_ACT_RELU6 ? 6.0f : post.act.alpha);
        if (post.act.kind == CLR_ACT_RELU6) post.act.threshold = alpha;
        if (post.act.kind == CLR_ACT_LEAKY_RELU) post.act.alpha = alpha;
    }
    return compute(n, op, &post);
}

/* fusion_elementwise_<op>_activation: the elementwise result goes through
 * `act_type` (parameters, if any, under Paddle's attribute names). */
clr_status clr_mk_fusion_elementwise(clr_node *n) {
    ew_op op;
    clr_status st = find_op(n, "fusion_elementwise_", &op);
    if (st != CLR_OK) return st;
    ew_post post = {.scale = false};
    const char *act = clr_node_attr_str(n, "act_type", NULL);
    if (!act) return clr_node_fail(n, CLR_ERR_FORMAT, "attribute 'act_type' is missing");
    st = mk_act_from_attrs(n, act, &post.act);
    return st == CLR_OK ? compute(n, op, &post) : st;
}
