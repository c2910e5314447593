/* Unit tests for the math-family host kernels. Every expected value comes
 * from a direct formula written here (explicit broadcast index arithmetic,
 * a plain window loop for pooling, a per-pixel formula for interpolation),
 * never from kernel output. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <math.h>

#include "core/alloc.h"
#include "kernels/host/activation.h"
#include "kernels/host/arm_math.h"
#include "test_models.h"
#include "test_node.h"

/* ---- helpers ------------------------------------------------------------ */

static clr_test_rng rng = {12345};

static int64_t rnd(int64_t lo, int64_t hi) { /* inclusive */
    return lo + (int64_t)(clr_test_rng_next(&rng) % (unsigned long long)(hi - lo + 1));
}

static void f32(clr_tensor *t, int32_t nd, const int64_t *dims, float lo, float hi) {
    tn_tensor_f32(t, nd, dims);
    tn_fill_uniform(t, clr_test_rng_next(&rng), lo, hi);
}

static void ints(clr_tensor *t, int32_t dtype, int32_t nd, const int64_t *dims, int64_t lo, int64_t hi) {
    memset(t, 0, sizeof *t);
    assert_int_equal(clr_tensor_resize(t, dtype, nd, dims, NULL), CLR_OK);
    for (int64_t i = 0; i < clr_tensor_numel(t); i++) {
        int64_t v = rnd(lo, hi);
        if (dtype == CLR_DTYPE_INT32) ((int32_t *)t->data)[i] = (int32_t)v;
        else ((int64_t *)t->data)[i] = v;
    }
}

static int64_t ival(const clr_tensor *t, int64_t i) {
    return t->dtype == CLR_DTYPE_INT32 ? ((const int32_t *)t->data)[i] : ((const int64_t *)t->data)[i];
}

static float fv(const clr_tensor *t, int64_t i) { return ((const float *)t->data)[i]; }

static void assert_shape(const clr_tensor *t, int32_t nd, const int64_t *dims) {
    assert_int_equal(t->ndims, nd);
    for (int32_t i = 0; i < nd; i++) assert_int_equal(t->dims[i], dims[i]);
}

/* |got - want| <= tol * max(1, |want|) elementwise. */
static void assert_close(const clr_tensor *got, const float *want, int64_t n, double tol) {
    assert_int_equal(clr_tensor_numel(got), n);
    for (int64_t i = 0; i < n; i++) {
        double w = want[i], g = fv(got, i);
        if (isnan(w) && isnan(g)) continue;
        if (!(fabs(g - w) <= tol * fmax(1.0, fabs(w))))
            fail_msg("element %lld: got %.9g, want %.9g", (long long)i, g, w);
    }
}

static float *buf(int64_t n) {
    float *p = calloc((size_t)(n > 0 ? n : 1), sizeof *p);
    assert_non_null(p);
    return p;
}

/* Unravels flat index i over dims into idx. */
static void unravel(int64_t i, int32_t nd, const int64_t *dims, int64_t *idx) {
    for (int32_t d = nd - 1; d >= 0; d--) {
        idx[d] = i % dims[d];
        i /= dims[d];
    }
}

/* ---- elementwise -------------------------------------------------------- */

/* Index of the operand element feeding output index `oidx` (rank orank),
 * when the operand (rank r, dims d) sits at `axis` of the output. */
static int64_t bcast_index(const int64_t *oidx, int32_t axis, int32_t r, const int64_t *d) {
    int64_t off = 0;
    for (int32_t k = 0; k < r; k++) off = off * d[k] + (d[k] == 1 ? 0 : oidx[axis + k]);
    return off;
}

static double ref_op(const char *op, double a, double b) {
    if (!strcmp(op, "add")) return a + b;
    if (!strcmp(op, "sub")) return a - b;
    if (!strcmp(op, "mul")) return a * b;
    if (!strcmp(op, "div")) return a / b;
    if (!strcmp(op, "max")) return fmax(a, b);
    if (!strcmp(op, "min")) return fmin(a, b);
    if (!strcmp(op, "pow")) return pow(a, b);
    if (!strcmp(op, "mod")) return a - b * floor(a / b); /* sign of the divisor */
    if (!strcmp(op, "floordiv")) return floor(a / b);
    fail_msg("op %s", op);
    return 0;
}

typedef struct bcase {
    int32_t xr, yr, axis; /* axis attr (-1 = default) */
    int64_t xd[6], yd[6];
} bcase;

static void run_ew_case(const char *op, const bcase *c, int32_t dtype) {
    char type[64];
    snprintf(type, sizeof type, "elementwise_%s", op);
    clr_tensor x, y, out = {0};
    bool fl = dtype == CLR_DTYPE_FP32;
    bool pos = !strcmp(op, "pow") || !strcmp(op, "div") || !strcmp(op, "mod") || !strcmp(op, "floordiv");
    if (fl) {
        f32(&x, c->xr, c->xd, pos && !strcmp(op, "pow") ? 0.1f : -3.0f, 3.0f);
        f32(&y, c->yr, c->yd, pos ? 0.5f : -3.0f, pos ? 2.5f : 3.0f);
        if (!strcmp(op, "mod") || !strcmp(op, "floordiv")) /* negative divisors too */
            for (int64_t i = 0; i < clr_tensor_numel(&y); i += 2) ((float *)y.data)[i] *= -1.0f;
    } else {
        ints(&x, dtype, c->xr, c->xd, -50, 50);
        ints(&y, dtype, c->yr, c->yd, 1, 9);
        for (int64_t i = 0; i < clr_tensor_numel(&y); i += 3) {
            if (dtype == CLR_DTYPE_INT32) ((int32_t *)y.data)[i] *= -1;
            else ((int64_t *)y.data)[i] *= -1;
        }
    }
    clr_test_node t;
    tn_init(&t, type);
    tn_input(&t, "X", &x);
    tn_input(&t, "Y", &y);
    tn_output(&t, "Out", &out);
    tn_attr_int(&t, "axis", c->axis);
    assert_int_equal(tn_run(&t), CLR_OK);
    /* expected output: the bigger operand's rank; the smaller one aligned at axis */
    bool xbig = c->xr >= c->yr;
    int32_t orank = xbig ? c->xr : c->yr, sr = xbig ? c->yr : c->xr;
    const int64_t *sd = xbig ? c->yd : c->xd, *bd = xbig ? c->xd : c->yd;
    int32_t ax = c->axis == -1 ? orank - sr : c->axis;
    int64_t od[6];
    for (int32_t i = 0; i < orank; i++) {
        od[i] = bd[i];
        if (i >= ax && i < ax + sr && sd[i - ax] != 1) od[i] = sd[i - ax];
    }
    assert_shape(&out, orank, od);
    int64_t idx[6], n = clr_tensor_numel(&out);
    for (int64_t i = 0; i < n; i++) {
        unravel(i, orank, od, idx);
        int64_t xi = bcast_index(idx, xbig ? 0 : ax, c->xr, c->xd);
        int64_t yi = bcast_index(idx, xbig ? ax : 0, c->yr, c->yd);
        if (fl) {
            double w = ref_op(op, fv(&x, xi), fv(&y, yi));
            if (fabs(fv(&out, i) - w) > 1e-4 * fmax(1.0, fabs(w)))
                fail_msg("%s element %lld: got %g want %g", type, (long long)i, fv(&out, i), w);
        } else {
            int64_t a = ival(&x, xi), b = ival(&y, yi), w;
            if (!strcmp(op, "div")) w = a / b; /* C truncation, as Paddle-Lite */
            else if (!strcmp(op, "mod")) w = ((a % b) + b) % b;
            else if (!strcmp(op, "floordiv")) w = (int64_t)floor((double)a / (double)b);
            else w = (int64_t)ref_op(op, (double)a, (double)b);
            if (ival(&out, i) != w)
                fail_msg("%s int element %lld: %lld %s %lld got %lld want %lld", type, (long long)i, (long long)a,
                         op, (long long)b, (long long)ival(&out, i), (long long)w);
        }
    }
    clr_tensor_release(&x);
    clr_tensor_release(&y);
    clr_tensor_release(&out);
}

