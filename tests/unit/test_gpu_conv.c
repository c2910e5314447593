/* OpenCL conv family vs the host kernels: conv2d (1x1 as GEMM, 3x3 stride
 * 1/2, 5x5, groups, dilation, SAME/VALID, 4-value paddings, bias, fused
 * activations, fused SecondInput), depthwise_conv2d (depthwise.cl's block
 * and whole-plane builds), conv2d_transpose, fc,
 * mul, matmul and matmul_v2, on odd shapes (sizes not multiples of 4, 8 or
 * 16). Tolerance: 1e-4 relative (sums of up to a few hundred products,
 * some accumulated in a different order than on the host); every register
 * block of gemm_f32 and conv2d_f32 sums in the host's order and is checked
 * bit for bit. int8: test_gpu_int8.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "kernels/opencl/gpu_registry.h"
#include "test_cl.h"
#include "test_gpu.h"

static const double TOL = 1e-4;

/* tol 0: bit-identical. */
static void expect_within(clr_test_node *t, const char *what, double tol) {
    double diff = -1;
    clr_status st = tg_compare(t, &diff);
    if (st != CLR_OK) fail_msg("%s: status %d: %s", what, st, t->err.msg);
    if (!(diff <= tol)) fail_msg("%s: GPU differs from host by %g (allowed %g)", what, diff, tol);
}

static void expect_close(clr_test_node *t, const char *what) { expect_within(t, what, TOL); }

typedef struct conv_case {
    const char *name, *op;
    int64_t n, cin, h, w, cout, kh, kw;
    int32_t groups, sh, sw, dh, dw, npad, pad[4];
    const char *algo; /* NULL: EXPLICIT */
    bool bias;
    const char *act;  /* NULL: none */
    const char *fuse; /* fuse_elementwise_op_type, NULL: none */
} conv_case;

static void run_conv_case(const conv_case *c, unsigned long long seed, double tol) {
    bool transpose = strstr(c->op, "transpose") != NULL;
    int64_t xd[4] = {c->n, c->cin, c->h, c->w};
    int64_t fd[4] = {transpose ? c->cin : c->cout, transpose ? c->cout / c->groups : c->cin / c->groups, c->kh, c->kw};
    int64_t bd[1] = {c->cout};
    clr_tensor x, f, b, s, y = {0};
    tn_tensor_f32(&x, 4, xd);
    tn_tensor_f32(&f, 4, fd);
    tn_tensor_f32(&b, 1, bd);
    tn_fill_uniform(&x, seed, -1.0f, 1.0f);
    tn_fill_uniform(&f, seed + 1, -0.5f, 0.5f);
    tn_fill_uniform(&b, seed + 2, -1.0f, 1.0f);
    clr_test_node t;
    tn_init(&t, c->op);
    tn_input(&t, "Input", &x);
    tn_input(&t, "Filter", &f);
    if (c->bias) tn_input(&t, "Bias", &b);
    tn_output(&t, "Output", &y);
    int32_t st[2] = {c->sh, c->sw}, dl[2] = {c->dh, c->dw};
    tn_attr_ints(&t, "strides", 2, st);
    tn_attr_ints(&t, "paddings", c->npad, c->pad);
    tn_attr_ints(&t, "dilations", 2, dl);
    tn_attr_int(&t, "groups", c->groups);
    if (c->algo) tn_attr_str(&t, "padding_algorithm", c->algo);
    if (c->act) {
        tn_attr_bool(&t, "with_act", true);
        tn_attr_str(&t, "act_type", c->act);
        tn_attr_float(&t, "fuse_brelu_threshold", 0.75f);
        tn_attr_float(&t, "leaky_relu_alpha", 0.2f);
    }
    bool second = false;
    if (c->fuse) {
        /* SecondInput has the output's shape: a first host run gives it. */
        assert_int_equal(tn_run(&t), CLR_OK);
        tn_tensor_f32(&s, y.ndims, y.dims);
        tn_fill_uniform(&s, seed + 3, -1.0f, 1.0f);
        tn_attr_str(&t, "fuse_elementwise_op_type", c->fuse);
        tn_input(&t, "SecondInput", &s);
        second = true;
    }
    expect_within(&t, c->name, tol);
    tg_release(&t);
    clr_tensor_release(&x);
    clr_tensor_release(&f);
    clr_tensor_release(&b);
    clr_tensor_release(&y);
    if (second) clr_tensor_release(&s);
}

