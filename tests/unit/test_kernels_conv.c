/* Unit tests for the conv family host kernels: each kernel against a naive
 * reference written here (direct 7-loop convolution, scatter transpose conv,
 * triple-loop matmul, int8 with int32 sums), on seeded random data and odd
 * shapes, plus ARM int8 rounding and error paths. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/alloc.h"
#include "kernels/host/conv_common.h"
#include "test_models.h"
#include "test_node.h"

static clr_tensor make(int32_t dtype, int32_t nd, const int64_t *dims) {
    clr_tensor t;
    memset(&t, 0, sizeof t);
    if (clr_tensor_resize(&t, dtype, nd, dims, NULL) != CLR_OK) abort();
    return t;
}

static clr_tensor rand_f32(int32_t nd, const int64_t *dims, unsigned long long seed) {
    clr_tensor t = make(CLR_DTYPE_FP32, nd, dims);
    tn_fill_uniform(&t, seed, -1.0f, 1.0f);
    return t;
}

static clr_tensor rand_s8(int32_t nd, const int64_t *dims, unsigned long long seed) {
    clr_tensor t = make(CLR_DTYPE_INT8, nd, dims);
    clr_test_rng r = {seed * 7919 + 3};
    int8_t *p = t.data;
    for (int64_t i = 0; i < clr_tensor_numel(&t); i++) p[i] = (int8_t)((int)(clr_test_rng_next(&r) % 255) - 127);
    return t;
}

typedef struct conv_case {
    int64_t n, cin, h, w, cout, kh, kw, groups, sh, sw, dh, dw;
    int32_t npad, pad[4];
    const char *algo;
    bool bias;
    const char *act;
} conv_case;

/* Paddings as (top, bottom, left, right) and dilations after the padding algorithm. */
static void ref_pads(const conv_case *c, int64_t p[4], int64_t *dh, int64_t *dw) {
    if (c->npad == 2) p[0] = p[1] = c->pad[0], p[2] = p[3] = c->pad[1];
    else
        for (int i = 0; i < 4; i++) p[i] = c->pad[i];
    *dh = c->dh, *dw = c->dw;
    if (c->algo && strcmp(c->algo, "VALID") == 0) p[0] = p[1] = p[2] = p[3] = 0;
    if (c->algo && strcmp(c->algo, "SAME") == 0) {
        int64_t in[2] = {c->h, c->w}, k[2] = {c->kh, c->kw}, s[2] = {c->sh, c->sw};
        for (int i = 0; i < 2; i++) {
            int64_t o = (in[i] + s[i] - 1) / s[i], t = (o - 1) * s[i] + k[i] - in[i];
            if (t < 0) t = 0;
            p[2 * i] = t / 2, p[2 * i + 1] = t - t / 2;
        }
        *dh = *dw = 1;
    }
}

static float ref_act(const char *act, float v) {
    if (!act) return v;
    if (!strcmp(act, "relu")) return v > 0 ? v : 0;
    if (!strcmp(act, "relu6")) return v < 0 ? 0 : v > 0.5f ? 0.5f : v; /* threshold set to 0.5 below */
    if (!strcmp(act, "leaky_relu")) return v > 0 ? v : 0.1f * v;
    if (!strcmp(act, "hard_swish")) return v * fminf(fmaxf(v + 3.0f, 0.0f), 6.0f) / 6.0f;
    return v;
}

static void set_conv_attrs(clr_test_node *t, const conv_case *c) {
    int32_t s[2] = {(int32_t)c->sh, (int32_t)c->sw}, d[2] = {(int32_t)c->dh, (int32_t)c->dw};
    tn_attr_ints(t, "strides", 2, s);
    tn_attr_ints(t, "paddings", c->npad, c->pad);
    tn_attr_ints(t, "dilations", 2, d);
    tn_attr_int(t, "groups", (int32_t)c->groups);
    if (c->algo) tn_attr_str(t, "padding_algorithm", c->algo);
    if (c->act) {
        tn_attr_bool(t, "with_act", true);
        tn_attr_str(t, "act_type", c->act);
        tn_attr_float(t, "fuse_brelu_threshold", 0.5f);
        tn_attr_float(t, "leaky_relu_alpha", 0.1f);
        tn_attr_float(t, "hard_swish_threshold", 6.0f);
        tn_attr_float(t, "hard_swish_scale", 6.0f);
        tn_attr_float(t, "hard_swish_offset", 3.0f);
    }
}

/* Naive conv: out[b][oc][oh][ow] = sum over the group's ci, kh, kw. Works on
 * doubles from a value getter so fp32 and int8 share it. */