static const bcase bcases[] = {
    {4, 4, -1, {2, 3, 5, 7}, {2, 3, 5, 7}},  /* same shape */
    {4, 1, 1, {2, 5, 3, 7}, {5}},            /* per channel */
    {4, 1, -1, {2, 5, 3, 7}, {7}},           /* trailing */
    {4, 2, 2, {1, 3, 5, 9}, {5, 9}},         /* middle */
    {4, 4, -1, {2, 3, 5, 7}, {1, 3, 1, 7}},  /* same rank, numpy style */
    {4, 4, -1, {2, 1, 5, 1}, {1, 3, 1, 7}},  /* both broadcast */
    {3, 1, 0, {9, 4, 3}, {9}},               /* leading */
    {1, 3, -1, {7}, {3, 5, 7}},              /* X is the smaller */
    {2, 4, 1, {3, 5}, {2, 3, 5, 11}},        /* X smaller, explicit axis */
    {5, 2, 1, {2, 3, 2, 3, 5}, {3, 2}},
    {2, 2, -1, {1, 1}, {13, 1}},
};

static void elementwise_float_broadcasts(void **state) {
    (void)state;
    const char *opsn[] = {"add", "sub", "mul", "div", "max", "min", "pow", "mod", "floordiv"};
    for (size_t o = 0; o < sizeof opsn / sizeof opsn[0]; o++)
        for (size_t c = 0; c < sizeof bcases / sizeof bcases[0]; c++) run_ew_case(opsn[o], &bcases[c], CLR_DTYPE_FP32);
}

static void elementwise_int_ops(void **state) {
    (void)state;
    const char *opsn[] = {"add", "sub", "mul", "div", "max", "min", "mod", "floordiv"};
    for (size_t o = 0; o < sizeof opsn / sizeof opsn[0]; o++)
        for (size_t c = 0; c < sizeof bcases / sizeof bcases[0]; c++) {
            run_ew_case(opsn[o], &bcases[c], CLR_DTYPE_INT32);
            run_ew_case(opsn[o], &bcases[c], CLR_DTYPE_INT64);
        }
}

/* Y [C,1,1] at axis 1 of [N,C,H,W]: trailing 1s are dropped to fit. */
static void elementwise_trailing_ones_and_fusions(void **state) {
    (void)state;
    int64_t xd[4] = {2, 3, 4, 5}, yd[3] = {3, 1, 1};
    clr_tensor x, y, out = {0};
    f32(&x, 4, xd, -2, 2);
    f32(&y, 3, yd, -2, 2);
    float *want = buf(120);
    /* fusion_elementwise_add_activation relu */
    clr_test_node t;
    tn_init(&t, "fusion_elementwise_add_activation");
    tn_input(&t, "X", &x);
    tn_input(&t, "Y", &y);
    tn_output(&t, "Out", &out);
    tn_attr_int(&t, "axis", 1);
    tn_attr_str(&t, "act_type", "relu");
    assert_int_equal(tn_run(&t), CLR_OK);
    for (int64_t i = 0; i < 120; i++) want[i] = fmaxf(fv(&x, i) + fv(&y, (i / 20) % 3), 0.0f);
    assert_close(&out, want, 120, 1e-6);
    /* elementwise_mul with fuse_scale and relu6 clipped at alpha */
    tn_init(&t, "elementwise_mul");
    tn_input(&t, "X", &x);
    tn_input(&t, "Y", &y);
    tn_output(&t, "Out", &out);
    tn_attr_int(&t, "axis", 1);
    tn_attr_bool(&t, "fuse_scale", true);
    tn_attr_float(&t, "scale", 3.0f);
    tn_attr_float(&t, "bias", 0.5f);
    tn_attr_float(&t, "alpha", 2.0f);
    tn_attr_str(&t, "activation_type", "relu6");
    assert_int_equal(tn_run(&t), CLR_OK);
    for (int64_t i = 0; i < 120; i++) want[i] = fminf(fmaxf(3.0f * fv(&x, i) * fv(&y, (i / 20) % 3) + 0.5f, 0), 2.0f);
    assert_close(&out, want, 120, 1e-5);
    free(want);
    clr_tensor_release(&x);
    clr_tensor_release(&y);
    clr_tensor_release(&out);
}

static void elementwise_errors(void **state) {
    (void)state;
    int64_t xd[2] = {3, 4}, yd[1] = {5}, zd[1] = {4};
    clr_tensor x, y, z, out = {0};
    f32(&x, 2, xd, -1, 1);
    f32(&y, 1, yd, -1, 1);
    clr_test_node t;
    tn_init(&t, "elementwise_add");
    tn_input(&t, "X", &x);
    tn_input(&t, "Y", &y);
    tn_output(&t, "Out", &out);
    tn_attr_int(&t, "axis", -1);
    assert_int_equal(tn_run(&t), CLR_ERR_FORMAT);
    assert_non_null(strstr(t.err.msg, "do not broadcast"));
    tn_init(&t, "elementwise_add"); /* axis beyond X */
    tn_input(&t, "X", &x);
    tn_input(&t, "Y", &y);
    tn_output(&t, "Out", &out);
    tn_attr_int(&t, "axis", 2);
    assert_int_equal(tn_run(&t), CLR_ERR_FORMAT);
    tn_init(&t, "elementwise_add"); /* missing Y */
    tn_input(&t, "X", &x);
    tn_output(&t, "Out", &out);
    assert_int_equal(tn_run(&t), CLR_ERR_FORMAT);
    assert_non_null(strstr(t.err.msg, "'Y'"));
    ints(&z, CLR_DTYPE_INT32, 1, zd, 0, 0); /* dtype mismatch, then division by zero */
    tn_init(&t, "elementwise_div");
    tn_input(&t, "X", &x);
    tn_input(&t, "Y", &z);
    tn_output(&t, "Out", &out);
    assert_int_equal(tn_run(&t), CLR_ERR_FORMAT);
    clr_tensor xi;
    ints(&xi, CLR_DTYPE_INT32, 2, xd, 1, 5);
    tn_init(&t, "elementwise_floordiv");
    tn_input(&t, "X", &xi);
    tn_input(&t, "Y", &z);
    tn_output(&t, "Out", &out);
    assert_int_equal(tn_run(&t), CLR_ERR_ARG);
    assert_non_null(strstr(t.err.msg, "division by zero"));
    tn_init(&t, "fusion_elementwise_add_activation");
    tn_input(&t, "X", &x);
    tn_input(&t, "Y", &x);
    tn_output(&t, "Out", &out);
    tn_attr_str(&t, "act_type", "bogus");
    assert_int_equal(tn_run(&t), CLR_ERR_UNSUPPORTED);
    assert_non_null(strstr(t.err.msg, "bogus"));
    clr_tensor_release(&x);
    clr_tensor_release(&xi);
    clr_tensor_release(&y);
    clr_tensor_release(&z);
    clr_tensor_release(&out);
}

