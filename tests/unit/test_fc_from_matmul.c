/* An fc that opt (v2.13+) made of a matmul carries op_type = "matmul" (or
 * "matmul_v2"): Paddle-Lite multiplies along the input's last dim whatever
 * in_num_col_dims says. Without the attribute, in_num_col_dims rules. The
 * models are built and passed through clrun's .nb writer and reader. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "runtime/executor.h"
#include "test_node.h"
#include "test_programs.h"

/* Runs the program on the host with x [2, 3, 4]; returns the status, the
 * output in *y (copied) and the message in err. */
static clr_status run_fc(const clr_program *p, clr_tensor *y, clr_error *err) {
    clr_exec *e = NULL;
    if (clr_exec_create(p, NULL, &e, err) != CLR_OK) fail_msg("exec: %s", err->msg);
    int64_t dims[3] = {2, 3, 4};
    clr_tensor *x = clr_exec_input(e, 0);
    assert_int_equal(clr_tensor_resize(x, CLR_DTYPE_FP32, 3, dims, NULL), CLR_OK);
    tn_fill_uniform(x, 5, -1.0f, 1.0f);
    clr_tensor xin = {0};
    assert_int_equal(clr_tensor_copy(&xin, x, NULL), CLR_OK);
    clr_status st = clr_exec_run(e, err);
    if (st == CLR_OK) {
        assert_int_equal(clr_tensor_copy(y, clr_exec_output(e, 0), NULL), CLR_OK);
        /* y[i, j, n] = b[n] + sum_k x[i, j, k] w[k, n] */
        const float *xv = xin.data, *yv = y->data;
        for (int64_t r = 0; r < 6; r++)
            for (int64_t n = 0; n < 5; n++) {
                double want = tp_fc_bias(n);
                for (int64_t k = 0; k < 4; k++) want += (double)xv[r * 4 + k] * tp_fc_weight(k, n);
                assert_float_equal(yv[r * 5 + n], want, 1e-5);
            }
    }
    clr_tensor_release(&xin);
    clr_exec_free(e);
    return st;
}

static void matmul_origin_multiplies_along_the_last_dim(void **state) {
    (void)state;
    const char *origins[] = {"matmul", "matmul_v2"};
    for (int i = 0; i < 2; i++) {
        clr_program *p = tp_fc_program(origins[i], 1); /* in_num_col_dims 1 would flatten to [2, 12] */
        clr_tensor y = {0};
        clr_error err = {{0}};
        if (run_fc(p, &y, &err) != CLR_OK) fail_msg("%s: %s", origins[i], err.msg);
        assert_int_equal(y.ndims, 3);
        assert_true(y.dims[0] == 2 && y.dims[1] == 3 && y.dims[2] == 5);
        clr_tensor_release(&y);
        clr_program_free(p);
    }
}

static void without_op_type_in_num_col_dims_rules(void **state) {
    (void)state;
    clr_program *p = tp_fc_program(NULL, 1);
    clr_tensor y = {0};
    clr_error err = {{0}};
    assert_int_equal(run_fc(p, &y, &err), CLR_ERR_FORMAT);
    assert_non_null(strstr(err.msg, "input 'W' has 4 rows, expected 12"));
    clr_program_free(p);
    p = tp_fc_program(NULL, 2);
    assert_int_equal(run_fc(p, &y, &err), CLR_OK);
    assert_true(y.ndims == 3 && y.dims[2] == 5);
    clr_tensor_release(&y);
    clr_program_free(p);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(matmul_origin_multiplies_along_the_last_dim),
        cmocka_unit_test(without_op_type_in_num_col_dims_rules),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