static void ref_conv(const conv_case *c, const double *x, const double *w, double *y, int64_t *oh_, int64_t *ow_) {
    int64_t p[4], dh, dw;
    ref_pads(c, p, &dh, &dw);
    int64_t oh = (c->h + p[0] + p[1] - (dh * (c->kh - 1) + 1)) / c->sh + 1;
    int64_t ow = (c->w + p[2] + p[3] - (dw * (c->kw - 1) + 1)) / c->sw + 1;
    int64_t cig = c->cin / c->groups, cog = c->cout / c->groups;
    for (int64_t b = 0; b < c->n; b++)
        for (int64_t oc = 0; oc < c->cout; oc++)
            for (int64_t i = 0; i < oh; i++)
                for (int64_t j = 0; j < ow; j++) {
                    double s = 0;
                    int64_t g = oc / cog;
                    for (int64_t ci = 0; ci < cig; ci++)
                        for (int64_t a = 0; a < c->kh; a++)
                            for (int64_t e = 0; e < c->kw; e++) {
                                int64_t ih = i * c->sh - p[0] + a * dh, iw = j * c->sw - p[2] + e * dw;
                                if (ih < 0 || ih >= c->h || iw < 0 || iw >= c->w) continue;
                                s += x[((b * c->cin + g * cig + ci) * c->h + ih) * c->w + iw] *
                                     w[((oc * cig + ci) * c->kh + a) * c->kw + e];
                            }
                    y[((b * c->cout + oc) * oh + i) * ow + j] = s;
                }
    *oh_ = oh, *ow_ = ow;
}

static double *to_double(const clr_tensor *t) {
    int64_t n = clr_tensor_numel(t);
    double *d = malloc((size_t)(n ? n : 1) * sizeof *d);
    for (int64_t i = 0; i < n; i++)
        d[i] = t->dtype == CLR_DTYPE_INT8 ? ((const int8_t *)t->data)[i] : ((const float *)t->data)[i];
    return d;
}

static void check_conv_f32(const conv_case *c, const char *op, unsigned long long seed) {
    int64_t xd[4] = {c->n, c->cin, c->h, c->w}, fd[4] = {c->cout, c->cin / c->groups, c->kh, c->kw}, bd[1] = {c->cout};
    clr_tensor x = rand_f32(4, xd, seed), f = rand_f32(4, fd, seed + 1), b = rand_f32(1, bd, seed + 2), y = {0};
    clr_test_node t;
    tn_init(&t, op);
    tn_input(&t, "Input", &x);
    tn_input(&t, "Filter", &f);
    if (c->bias) tn_input(&t, "Bias", &b);
    tn_output(&t, "Output", &y);
    set_conv_attrs(&t, c);
    assert_int_equal(tn_run(&t), CLR_OK);
    double *xv = to_double(&x), *wv = to_double(&f);
    double *ref = calloc((size_t)(c->n * c->cout * (c->h + 8) * (c->w + 8)), sizeof *ref);
    int64_t oh, ow;
    ref_conv(c, xv, wv, ref, &oh, &ow);
    assert_int_equal(y.ndims, 4);
    assert_int_equal(y.dims[0], c->n);
    assert_int_equal(y.dims[1], c->cout);
    assert_int_equal(y.dims[2], oh);
    assert_int_equal(y.dims[3], ow);
    const float *yv = y.data, *bv = b.data;
    for (int64_t i = 0; i < clr_tensor_numel(&y); i++) {
        int64_t oc = (i / (oh * ow)) % c->cout;
        double want = ref_act(c->act, (float)(ref[i] + (c->bias ? bv[oc] : 0.0)));
        if (fabs(yv[i] - want) > 1e-4 * (1 + fabs(want))) fail_msg("%s elem %lld: got %g want %g", op, (long long)i, yv[i], want);
    }
    free(xv), free(wv), free(ref);
    clr_tensor_release(&x), clr_tensor_release(&f), clr_tensor_release(&b), clr_tensor_release(&y);
}

static const conv_case conv_cases[] = {
    /* n cin h w cout kh kw g sh sw dh dw npad pad algo bias act */
    {1, 3, 7, 9, 5, 3, 3, 1, 1, 1, 1, 1, 2, {1, 1}, NULL, true, NULL},
    {2, 5, 9, 7, 7, 3, 3, 1, 2, 2, 1, 1, 2, {1, 1}, NULL, true, "relu"},
    {1, 7, 13, 13, 6, 1, 1, 1, 1, 1, 1, 1, 2, {0, 0}, NULL, true, "relu6"},        /* 1x1 fast path */
    {1, 6, 13, 9, 9, 3, 3, 3, 1, 1, 2, 2, 4, {2, 1, 0, 3}, NULL, false, "leaky_relu"}, /* groups, dilation */
    {1, 5, 13, 13, 4, 5, 3, 1, 2, 1, 1, 1, 2, {0, 0}, "SAME", true, "hard_swish"},
    {1, 3, 9, 9, 4, 3, 3, 1, 2, 2, 1, 1, 2, {5, 5}, "VALID", true, NULL},
    {1, 260, 5, 6, 9, 1, 1, 1, 1, 1, 1, 1, 2, {0, 0}, NULL, true, NULL},              /* K > one GEMM block */
    {1, 4, 7, 5, 4, 3, 3, 4, 1, 1, 1, 1, 2, {1, 1}, NULL, true, "relu"},            /* depthwise */
    {2, 5, 9, 13, 10, 3, 3, 5, 2, 2, 1, 1, 2, {1, 1}, NULL, true, NULL},            /* depthwise x2, stride 2 */
    {1, 3, 13, 9, 3, 3, 3, 3, 1, 1, 2, 2, 2, {2, 2}, NULL, false, "relu6"},         /* depthwise dilation 2 */
    {1, 3, 9, 7, 3, 5, 5, 3, 3, 3, 1, 1, 2, {0, 0}, "SAME", true, NULL},            /* depthwise stride 3 SAME */
};