/* ---- activations, prelu, clip, scale ------------------------------------ */

static double sigm(double v) { return 1.0 / (1.0 + exp(-v)); }

static void activations_match_formulas(void **state) {
    (void)state;
    int64_t d[3] = {3, 7, 5};
    clr_tensor x, out = {0};
    f32(&x, 3, d, -4, 4);
    float *want = buf(105);
    const char *names[] = {"relu", "relu6", "leaky_relu", "sigmoid", "tanh", "exp", "abs", "sqrt", "rsqrt", "log",
                           "square", "hard_sigmoid", "hard_swish", "swish", "silu", "gelu", "gelu_tanh"};
    for (size_t k = 0; k < sizeof names / sizeof names[0]; k++) {
        bool tanh_gelu = !strcmp(names[k], "gelu_tanh");
        clr_test_node t;
        tn_init(&t, tanh_gelu ? "gelu" : names[k]);
        tn_input(&t, "X", &x);
        tn_output(&t, "Out", &out);
        tn_attr_float(&t, "threshold", 5.0f);
        tn_attr_float(&t, "alpha", 0.1f);
        tn_attr_float(&t, "slope", 0.25f);
        tn_attr_float(&t, "offset", 0.4f);
        tn_attr_float(&t, "beta", 1.5f);
        tn_attr_float(&t, "scale", 7.0f);
        if (tanh_gelu) tn_attr_bool(&t, "approximate", true);
        assert_int_equal(tn_run(&t), CLR_OK);
        for (int64_t i = 0; i < 105; i++) {
            double v = fv(&x, i), w;
            switch (k) {
            case 0: w = v > 0 ? v : 0; break;
            case 1: w = fmin(fmax(v, 0), 5.0); break;
            case 2: w = v > 0 ? v : 0.1 * v; break;
            case 3: w = sigm(v); break;
            case 4: w = tanh(v); break;
            case 5: w = exp(v); break;
            case 6: w = fabs(v); break;
            case 7: w = sqrt(v); break;
            case 8: w = 1.0 / sqrt(v); break;
            case 9: w = log(v); break;
            case 10: w = v * v; break;
            case 11: w = fmin(fmax(0.25 * v + 0.4, 0), 1); break;
            case 12: w = v * fmin(fmax(v + 0.4, 0), 5.0) / 7.0; break;
            case 13: w = v * sigm(1.5 * v); break;
            case 14: w = v * sigm(v); break;
            case 15: w = 0.5 * v * (1 + erf(v / sqrt(2.0))); break;
            default: w = 0.5 * v * (1 + tanh(sqrt(2 / 3.14159265358979323846) * (v + 0.044715 * v * v * v))); break;
            }
            want[i] = (float)w;
        }
        assert_close(&out, want, 105, 1e-5);
    }
    free(want);
    clr_tensor_release(&x);
    clr_tensor_release(&out);
}

/* Units in the last place between two floats of the same sign. */
static double ulps(float a, float b) { return fabs((double)a - (double)b) / (double)(nextafterf(fabsf(b), INFINITY) - fabsf(b)); }

/* The emulated ARM arithmetic (kernels/host/arm_math.c): FRECPE's documented
 * value at 1.0 and its 8-bit accuracy, flush-to-zero at the ends, exp_ps,
 * sigmoid and tanh close to the exact functions, act_sigmoid's split into
 * NEON lanes and a libm tail, and tanh's tail for large |x|. Bit-exactness
 * against Paddle-Lite itself is checked op by op on the reference runs
 * (tests/models/check_ops.py). */
static void arm_arithmetic_emulation(void **state) {
    (void)state;
    assert_true(clr_arm_frecpe(1.0f) == 0.998046875f);
    assert_true(clr_arm_frecpe(0.0f) == INFINITY && clr_arm_frecpe(0x1p127f) == 0.0f);
    assert_true(clr_arm_exp(-88.3f) == 0.0f && clr_arm_sigmoid(-100.0f) == 0.0f && clr_arm_sigmoid(100.0f) == 1.0f);
    for (int i = 0; i < 2000; i++) {
        float x = (float)rnd(-87000, 88000) / 1000.0f, r = (float)rnd(1, 1000000) / 997.0f;
        assert_true(fabs(clr_arm_frecpe(r) * r - 1.0) < 1.0 / 256);
        if (ulps(clr_arm_exp(x), (float)exp(x)) > 2) fail_msg("exp_ps(%g) = %g, exp %g", x, clr_arm_exp(x), exp(x));
        float sx = x / 8.0f;
        if (ulps(clr_arm_sigmoid(sx), (float)sigm(sx)) > 4) fail_msg("sigmoid(%g) = %g", sx, clr_arm_sigmoid(sx));
        /* one Newton step after the 8-bit estimate: about 16 bits */
        if (fabs(clr_arm_tanh(sx) - tanh(sx)) > 3e-5) fail_msg("tanh(%g) = %g", sx, clr_arm_tanh(sx));
    }
    float v[7] = {-3.0f, -1.5f, -0.25f, 0.5f, 1.0f, 2.5f, 4.0f}, y[7];
    memcpy(y, v, sizeof v);
    clr_act a;
    assert_true(clr_act_from_name("sigmoid", &a));
    clr_act_apply(&a, y, 7);
    for (int i = 0; i < 7; i++)
        assert_true(y[i] == (i < 4 ? clr_arm_sigmoid(v[i]) : 1.0f / (1.0f + expf(-v[i]))));
    /* tanh's tail where ARM's formula overflows (inf / inf) gives +-1, not NaN */
    float big[6] = {1.0f, 2.0f, 3.0f, 4.0f, 100.0f, -1000.0f};
    assert_true(clr_act_from_name("tanh", &a));
    clr_act_apply(&a, big, 6);
    assert_true(big[0] == clr_arm_tanh(1.0f) && big[4] == 1.0f && big[5] == -1.0f);
}

