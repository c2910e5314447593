/* OpenCL int8 kernels vs the host int8 kernels, bit for bit (max abs
 * difference 0): conv2d in each ARM epilogue the host picks by geometry
 * (GEMM incl. 1x1 and groups, direct 3x3 stride 2, Winograd F(2,3) and
 * F(4,3) with their 4 * acc / 576 * acc arithmetic, depthwise 3x3 and 5x5
 * with requantization after the activation) with int8 and fp32 output,
 * per-channel and single filter scales, fused activations; depthwise convs
 * that fall to the GEMM epilogue (dilation, channel multiplier); fc and
 * matmul int8; calib both ways. Shapes are odd (not multiples of 4 or 8) and
 * scales either random or powers of two with biases in quarter steps, so
 * that many values land exactly on rounding ties of the requantization. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "backend/opencl/cl_tensor.h"
#include "kernels/opencl/gpu_node.h"
#include "kernels/opencl/gpu_registry.h"
#include "test_cl.h"
#include "test_gpu.h"

/* A tensor of int8 values in [-lim, lim] from a seeded generator. */
static void tensor_s8(clr_tensor *t, int32_t ndims, const int64_t *dims, unsigned long long seed, int lim) {
    clr_tensor u;
    tn_tensor_f32(&u, ndims, dims);
    tn_fill_uniform(&u, seed, -(float)lim - 0.5f, (float)lim + 0.5f);
    memset(t, 0, sizeof *t);
    assert_int_equal(clr_tensor_resize(t, CLR_DTYPE_INT8, ndims, dims, NULL), CLR_OK);
    const float *src = u.data;
    int8_t *dst = t->data;
    for (int64_t i = 0; i < clr_tensor_numel(t); i++) {
        float r = roundf(src[i]);
        dst[i] = (int8_t)(r > (float)lim ? lim : r < (float)-lim ? -lim : r);
    }
    clr_tensor_release(&u);
}

/* `count` scales: random in [0.5, 1.5) * base, or (ties) base / 2^(i % 3). */
static void scales(float *s, int32_t count, float base, bool ties, unsigned long long seed) {
    clr_tensor u;
    int64_t d[1] = {count};
    tn_tensor_f32(&u, 1, d);
    tn_fill_uniform(&u, seed, 0.5f, 1.5f);
    for (int32_t i = 0; i < count; i++) s[i] = ties ? base / (float)(1 << (i % 3)) : base * ((float *)u.data)[i];
    clr_tensor_release(&u);
}

static void int8_place(clr_test_node *t, bool out_int8) {
    t->op.place = (clr_kernel_place){.present = true, .alias = out_int8 ? "int8_out" : "fp32_out",
                                     .target = CLR_TARGET_ARM, .precision = CLR_PRECISION_INT8,
                                     .layout = CLR_LAYOUT_NCHW};
}

/* Runs host and GPU kernels and requires identical outputs. */
static void expect_identical(clr_test_node *t, const char *what) {
    double diff = -1;
    clr_status st = tg_compare(t, &diff);
    if (st != CLR_OK) fail_msg("%s: status %d: %s", what, st, t->err.msg);
    if (diff != 0.0) fail_msg("%s: GPU differs from host by %g", what, diff);
}

/* expect_identical for case i of `what`, then releases the op's device
 * copies and its tensors (NULL entries skipped). */
static void expect_case(clr_test_node *t, const char *what, size_t i, clr_tensor *const *ts, int count) {
    char name[64];
    snprintf(name, sizeof name, "%s case %zu", what, i);
    expect_identical(t, name);
    tg_release(t);
    for (int k = 0; k < count; k++)
        if (ts[k]) clr_tensor_release(ts[k]);
}

typedef struct qconv_case {
    const char *name, *op;
    int64_t n, cin, h, w, cout, kh, kw;
    int32_t groups, s, d, pad[4];
    bool bias, out_int8, per_channel, ties;
    const char *act; /* NULL: none */
} qconv_case;

/* fill != 0: every input and weight is that byte (-128 or 127), so that the
 * float chunk sums reach 2^24 and a sum past it would round. */