static void conv_matches_naive(void **state) {
    for (size_t i = 0; i < sizeof conv_cases / sizeof conv_cases[0]; i++)
        check_conv_f32(&conv_cases[i], conv_cases[i].groups == conv_cases[i].cin ? "depthwise_conv2d" : "conv2d", 100 + i);
}

/* Int8 conv: int8 Input and Filter, per-channel scales, fp32 or int8 output. */
static void check_conv_int8(const conv_case *c, bool out_int8, unsigned long long seed) {
    int64_t xd[4] = {c->n, c->cin, c->h, c->w}, fd[4] = {c->cout, c->cin / c->groups, c->kh, c->kw}, bd[1] = {c->cout};
    clr_tensor x = rand_s8(4, xd, seed), f = rand_s8(4, fd, seed + 1), b = rand_f32(1, bd, seed + 2), y = {0};
    float in_scale = 0.01f, out_scale = 0.05f, ws[64];
    for (int64_t i = 0; i < c->cout; i++) ws[i] = 0.001f * (float)(i + 1);
    clr_test_node t;
    tn_init(&t, "conv2d");
    tn_input(&t, "Input", &x);
    tn_input(&t, "Filter", &f);
    if (c->bias) tn_input(&t, "Bias", &b);
    tn_output(&t, "Output", &y);
    set_conv_attrs(&t, c);
    tn_attr_bool(&t, "enable_int8", true);
    tn_attr_floats(&t, "Input0_scale", 1, &in_scale);
    tn_attr_floats(&t, "Filter0_scale", (int32_t)c->cout, ws);
    tn_attr_floats(&t, "Output0_scale", 1, &out_scale);
    t.op.place = (clr_kernel_place){.present = true, .alias = out_int8 ? "int8_out" : "fp32_out"};
    assert_int_equal(tn_run(&t), CLR_OK);
    assert_int_equal(y.dtype, out_int8 ? CLR_DTYPE_INT8 : CLR_DTYPE_FP32);
    double *xv = to_double(&x), *wv = to_double(&f);
    double *ref = calloc((size_t)(c->n * c->cout * (c->h + 8) * (c->w + 8)), sizeof *ref);
    int64_t oh, ow;
    ref_conv(c, xv, wv, ref, &oh, &ow);
    const float *bv = b.data;
    for (int64_t i = 0; i < clr_tensor_numel(&y); i++) {
        int64_t oc = (i / (oh * ow)) % c->cout;
        double v = ref_act(c->act, (float)(ref[i] * in_scale * ws[oc] + (c->bias ? bv[oc] : 0.0)));
        if (out_int8) {
            double q = v / out_scale;
            q = q < -127 ? -127 : q > 127 ? 127 : q;
            int got = ((const int8_t *)y.data)[i];
            /* Allow one step where float rounding can land either side of .5. */
            if (fabs(got - round(q)) > (fabs(fabs(q - trunc(q)) - 0.5) < 1e-3 ? 1 : 0))
                fail_msg("int8 elem %lld: got %d want %g", (long long)i, got, q);
        } else {
            float got = ((const float *)y.data)[i];
            if (fabs(got - v) > 1e-4 * (1 + fabs(v))) fail_msg("elem %lld: got %g want %g", (long long)i, got, v);
        }
    }
    free(xv), free(wv), free(ref);
    clr_tensor_release(&x), clr_tensor_release(&f), clr_tensor_release(&b), clr_tensor_release(&y);
}