static void conv2d_matches_host(void **state) {
    static const conv_case cases[] = {
        {"1x1", "conv2d", 1, 13, 7, 9, 21, 1, 1, 1, 1, 1, 1, 1, 2, {0, 0}, NULL, true, NULL, NULL},
        {"1x1 batch 2 relu6", "conv2d", 2, 32, 14, 14, 24, 1, 1, 1, 1, 1, 1, 1, 2, {0, 0}, NULL, true, "relu6", NULL},
        {"1x1 few channels", "conv2d", 1, 3, 3, 5, 2, 1, 1, 1, 1, 1, 1, 1, 2, {0, 0}, NULL, false, NULL, NULL},
        {"1x1 stride 2", "conv2d", 1, 8, 9, 11, 6, 1, 1, 1, 2, 2, 1, 1, 2, {0, 0}, NULL, true, NULL, NULL},
        {"1x1 SecondInput add", "conv2d", 1, 17, 6, 7, 19, 1, 1, 1, 1, 1, 1, 1, 2, {0, 0}, NULL, true, "relu",
         "elementwise_add"},
        {"3x3 s1", "conv2d", 1, 5, 11, 13, 7, 3, 3, 1, 1, 1, 1, 1, 2, {1, 1}, NULL, true, "relu", NULL},
        {"3x3 s2", "conv2d", 2, 3, 17, 15, 10, 3, 3, 1, 2, 2, 1, 1, 2, {1, 1}, NULL, true, "leaky_relu", NULL},
        {"5x5 4 pads", "conv2d", 1, 4, 12, 19, 9, 5, 5, 1, 1, 1, 1, 1, 4, {2, 1, 0, 3}, NULL, false, "hard_swish", NULL},
        {"groups", "conv2d", 1, 6, 9, 10, 9, 3, 3, 3, 1, 1, 1, 1, 2, {1, 1}, NULL, true, NULL, NULL},
        {"dilation 2", "conv2d", 1, 5, 13, 12, 6, 3, 3, 1, 1, 1, 2, 2, 2, {2, 2}, NULL, true, NULL, NULL},
        {"SAME s2", "conv2d", 1, 4, 10, 11, 5, 3, 3, 1, 2, 2, 1, 1, 2, {0, 0}, "SAME", true, "relu6", NULL},
        {"VALID", "conv2d", 1, 4, 10, 11, 5, 3, 2, 1, 1, 2, 1, 1, 2, {5, 5}, "VALID", false, NULL, NULL},
        {"3x3 SecondInput sub", "conv2d", 1, 5, 9, 10, 6, 3, 3, 1, 1, 1, 1, 1, 2, {1, 1}, NULL, true, NULL,
         "elementwise_sub"},
        {"3x3 SecondInput mul", "conv2d", 1, 5, 9, 10, 6, 3, 3, 1, 1, 1, 1, 1, 2, {1, 1}, NULL, true, "relu",
         "elementwise_mul"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) run_conv_case(&cases[i], 10 * i + 1, TOL);
}

/* Every register block conv2d_f32 is built with (gpu_conv.c: 8, 4, 2 or 1
 * output channels of a group x 16 or 8 pixels), overlapping last blocks,
 * the edge loads of strides 1 and 2 on rows wide enough for the shuffled
 * window and the lane-by-lane loads of stride 3: each output is the host's
 * fma chain over (ic, kh, kw), so the results are bit-identical. */
static void conv2d_blocks_bit_identical(void **state) {
    static const conv_case cases[] = {
        {"8x16 s1 wide", "conv2d", 1, 7, 6, 37, 19, 3, 3, 1, 1, 1, 1, 1, 2, {1, 1}, NULL, true, "relu", NULL},
        {"8x16 s2 wide", "conv2d", 1, 3, 9, 75, 17, 3, 3, 1, 2, 2, 1, 1, 2, {1, 1}, NULL, true, "relu6", NULL},
        {"4x16 s3", "conv2d", 1, 4, 8, 53, 6, 3, 3, 1, 3, 3, 1, 1, 2, {1, 1}, NULL, false, NULL, NULL},
        {"2x8 groups", "conv2d", 2, 6, 7, 11, 9, 3, 3, 3, 1, 1, 1, 1, 2, {1, 1}, NULL, true, "leaky_relu", NULL},
        {"1x8 groups narrow", "conv2d", 1, 4, 5, 5, 2, 3, 3, 2, 1, 1, 1, 1, 2, {1, 1}, NULL, true, NULL, NULL},
        {"8x16 5x5 dilated", "conv2d", 1, 5, 12, 41, 11, 5, 5, 1, 1, 1, 2, 2, 4, {4, 3, 2, 5}, NULL, true, NULL,
         "elementwise_add"},
        {"8x16 s2 7x7 asym", "conv2d", 1, 3, 21, 70, 8, 7, 7, 1, 2, 2, 1, 1, 4, {3, 2, 3, 2}, NULL, true, "hard_swish",
         "elementwise_mul"},
        {"4x16 1x9 run-time width", "conv2d", 1, 3, 5, 30, 4, 1, 9, 1, 1, 1, 1, 1, 4, {0, 0, 4, 4}, NULL, true, NULL,
         NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) run_conv_case(&cases[i], 10 * i + 7, 0.0);
}

static void depthwise_matches_host(void **state) {
    static const conv_case cases[] = {
        {"dw s1 13ch", "depthwise_conv2d", 1, 13, 11, 17, 13, 3, 3, 13, 1, 1, 1, 1, 2, {1, 1}, NULL, true, "relu6",
         NULL},
        {"dw s2 31ch", "depthwise_conv2d", 2, 31, 19, 23, 31, 3, 3, 31, 2, 2, 1, 1, 2, {1, 1}, NULL, true, "relu",
         NULL},
        {"dw 5x5 s2 wide", "depthwise_conv2d", 1, 7, 9, 40, 7, 5, 5, 7, 2, 2, 1, 1, 4, {2, 2, 1, 2}, NULL, false,
         "hard_swish", NULL},
        {"dw multiplier 2", "depthwise_conv2d", 1, 5, 8, 9, 10, 3, 3, 5, 1, 1, 2, 2, 2, {2, 2}, NULL, true, NULL,
         NULL},
        {"dw SecondInput", "depthwise_conv2d", 1, 9, 7, 12, 9, 3, 3, 9, 1, 1, 1, 1, 2, {1, 1}, NULL, true, NULL,
         "elementwise_add"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) run_conv_case(&cases[i], 10 * i + 3, TOL);
}

/* depthwise.cl's builds: blocks of 4 rows x 8 columns on planes wider or
 * taller than 32 outputs (rows wide enough for the vector path next to the
 * padded edges, tails shorter than 8, row counts not multiples of 4), and
 * whole planes up to 32x32 (8- and 16-wide blocks, 1 to 4 blocks per row);
 * strides 1 and 2 in each direction, asymmetric paddings, 3x3 and 5x5,
 * dilation, a channel multiplier, batch 2, and one program per fused
 * activation and elementwise op. */
static void depthwise_blocks_match_host(void **state) {
    static const conv_case cases[] = {
        {"dw3 s1 wide x2", "depthwise_conv2d", 1, 13, 6, 37, 26, 3, 3, 13, 1, 1, 1, 1, 2, {1, 1}, NULL, true, "relu6",
         NULL},
        {"dw3 s2 wide pads", "depthwise_conv2d", 1, 13, 10, 45, 13, 3, 3, 13, 2, 2, 1, 1, 4, {0, 1, 1, 0}, NULL, true,
         "hard_swish", NULL},
        {"dw3 s2 VALID mul", "depthwise_conv2d", 2, 5, 9, 38, 5, 3, 3, 5, 2, 2, 1, 1, 2, {0, 0}, "VALID", false, NULL,
         "elementwise_mul"},
        {"dw3 sh1 sw2", "depthwise_conv2d", 1, 3, 7, 33, 3, 3, 3, 3, 1, 2, 1, 1, 2, {1, 1}, NULL, true, "leaky_relu",
         "elementwise_sub"},
        {"dw3 sh2 sw1", "depthwise_conv2d", 1, 3, 8, 19, 3, 3, 3, 3, 2, 1, 1, 1, 2, {1, 1}, NULL, true, NULL, NULL},
        {"dw3 tiny", "depthwise_conv2d", 1, 2, 3, 3, 2, 3, 3, 2, 1, 1, 1, 1, 2, {1, 1}, NULL, true, "relu",
         "elementwise_add"},
        {"dw3 s1 tall 35 rows", "depthwise_conv2d", 1, 4, 35, 41, 4, 3, 3, 4, 1, 1, 1, 1, 2, {1, 1}, NULL, true,
         "relu6", "elementwise_add"},
        {"dw3 s2 tall", "depthwise_conv2d", 2, 3, 70, 12, 3, 3, 3, 3, 2, 2, 1, 1, 2, {1, 1}, NULL, true, NULL, NULL},
        {"dw5 s1 wide", "depthwise_conv2d", 1, 6, 21, 43, 6, 5, 5, 6, 1, 1, 1, 1, 2, {2, 2}, NULL, true, "relu", NULL},
        {"dw5 s2 wide", "depthwise_conv2d", 1, 5, 67, 71, 5, 5, 5, 5, 2, 2, 1, 1, 4, {2, 1, 2, 3}, NULL, false,
         "hard_swish", "elementwise_mul"},
        {"dw3 dilation 2 wide", "depthwise_conv2d", 1, 3, 40, 39, 3, 3, 3, 3, 1, 1, 2, 2, 2, {2, 2}, NULL, true, NULL,
         NULL},
        {"dw3 stride 3", "depthwise_conv2d", 1, 3, 100, 101, 3, 3, 3, 3, 3, 3, 1, 1, 2, {1, 1}, NULL, true, NULL, NULL},
        {"plane 7x7", "depthwise_conv2d", 1, 17, 7, 7, 17, 3, 3, 17, 1, 1, 1, 1, 2, {1, 1}, NULL, true, "relu6", NULL},
        {"plane 14 s2 to 7", "depthwise_conv2d", 2, 9, 14, 14, 9, 3, 3, 9, 2, 2, 1, 1, 2, {1, 1}, NULL, true, "relu",
         "elementwise_add"},
        {"plane 13x15 16-wide", "depthwise_conv2d", 1, 5, 13, 15, 5, 3, 3, 5, 1, 1, 1, 1, 2, {1, 1}, NULL, false,
         "hard_swish", NULL},
        {"plane 32x32", "depthwise_conv2d", 1, 3, 32, 32, 3, 3, 3, 3, 1, 1, 1, 1, 2, {1, 1}, NULL, true, NULL,
         "elementwise_sub"},
        {"plane 5x5 s2", "depthwise_conv2d", 1, 4, 20, 23, 4, 5, 5, 4, 2, 2, 1, 1, 4, {1, 2, 2, 2}, NULL, true,
         "leaky_relu", NULL},
        {"plane multiplier 3", "depthwise_conv2d", 1, 4, 9, 11, 12, 3, 3, 4, 1, 1, 1, 1, 2, {1, 1}, NULL, true, NULL,
         NULL},
        {"plane 1x1 input", "depthwise_conv2d", 1, 3, 1, 1, 3, 3, 3, 3, 1, 1, 1, 1, 2, {1, 1}, NULL, true, "relu",
         NULL},
        {"plane 2x9 wide filter", "depthwise_conv2d", 1, 3, 2, 9, 3, 1, 5, 3, 1, 2, 1, 1, 4, {0, 0, 2, 2}, NULL, true,
         NULL, NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) run_conv_case(&cases[i], 10 * i + 5, TOL);
}

static void transpose_matches_host(void **state) {
    static const conv_case cases[] = {
        {"tconv s2", "conv2d_transpose", 1, 6, 5, 7, 5, 3, 3, 1, 2, 2, 1, 1, 2, {1, 1}, NULL, true, "relu", NULL},
        {"tconv groups", "conv2d_transpose", 2, 6, 4, 5, 9, 4, 4, 3, 2, 2, 1, 1, 2, {1, 1}, NULL, true, NULL, NULL},
        {"tconv dilation", "conv2d_transpose", 1, 3, 6, 5, 4, 3, 3, 1, 1, 1, 2, 2, 4, {0, 1, 2, 0}, NULL, false, NULL,
         NULL},
        /* conv2d_transpose_f32's blocks: 8, 4, 2 and 1 output channels x 8
         * columns of each phase, overlapping last blocks, shuffled edge
         * loads on rows of 8 or more, strides 1, 2 and 3. */
        {"tconv 2x2 s2 8ch", "conv2d_transpose", 1, 5, 4, 21, 11, 2, 2, 1, 2, 2, 1, 1, 2, {0, 0}, NULL, true, "relu",
         NULL},
        {"tconv 4x4 s2 pad", "conv2d_transpose", 1, 4, 6, 19, 8, 4, 4, 1, 2, 2, 1, 1, 2, {1, 1}, NULL, true, NULL,
         NULL},
        {"tconv s3 1ch", "conv2d_transpose", 1, 3, 5, 9, 1, 3, 3, 1, 3, 3, 1, 1, 2, {0, 0}, NULL, true, "relu6", NULL},
        {"tconv s1 wide 2ch", "conv2d_transpose", 2, 3, 4, 23, 2, 3, 3, 1, 1, 1, 1, 1, 2, {1, 1}, NULL, false, NULL,
         NULL},
        {"tconv sh1 sw2", "conv2d_transpose", 1, 6, 5, 17, 12, 3, 3, 2, 1, 2, 1, 1, 4, {1, 0, 0, 1}, NULL, true,
         "leaky_relu", NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) run_conv_case(&cases[i], 10 * i + 5, TOL);
    /* output_padding grows the output by one row and column. */
    int64_t xd[4] = {1, 4, 5, 6}, fd[4] = {4, 3, 3, 3};
    clr_tensor x, f, y = {0};
    tn_tensor_f32(&x, 4, xd);
    tn_tensor_f32(&f, 4, fd);
    tn_fill_uniform(&x, 77, -1.0f, 1.0f);
    tn_fill_uniform(&f, 78, -1.0f, 1.0f);
    clr_test_node t;
    tn_init(&t, "conv2d_transpose");
    tn_input(&t, "Input", &x);
    tn_input(&t, "Filter", &f);
    tn_output(&t, "Output", &y);
    int32_t s[2] = {2, 2}, p[2] = {1, 1}, d[2] = {1, 1}, op[2] = {1, 1};
    tn_attr_ints(&t, "strides", 2, s);
    tn_attr_ints(&t, "paddings", 2, p);
    tn_attr_ints(&t, "dilations", 2, d);
    tn_attr_ints(&t, "output_padding", 2, op);
    expect_close(&t, "tconv output_padding");
    assert_int_equal(y.dims[2], 10);
    tg_release(&t);
    clr_tensor_release(&x);
    clr_tensor_release(&f);
    clr_tensor_release(&y);
}

typedef struct fc_case {
    int32_t xr;
    int64_t xd[4];
    int32_t cols;
    int64_t n;
    const char *act;
    bool bias;
} fc_case;

/* Runs fc case c against the host; the largest relative difference. */
static double fc_diff(const fc_case *c, unsigned long long seed) {
    int64_t k = 1;
    for (int32_t d = c->cols; d < c->xr; d++) k *= c->xd[d];
    int64_t wd[2] = {k, c->n}, bd[1] = {c->n};
    clr_tensor x, w, b, y = {0};
    tn_tensor_f32(&x, c->xr, c->xd);
    tn_tensor_f32(&w, 2, wd);
    tn_tensor_f32(&b, 1, bd);
    tn_fill_uniform(&x, seed, -1.0f, 1.0f);
    tn_fill_uniform(&w, seed + 1, -1.0f, 1.0f);
    tn_fill_uniform(&b, seed + 2, -1.0f, 1.0f);
    clr_test_node t;
    tn_init(&t, "fc");
    tn_input(&t, "Input", &x);
    tn_input(&t, "W", &w);
    if (c->bias) tn_input(&t, "Bias", &b);
    tn_output(&t, "Out", &y);
    tn_attr_int(&t, "in_num_col_dims", c->cols);
    tn_attr_str(&t, "activation_type", c->act);
    tn_attr_float(&t, "alpha", strcmp(c->act, "relu6") == 0 ? 0.5f : 0.1f);
    double diff = -1;
    clr_status st = tg_compare(&t, &diff);
    if (st != CLR_OK) fail_msg("fc: status %d: %s", st, t.err.msg);
    tg_release(&t);
    clr_tensor_release(&x);
    clr_tensor_release(&w);
    clr_tensor_release(&b);
    clr_tensor_release(&y);
    return diff;
}

static void fc_matches_host(void **state) {
    static const fc_case cases[] = {
        {2, {1, 37}, 1, 23, "", true},       /* one row: a 1 x 16 block */
        {2, {2, 12}, 1, 40, "relu", false},  /* two rows */
        {2, {5, 33}, 1, 17, "relu", true},   /* blocked, with overlapping last blocks */
        {2, {3, 10}, 1, 7, "relu6", true},   /* N < 16: the per-element kernel */
        {3, {2, 7, 19}, 2, 40, "relu6", true},
        {4, {3, 2, 3, 5}, 1, 9, "leaky_relu", false},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        double diff = fc_diff(&cases[i], 3 * i + 1);
        if (!(diff <= TOL)) fail_msg("fc case %zu: GPU differs from host by %g", i, diff);
    }
}

/* Every register block gemm_f32 is built with (gpu_gemm.c picks rows 8, 4,
 * 2 or 1 and columns 8, 16, 32 or 64 by shape), with overlapping last blocks in
 * both directions: each output is the host's fma chain over k, so the
 * results are bit-identical. */
static void gemm_blocks_bit_identical(void **state) {
    static const fc_case cases[] = {
        {2, {1, 150}, 1, 77, "relu", true},   /* 1 x 64, N not a multiple of 64 */
        {2, {1, 20}, 1, 45, "", true},        /* 1 x 32 */
        {2, {3, 31}, 1, 70, "relu6", false},  /* 2 x 64 */
        {2, {5, 26}, 1, 40, "", true},        /* 4 x 32 */
        {2, {1, 33}, 1, 40, "", false},       /* 1 x 16 */
        {2, {3, 29}, 1, 12, "relu6", true},   /* 2 x 8, both overlapping */
        {2, {7, 18}, 1, 23, "", true},        /* 4 x 16 */
        {2, {19, 45}, 1, 35, "leaky_relu", true}, /* 8 x 16 */
        {2, {9, 64}, 1, 9, "", true},         /* 8 x 8 */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        double diff = fc_diff(&cases[i], 7 * i + 5);
        if (diff != 0.0) fail_msg("fc block case %zu: GPU differs from host by %g", i, diff);
    }
}

/* X [3, 5, 6] flattened at 2 is [15, 6]; Y [6, 19] at 1; Out [3, 5, 19]. */
static void mul_matches_host(void **state) {
    int64_t xd[3] = {3, 5, 6}, yd[2] = {6, 19};
    clr_tensor x, y, out = {0};
    tn_tensor_f32(&x, 3, xd);
    tn_tensor_f32(&y, 2, yd);
    tn_fill_uniform(&x, 5, -1.0f, 1.0f);
    tn_fill_uniform(&y, 6, -1.0f, 1.0f);
    clr_test_node t;
    tn_init(&t, "mul");
    tn_input(&t, "X", &x);
    tn_input(&t, "Y", &y);
    tn_output(&t, "Out", &out);
    tn_attr_int(&t, "x_num_col_dims", 2);
    tn_attr_int(&t, "y_num_col_dims", 1);
    expect_close(&t, "mul");
    assert_int_equal(out.ndims, 3);
    tg_release(&t);
    clr_tensor_release(&x);
    clr_tensor_release(&y);
    clr_tensor_release(&out);
}

typedef struct mm_case {
    const char *op;
    int32_t xr, yr;
    int64_t xd[4], yd[4];
    bool tx, ty;
    float alpha;
} mm_case;

static void matmul_matches_host(void **state) {
    static const mm_case cases[] = {
        {"matmul", 2, 2, {7, 9}, {9, 33}, false, false, 1.0f},
        {"matmul", 2, 2, {9, 7}, {9, 18}, true, false, 0.5f},
        {"matmul", 3, 3, {2, 5, 11}, {2, 17, 11}, false, true, 1.0f},
        {"matmul_v2", 4, 3, {2, 3, 6, 5}, {3, 5, 21}, false, false, 1.0f},  /* batch broadcast */
        {"matmul_v2", 3, 4, {1, 8, 4}, {2, 1, 8, 17}, true, false, 1.0f},   /* both broadcast */
        {"matmul_v2", 3, 3, {4, 6, 9}, {4, 20, 6}, true, true, 1.0f},
        {"matmul_v2", 1, 2, {9}, {9, 5}, false, false, 1.0f},               /* vector x matrix */
        {"matmul_v2", 3, 1, {3, 4, 7}, {7}, false, false, 1.0f},            /* batched matrix x vector */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const mm_case *c = &cases[i];
        clr_tensor x, y, out = {0};
        tn_tensor_f32(&x, c->xr, c->xd);
        tn_tensor_f32(&y, c->yr, c->yd);
        tn_fill_uniform(&x, 2 * i + 11, -1.0f, 1.0f);
        tn_fill_uniform(&y, 2 * i + 12, -1.0f, 1.0f);
        clr_test_node t;
        tn_init(&t, c->op);
        tn_input(&t, "X", &x);
        tn_input(&t, "Y", &y);
        tn_output(&t, "Out", &out);
        bool v2 = strcmp(c->op, "matmul_v2") == 0;
        tn_attr_bool(&t, v2 ? "trans_x" : "transpose_X", c->tx);
        tn_attr_bool(&t, v2 ? "trans_y" : "transpose_Y", c->ty);
        tn_attr_float(&t, "alpha", c->alpha);
        char what[64];
        snprintf(what, sizeof what, "%s case %zu", c->op, i);
        expect_close(&t, what);
        tg_release(&t);
        clr_tensor_release(&x);
        clr_tensor_release(&y);
        clr_tensor_release(&out);
    }
}

/* A one-column matmul (ARM's sgemv order, 8-row groups plus leftover rows,
 * K with a tail) is bit-identical to the host. */
static void one_column_matmul_bit_identical(void **state) {
    int64_t xd[2] = {37, 21}, yd[2] = {21, 1};
    clr_tensor x, y, out = {0};
    tn_tensor_f32(&x, 2, xd);
    tn_tensor_f32(&y, 2, yd);
    tn_fill_uniform(&x, 71, -1.0f, 1.0f);
    tn_fill_uniform(&y, 72, -1.0f, 1.0f);
    clr_test_node t;
    tn_init(&t, "matmul_v2");
    tn_input(&t, "X", &x);
    tn_input(&t, "Y", &y);
    tn_output(&t, "Out", &out);
    double diff = -1;
    clr_status st = tg_compare(&t, &diff);
    if (st != CLR_OK || diff != 0.0) fail_msg("one-column matmul: status %d, GPU differs from host by %g", st, diff);
    tg_release(&t);
    clr_tensor_release(&x);
    clr_tensor_release(&y);
    clr_tensor_release(&out);
}

int main(void) {
    int rc = clr_test_cl_require();
    if (rc) return rc;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(conv2d_matches_host),   cmocka_unit_test(conv2d_blocks_bit_identical),
        cmocka_unit_test(depthwise_matches_host),
        cmocka_unit_test(depthwise_blocks_match_host),
        cmocka_unit_test(transpose_matches_host), cmocka_unit_test(fc_matches_host),
        cmocka_unit_test(gemm_blocks_bit_identical),
        cmocka_unit_test(mul_matches_host),      cmocka_unit_test(matmul_matches_host),
        cmocka_unit_test(one_column_matmul_bit_identical),
    };
    return cmocka_run_group_tests(tests, NULL, tg_teardown);
}