static void run_qconv(const qconv_case *c, unsigned long long seed, int fill) {
    int64_t xd[4] = {c->n, c->cin, c->h, c->w}, fd[4] = {c->cout, c->cin / c->groups, c->kh, c->kw}, bd[1] = {c->cout};
    clr_tensor x, f, b, y = {0};
    tensor_s8(&x, 4, xd, seed, 127);
    tensor_s8(&f, 4, fd, seed + 1, 127);
    if (fill) {
        memset(x.data, fill, clr_tensor_nbytes(&x));
        memset(f.data, fill, clr_tensor_nbytes(&f));
    }
    tn_tensor_f32(&b, 1, bd);
    tn_fill_uniform(&b, seed + 2, -40.0f, 40.0f);
    float *bp = b.data;
    if (c->ties)
        for (int64_t i = 0; i < c->cout; i++) bp[i] = roundf(bp[i] * 4.0f) / 4.0f;
    float fs[64], si = c->ties ? 0.5f : 0.0123f, so = c->ties ? 64.0f : 1.37f;
    assert_true(c->cout <= 64);
    scales(fs, (int32_t)c->cout, c->ties ? 1.0f : 0.021f, c->ties, seed + 3);
    clr_test_node t;
    tn_init(&t, c->op);
    int8_place(&t, c->out_int8);
    tn_input(&t, "Input", &x);
    tn_input(&t, "Filter", &f);
    if (c->bias) tn_input(&t, "Bias", &b);
    tn_output(&t, "Output", &y);
    int32_t st[2] = {c->s, c->s}, dl[2] = {c->d, c->d};
    tn_attr_ints(&t, "strides", 2, st);
    tn_attr_ints(&t, "paddings", 4, c->pad);
    tn_attr_ints(&t, "dilations", 2, dl);
    tn_attr_int(&t, "groups", c->groups);
    tn_attr_bool(&t, "enable_int8", true);
    tn_attr_floats(&t, "Input0_scale", 1, &si);
    tn_attr_floats(&t, "Filter0_scale", c->per_channel ? (int32_t)c->cout : 1, fs);
    if (c->out_int8) tn_attr_floats(&t, "Output0_scale", 1, &so);
    if (c->act) {
        tn_attr_bool(&t, "with_act", true);
        tn_attr_str(&t, "act_type", c->act);
        tn_attr_float(&t, "fuse_brelu_threshold", c->ties ? 1500.0f : 6.0f);
        tn_attr_float(&t, "leaky_relu_alpha", 0.25f);
    }
    int32_t want = c->out_int8 ? CLR_DTYPE_INT8 : CLR_DTYPE_FP32;
    expect_case(&t, c->name, (size_t)seed, (clr_tensor *[]){&x, &f, &b, NULL}, 3);
    assert_int_equal(y.dtype, want);
    clr_tensor_release(&y);
}

#define P0 {0, 0, 0, 0}
#define P1 {1, 1, 1, 1}
#define P2 {2, 2, 2, 2}