static void conv_int8_matches_naive(void **state) {
    static const conv_case cases[] = {
        {1, 5, 9, 7, 6, 3, 3, 1, 2, 1, 1, 1, 2, {1, 1}, NULL, true, NULL},
        {1, 300, 5, 5, 7, 1, 1, 1, 1, 1, 1, 1, 2, {0, 0}, NULL, true, "relu"}, /* K > 256: several exact blocks */
        {1, 6, 9, 9, 6, 3, 3, 6, 2, 2, 1, 1, 2, {1, 1}, NULL, true, "relu6"}, /* depthwise */
        {1, 4, 7, 9, 8, 3, 3, 2, 1, 1, 2, 2, 2, {2, 2}, NULL, false, "leaky_relu"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        check_conv_int8(&cases[i], false, 300 + i);
        check_conv_int8(&cases[i], true, 400 + i);
    }
}

/* ARM's int8 conv epilogue is one fmla onto the bias
 * (lite/backends/arm/math/gemm_prepacked_int8.cc GEMM_TRANS_INT32_TO_FP32,
 * conv_block_utils.h INT32_NCHWC8_TO_NCHW_FP32): bias + float(acc) * scale
 * rounded once. Checked exactly against the sum in double (exact here, so its
 * conversion to float is the single rounding), on data where a separately
 * rounded product gives a different float. */
static void conv_int8_epilogue_is_fused(void **state) {
    (void)state;
    for (int dw = 0; dw < 2; dw++) {
        int64_t xd[4] = {1, 1, 1, 127}, fd[4] = {1, 1, 1, 1}, bd[1] = {1};
        clr_tensor x = make(CLR_DTYPE_INT8, 4, xd), f = make(CLR_DTYPE_INT8, 4, fd), b = make(CLR_DTYPE_FP32, 1, bd);
        clr_tensor y = {0};
        for (int i = 0; i < 127; i++) ((int8_t *)x.data)[i] = (int8_t)(i - 63);
        ((int8_t *)f.data)[0] = 1;
        ((float *)b.data)[0] = 0.7f;
        float in_scale = 0.3f, w_scale = 0.1f;
        clr_test_node t;
        tn_init(&t, dw ? "depthwise_conv2d" : "conv2d");
        tn_input(&t, "Input", &x);
        tn_input(&t, "Filter", &f);
        tn_input(&t, "Bias", &b);
        tn_output(&t, "Output", &y);
        int32_t one[2] = {1, 1}, zero[2] = {0, 0};
        tn_attr_ints(&t, "strides", 2, one);
        tn_attr_ints(&t, "paddings", 2, zero);
        tn_attr_ints(&t, "dilations", 2, one);
        tn_attr_int(&t, "groups", 1);
        tn_attr_bool(&t, "enable_int8", true);
        tn_attr_floats(&t, "Input0_scale", 1, &in_scale);
        tn_attr_floats(&t, "Filter0_scale", 1, &w_scale);
        t.op.place = (clr_kernel_place){.present = true, .alias = "fp32_out"};
        assert_int_equal(tn_run(&t), CLR_OK);
        volatile float s = w_scale * in_scale; /* the kernel's per-channel scale */
        int differs = 0;
        for (int i = 0; i < 127; i++) {
            volatile float prod = (float)(i - 63) * s;
            float want = (float)((double)(i - 63) * (double)s + 0.7f), unfused = prod + 0.7f;
            differs += want != unfused;
            if (((const float *)y.data)[i] != want)
                fail_msg("acc %d: got %.9g want %.9g", i - 63, ((const float *)y.data)[i], want);
        }
        assert_true(differs > 0);
        clr_tensor_release(&x), clr_tensor_release(&f), clr_tensor_release(&b), clr_tensor_release(&y);
    }
}

/* conv2d_transpose by scattering each input pixel through the filter. */
static void transpose_matches_naive(void **state) {
    static const struct {
        int64_t n, cin, h, w, coutg, kh, kw, g, s, d, p;
        int32_t outpad;
    } cases[] = {{1, 3, 5, 7, 4, 3, 3, 1, 2, 1, 1, 1}, {2, 4, 7, 5, 3, 4, 4, 2, 2, 1, 1, 0},
                 {1, 6, 5, 5, 1, 3, 3, 6, 1, 2, 2, 1}, {1, 5, 9, 7, 2, 3, 5, 1, 3, 1, 0, 2}};
    for (size_t ci = 0; ci < sizeof cases / sizeof cases[0]; ci++) {
        __typeof__(cases[0]) c = cases[ci];
        int64_t xd[4] = {c.n, c.cin, c.h, c.w}, fd[4] = {c.cin, c.coutg, c.kh, c.kw}, cout = c.coutg * c.g;
        int64_t bd[1] = {cout};
        clr_tensor x = rand_f32(4, xd, 500 + ci), f = rand_f32(4, fd, 600 + ci), b = rand_f32(1, bd, 700), y = {0};
        clr_test_node t;
        tn_init(&t, "conv2d_transpose");
        tn_input(&t, "Input", &x);
        tn_input(&t, "Filter", &f);
        tn_input(&t, "Bias", &b);
        tn_output(&t, "Output", &y);
        int32_t s[2] = {(int32_t)c.s, (int32_t)c.s}, d[2] = {(int32_t)c.d, (int32_t)c.d}, p[2] = {(int32_t)c.p, (int32_t)c.p};
        int32_t op[2] = {c.outpad, c.outpad};
        tn_attr_ints(&t, "strides", 2, s);
        tn_attr_ints(&t, "paddings", 2, p);
        tn_attr_ints(&t, "dilations", 2, d);
        tn_attr_int(&t, "groups", (int32_t)c.g);
        tn_attr_ints(&t, "output_padding", 2, op);
        tn_attr_bool(&t, "with_act", true);
        tn_attr_str(&t, "act_type", "relu");
        assert_int_equal(tn_run(&t), CLR_OK);
        int64_t oh = (c.h - 1) * c.s - 2 * c.p + c.d * (c.kh - 1) + 1 + c.outpad;
        int64_t ow = (c.w - 1) * c.s - 2 * c.p + c.d * (c.kw - 1) + 1 + c.outpad;
        assert_int_equal(y.dims[1], cout);
        assert_int_equal(y.dims[2], oh);
        assert_int_equal(y.dims[3], ow);
        double *ref = calloc((size_t)(c.n * cout * oh * ow), sizeof *ref);
        const float *xv = x.data, *fv = f.data, *bv = b.data, *yv = y.data;
        int64_t cig = c.cin / c.g;
        for (int64_t bb = 0; bb < c.n; bb++)
            for (int64_t ic = 0; ic < c.cin; ic++)
                for (int64_t i = 0; i < c.h; i++)
                    for (int64_t j = 0; j < c.w; j++)
                        for (int64_t o = 0; o < c.coutg; o++)
                            for (int64_t a = 0; a < c.kh; a++)
                                for (int64_t e = 0; e < c.kw; e++) {
                                    int64_t r = i * c.s - c.p + a * c.d, q = j * c.s - c.p + e * c.d;
                                    if (r < 0 || r >= oh || q < 0 || q >= ow) continue;
                                    int64_t oc = (ic / cig) * c.coutg + o;
                                    ref[((bb * cout + oc) * oh + r) * ow + q] +=
                                        xv[((bb * c.cin + ic) * c.h + i) * c.w + j] * fv[((ic * c.coutg + o) * c.kh + a) * c.kw + e];
                                }
        for (int64_t i = 0; i < clr_tensor_numel(&y); i++) {
            double want = ref[i] + bv[(i / (oh * ow)) % cout];
            want = want > 0 ? want : 0;
            if (fabs(yv[i] - want) > 1e-4 * (1 + fabs(want))) fail_msg("case %zu elem %lld: got %g want %g", ci, (long long)i, yv[i], want);
        }
        free(ref);
        clr_tensor_release(&x), clr_tensor_release(&f), clr_tensor_release(&b), clr_tensor_release(&y);
    }
}

/* Naive batched matmul with numpy broadcasting over explicit shapes. */
static void check_matmul(const char *op, int32_t xr, const int64_t *xd, int32_t yr, const int64_t *yd, bool tx, bool ty,
                         float alpha, int32_t want_nd, const int64_t *want) {
    clr_tensor x = rand_f32(xr, xd, 800 + (unsigned)xr), yv = rand_f32(yr, yd, 900 + (unsigned)yr), out = {0};
    clr_test_node t;
    tn_init(&t, op);
    tn_input(&t, "X", &x);
    tn_input(&t, "Y", &yv);
    tn_output(&t, "Out", &out);
    tn_attr_bool(&t, strcmp(op, "matmul") ? "trans_x" : "transpose_X", tx);
    tn_attr_bool(&t, strcmp(op, "matmul") ? "trans_y" : "transpose_Y", ty);
    tn_attr_float(&t, "alpha", alpha);
    assert_int_equal(tn_run(&t), CLR_OK);
    assert_int_equal(out.ndims, want_nd);
    for (int32_t i = 0; i < want_nd; i++) assert_int_equal(out.dims[i], want[i]);
    /* Operands as [B, M, K] / [B, K, N] with batch broadcast over the leading dim only. */
    int64_t m = xr == 1 ? 1 : tx ? xd[xr - 1] : xd[xr - 2], k = xr == 1 ? xd[0] : tx ? xd[xr - 2] : xd[xr - 1];
    int64_t n = yr == 1 ? 1 : ty ? yd[yr - 2] : yd[yr - 1];
    int64_t xb = clr_tensor_numel(&x) / (m * k), yb = clr_tensor_numel(&yv) / (k * n), ob = xb > yb ? xb : yb;
    const float *xv = x.data, *yp = yv.data, *ov = out.data;
    for (int64_t b = 0; b < ob; b++)
        for (int64_t i = 0; i < m; i++)
            for (int64_t j = 0; j < n; j++) {
                double s = 0;
                for (int64_t q = 0; q < k; q++) {
                    const float *xm = xv + (xb == 1 ? 0 : b) * m * k, *ym = yp + (yb == 1 ? 0 : b) * k * n;
                    s += (double)(tx && xr > 1 ? xm[q * m + i] : xm[i * k + q]) * (ty && yr > 1 ? ym[j * k + q] : ym[q * n + j]);
                }
                s *= alpha;
                double got = ov[(b * m + i) * n + j];
                if (fabs(got - s) > 1e-4 * (1 + fabs(s))) fail_msg("%s: got %g want %g", op, got, s);
            }
    clr_tensor_release(&x), clr_tensor_release(&yv), clr_tensor_release(&out);
}

static void matmul_matches_naive(void **state) {
    check_matmul("matmul_v2", 3, (int64_t[]){3, 5, 7}, 2, (int64_t[]){7, 9}, false, false, 1.0f, 3, (int64_t[]){3, 5, 9});
    check_matmul("matmul_v2", 3, (int64_t[]){1, 7, 5}, 3, (int64_t[]){4, 9, 7}, true, true, 1.0f, 3, (int64_t[]){4, 5, 9});
    check_matmul("matmul_v2", 1, (int64_t[]){7}, 3, (int64_t[]){2, 7, 3}, false, false, 1.0f, 2, (int64_t[]){2, 3});
    check_matmul("matmul_v2", 2, (int64_t[]){5, 300}, 1, (int64_t[]){300}, false, false, 1.0f, 1, (int64_t[]){5});
    check_matmul("matmul_v2", 1, (int64_t[]){13}, 1, (int64_t[]){13}, false, false, 1.0f, 1, (int64_t[]){1});
    check_matmul("matmul", 2, (int64_t[]){9, 5}, 2, (int64_t[]){11, 9}, true, true, 0.5f, 2, (int64_t[]){5, 11});
}

static void fc_and_mul_match_naive(void **state) {
    int64_t xd[3] = {2, 3, 10}, wd[2] = {30, 7}, bd[1] = {7};
    clr_tensor x = rand_f32(3, xd, 1), w = rand_f32(2, wd, 2), b = rand_f32(1, bd, 3), y = {0};
    clr_test_node t;
    tn_init(&t, "fc");
    tn_input(&t, "Input", &x);
    tn_input(&t, "W", &w);
    tn_input(&t, "Bias", &b);
    tn_output(&t, "Out", &y);
    tn_attr_int(&t, "in_num_col_dims", 1);
    tn_attr_str(&t, "activation_type", "relu6");
    tn_attr_float(&t, "alpha", 0.25f);
    assert_int_equal(tn_run(&t), CLR_OK);
    assert_int_equal(y.ndims, 2);
    assert_int_equal(y.dims[0], 2);
    assert_int_equal(y.dims[1], 7);
    const float *xv = x.data, *wv = w.data, *bv = b.data, *yv = y.data;
    for (int i = 0; i < 2; i++)
        for (int j = 0; j < 7; j++) {
            double s = bv[j];
            for (int q = 0; q < 30; q++) s += (double)xv[i * 30 + q] * wv[q * 7 + j];
            s = s < 0 ? 0 : s > 0.25 ? 0.25 : s;
            assert_true(fabs(yv[i * 7 + j] - s) < 1e-5);
        }
    /* mul: X [2,3,10] at 2 -> [6,10], Y [10,7] -> out [2,3,7] */
    int64_t wd2[2] = {10, 7};
    clr_tensor w2 = rand_f32(2, wd2, 4), o = {0};
    tn_init(&t, "mul");
    tn_input(&t, "X", &x);
    tn_input(&t, "Y", &w2);
    tn_output(&t, "Out", &o);
    tn_attr_int(&t, "x_num_col_dims", 2);
    tn_attr_int(&t, "y_num_col_dims", 1);
    assert_int_equal(tn_run(&t), CLR_OK);
    assert_int_equal(o.ndims, 3);
    assert_int_equal(o.dims[2], 7);
    const float *w2v = w2.data, *ov = o.data;
    for (int i = 0; i < 6; i++)
        for (int j = 0; j < 7; j++) {
            double s = 0;
            for (int q = 0; q < 10; q++) s += (double)xv[i * 10 + q] * w2v[q * 7 + j];
            assert_true(fabs(ov[i * 7 + j] - s) < 1e-5);
        }
    clr_tensor_release(&x), clr_tensor_release(&w), clr_tensor_release(&b), clr_tensor_release(&y);
    clr_tensor_release(&w2), clr_tensor_release(&o);
}

static void fc_int8_matches_naive(void **state) {
    int64_t xd[2] = {3, 37}, wd[2] = {37, 5}, bd[1] = {5};
    clr_tensor x = rand_s8(2, xd, 11), w = rand_s8(2, wd, 12), b = rand_f32(1, bd, 13), y = {0};
    float is = 0.02f, ws[5] = {0.001f, 0.002f, 0.003f, 0.004f, 0.005f};
    clr_test_node t;
    tn_init(&t, "fc");
    tn_input(&t, "Input", &x);
    tn_input(&t, "W", &w);
    tn_input(&t, "Bias", &b);
    tn_output(&t, "Out", &y);
    tn_attr_int(&t, "in_num_col_dims", 1);
    tn_attr_bool(&t, "enable_int8", true);
    tn_attr_floats(&t, "Input0_scale", 1, &is);
    tn_attr_floats(&t, "W0_scale", 5, ws);
    t.op.place = (clr_kernel_place){.present = true, .alias = "fp32out"};
    assert_int_equal(tn_run(&t), CLR_OK);
    assert_int_equal(y.dtype, CLR_DTYPE_FP32);
    const int8_t *xv = x.data, *wv = w.data;
    const float *bv = b.data, *yv = y.data;
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 5; j++) {
            int32_t acc = 0;
            for (int q = 0; q < 37; q++) acc += xv[i * 37 + q] * wv[q * 5 + j];
            double want = acc * (double)is * ws[j] + bv[j];
            assert_true(fabs(yv[i * 5 + j] - want) < 1e-5 * (1 + fabs(want)));
        }
    clr_tensor_release(&x), clr_tensor_release(&w), clr_tensor_release(&b), clr_tensor_release(&y);
}