static void prelu_modes_and_clip(void **state) {
    (void)state;
    int64_t d[4] = {2, 3, 4, 5}, ad[3][4] = {{1}, {3}, {1, 3, 4, 5}};
    int32_t ar[3] = {1, 1, 4};
    const char *modes[3] = {"all", "channel", "element"};
    clr_tensor x, a, out = {0};
    f32(&x, 4, d, -2, 2);
    float *want = buf(120);
    for (int m = 0; m < 3; m++) {
        f32(&a, ar[m], ad[m], -1, 1);
        clr_test_node t;
        tn_init(&t, "prelu");
        tn_input(&t, "X", &x);
        tn_input(&t, "Alpha", &a);
        tn_output(&t, "Out", &out);
        tn_attr_str(&t, "mode", modes[m]);
        assert_int_equal(tn_run(&t), CLR_OK);
        for (int64_t i = 0; i < 120; i++) {
            int64_t ai = m == 0 ? 0 : m == 1 ? (i / 20) % 3 : i % 60;
            want[i] = fv(&x, i) > 0 ? fv(&x, i) : fv(&a, ai) * fv(&x, i);
        }
        assert_close(&out, want, 120, 1e-6);
        clr_tensor_release(&a);
    }
    /* wrong Alpha size */
    int64_t bad = 4;
    f32(&a, 1, &bad, -1, 1);
    clr_test_node t;
    tn_init(&t, "prelu");
    tn_input(&t, "X", &x);
    tn_input(&t, "Alpha", &a);
    tn_output(&t, "Out", &out);
    tn_attr_str(&t, "mode", "channel");
    assert_int_equal(tn_run(&t), CLR_ERR_FORMAT);
    /* clip: Min tensor overrides the attribute */
    int64_t one = 1;
    clr_tensor mn;
    tn_tensor_f32(&mn, 1, &one);
    ((float *)mn.data)[0] = -0.5f;
    tn_init(&t, "clip");
    tn_input(&t, "X", &x);
    tn_input(&t, "Min", &mn);
    tn_output(&t, "Out", &out);
    tn_attr_float(&t, "min", -1.5f);
    tn_attr_float(&t, "max", 1.25f);
    assert_int_equal(tn_run(&t), CLR_OK);
    for (int64_t i = 0; i < 120; i++) want[i] = fminf(fmaxf(fv(&x, i), -0.5f), 1.25f);
    assert_close(&out, want, 120, 0);
    free(want);
    clr_tensor_release(&x);
    clr_tensor_release(&a);
    clr_tensor_release(&mn);
    clr_tensor_release(&out);
}

static void scale_variants(void **state) {
    (void)state;
    int64_t d[2] = {5, 9};
    clr_tensor x, out = {0};
    f32(&x, 2, d, -3, 3);
    float *want = buf(45);
    clr_test_node t;
    tn_init(&t, "scale"); /* bias before scale, leaky_relu, then scale1/bias1 */
    tn_input(&t, "X", &x);
    tn_output(&t, "Out", &out);
    tn_attr_float(&t, "scale", 2.0f);
    tn_attr_float(&t, "bias", 0.5f);
    tn_attr_bool(&t, "bias_after_scale", false);
    tn_attr_str(&t, "activation_type", "leaky_relu");
    tn_attr_float(&t, "alpha", 0.2f);
    tn_attr_bool(&t, "fuse_scaleact", true);
    tn_attr_float(&t, "scale1", -1.0f);
    tn_attr_float(&t, "bias1", 3.0f);
    assert_int_equal(tn_run(&t), CLR_OK);
    for (int64_t i = 0; i < 45; i++) {
        float y = 2.0f * (fv(&x, i) + 0.5f);
        want[i] = -1.0f * (y > 0 ? y : 0.2f * y) + 3.0f;
    }
    assert_close(&out, want, 45, 1e-6);
    tn_init(&t, "scale"); /* relu6 clipped at alpha */
    tn_input(&t, "X", &x);
    tn_output(&t, "Out", &out);
    tn_attr_float(&t, "scale", 3.0f);
    tn_attr_float(&t, "bias", 1.0f);
    tn_attr_bool(&t, "bias_after_scale", true);
    tn_attr_str(&t, "activation_type", "relu6");
    tn_attr_float(&t, "alpha", 4.0f);
    assert_int_equal(tn_run(&t), CLR_OK);
    for (int64_t i = 0; i < 45; i++) want[i] = fminf(fmaxf(3.0f * fv(&x, i) + 1.0f, 0), 4.0f);
    assert_close(&out, want, 45, 1e-6);
    clr_tensor xi; /* INT64 */
    ints(&xi, CLR_DTYPE_INT64, 2, d, -100, 100);
    tn_init(&t, "scale");
    tn_input(&t, "X", &xi);
    tn_output(&t, "Out", &out);
    tn_attr_float(&t, "scale", 2.0f);
    tn_attr_float(&t, "bias", 3.0f);
    tn_attr_bool(&t, "bias_after_scale", true);
    assert_int_equal(tn_run(&t), CLR_OK);
    assert_int_equal(out.dtype, CLR_DTYPE_INT64);
    for (int64_t i = 0; i < 45; i++) assert_int_equal(ival(&out, i), 2 * ival(&xi, i) + 3);
    tn_init(&t, "scale");
    tn_input(&t, "X", &x);
    tn_output(&t, "Out", &out);
    tn_attr_str(&t, "activation_type", "tanh");
    assert_int_equal(tn_run(&t), CLR_ERR_UNSUPPORTED);
    free(want);
    clr_tensor_release(&x);
    clr_tensor_release(&xi);
    clr_tensor_release(&out);
}

/* ---- softmax and norms -------------------------------------------------- */

static void softmax_all_axes(void **state) {
    (void)state;
    int64_t d[4] = {2, 3, 5, 7};
    clr_tensor x, out = {0};
    f32(&x, 4, d, -30, 30); /* large spread: the max shift matters */
    float *want = buf(210);
    for (int lg = 0; lg < 2; lg++)
        for (int axis = -4; axis < 4; axis++) {
            clr_test_node t;
            tn_init(&t, lg ? "log_softmax" : "softmax");
            tn_input(&t, "X", &x);
            tn_output(&t, "Out", &out);
            tn_attr_int(&t, "axis", axis);
            assert_int_equal(tn_run(&t), CLR_OK);
            int32_t a = axis < 0 ? axis + 4 : axis;
            int64_t idx[4], stride = 1;
            for (int32_t k = a + 1; k < 4; k++) stride *= d[k];
            for (int64_t i = 0; i < 210; i++) {
                unravel(i, 4, d, idx);
                int64_t base = i - idx[a] * stride;
                double m = -INFINITY, s = 0;
                for (int64_t k = 0; k < d[a]; k++) m = fmax(m, fv(&x, base + k * stride));
                for (int64_t k = 0; k < d[a]; k++) s += exp(fv(&x, base + k * stride) - m);
                want[i] = lg ? (float)(fv(&x, i) - m - log(s)) : (float)(exp(fv(&x, i) - m) / s);
            }
            assert_close(&out, want, 210, 1e-5);
        }
    clr_test_node t;
    tn_init(&t, "softmax");
    tn_input(&t, "X", &x);
    tn_output(&t, "Out", &out);
    tn_attr_int(&t, "axis", 4);
    assert_int_equal(tn_run(&t), CLR_ERR_FORMAT);
    free(want);
    clr_tensor_release(&x);
    clr_tensor_release(&out);
}

