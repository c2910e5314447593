/* Unit tests: every host kernel that uses the session's threads gives the
 * same bytes with no pool and with a 3-thread pool (conv: im2col, 1x1,
 * depthwise, int8; fc; elementwise with broadcasting and one long row;
 * activations with a scalar tail; softmax rows; calib; pooling), on odd shapes, and the convs
 * with their weights packed once. The kernels'
 * arithmetic itself is checked against naive references elsewhere
 * (test_kernels_conv.c, test_kernels_math.c); this checks the split. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/thread_pool.h"
#include "test_models.h"
#include "test_node.h"

static clr_thread_pool *pool3;

static clr_tensor make(int32_t dtype, int32_t nd, const int64_t *dims, unsigned long long seed) {
    clr_tensor t;
    memset(&t, 0, sizeof t);
    if (clr_tensor_resize(&t, dtype, nd, dims, NULL) != CLR_OK) abort();
    if (dtype == CLR_DTYPE_FP32) {
        tn_fill_uniform(&t, seed, -2.0f, 2.0f);
    } else {
        clr_test_rng r = {seed * 7919 + 3};
        for (int64_t i = 0; i < clr_tensor_numel(&t); i++)
            ((int8_t *)t.data)[i] = (int8_t)((int)(clr_test_rng_next(&r) % 255) - 127);
    }
    return t;
}

/* One op: how to bind it (inputs are already made). */
typedef struct op_case {
    const char *type;
    int32_t nin;
    const char *slots[3];
    int32_t dtype[3], nd[3];
    int64_t dims[3][4];
    void (*attrs)(clr_test_node *t);
    const char *out_slot;
} op_case;

static void conv_attrs(clr_test_node *t, int32_t stride, int32_t pad, int32_t groups) {
    int32_t s[2] = {stride, stride}, p[2] = {pad, pad}, d[2] = {1, 1};
    tn_attr_ints(t, "strides", 2, s);
    tn_attr_ints(t, "paddings", 2, p);
    tn_attr_ints(t, "dilations", 2, d);
    tn_attr_int(t, "groups", groups);
}
static void relu6(clr_test_node *t) {
    tn_attr_bool(t, "with_act", true);
    tn_attr_str(t, "act_type", "relu6");
}
static void conv3x3_s2(clr_test_node *t) { conv_attrs(t, 2, 1, 1), relu6(t); }
static void conv1x1(clr_test_node *t) { conv_attrs(t, 1, 0, 1); }
static void conv1x1_relu6(clr_test_node *t) { conv_attrs(t, 1, 0, 1), relu6(t); }
static void dw3x3_s1(clr_test_node *t) { conv_attrs(t, 1, 1, 37), relu6(t); }
static void dw3x3_s2(clr_test_node *t) { conv_attrs(t, 2, 1, 37); }
static void dw5x5_s1(clr_test_node *t) { conv_attrs(t, 1, 2, 19); }
static void int8_scales(clr_test_node *t, int32_t cout) {
    float si = 0.01f, so = 0.05f, ws[64];
    for (int32_t i = 0; i < cout; i++) ws[i] = 0.001f * (float)(i + 1);
    tn_attr_bool(t, "enable_int8", true);
    tn_attr_floats(t, "Input0_scale", 1, &si);
    tn_attr_floats(t, "Filter0_scale", cout, ws);
    tn_attr_floats(t, "Output0_scale", 1, &so);
}
static void conv_int8(clr_test_node *t) { conv_attrs(t, 1, 1, 1), int8_scales(t, 21); }
static void dw_int8(clr_test_node *t) { conv_attrs(t, 2, 1, 37), int8_scales(t, 37); }
static void axis1(clr_test_node *t) { tn_attr_int(t, "axis", 1); }
static void axis_last(clr_test_node *t) { tn_attr_int(t, "axis", -1); }
static void no_attrs(clr_test_node *t) { (void)t; }
static void max_pool(clr_test_node *t) {
    int32_t k[2] = {3, 3}, s[2] = {2, 2}, p[2] = {1, 1};
    tn_attr_str(t, "pooling_type", "max");
    tn_attr_ints(t, "ksize", 2, k);
    tn_attr_ints(t, "strides", 2, s);
    tn_attr_ints(t, "paddings", 2, p);
}
static void avg_pool(clr_test_node *t) { max_pool(t), tn_attr_str(t, "pooling_type", "avg"); }
static void global_pool(clr_test_node *t) {
    int32_t k[2] = {1, 1};
    tn_attr_str(t, "pooling_type", "avg");
    tn_attr_ints(t, "ksize", 2, k);
    tn_attr_bool(t, "global_pooling", true);
}
static void fc_attrs(clr_test_node *t) { tn_attr_int(t, "in_num_col_dims", 1); }
static void calib_attrs(clr_test_node *t) { tn_attr_float(t, "scale", 0.013f); }