/* Int8 matmul: batched X [2, 3, 37] times Y [37, 5], int32 sums scaled by
 * alpha * X0_scale * Y0_scale[column]. */
static void matmul_int8_matches_naive(void **state) {
    int64_t xd[3] = {2, 3, 37}, yd[2] = {37, 5};
    clr_tensor x = rand_s8(3, xd, 21), yv = rand_s8(2, yd, 22), out = {0};
    float xs = 0.02f, ys[5] = {0.001f, 0.002f, 0.003f, 0.004f, 0.005f}, alpha = 0.5f;
    clr_test_node t;
    tn_init(&t, "matmul");
    tn_input(&t, "X", &x);
    tn_input(&t, "Y", &yv);
    tn_output(&t, "Out", &out);
    tn_attr_bool(&t, "enable_int8", true);
    tn_attr_float(&t, "alpha", alpha);
    tn_attr_floats(&t, "X0_scale", 1, &xs);
    tn_attr_floats(&t, "Y0_scale", 5, ys);
    assert_int_equal(tn_run(&t), CLR_OK);
    assert_int_equal(out.dtype, CLR_DTYPE_FP32);
    assert_int_equal(out.ndims, 3);
    const int8_t *xv = x.data, *yp = yv.data;
    const float *ov = out.data;
    for (int i = 0; i < 6; i++)
        for (int j = 0; j < 5; j++) {
            int32_t acc = 0;
            for (int q = 0; q < 37; q++) acc += xv[i * 37 + q] * yp[q * 5 + j];
            double want = acc * (double)alpha * xs * ys[j];
            assert_true(fabs(ov[i * 5 + j] - want) < 1e-5 * (1 + fabs(want)));
        }
    clr_tensor_release(&x), clr_tensor_release(&yv), clr_tensor_release(&out);
}