static void norms_match_formulas(void **state) {
    (void)state;
    int64_t d[4] = {2, 3, 4, 5}, cd = 3, rd = 20;
    clr_tensor x, sc, bi, mean, var, lsc, lbi, y = {0}, mo = {0}, vo = {0};
    f32(&x, 4, d, -2, 3);
    f32(&sc, 1, &cd, 0.5f, 1.5f);
    f32(&bi, 1, &cd, -1, 1);
    f32(&mean, 1, &cd, -1, 1);
    f32(&var, 1, &cd, 0.1f, 2);
    f32(&lsc, 1, &rd, 0.5f, 1.5f);
    f32(&lbi, 1, &rd, -1, 1);
    float *want = buf(120);
    clr_test_node t;
    tn_init(&t, "batch_norm");
    tn_input(&t, "X", &x);
    tn_input(&t, "Scale", &sc);
    tn_input(&t, "Bias", &bi);
    tn_input(&t, "Mean", &mean);
    tn_input(&t, "Variance", &var);
    tn_output(&t, "Y", &y);
    tn_attr_float(&t, "epsilon", 1e-3f);
    tn_attr_int(&t, "is_test", 1);
    assert_int_equal(tn_run(&t), CLR_OK);
    for (int64_t i = 0; i < 120; i++) {
        int64_t c = (i / 20) % 3;
        want[i] = (float)((fv(&x, i) - fv(&mean, c)) / sqrt(fv(&var, c) + 1e-3) * fv(&sc, c) + fv(&bi, c));
    }
    assert_close(&y, want, 120, 1e-5);
    /* layer_norm from axis 2: 6 rows of 20 */
    tn_init(&t, "layer_norm");
    tn_input(&t, "X", &x);
    tn_input(&t, "Scale", &lsc);
    tn_input(&t, "Bias", &lbi);
    tn_output(&t, "Y", &y);
    tn_output(&t, "Mean", &mo);
    tn_output(&t, "Variance", &vo);
    tn_attr_int(&t, "begin_norm_axis", 2);
    tn_attr_float(&t, "epsilon", 1e-5f);
    assert_int_equal(tn_run(&t), CLR_OK);
    float wm[6], wv[6];
    for (int r = 0; r < 6; r++) {
        double s = 0, ss = 0;
        for (int k = 0; k < 20; k++) s += fv(&x, r * 20 + k);
        for (int k = 0; k < 20; k++) ss += pow(fv(&x, r * 20 + k) - s / 20, 2);
        wm[r] = (float)(s / 20);
        wv[r] = (float)(ss / 20);
        for (int k = 0; k < 20; k++)
            want[r * 20 + k] = (float)((fv(&x, r * 20 + k) - s / 20) / sqrt(ss / 20 + 1e-5) * fv(&lsc, k) + fv(&lbi, k));
    }
    assert_close(&y, want, 120, 1e-5);
    assert_close(&mo, wm, 6, 1e-6);
    assert_close(&vo, wv, 6, 1e-6);
    /* instance_norm: per (n, c) plane of 20 */
    tn_init(&t, "instance_norm");
    tn_input(&t, "X", &x);
    tn_input(&t, "Scale", &sc);
    tn_input(&t, "Bias", &bi);
    tn_output(&t, "Y", &y);
    tn_attr_float(&t, "epsilon", 1e-5f);
    assert_int_equal(tn_run(&t), CLR_OK);
    for (int r = 0; r < 6; r++) {
        double s = 0, ss = 0;
        for (int k = 0; k < 20; k++) s += fv(&x, r * 20 + k);
        for (int k = 0; k < 20; k++) ss += pow(fv(&x, r * 20 + k) - s / 20, 2);
        for (int k = 0; k < 20; k++)
            want[r * 20 + k] = (float)((fv(&x, r * 20 + k) - s / 20) / sqrt(ss / 20 + 1e-5) * fv(&sc, r % 3) + fv(&bi, r % 3));
    }
    assert_close(&y, want, 120, 1e-5);
    /* errors: Scale of the wrong size, missing Mean */
    tn_init(&t, "layer_norm");
    tn_input(&t, "X", &x);
    tn_input(&t, "Scale", &sc);
    tn_output(&t, "Y", &y);
    tn_attr_int(&t, "begin_norm_axis", 2);
    assert_int_equal(tn_run(&t), CLR_ERR_FORMAT);
    tn_init(&t, "batch_norm");
    tn_input(&t, "X", &x);
    tn_input(&t, "Scale", &sc);
    tn_input(&t, "Bias", &bi);
    tn_input(&t, "Variance", &var);
    tn_output(&t, "Y", &y);
    assert_int_equal(tn_run(&t), CLR_ERR_FORMAT);
    assert_non_null(strstr(t.err.msg, "'Mean'"));
    free(want);
    clr_tensor *all[] = {&x, &sc, &bi, &mean, &var, &lsc, &lbi, &y, &mo, &vo};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) clr_tensor_release(all[i]);
}

/* ---- pool2d ------------------------------------------------------------- */

typedef struct pcase {
    int64_t h, w, kh, kw, sh, sw;
    int32_t np, pads[4];
    bool ceil, exclusive, adaptive, global, is_max;
    const char *algo;
} pcase;

/* Output size along one axis (textbook formula, computed here). */
static int64_t pout(int64_t in, int64_t k, int64_t s, int64_t p0, int64_t p1, bool ceil_mode) {
    return (in + p0 + p1 - k + (ceil_mode ? s - 1 : 0)) / s + 1;
}

