/* OpenCL elementwise family vs the host kernels: every activation, every
 * binary op with broadcasting (incl. sizes that are not multiples of 4 or 8),
 * fused activations and scale. FP32 tolerance: 1e-5 relative for arithmetic,
 * 1e-4 where exp/erf/pow implementations may differ. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "test_cl.h"
#include "test_gpu.h"

static void expect_close(clr_test_node *t, double tol) {
    double diff = -1;
    clr_status st = tg_compare(t, &diff);
    if (st != CLR_OK) fail_msg("%s: status %d: %s", t->op.type, st, t->err.msg);
    if (!(diff <= tol)) fail_msg("%s: GPU differs from host by %g (allowed %g)", t->op.type, diff, tol);
}

static void activations_match_host(void **state) {
    static const char *const ops[] = {"relu", "relu6", "leaky_relu", "sigmoid", "tanh", "exp", "abs", "square",
                                      "hard_sigmoid", "hard_swish", "swish", "silu", "gelu"};
    int64_t dims[4] = {1, 5, 7, 9}; /* 315 elements: not a multiple of the work-group size */
    for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++) {
        clr_tensor x, y = {0};
        tn_tensor_f32(&x, 4, dims);
        tn_fill_uniform(&x, i + 1, -4.0f, 4.0f);
        clr_test_node t;
        tn_init(&t, ops[i]);
        tn_input(&t, "X", &x);
        tn_output(&t, "Out", &y);
        if (strcmp(ops[i], "leaky_relu") == 0) tn_attr_float(&t, "alpha", 0.1f);
        if (strcmp(ops[i], "relu6") == 0) tn_attr_float(&t, "threshold", 2.5f);
        /* sigmoid and tanh decline a scalar tail (315 % 4): the host's libm expf */
        if (strcmp(ops[i], "sigmoid") == 0 || strcmp(ops[i], "tanh") == 0)
            assert_int_equal(tg_compare(&t, NULL), CLR_ERR_UNSUPPORTED);
        else
            expect_close(&t, 1e-4);
        tg_release(&t);
        clr_tensor_release(&x);
        clr_tensor_release(&y);
    }
}

/* The activations whose host formula is Paddle-Lite's ARM arithmetic (exp_ps,
 * FRECPE/FRECPS, fused multiply-adds) are bit-identical on the GPU; 252
 * elements, a multiple of 4, so the host's scalar tail (libm) is not used. */
static void arm_activations_bit_identical(void **state) {
    static const char *const ops[] = {"sigmoid", "tanh", "hard_sigmoid", "hard_swish"};
    int64_t dims[4] = {1, 4, 7, 9};
    for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++) {
        clr_tensor x, y = {0};
        tn_tensor_f32(&x, 4, dims);
        tn_fill_uniform(&x, i + 40, -90.0f, 90.0f); /* past exp_ps's clamps and into flush-to-zero */
        clr_test_node t;
        tn_init(&t, ops[i]);
        tn_input(&t, "X", &x);
        tn_output(&t, "Out", &y);
        expect_close(&t, 0.0);
        tg_release(&t);
        clr_tensor_release(&x);
        clr_tensor_release(&y);
    }
}

typedef struct bin_case {
    const char *op;
    int32_t xr, yr;
    int64_t xd[4], yd[4];
    int32_t axis;
} bin_case;

static void run_bin_cases(const bin_case *cases, size_t count, const char *act, double tol) {
    for (size_t i = 0; i < count; i++) {
        const bin_case *c = &cases[i];
        clr_tensor x, y, out = {0};
        tn_tensor_f32(&x, c->xr, c->xd);
        tn_tensor_f32(&y, c->yr, c->yd);
        tn_fill_uniform(&x, 2 * i + 1, strstr(c->op, "pow") ? 0.5f : -2.0f, 2.0f); /* pow: no NaN */
        tn_fill_uniform(&y, 2 * i + 2, 0.5f, 2.0f);                                /* no division by ~0 */
        clr_test_node t;
        tn_init(&t, c->op);
        tn_input(&t, "X", &x);
        tn_input(&t, "Y", &y);
        tn_output(&t, "Out", &out);
        tn_attr_int(&t, "axis", c->axis);
        if (strncmp(c->op, "fusion", 6) == 0) tn_attr_str(&t, "act_type", act);
        expect_close(&t, tol);
        tg_release(&t);
        clr_tensor_release(&x);
        clr_tensor_release(&y);
        clr_tensor_release(&out);
    }
}