static clr_status run_calib(const char *alias, clr_tensor *x, clr_tensor *y, float scale) {
    static clr_test_node t;
    tn_init(&t, "calib");
    tn_input(&t, "Input", x);
    tn_output(&t, "Out", y);
    tn_attr_float(&t, "scale", scale);
    t.op.place = (clr_kernel_place){.present = true, .alias = alias};
    return tn_run(&t);
}

static void calib_rounds_like_arm(void **state) {
    int64_t d[1] = {10};
    clr_tensor x = make(CLR_DTYPE_FP32, 1, d), q = {0}, back = {0};
    /* scale 0.5: x / scale = 2x. Half cases round away from zero. */
    const float in[10] = {1.25f, -1.25f, 0.25f, -0.25f, 0.74f, 100.0f, -100.0f, -63.75f, 0.0f, 63.2f};
    const int8_t want[10] = {3, -3, 1, -1, 1, 127, -127, -128 + 1, 0, 126};
    memcpy(x.data, in, sizeof in);
    assert_int_equal(run_calib("fp32_to_int8", &x, &q, 0.5f), CLR_OK);
    assert_int_equal(q.dtype, CLR_DTYPE_INT8);
    for (int i = 0; i < 10; i++) assert_int_equal(((int8_t *)q.data)[i], want[i]);
    assert_int_equal(run_calib("int8_to_fp32", &q, &back, 0.5f), CLR_OK);
    for (int i = 0; i < 10; i++) assert_true(fabsf(((float *)back.data)[i] - want[i] * 0.5f) < 1e-6f);
    /* Round trip of representable values is exact. */
    for (int i = 0; i < 10; i++) ((float *)x.data)[i] = (float)(i * 13 - 60) * 0.5f;
    assert_int_equal(run_calib("fp32_to_int8", &x, &q, 0.5f), CLR_OK);
    assert_int_equal(run_calib("int8_to_fp32", &q, &back, 0.5f), CLR_OK);
    for (int i = 0; i < 10; i++) assert_true(((float *)back.data)[i] == ((float *)x.data)[i]);
    /* Integer casts truncate toward zero. */
    clr_tensor i32 = {0}, i64 = {0};
    ((float *)x.data)[0] = -2.7f;
    assert_int_equal(run_calib("fp32_to_int32", &x, &i32, 0.0f), CLR_OK);
    assert_int_equal(((int32_t *)i32.data)[0], -2);
    assert_int_equal(run_calib("int32_to_int64", &i32, &i64, 0.0f), CLR_OK);
    assert_int_equal(((int64_t *)i64.data)[0], -2);
    assert_int_equal(run_calib("fp32_to_int8", &x, &q, 0.0f), CLR_ERR_FORMAT); /* no scale */
    assert_int_equal(run_calib("int8_to_fp32", &x, &q, 1.0f), CLR_ERR_UNSUPPORTED); /* wrong input type */
    clr_tensor_release(&x), clr_tensor_release(&q), clr_tensor_release(&back);
    clr_tensor_release(&i32), clr_tensor_release(&i64);
}