static void run_pool(const pcase *c) {
    int64_t d[4] = {2, 3, c->h, c->w};
    clr_tensor x, out = {0};
    f32(&x, 4, d, -5, 5);
    clr_test_node t;
    tn_init(&t, "pool2d");
    tn_input(&t, "X", &x);
    tn_output(&t, "Out", &out);
    tn_attr_str(&t, "pooling_type", c->is_max ? "max" : "avg");
    int32_t ks[2] = {(int32_t)c->kh, (int32_t)c->kw}, ss[2] = {(int32_t)c->sh, (int32_t)c->sw};
    tn_attr_ints(&t, "ksize", 2, ks);
    tn_attr_ints(&t, "strides", 2, ss);
    tn_attr_ints(&t, "paddings", c->np, c->pads);
    tn_attr_bool(&t, "global_pooling", c->global);
    tn_attr_bool(&t, "exclusive", c->exclusive);
    tn_attr_bool(&t, "adaptive", c->adaptive);
    tn_attr_bool(&t, "ceil_mode", c->ceil);
    if (c->algo) tn_attr_str(&t, "padding_algorithm", c->algo);
    assert_int_equal(tn_run(&t), CLR_OK);
    int64_t pt = c->pads[0], pb = c->np == 4 ? c->pads[1] : c->pads[0];
    int64_t pl = c->np == 4 ? c->pads[2] : c->pads[1], pr = c->np == 4 ? c->pads[3] : c->pads[1];
    int64_t kh = c->kh, kw = c->kw, oh, ow;
    if (c->algo && !strcmp(c->algo, "SAME")) {
        oh = (c->h + c->sh - 1) / c->sh;
        ow = (c->w + c->sw - 1) / c->sw;
        int64_t th = (oh - 1) * c->sh + kh - c->h, tw = (ow - 1) * c->sw + kw - c->w;
        th = th > 0 ? th : 0;
        tw = tw > 0 ? tw : 0;
        pt = th / 2, pb = th - pt, pl = tw / 2, pr = tw - pl;
    } else if (c->global) {
        kh = c->h, kw = c->w, pt = pb = pl = pr = 0;
        oh = ow = 1;
    } else if (c->adaptive) {
        oh = kh, ow = kw;
    } else {
        if (c->algo && !strcmp(c->algo, "VALID")) pt = pb = pl = pr = 0;
        oh = pout(c->h, kh, c->sh, pt, pb, c->ceil);
        ow = pout(c->w, kw, c->sw, pl, pr, c->ceil);
    }
    int64_t od[4] = {2, 3, oh, ow};
    assert_shape(&out, 4, od);
    float *want = buf(6 * oh * ow);
    for (int64_t p = 0; p < 6; p++)
        for (int64_t i = 0; i < oh; i++)
            for (int64_t j = 0; j < ow; j++) {
                int64_t hs, he, ws, we, size;
                if (c->adaptive && !c->global) {
                    hs = (int64_t)floor((double)i * c->h / oh);
                    he = (int64_t)ceil((double)(i + 1) * c->h / oh);
                    ws = (int64_t)floor((double)j * c->w / ow);
                    we = (int64_t)ceil((double)(j + 1) * c->w / ow);
                    size = (he - hs) * (we - ws);
                } else {
                    hs = i * (c->global ? 1 : c->sh) - pt;
                    ws = j * (c->global ? 1 : c->sw) - pl;
                    he = hs + kh < c->h + pb ? hs + kh : c->h + pb;
                    we = ws + kw < c->w + pr ? ws + kw : c->w + pr;
                    size = (he - hs) * (we - ws);
                    hs = hs > 0 ? hs : 0, ws = ws > 0 ? ws : 0;
                    he = he < c->h ? he : c->h, we = we < c->w ? we : c->w;
                }
                double acc = c->is_max ? -INFINITY : 0;
                int64_t cnt = 0;
                for (int64_t h = hs; h < he; h++)
                    for (int64_t w = ws; w < we; w++, cnt++) {
                        double v = fv(&x, (p * c->h + h) * c->w + w);
                        acc = c->is_max ? fmax(acc, v) : acc + v;
                    }
                /* a window wholly in the padding averages to 0, as ARM's pooling_basic does */
                if (!c->is_max) acc /= (c->exclusive || c->adaptive) ? (double)(cnt > 0 ? cnt : 1) : (double)size;
                want[(p * oh + i) * ow + j] = (float)acc;
            }
    assert_close(&out, want, 6 * oh * ow, 1e-5);
    free(want);
    clr_tensor_release(&x);
    clr_tensor_release(&out);
}