#define F CLR_DTYPE_FP32
#define Q CLR_DTYPE_INT8
static const op_case cases[] = {
    {"conv2d", 3, {"Input", "Filter", "Bias"}, {F, F, F}, {4, 4, 1}, {{1, 3, 45, 39}, {21, 3, 3, 3}, {21}}, conv3x3_s2,
     "Output"},
    {"conv2d", 2, {"Input", "Filter"}, {F, F}, {4, 4}, {{2, 29, 23, 17}, {43, 29, 1, 1}}, conv1x1, "Output"},
    {"conv2d", 3, {"Input", "Filter", "Bias"}, {F, F, F}, {4, 4, 1}, {{1, 300, 9, 11}, {70, 300, 1, 1}, {70}},
     conv1x1_relu6, "Output"},
    {"depthwise_conv2d", 3, {"Input", "Filter", "Bias"}, {F, F, F}, {4, 4, 1}, {{1, 37, 31, 29}, {37, 1, 3, 3}, {37}},
     dw3x3_s1, "Output"},
    {"depthwise_conv2d", 2, {"Input", "Filter"}, {F, F}, {4, 4}, {{2, 37, 30, 27}, {37, 1, 3, 3}}, dw3x3_s2, "Output"},
    {"depthwise_conv2d", 2, {"Input", "Filter"}, {F, F}, {4, 4}, {{1, 19, 21, 33}, {19, 1, 5, 5}}, dw5x5_s1, "Output"},
    {"conv2d", 2, {"Input", "Filter"}, {Q, Q}, {4, 4}, {{1, 13, 17, 19}, {21, 13, 3, 3}}, conv_int8, "Output"},
    {"depthwise_conv2d", 2, {"Input", "Filter"}, {Q, Q}, {4, 4}, {{1, 37, 19, 23}, {37, 1, 3, 3}}, dw_int8, "Output"},
    {"fc", 3, {"Input", "W", "Bias"}, {F, F, F}, {2, 2, 1}, {{5, 301}, {301, 67}, {67}}, fc_attrs, "Out"},
    {"elementwise_add", 2, {"X", "Y"}, {F, F}, {4, 1}, {{2, 37, 23, 19}, {37}}, axis1, "Out"},
    {"elementwise_mul", 2, {"X", "Y"}, {F, F}, {4, 4}, {{1, 7, 101, 103}, {1, 7, 101, 103}}, axis_last, "Out"},
    {"sigmoid", 1, {"X"}, {F}, {4}, {{1, 3, 111, 103}}, no_attrs, "Out"},
    {"tanh", 1, {"X"}, {F}, {2}, {{7, 5003}}, no_attrs, "Out"},
    {"softmax", 1, {"X"}, {F}, {3}, {{3, 37, 1003}}, no_attrs, "Out"},
    {"calib", 1, {"Input"}, {F}, {2}, {{9, 4099}}, calib_attrs, "Out"},
    {"hard_swish", 1, {"X"}, {F}, {2}, {{7, 5003}}, no_attrs, "Out"},
    {"pool2d", 1, {"X"}, {F}, {4}, {{2, 23, 29, 31}}, max_pool, "Out"},
    {"pool2d", 1, {"X"}, {F}, {4}, {{2, 23, 29, 31}}, avg_pool, "Out"},
    {"pool2d", 1, {"X"}, {F}, {4}, {{3, 67, 13, 11}}, global_pool, "Out"},
};

/* With a pool the filter also poses as a parameter (borrowed), which makes
 * the conv pack it once (node cache): both paths give the same bytes. */
static void run_case(const op_case *c, clr_thread_pool *pool, clr_tensor *in, clr_tensor *out) {
    clr_test_node t;
    tn_init(&t, c->type);
    for (int32_t i = 0; i < c->nin; i++) {
        tn_input(&t, c->slots[i], &in[i]);
        in[i].borrowed = pool && strcmp(c->slots[i], "Filter") == 0;
    }
    tn_output(&t, c->out_slot, out);
    c->attrs(&t);
    if (c->dtype[0] == Q) t.op.place = (clr_kernel_place){.present = true, .alias = "int8_out"};
    t.node.pool = pool;
    clr_status st = tn_run(&t);
    for (int32_t i = 0; i < c->nin; i++) in[i].borrowed = false; /* the test owns them */
    if (st != CLR_OK) fail_msg("%s: %s", c->type, t.err.msg);
}

static void threads_give_the_same_bytes(void **state) {
    (void)state;
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        const op_case *c = &cases[k];
        clr_tensor in[3];
        for (int32_t i = 0; i < c->nin; i++) in[i] = make(c->dtype[i], c->nd[i], c->dims[i], 100 * k + (unsigned)i);
        clr_tensor serial = {0}, threaded = {0};
        run_case(c, NULL, in, &serial);
        for (int rep = 0; rep < 3; rep++) {
            run_case(c, pool3, in, &threaded);
            assert_int_equal(serial.dtype, threaded.dtype);
            assert_int_equal(clr_tensor_nbytes(&serial), clr_tensor_nbytes(&threaded));
            if (memcmp(serial.data, threaded.data, clr_tensor_nbytes(&serial)) != 0)
                fail_msg("case %zu (%s): 1 and 3 threads differ", k, c->type);
        }
        for (int32_t i = 0; i < c->nin; i++) clr_tensor_release(&in[i]);
        clr_tensor_release(&serial);
        clr_tensor_release(&threaded);
    }
}

static int setup(void **state) {
    (void)state;
    return clr_thread_pool_create(3, &pool3, NULL) == CLR_OK ? 0 : -1;
}

static int teardown(void **state) {
    (void)state;
    clr_thread_pool_free(pool3);
    return 0;
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(threads_give_the_same_bytes),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