static void errors_are_reported(void **state) {
    int64_t xd[4] = {1, 3, 5, 5}, fd3[3] = {4, 3, 3}, fd[4] = {4, 2, 3, 3}, fdok[4] = {4, 3, 3, 3};
    clr_tensor x = rand_f32(4, xd, 1), f3 = rand_f32(3, fd3, 2), f = rand_f32(4, fd, 3), fok = rand_f32(4, fdok, 4);
    clr_tensor y = {0};
    int32_t s[2] = {1, 1}, p[2] = {0, 0};
    clr_test_node t;
    tn_init(&t, "conv2d");
    tn_input(&t, "Input", &x);
    tn_input(&t, "Filter", &f3);
    tn_output(&t, "Output", &y);
    tn_attr_ints(&t, "strides", 2, s);
    tn_attr_ints(&t, "paddings", 2, p);
    assert_int_equal(tn_run(&t), CLR_ERR_FORMAT);
    assert_non_null(strstr(t.err.msg, "'Filter' has 3 dims"));

    tn_init(&t, "conv2d"); /* channel mismatch */
    tn_input(&t, "Input", &x);
    tn_input(&t, "Filter", &f);
    tn_output(&t, "Output", &y);
    tn_attr_ints(&t, "strides", 2, s);
    tn_attr_ints(&t, "paddings", 2, p);
    assert_int_equal(tn_run(&t), CLR_ERR_FORMAT);
    assert_non_null(strstr(t.err.msg, "does not match"));

    tn_init(&t, "conv2d"); /* missing filter */
    tn_input(&t, "Input", &x);
    tn_output(&t, "Output", &y);
    assert_int_equal(tn_run(&t), CLR_ERR_FORMAT);
    assert_non_null(strstr(t.err.msg, "Filter"));

    tn_init(&t, "conv2d"); /* unknown fused activation */
    tn_input(&t, "Input", &x);
    tn_input(&t, "Filter", &fok);
    tn_output(&t, "Output", &y);
    tn_attr_ints(&t, "strides", 2, s);
    tn_attr_ints(&t, "paddings", 2, p);
    tn_attr_int(&t, "groups", 1);
    tn_attr_bool(&t, "with_act", true);
    tn_attr_str(&t, "act_type", "softplus");
    assert_int_equal(tn_run(&t), CLR_ERR_UNSUPPORTED);
    assert_non_null(strstr(t.err.msg, "softplus"));

    int64_t md[2] = {3, 4}, md2[2] = {5, 6};
    clr_tensor a = rand_f32(2, md, 4), b = rand_f32(2, md2, 5);
    tn_init(&t, "matmul_v2");
    tn_input(&t, "X", &a);
    tn_input(&t, "Y", &b);
    tn_output(&t, "Out", &y);
    assert_int_equal(tn_run(&t), CLR_ERR_FORMAT);
    assert_non_null(strstr(t.err.msg, "inner sizes differ"));
    clr_tensor_release(&x), clr_tensor_release(&f3), clr_tensor_release(&f), clr_tensor_release(&fok);
    clr_tensor_release(&y), clr_tensor_release(&a), clr_tensor_release(&b);
}