static void pool2d_windows(void **state) {
    (void)state;
    const pcase cases[] = {
        {9, 11, 3, 3, 2, 2, 2, {1, 1}, false, true, false, false, true, NULL},
        {9, 11, 3, 3, 2, 2, 2, {1, 1}, false, true, false, false, false, NULL},
        {9, 11, 3, 3, 2, 2, 2, {1, 1}, false, false, false, false, false, NULL},
        {10, 7, 2, 2, 2, 2, 2, {0, 0}, true, true, false, false, true, NULL},
        {10, 7, 3, 2, 2, 3, 4, {1, 0, 2, 1}, true, false, false, false, false, NULL},
        {10, 7, 3, 2, 2, 3, 4, {1, 0, 2, 1}, true, true, false, false, false, NULL},
        {13, 9, 5, 4, 3, 2, 4, {2, 1, 0, 3}, false, false, false, false, true, NULL},
        {8, 8, 3, 3, 1, 1, 2, {1, 1}, false, false, false, false, false, NULL},
        {7, 13, 3, 3, 1, 1, 2, {0, 0}, false, true, false, true, false, NULL},
        {7, 13, 3, 3, 1, 1, 2, {0, 0}, false, true, false, true, true, NULL},
        {7, 13, 3, 4, 1, 1, 2, {0, 0}, false, true, true, false, false, NULL},
        {7, 13, 3, 4, 1, 1, 2, {0, 0}, false, true, true, false, true, NULL},
        {11, 10, 3, 3, 2, 2, 2, {5, 5}, false, true, false, false, true, "SAME"},
        {11, 10, 3, 2, 2, 3, 2, {5, 5}, false, true, false, false, false, "VALID"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) run_pool(&cases[i]);
}

static void pool2d_errors(void **state) {
    (void)state;
    int64_t d3[3] = {3, 4, 5}, d4[4] = {1, 2, 4, 4};
    clr_tensor x3, x4, out = {0};
    f32(&x3, 3, d3, 0, 1);
    f32(&x4, 4, d4, 0, 1);
    int32_t k[2] = {2, 2};
    clr_test_node t;
    tn_init(&t, "pool2d");
    tn_input(&t, "X", &x3);
    tn_output(&t, "Out", &out);
    tn_attr_str(&t, "pooling_type", "max");
    tn_attr_ints(&t, "ksize", 2, k);
    assert_int_equal(tn_run(&t), CLR_ERR_FORMAT);
    assert_non_null(strstr(t.err.msg, "3 dims"));
    tn_init(&t, "pool2d");
    tn_input(&t, "X", &x4);
    tn_output(&t, "Out", &out);
    tn_attr_str(&t, "pooling_type", "lp");
    tn_attr_ints(&t, "ksize", 2, k);
    assert_int_equal(tn_run(&t), CLR_ERR_UNSUPPORTED);
    assert_non_null(strstr(t.err.msg, "'lp'"));
    int32_t big[2] = {7, 7};
    tn_init(&t, "pool2d");
    tn_input(&t, "X", &x4);
    tn_output(&t, "Out", &out);
    tn_attr_str(&t, "pooling_type", "avg");
    tn_attr_ints(&t, "ksize", 2, big);
    assert_int_equal(tn_run(&t), CLR_ERR_FORMAT);
    clr_tensor_release(&x3);
    clr_tensor_release(&x4);
    clr_tensor_release(&out);
}

/* ---- interpolation ------------------------------------------------------ */

typedef struct icase {
    const char *type;
    int64_t h, w;
    int32_t out_h, out_w; /* attrs */
    float scale[2];       /* attr (v1 uses [0]); 0 = absent */
    int32_t outsize[2];   /* OutSize tensor when nonzero */
    bool align;
    int32_t align_mode;
} icase;

static void run_interp(const icase *c) {
    int64_t d[4] = {2, 2, c->h, c->w};
    clr_tensor x, os, out = {0};
    f32(&x, 4, d, -5, 5);
    bool v2 = strstr(c->type, "_v2") != NULL, nearest = !strncmp(c->type, "nearest", 7);
    clr_test_node t;
    tn_init(&t, c->type);
    tn_input(&t, "X", &x);
    int64_t two = 2;
    memset(&os, 0, sizeof os);
    if (c->outsize[0]) {
        assert_int_equal(clr_tensor_resize(&os, CLR_DTYPE_INT32, 1, &two, NULL), CLR_OK);
        memcpy(os.data, c->outsize, sizeof c->outsize);
        tn_input(&t, "OutSize", &os);
    }
    tn_output(&t, "Out", &out);
    tn_attr_int(&t, "out_h", c->out_h);
    tn_attr_int(&t, "out_w", c->out_w);
    if (c->scale[0] > 0) {
        if (v2) tn_attr_floats(&t, "scale", 2, c->scale);
        else tn_attr_float(&t, "scale", c->scale[0]);
    }
    tn_attr_bool(&t, "align_corners", c->align);
    tn_attr_int(&t, "align_mode", c->align_mode);
    tn_attr_str(&t, "interp_method", nearest ? "nearest" : "bilinear");
    assert_int_equal(tn_run(&t), CLR_OK);
    float sh = c->scale[0], sw = v2 ? c->scale[1] : c->scale[0];
    int64_t oh = c->out_h, ow = c->out_w;
    if (sh > 0) oh = (int64_t)(c->h * sh), ow = (int64_t)(c->w * sw);
    if (c->outsize[0]) oh = c->outsize[0], ow = c->outsize[1];
    int64_t od[4] = {2, 2, oh, ow};
    assert_shape(&out, 4, od);
    /* ratios: align_corners (in-1)/(out-1); v2 with a scale 1/scale; else in/out */
    /* Paddle-Lite keeps the ratios and the nearest source coordinate in float */
    float rh = oh > 1 ? (c->align ? (c->h - 1.0f) / (oh - 1.0f) : (v2 && sh > 0 ? (float)(1.0 / sh) : (float)c->h / oh)) : 0;
    float rw = ow > 1 ? (c->align ? (c->w - 1.0f) / (ow - 1.0f) : (v2 && sw > 0 ? (float)(1.0 / sw) : (float)c->w / ow)) : 0;
    float *want = buf(4 * oh * ow);
    for (int64_t p = 0; p < 4; p++)
        for (int64_t i = 0; i < oh; i++)
            for (int64_t j = 0; j < ow; j++) {
                const float *src = (const float *)x.data + p * c->h * c->w;
                double v;
                if (nearest) {
                    int64_t yi = (int64_t)(rh * (float)i + (c->align ? 0.5f : 0)), xi = (int64_t)(rw * (float)j + (c->align ? 0.5f : 0));
                    v = src[yi * c->w + xi];
                } else {
                    bool half = !c->align && c->align_mode == 0;
                    double fy = half ? fmax(rh * (i + 0.5) - 0.5, 0) : rh * i;
                    double fx = half ? fmax(rw * (j + 0.5) - 0.5, 0) : rw * j;
                    int64_t y0 = (int64_t)fy, x0 = (int64_t)fx;
                    int64_t y1 = y0 + 1 < c->h ? y0 + 1 : c->h - 1, x1 = x0 + 1 < c->w ? x0 + 1 : c->w - 1;
                    double ly = fy - y0, lx = fx - x0;
                    v = (1 - ly) * ((1 - lx) * src[y0 * c->w + x0] + lx * src[y0 * c->w + x1]) +
                        ly * ((1 - lx) * src[y1 * c->w + x0] + lx * src[y1 * c->w + x1]);
                }
                want[(p * oh + i) * ow + j] = (float)v;
            }
    assert_close(&out, want, 4 * oh * ow, 1e-4);
    free(want);
    clr_tensor_release(&x);
    clr_tensor_release(&os);
    clr_tensor_release(&out);
}

static void interp_sizes_and_coordinates(void **state) {
    (void)state;
    const icase cases[] = {
        {"nearest_interp_v2", 5, 7, -1, -1, {2, 2}, {0, 0}, false, 1},
        {"nearest_interp_v2", 5, 7, -1, -1, {1.5f, 0.6f}, {0, 0}, false, 1},
        {"nearest_interp_v2", 5, 7, 3, 3, {0, 0}, {0, 0}, true, 1},
        {"nearest_interp", 6, 4, 11, 9, {0, 0}, {0, 0}, false, 1},
        {"nearest_interp", 6, 4, 11, 9, {0, 0}, {0, 0}, true, 1},
        {"nearest_interp", 6, 4, 1, 1, {0, 0}, {13, 5}, true, 1},
        {"bilinear_interp_v2", 5, 7, -1, -1, {2, 2}, {0, 0}, false, 0},
        {"bilinear_interp_v2", 5, 7, -1, -1, {1.7f, 2.5f}, {0, 0}, false, 0},
        {"bilinear_interp_v2", 5, 7, -1, -1, {1.7f, 2.5f}, {0, 0}, false, 1},
        {"bilinear_interp_v2", 5, 7, -1, -1, {0, 0}, {9, 3}, true, 0},
        {"bilinear_interp", 9, 6, 4, 13, {0, 0}, {0, 0}, false, 0},
        {"bilinear_interp", 9, 6, 4, 13, {0, 0}, {0, 0}, false, 1},
        {"bilinear_interp", 9, 6, 4, 13, {0, 0}, {0, 0}, true, 1},
        {"bilinear_interp", 9, 6, 1, 1, {1.5f, 0}, {0, 0}, false, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) run_interp(&cases[i]);
}

static void interp_errors(void **state) {
    (void)state;
    int64_t d[3] = {2, 4, 4};
    clr_tensor x, out = {0};
    f32(&x, 3, d, 0, 1);
    clr_test_node t;
    tn_init(&t, "bilinear_interp_v2");
    tn_input(&t, "X", &x);
    tn_output(&t, "Out", &out);
    tn_attr_int(&t, "out_h", 4);
    tn_attr_int(&t, "out_w", 4);
    assert_int_equal(tn_run(&t), CLR_ERR_FORMAT);
    clr_tensor_release(&x);
    int64_t d4[4] = {1, 1, 4, 4};
    f32(&x, 4, d4, 0, 1);
    tn_init(&t, "nearest_interp");
    tn_input(&t, "X", &x);
    tn_output(&t, "Out", &out);
    assert_int_equal(tn_run(&t), CLR_ERR_FORMAT); /* no size anywhere */
    assert_non_null(strstr(t.err.msg, "not positive"));
    clr_tensor_release(&x);
    clr_tensor_release(&out);
}

/* ---- reductions --------------------------------------------------------- */

static void run_reduce(const char *type, int32_t dtype, int32_t nd, const int64_t *d, int32_t ndim, const int32_t *dims,
                       bool keep, bool all) {
    clr_tensor x, out = {0};
    if (dtype == CLR_DTYPE_FP32) f32(&x, nd, d, -2, 2);
    else ints(&x, dtype, nd, d, -5, 5);
    clr_test_node t;
    tn_init(&t, type);
    tn_input(&t, "X", &x);
    tn_output(&t, "Out", &out);
    if (ndim >= 0) tn_attr_ints(&t, "dim", ndim, dims);
    tn_attr_bool(&t, "keep_dim", keep);
    tn_attr_bool(&t, "reduce_all", all);
    assert_int_equal(tn_run(&t), CLR_OK);
    bool red[8] = {false};
    for (int32_t i = 0; i < nd; i++) red[i] = all || ndim <= 0;
    for (int32_t i = 0; i < ndim; i++) red[dims[i] < 0 ? dims[i] + nd : dims[i]] = true;
    int64_t od[8], kd[8];
    int32_t orank = 0;
    for (int32_t i = 0; i < nd; i++) {
        kd[i] = red[i] ? 1 : d[i];
        if (keep || !red[i]) od[orank++] = kd[i];
    }
    if (orank == 0) od[orank++] = 1;
    assert_shape(&out, orank, od);
    int64_t on = clr_tensor_numel(&out), idx[8];
    for (int64_t o = 0; o < on; o++) {
        unravel(o, nd, kd, idx); /* kept dims: output position; reduced: start at 0 */
        double acc = !strcmp(type, "reduce_max") ? -INFINITY : !strcmp(type, "reduce_min") ? INFINITY
                     : !strcmp(type, "reduce_prod")                                         ? 1
                                                                                            : 0;
        int64_t cnt = 0;
        for (int64_t i = 0; i < clr_tensor_numel(&x); i++) {
            int64_t xi[8];
            unravel(i, nd, d, xi);
            bool match = true;
            for (int32_t k = 0; k < nd; k++) match = match && (red[k] || xi[k] == idx[k]);
            if (!match) continue;
            double v = dtype == CLR_DTYPE_FP32 ? fv(&x, i) : (double)ival(&x, i);
            cnt++;
            if (!strcmp(type, "reduce_max")) acc = fmax(acc, v);
            else if (!strcmp(type, "reduce_min")) acc = fmin(acc, v);
            else if (!strcmp(type, "reduce_prod")) acc *= v;
            else acc += v;
        }
        if (!strcmp(type, "reduce_mean")) acc = dtype == CLR_DTYPE_FP32 ? acc / cnt : (double)((int64_t)acc / cnt);
        if (dtype == CLR_DTYPE_FP32) {
            if (fabs(fv(&out, o) - acc) > 1e-4 * fmax(1, fabs(acc))) fail_msg("%s[%lld] got %g want %g", type, (long long)o, fv(&out, o), acc);
        } else {
            assert_int_equal(ival(&out, o), (int64_t)acc);
        }
    }
    clr_tensor_release(&x);
    clr_tensor_release(&out);
}

static void reductions(void **state) {
    (void)state;
    const char *types[] = {"reduce_sum", "reduce_mean", "reduce_max", "reduce_min", "reduce_prod"};
    int64_t d[4] = {3, 5, 2, 7};
    int32_t d1[1] = {1}, d2[2] = {-1, 0}, d3[3] = {0, 2, 3};
    for (size_t k = 0; k < 5; k++)
        for (int keep = 0; keep < 2; keep++) {
            run_reduce(types[k], CLR_DTYPE_FP32, 4, d, 1, d1, keep, false);
            run_reduce(types[k], CLR_DTYPE_FP32, 4, d, 2, d2, keep, false);
            run_reduce(types[k], CLR_DTYPE_FP32, 4, d, 3, d3, keep, false);
            run_reduce(types[k], CLR_DTYPE_FP32, 4, d, 1, d1, keep, true);
            run_reduce(types[k], CLR_DTYPE_FP32, 4, d, 0, d1, keep, false);
            run_reduce(types[k], CLR_DTYPE_INT64, 4, d, 2, d2, keep, false);
            run_reduce(types[k], CLR_DTYPE_INT32, 4, d, 1, d1, keep, false);
        }
    /* mean: everything into [1] */
    clr_tensor x, out = {0};
    f32(&x, 4, d, -1, 1);
    clr_test_node t;
    tn_init(&t, "mean");
    tn_input(&t, "X", &x);
    tn_output(&t, "Out", &out);
    assert_int_equal(tn_run(&t), CLR_OK);
    double s = 0;
    for (int64_t i = 0; i < 210; i++) s += fv(&x, i);
    int64_t one = 1;
    assert_shape(&out, 1, &one);
    assert_true(fabs(fv(&out, 0) - s / 210) < 1e-6);
    int32_t bad[1] = {4};
    tn_init(&t, "reduce_sum");
    tn_input(&t, "X", &x);
    tn_output(&t, "Out", &out);
    tn_attr_ints(&t, "dim", 1, bad);
    assert_int_equal(tn_run(&t), CLR_ERR_FORMAT);
    clr_tensor_release(&x);
    clr_tensor_release(&out);
}

/* ---- allocation failures ------------------------------------------------ */

static void allocation_failures_are_reported(void **state) {
    (void)state;
    int64_t d[4] = {1, 3, 4, 5};
    clr_tensor x, out = {0};
    f32(&x, 4, d, -1, 1);
    const char *types[] = {"softmax", "reduce_sum", "bilinear_interp_v2"};
    for (size_t k = 0; k < 3; k++) {
        clr_test_node t;
        tn_init(&t, types[k]);
        tn_input(&t, "X", &x);
        tn_output(&t, "Out", &out);
        tn_attr_int(&t, "axis", 1);
        tn_attr_int(&t, "out_h", 3);
        tn_attr_int(&t, "out_w", 3);
        clr_alloc_fail_after(0);
        clr_status st = tn_run(&t);
        clr_alloc_fail_after(-1);
        assert_int_equal(st, CLR_ERR_NOMEM);
        assert_non_null(strstr(t.err.msg, types[k]));
        clr_tensor_release(&out);
        memset(&out, 0, sizeof out);
    }
    clr_tensor_release(&x);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(elementwise_float_broadcasts),
        cmocka_unit_test(elementwise_int_ops),
        cmocka_unit_test(elementwise_trailing_ones_and_fusions),
        cmocka_unit_test(elementwise_errors),
        cmocka_unit_test(activations_match_formulas),
        cmocka_unit_test(arm_arithmetic_emulation),
        cmocka_unit_test(prelu_modes_and_clip),
        cmocka_unit_test(scale_variants),
        cmocka_unit_test(softmax_all_axes),
        cmocka_unit_test(norms_match_formulas),
        cmocka_unit_test(pool2d_windows),
        cmocka_unit_test(pool2d_errors),
        cmocka_unit_test(interp_sizes_and_coordinates),
        cmocka_unit_test(interp_errors),
        cmocka_unit_test(reductions),
        cmocka_unit_test(allocation_failures_are_reported),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
