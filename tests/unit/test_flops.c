/* Unit tests for clr_node_flops: each expected count is the formula of
 * runtime/flops.h worked out by hand for the shapes given here. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "runtime/flops.h"
#include "test_node.h"

typedef struct fixture {
    clr_test_node t;
    clr_tensor in[3], out;
} fixture;

/* An op with inputs `names` of the given shapes (NULL-terminated) and one
 * output of shape `out` in slot `out_name`. */
static void make(fixture *f, const char *type, const char *const *names, const int64_t (*shapes)[5],
                 const char *out_name, const int64_t *out) {
    tn_init(&f->t, type);
    for (int i = 0; names[i]; i++) {
        tn_tensor_f32(&f->in[i], (int32_t)shapes[i][0], &shapes[i][1]);
        tn_input(&f->t, names[i], &f->in[i]);
    }
    tn_tensor_f32(&f->out, (int32_t)out[0], &out[1]);
    tn_output(&f->t, out_name, &f->out);
}

static void release(fixture *f) {
    for (int i = 0; i < 3; i++) clr_tensor_release(&f->in[i]);
    clr_tensor_release(&f->out);
}

static double flops_of(fixture *f) { return clr_node_flops(&f->t.node); }

static void conv_counts_multiply_adds_per_output(void **state) {
    (void)state;
    static fixture f;
    const char *names[] = {"Input", "Filter", NULL};
    /* 2 * Cout*Hout*Wout * (Cin/groups)*KH*KW = 2 * 4*8*8 * 3*3*3 */
    make(&f, "conv2d", names, (const int64_t[][5]){{4, 1, 3, 8, 8}, {4, 4, 3, 3, 3}}, "Output",
         (const int64_t[]){4, 1, 4, 8, 8});
    assert_true(flops_of(&f) == 2.0 * 4 * 8 * 8 * 3 * 3 * 3);
    release(&f);
    /* depthwise, groups = C = 6: filter [6,1,3,3], stride 2 → [1,6,4,4] */
    make(&f, "depthwise_conv2d", names, (const int64_t[][5]){{4, 1, 6, 8, 8}, {4, 6, 1, 3, 3}}, "Output",
         (const int64_t[]){4, 1, 6, 4, 4});
    tn_attr_int(&f.t, "groups", 6);
    assert_true(flops_of(&f) == 2.0 * 6 * 4 * 4 * 9);
    release(&f);
    /* transpose: every input element scatters (Cout/groups)*KH*KW products; filter [Cin, Cout/g, KH, KW] */
    make(&f, "conv2d_transpose", names, (const int64_t[][5]){{4, 1, 4, 5, 5}, {4, 4, 2, 2, 2}}, "Output",
         (const int64_t[]){4, 1, 2, 10, 10});
    assert_true(flops_of(&f) == 2.0 * 4 * 5 * 5 * 2 * 2 * 2);
    release(&f);
}

static void gemm_counts_2mnk(void **state) {
    (void)state;
    static fixture f;
    make(&f, "fc", (const char *const[]){"Input", "W", NULL}, (const int64_t[][5]){{2, 3, 5}, {2, 5, 7}}, "Out",
         (const int64_t[]){2, 3, 7});
    assert_true(flops_of(&f) == 2.0 * 3 * 7 * 5);
    release(&f);
    /* matmul_v2 [2,3,4] x [4,6] → [2,3,6]: K = 4 */
    make(&f, "matmul_v2", (const char *const[]){"X", "Y", NULL}, (const int64_t[][5]){{3, 2, 3, 4}, {2, 4, 6}}, "Out",
         (const int64_t[]){3, 2, 3, 6});
    assert_true(flops_of(&f) == 2.0 * 2 * 3 * 6 * 4);
    release(&f);
    /* trans_y: Y is [6,4], K is still 4 */
    make(&f, "matmul_v2", (const char *const[]){"X", "Y", NULL}, (const int64_t[][5]){{2, 3, 4}, {2, 6, 4}}, "Out",
         (const int64_t[]){2, 3, 6});
    tn_attr_bool(&f.t, "trans_y", true);
    assert_true(flops_of(&f) == 2.0 * 3 * 6 * 4);
    release(&f);
    /* mul with y_num_col_dims 1: Y [8,5] flattened K = 8 */
    make(&f, "mul", (const char *const[]){"X", "Y", NULL}, (const int64_t[][5]){{2, 2, 8}, {2, 8, 5}}, "Out",
         (const int64_t[]){2, 2, 5});
    assert_true(flops_of(&f) == 2.0 * 2 * 5 * 8);
    release(&f);
}

static void pool_softmax_elementwise_and_data_ops(void **state) {
    (void)state;
    static fixture f;
    const char *x[] = {"X", NULL};
    make(&f, "pool2d", x, (const int64_t[][5]){{4, 1, 2, 8, 8}}, "Out", (const int64_t[]){4, 1, 2, 4, 4});
    tn_attr_ints(&f.t, "ksize", 2, (const int32_t[]){3, 3});
    assert_true(flops_of(&f) == 2.0 * 4 * 4 * 9);
    release(&f);
    make(&f, "pool2d", x, (const int64_t[][5]){{4, 1, 2, 8, 8}}, "Out", (const int64_t[]){4, 1, 2, 1, 1});
    tn_attr_bool(&f.t, "global_pooling", true);
    assert_true(flops_of(&f) == 2.0 * 8 * 8);
    release(&f);
    make(&f, "softmax", x, (const int64_t[][5]){{2, 4, 10}}, "Out", (const int64_t[]){2, 4, 10});
    assert_true(flops_of(&f) == 5.0 * 40);
    release(&f);
    make(&f, "elementwise_add", (const char *const[]){"X", "Y", NULL}, (const int64_t[][5]){{2, 4, 10}, {1, 10}},
         "Out", (const int64_t[]){2, 4, 10});
    assert_true(flops_of(&f) == 40.0);
    release(&f);
    make(&f, "hard_swish", x, (const int64_t[][5]){{2, 3, 7}}, "Out", (const int64_t[]){2, 3, 7});
    assert_true(flops_of(&f) == 21.0);
    release(&f);
    make(&f, "reshape2", x, (const int64_t[][5]){{2, 3, 7}}, "Out", (const int64_t[]){1, 21});
    assert_true(flops_of(&f) == 0.0);
    release(&f);
}

static void missing_tensors_count_zero(void **state) {
    (void)state;
    static fixture f;
    /* a conv without its Filter bound (malformed): no crash, no count */
    make(&f, "conv2d", (const char *const[]){"Input", NULL}, (const int64_t[][5]){{4, 1, 3, 8, 8}}, "Output",
         (const int64_t[]){4, 1, 4, 8, 8});
    assert_true(flops_of(&f) == 0.0);
    release(&f);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(conv_counts_multiply_adds_per_output),
        cmocka_unit_test(gemm_counts_2mnk),
        cmocka_unit_test(pool_softmax_elementwise_and_data_ops),
        cmocka_unit_test(missing_tensors_count_zero),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