/* Every scratch allocation failure becomes CLR_ERR_NOMEM without leaks
 * (ASan checks the leaks). */
static void allocation_failures_are_clean(void **state) {
    int64_t xd[4] = {1, 4, 6, 6}, fd[4] = {3, 4, 3, 3};
    clr_tensor x = rand_s8(4, xd, 1), f = rand_s8(4, fd, 2), y = {0};
    float s1 = 0.1f;
    int32_t st[2] = {1, 1}, p[2] = {1, 1};
    bool ok = false;
    for (long i = 0; i < 20 && !ok; i++) {
        clr_test_node t;
        tn_init(&t, "conv2d");
        tn_input(&t, "Input", &x);
        tn_input(&t, "Filter", &f);
        tn_output(&t, "Output", &y);
        tn_attr_ints(&t, "strides", 2, st);
        tn_attr_ints(&t, "paddings", 2, p);
        tn_attr_bool(&t, "enable_int8", true);
        tn_attr_floats(&t, "Input0_scale", 1, &s1);
        tn_attr_floats(&t, "Filter0_scale", 1, &s1);
        clr_alloc_fail_after(i);
        clr_status r = tn_run(&t);
        clr_alloc_fail_after(-1);
        assert_true(r == CLR_OK || r == CLR_ERR_NOMEM);
        ok = r == CLR_OK;
    }
    assert_true(ok);
    clr_tensor_release(&x), clr_tensor_release(&f), clr_tensor_release(&y);
}

/* clr_quant_s8 without libm against its definition with roundf: every
 * float from -140 to 140 around each half step (+-64 ulps), NaN, infinities
 * and a million random values. */
static int8_t quant_by_roundf(float v) {
    if (!(v >= -127.0f)) return -127;
    float r = roundf(v);
    return (int8_t)(r > 127.0f ? 127.0f : r);
}

static void quant_s8_is_roundf(void **state) {
    (void)state;
    for (int h = -280; h <= 280; h++) {
        float v = (float)h * 0.5f;
        for (int u = 0; u < 64; v = nextafterf(v, -1e9f), u++) assert_int_equal(clr_quant_s8(v), quant_by_roundf(v));
        v = (float)h * 0.5f;
        for (int u = 0; u < 64; v = nextafterf(v, 1e9f), u++) assert_int_equal(clr_quant_s8(v), quant_by_roundf(v));
    }
    const float special[] = {NAN, INFINITY, -INFINITY, 0.0f, -0.0f, 1e30f, -1e30f, 1e-40f, -1e-40f};
    for (size_t i = 0; i < sizeof special / sizeof special[0]; i++)
        assert_int_equal(clr_quant_s8(special[i]), quant_by_roundf(special[i]));
    clr_test_rng r = {99};
    for (int i = 0; i < 1000000; i++) {
        float v = (float)((double)(clr_test_rng_next(&r) % 600000001) / 2e6 - 150.0);
        assert_int_equal(clr_quant_s8(v), quant_by_roundf(v));
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(conv_matches_naive),
        cmocka_unit_test(conv_int8_matches_naive),
        cmocka_unit_test(conv_int8_epilogue_is_fused),
        cmocka_unit_test(transpose_matches_naive),
        cmocka_unit_test(matmul_matches_naive),
        cmocka_unit_test(fc_and_mul_match_naive),
        cmocka_unit_test(fc_int8_matches_naive),
        cmocka_unit_test(matmul_int8_matches_naive),
        cmocka_unit_test(calib_rounds_like_arm),
        cmocka_unit_test(quant_s8_is_roundf),
        cmocka_unit_test(errors_are_reported),
        cmocka_unit_test(allocation_failures_are_clean),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