static void binary_ops_broadcast_like_host(void **state) {
    static const bin_case cases[] = {
        {"elementwise_add", 4, 4, {2, 3, 5, 7}, {2, 3, 5, 7}, -1},
        {"elementwise_mul", 4, 1, {1, 6, 5, 3}, {6}, 1},
        {"elementwise_sub", 4, 2, {2, 3, 5, 7}, {5, 7}, -1},
        {"elementwise_div", 3, 3, {3, 1, 7}, {1, 5, 7}, -1},
        {"elementwise_max", 4, 4, {1, 3, 1, 9}, {2, 1, 5, 1}, -1},
        {"elementwise_min", 2, 4, {5, 7}, {2, 3, 5, 7}, -1},
        {"fusion_elementwise_add_activation", 4, 1, {1, 13, 3, 3}, {13}, 1},
        {"elementwise_pow", 3, 3, {2, 3, 19}, {2, 3, 19}, -1},
        {"elementwise_pow", 2, 1, {5, 21}, {21}, -1},
    };
    run_bin_cases(cases, sizeof cases / sizeof cases[0], "relu", 1e-5);
}

/* Blocks of 8 along the inner dim: same shapes (merged into one long dim with
 * a tail), an operand broadcast along the inner dim (per-row scalar) or along
 * the outer dims, short rows over many rows. The arithmetic ops and the
 * activations made of arithmetic are exactly the host's, element for element. */
static void binary_blocks_bit_identical(void **state) {
    static const bin_case cases[] = {
        {"elementwise_add", 3, 3, {2, 3, 37}, {2, 3, 37}, -1},
        {"elementwise_mul", 4, 1, {1, 16, 5, 9}, {16}, 1},
        {"elementwise_sub", 2, 2, {7, 1}, {7, 21}, -1},
        {"elementwise_div", 4, 2, {2, 3, 4, 17}, {4, 17}, -1},
        {"elementwise_max", 3, 3, {1, 40, 8}, {9, 40, 1}, -1},
        {"elementwise_min", 2, 2, {300, 3}, {300, 3}, -1},
        {"fusion_elementwise_add_activation", 4, 4, {1, 24, 9, 11}, {1, 24, 9, 11}, -1},
        {"fusion_elementwise_mul_activation", 4, 1, {2, 5, 6, 13}, {5}, 1},
    };
    run_bin_cases(cases, sizeof cases / sizeof cases[0], "relu", 0.0);
    run_bin_cases(cases + 6, 2, "hard_swish", 0.0);
    run_bin_cases(cases + 6, 2, "sigmoid", 0.0);
}

static void scale_matches_host(void **state) {
    int64_t dims[2] = {3, 37}; /* 111: 13 blocks of 8 and a tail of 7 */
    for (int after = 0; after <= 1; after++) {
        clr_tensor x, y = {0};
        tn_tensor_f32(&x, 2, dims);
        tn_fill_uniform(&x, 9, -3.0f, 3.0f);
        clr_test_node t;
        tn_init(&t, "scale");
        tn_input(&t, "X", &x);
        tn_output(&t, "Out", &y);
        tn_attr_float(&t, "scale", 1.5f);
        tn_attr_float(&t, "bias", -0.25f);
        tn_attr_bool(&t, "bias_after_scale", after);
        tn_attr_str(&t, "activation_type", "relu6");
        tn_attr_float(&t, "alpha", 2.0f);
        expect_close(&t, 1e-5);
        tg_release(&t);
        clr_tensor_release(&x);
        clr_tensor_release(&y);
    }
}

/* A non-FP32 input makes the GPU kernel decline (the executor then falls
 * back), never compute garbage. */
static void non_float_input_is_declined(void **state) {
    int64_t dims[1] = {10};
    clr_tensor x = {0}, y = {0};
    assert_int_equal(clr_tensor_resize(&x, CLR_DTYPE_INT32, 1, dims, NULL), CLR_OK);
    memset(x.data, 0, 40);
    clr_test_node t;
    tn_init(&t, "relu");
    tn_input(&t, "X", &x);
    tn_output(&t, "Out", &y);
    assert_int_equal(tg_compare(&t, NULL), CLR_ERR_UNSUPPORTED);
    tg_release(&t);
    clr_tensor_release(&x);
    clr_tensor_release(&y);
}

int main(void) {
    int rc = clr_test_cl_require();
    if (rc) return rc;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(activations_match_host),
        cmocka_unit_test(arm_activations_bit_identical),
        cmocka_unit_test(binary_ops_broadcast_like_host),
        cmocka_unit_test(binary_blocks_bit_identical),
        cmocka_unit_test(scale_matches_host),
        cmocka_unit_test(non_float_input_is_declined),
    };
    return cmocka_run_group_tests(tests, NULL, tg_teardown);
}