static void conv2d_int8_identical(void **state) {
    (void)state;
    static const qconv_case cases[] = {
        /* name, op, n, cin, h, w, cout, kh, kw, groups, stride, dilation, pads, bias, int8 out, per channel, ties, act */
        {"1x1 gemm int8", "conv2d", 1, 13, 7, 9, 21, 1, 1, 1, 1, 1, P0, true, true, true, true, "relu"},
        {"1x1 gemm fp32", "conv2d", 2, 19, 5, 11, 6, 1, 1, 1, 1, 1, P0, true, false, true, false, NULL},
        {"1x1 s2 fp32 hswish", "conv2d", 1, 8, 9, 11, 7, 1, 1, 1, 2, 1, P0, true, false, false, false, "hard_swish"},
        {"3x3 s1 wino f23 int8", "conv2d", 1, 5, 5, 7, 9, 3, 3, 1, 1, 1, P1, true, true, true, true, "relu6"},
        {"3x3 s1 wino f23 fp32", "conv2d", 1, 33, 6, 5, 5, 3, 3, 1, 1, 1, P1, true, false, true, false, NULL},
        {"3x3 s1 wino f43 int8", "conv2d", 1, 40, 13, 17, 11, 3, 3, 1, 1, 1, P1, true, true, true, false, "leaky_relu"},
        {"3x3 s1 wino f43 ties", "conv2d", 2, 7, 12, 15, 5, 3, 3, 1, 1, 1, P1, true, true, true, true, NULL},
        {"3x3 s2 direct int8", "conv2d", 1, 6, 15, 17, 10, 3, 3, 1, 2, 1, P1, true, true, true, true, "relu"},
        {"3x3 s2 direct fp32", "conv2d", 1, 9, 11, 20, 3, 3, 3, 1, 2, 1, P1, false, false, true, false, "sigmoid"},
        {"5x5 gemm int8 hswish", "conv2d", 1, 4, 12, 19, 9, 5, 5, 1, 1, 1, {2, 1, 0, 3}, false, true, true, false,
         "hard_swish"},
        {"groups 3 int8", "conv2d", 1, 6, 9, 10, 9, 3, 3, 3, 1, 1, P1, true, true, false, true, NULL},
        {"dilation 2 fp32", "conv2d", 1, 5, 13, 12, 6, 3, 3, 1, 1, 2, P2, true, false, true, false, "tanh"},
        {"3x3 s3 gemm", "conv2d", 1, 3, 14, 16, 4, 3, 3, 1, 3, 1, P1, true, true, true, false, "relu6"},
        /* more than 1024 taps: several float chunks added in int32 */
        {"1x1 1500 channels", "conv2d", 1, 1500, 3, 5, 5, 1, 1, 1, 1, 1, P0, true, false, true, false, NULL},
        {"3x3 150 channels f43", "conv2d", 1, 150, 12, 14, 3, 3, 3, 1, 1, 1, P1, true, true, true, false, NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) run_qconv(&cases[i], 10 * i + 1, 0);
    static const qconv_case extremes[] = {
        {"1x1 -128 x 1030", "conv2d", 1, 1030, 2, 9, 3, 1, 1, 1, 1, 1, P0, false, false, true, false, NULL},
        {"1x1 127 x 1100", "conv2d", 1, 1100, 2, 9, 3, 1, 1, 1, 1, 1, P0, false, false, true, false, NULL},
        {"dw 32x32 -128", "depthwise_conv2d", 1, 2, 33, 35, 2, 32, 32, 2, 1, 1, P1, false, false, true, false, NULL},
    };
    static const int fills[] = {0x80, 0x7f, 0x80};
    for (size_t i = 0; i < sizeof extremes / sizeof extremes[0]; i++) run_qconv(&extremes[i], 10 * i + 2, fills[i]);
}

static void depthwise_int8_identical(void **state) {
    (void)state;
    static const qconv_case cases[] = {
        {"dw3 s1 int8 requant", "depthwise_conv2d", 1, 13, 11, 17, 13, 3, 3, 13, 1, 1, P1, true, true, true, true,
         "relu6"},
        {"dw3 s1 int8 random", "depthwise_conv2d", 2, 9, 10, 21, 9, 3, 3, 9, 1, 1, P1, true, true, true, false,
         "hard_swish"},
        {"dw3 s2 fp32", "depthwise_conv2d", 1, 31, 19, 23, 31, 3, 3, 31, 2, 1, P1, true, false, true, false, "relu"},
        {"dw5 s2 int8", "depthwise_conv2d", 1, 7, 9, 40, 7, 5, 5, 7, 2, 1, P2, false, true, true, true, "leaky_relu"},
        {"dw5 s1 fp32", "depthwise_conv2d", 1, 5, 8, 13, 5, 5, 5, 5, 1, 1, P2, true, false, false, false, NULL},
        {"dw3 dilation 2 (gemm)", "depthwise_conv2d", 1, 6, 11, 12, 6, 3, 3, 6, 1, 2, P2, true, true, true, true, NULL},
        {"dw multiplier 2 (gemm)", "depthwise_conv2d", 1, 5, 8, 9, 10, 3, 3, 5, 1, 1, P1, true, true, true, false,
         "relu"},
        {"dw3 asymmetric pads (gemm)", "depthwise_conv2d", 1, 4, 7, 10, 4, 3, 3, 4, 1, 1, {0, 1, 1, 0}, true, true,
         true, true, NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) run_qconv(&cases[i], 10 * i + 7, 0);
}

static void fc_int8_identical(void **state) {
    (void)state;
    static const struct {
        int64_t m, k, n;
        bool out_int8, ties, bias;
        const char *act;
    } cases[] = {
        {1, 37, 23, false, false, true, ""}, {5, 33, 17, true, true, true, "relu"},
        {3, 10, 7, true, false, false, ""},  {2, 200, 9, false, true, true, "relu6"},
        {6, 1500, 19, false, false, true, ""}, /* two float chunks of k */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int64_t xd[2] = {cases[i].m, cases[i].k}, wd[2] = {cases[i].k, cases[i].n}, bd[1] = {cases[i].n};
        clr_tensor x, w, b, y = {0};
        tensor_s8(&x, 2, xd, 100 + i, 127);
        tensor_s8(&w, 2, wd, 200 + i, 127);
        tn_tensor_f32(&b, 1, bd);
        tn_fill_uniform(&b, 300 + i, -3.0f, 3.0f);
        if (cases[i].ties)
            for (int64_t j = 0; j < cases[i].n; j++) ((float *)b.data)[j] = roundf(((float *)b.data)[j] * 4.0f) / 4.0f;
        float ws[64], si = cases[i].ties ? 0.25f : 0.0071f, so = cases[i].ties ? 32.0f : 0.93f;
        scales(ws, (int32_t)cases[i].n, cases[i].ties ? 1.0f : 0.013f, cases[i].ties, 400 + i);
        clr_test_node t;
        tn_init(&t, "fc");
        int8_place(&t, cases[i].out_int8);
        tn_input(&t, "Input", &x);
        tn_input(&t, "W", &w);
        if (cases[i].bias) tn_input(&t, "Bias", &b);
        tn_output(&t, "Out", &y);
        tn_attr_int(&t, "in_num_col_dims", 1);
        tn_attr_bool(&t, "enable_int8", true);
        tn_attr_str(&t, "activation_type", cases[i].act);
        tn_attr_floats(&t, "Input0_scale", 1, &si);
        tn_attr_floats(&t, "W0_scale", (int32_t)cases[i].n, ws);
        if (cases[i].out_int8) tn_attr_floats(&t, "Out0_scale", 1, &so);
        expect_case(&t, "fc int8", i, (clr_tensor *[]){&x, &w, &b, &y}, 4);
    }
}

static void matmul_int8_identical(void **state) {
    (void)state;
    static const struct {
        const char *op;
        int32_t xr, yr;
        int64_t xd[3], yd[3];
        bool tx, ty;
        int32_t ny; /* Y0_scale values: 1 or the column count */
        float alpha;
    } cases[] = {
        {"matmul", 3, 2, {1, 25, 19}, {19, 37}, false, false, 37, 1.0f},
        {"matmul", 2, 2, {7, 12}, {9, 12}, false, true, 1, 0.5f},
        {"matmul_v2", 2, 2, {12, 5}, {12, 11}, true, false, 11, -1.5f},
        {"matmul_v2", 3, 3, {3, 4, 6}, {3, 6, 5}, false, false, 1, 1.0f},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        clr_tensor x, yv, out = {0};
        tensor_s8(&x, cases[i].xr, cases[i].xd, 500 + i, 127);
        tensor_s8(&yv, cases[i].yr, cases[i].yd, 600 + i, 127);
        float ys[64], sx = 0.011f;
        scales(ys, cases[i].ny, 0.017f, false, 700 + i);
        clr_test_node t;
        tn_init(&t, cases[i].op);
        tn_input(&t, "X", &x);
        tn_input(&t, "Y", &yv);
        tn_output(&t, "Out", &out);
        bool v2 = strcmp(cases[i].op, "matmul_v2") == 0;
        tn_attr_bool(&t, v2 ? "trans_x" : "transpose_X", cases[i].tx);
        tn_attr_bool(&t, v2 ? "trans_y" : "transpose_Y", cases[i].ty);
        tn_attr_float(&t, "alpha", cases[i].alpha);
        tn_attr_bool(&t, "enable_int8", true);
        tn_attr_floats(&t, "X0_scale", 1, &sx);
        tn_attr_floats(&t, "Y0_scale", cases[i].ny, ys);
        expect_case(&t, "matmul int8", i, (clr_tensor *[]){&x, &yv, &out}, 3);
    }
}

/* fp32_to_int8 on values at exact ties (k + 0.5 steps, beyond +-127 and
 * NaN too) and random ones, and int8_to_fp32. */
static void calib_identical(void **state) {
    (void)state;
    const float scale = 0.125f;
    int64_t d[3] = {3, 7, 29};
    clr_tensor x, q = {0}, back = {0};
    tn_tensor_f32(&x, 3, d);
    tn_fill_uniform(&x, 900, -20.0f, 20.0f);
    float *xp = x.data;
    for (int64_t i = 0; i < clr_tensor_numel(&x); i += 2) xp[i] = ((float)(i % 301) - 150.0f + 0.5f) * scale;
    xp[1] = NAN;
    xp[3] = -INFINITY;
    clr_test_node t;
    tn_init(&t, "calib");
    t.op.place = (clr_kernel_place){.present = true, .alias = "fp32_to_int8", .target = CLR_TARGET_ARM,
                                    .precision = CLR_PRECISION_INT8, .layout = CLR_LAYOUT_NCHW};
    tn_input(&t, "Input", &x);
    tn_output(&t, "Out", &q);
    tn_attr_float(&t, "scale", scale);
    expect_identical(&t, "calib fp32_to_int8");
    assert_int_equal(q.dtype, CLR_DTYPE_INT8);
    tg_release(&t);
    tn_init(&t, "calib_once");
    t.op.place = (clr_kernel_place){.present = true, .alias = "int8_to_fp32", .target = CLR_TARGET_ARM,
                                    .precision = CLR_PRECISION_INT8, .layout = CLR_LAYOUT_NCHW};
    tn_input(&t, "Input", &q);
    tn_output(&t, "Out", &back);
    tn_attr_float(&t, "scale", 0.0371f);
    expect_identical(&t, "calib int8_to_fp32");
    tg_release(&t);
    clr_tensor_release(&x);
    clr_tensor_release(&q);
    clr_tensor_release(&back);
}

/* Placement takes int8 convs, fc and the scaled calibs; what the int8
 * epilogue lacks stays on the host, and an FP32 tensor reaching an int8 GPU
 * kernel makes it decline at run time (the host kernel then reports). */
static void int8_support_and_decline(void **state) {
    (void)state;
    clr_program prog = {0};
    char why[128] = "";
    clr_test_node t;
    tn_init(&t, "conv2d");
    tn_attr_bool(&t, "enable_int8", true);
    assert_true(clr_gpu_kernel_find("conv2d")->supports(&t.op, &prog, NULL, why, sizeof why));
    tn_attr_bool(&t, "with_act", true);
    tn_attr_str(&t, "act_type", "swish");
    assert_false(clr_gpu_kernel_find("conv2d")->supports(&t.op, &prog, NULL, why, sizeof why));
    tn_init(&t, "fc");
    tn_attr_bool(&t, "enable_int8", true);
    assert_true(clr_gpu_kernel_find("fc")->supports(&t.op, &prog, NULL, why, sizeof why));
    tn_init(&t, "calib");
    t.op.place = (clr_kernel_place){.present = true, .alias = "int64_to_fp32"};
    assert_false(clr_gpu_kernel_find("calib")->supports(&t.op, &prog, NULL, why, sizeof why));

    int64_t xd[4] = {1, 2, 3, 3}, fd[4] = {2, 2, 1, 1};
    clr_tensor x, f = {0}, y = {0};
    tn_tensor_f32(&x, 4, xd);
    tn_fill_uniform(&x, 5, -1.0f, 1.0f);
    tensor_s8(&f, 4, fd, 6, 127);
    tn_init(&t, "conv2d");
    tn_input(&t, "Input", &x);
    tn_input(&t, "Filter", &f);
    tn_output(&t, "Output", &y);
    int32_t s[2] = {1, 1}, p[2] = {0, 0};
    float one = 1.0f;
    tn_attr_ints(&t, "strides", 2, s);
    tn_attr_ints(&t, "paddings", 2, p);
    tn_attr_bool(&t, "enable_int8", true);
    tn_attr_floats(&t, "Input0_scale", 1, &one);
    tn_attr_floats(&t, "Filter0_scale", 1, &one);
    clr_cl *cl = tg_device();
    assert_int_equal(clr_cl_tensor_upload(cl, &x, &t.err), CLR_OK);
    assert_int_equal(clr_cl_tensor_upload(cl, &f, &t.err), CLR_OK);
    clr_gpu_node g = {.node = t.node, .cl = cl};
    assert_int_equal(clr_gpu_kernel_find("conv2d")->run(&g), CLR_ERR_UNSUPPORTED);
    tg_release(&t);
    clr_tensor_release(&x);
    clr_tensor_release(&f);
    clr_tensor_release(&y);
}

int main(void) {
    int rc = clr_test_cl_require();
    if (rc) return rc;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(conv2d_int8_identical), cmocka_unit_test(depthwise_int8_identical),
        cmocka_unit_test(fc_int8_identical),     cmocka_unit_test(matmul_int8_identical),
        cmocka_unit_test(calib_identical),       cmocka_unit_test(int8_support_and_decline),
    };
    return cmocka_run_group_tests(tests, NULL, tg_teardown);
}
