/* The executor on a real OpenCL device: GPU runs really enqueue kernels and
 * agree with the host; a GPU kernel that declines at run time falls back to
 * the host, counted and explained, and --strict turns that into an error;
 * repeated runs with changing input shapes stay correct. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "kernels/opencl/gpu_node.h"
#include "nbgen.h"
#include "runtime/executor.h"
#include "test_cl.h"
#include "test_gpu.h"
#include "test_programs.h"

static clr_exec *make_exec(const clr_program *p, clr_cl *cl, clr_placement placement, bool strict) {
    clr_exec *e = NULL;
    clr_error err = {{0}};
    clr_exec_options opt = {.cl = cl, .placement = placement, .strict = strict, .profiling = cl != NULL};
    if (clr_exec_create(p, &opt, &e, &err) != CLR_OK) fail_msg("exec: %s", err.msg);
    return e;
}

static void set_image(clr_exec *e, int64_t h, int64_t w, unsigned long long seed) {
    int64_t dims[4] = {1, 3, h, w};
    clr_tensor *in = clr_exec_input(e, 0);
    assert_int_equal(clr_tensor_resize(in, CLR_DTYPE_FP32, 4, dims, NULL), CLR_OK);
    tn_fill_uniform(in, seed, -1.0f, 1.0f);
}

/* Whether an op of this type enqueued an OpenCL kernel in the last run. */
static bool launched(const clr_exec *e, const char *op_type) {
    const clr_gpu_trace *t = clr_exec_trace(e);
    for (int32_t i = 0; i < t->n; i++)
        if (strcmp(clr_exec_node(e, t->records[i].op)->op->type, op_type) == 0) return true;
    return false;
}

static void gpu_run_enqueues_kernels_and_matches_host(void **state) {
    clr_program *p = NULL;
    clr_error err = {{0}};
    assert_int_equal(nbgen_tiny_convnet(&p, &err), CLR_OK);
    clr_exec *host = make_exec(p, NULL, CLR_PLACEMENT_AUTO, false);
    clr_exec *gpu = make_exec(p, tg_device(), CLR_PLACEMENT_GPU, true);
    /* two runs per shape, and a second shape: buffers are reused and resized */
    int64_t sizes[3][2] = {{32, 32}, {32, 32}, {24, 40}};
    for (int r = 0; r < 3; r++) {
        set_image(host, sizes[r][0], sizes[r][1], 10 + (unsigned)r);
        set_image(gpu, sizes[r][0], sizes[r][1], 10 + (unsigned)r);
        if (clr_exec_run(host, &err) != CLR_OK) fail_msg("host run: %s", err.msg);
        if (clr_exec_run(gpu, &err) != CLR_OK) fail_msg("gpu run: %s", err.msg);
        const clr_exec_stats *st = clr_exec_last_stats(gpu);
        assert_true(st->ops_gpu >= 6);
        assert_int_equal(st->fallbacks, 0);
        /* softmax rows of 10 stay on the host (libm expf tail, gpu_norm.c) */
        assert_true(launched(gpu, "conv2d") && launched(gpu, "fc") && !launched(gpu, "softmax"));
        double diff = tn_max_rel_diff(clr_exec_output(gpu, 0), clr_exec_output(host, 0));
        if (!(diff <= 1e-4)) fail_msg("run %d: GPU output differs from host by %g", r, diff);
    }
    clr_exec_free(gpu);
    clr_exec_free(host);
    clr_program_free(p);
}

/* feed → scale → fetch, the variable declared FP32 but fed INT64: the GPU
 * kernel accepts the op statically and declines at run time. */
static clr_program *int_scale_program(void) {
    clr_builder *b = clr_builder_create("test");
    int64_t dims[1] = {5};
    const char *x[] = {"x"}, *y[] = {"y"};
    clr_builder_var(b, "x", CLR_DTYPE_FP32, 1, dims, false);
    clr_builder_var(b, "y", CLR_DTYPE_FP32, 1, dims, false);
    tp_feed(b, "x");
    clr_builder_op(b, "scale");
    clr_builder_op_input(b, "X", 1, x);
    clr_builder_op_output(b, "Out", 1, y);
    clr_builder_attr_float(b, "scale", 3.0f);
    clr_builder_attr_float(b, "bias", 1.0f);
    clr_builder_attr_bool(b, "bias_after_scale", true);
    return tp_fetch_finish(b, "y");
}

static void run_time_decline_falls_back_visibly(void **state) {
    clr_program *p = int_scale_program();
    int64_t dims[1] = {5}, values[5] = {-2, -1, 0, 1, 2};
    for (int strict = 0; strict <= 1; strict++) {
        clr_exec *e = make_exec(p, tg_device(), CLR_PLACEMENT_GPU, strict);
        clr_tensor *in = clr_exec_input(e, 0);
        assert_int_equal(clr_tensor_resize(in, CLR_DTYPE_INT64, 1, dims, NULL), CLR_OK);
        memcpy(in->data, values, sizeof values);
        clr_error err = {{0}};
        clr_status st = clr_exec_run(e, &err);
        const clr_exec_stats *s = clr_exec_last_stats(e);
        assert_int_equal(s->ops_gpu, 1); /* planned for the GPU … */
        assert_int_equal(s->fallbacks, 1); /* … ran on the host, and says so */
        assert_non_null(strstr(s->fallback_reason, "scale"));
        if (strict) {
            assert_int_equal(st, CLR_ERR_UNSUPPORTED);
            assert_non_null(strstr(err.msg, "--strict"));
        } else {
            assert_int_equal(st, CLR_OK);
            const int64_t *out = clr_exec_output(e, 0)->data;
            for (int i = 0; i < 5; i++) assert_int_equal(out[i], 3 * values[i] + 1);
        }
        clr_exec_free(e);
    }
    clr_program_free(p);
}

/* The fc opt makes of a matmul (op_type attribute) runs on the GPU with the
 * host's shape rule and values. */
static void fc_from_matmul_matches_host_on_gpu(void **state) {
    (void)state;
    clr_program *p = tp_fc_program("matmul", 1);
    clr_exec *host = make_exec(p, NULL, CLR_PLACEMENT_AUTO, false);
    clr_exec *gpu = make_exec(p, tg_device(), CLR_PLACEMENT_GPU, true);
    int64_t dims[3] = {2, 3, 4};
    clr_exec *both[2] = {host, gpu};
    clr_error err = {{0}};
    for (int i = 0; i < 2; i++) {
        clr_tensor *x = clr_exec_input(both[i], 0);
        assert_int_equal(clr_tensor_resize(x, CLR_DTYPE_FP32, 3, dims, NULL), CLR_OK);
        tn_fill_uniform(x, 9, -1.0f, 1.0f);
        if (clr_exec_run(both[i], &err) != CLR_OK) fail_msg("run: %s", err.msg);
    }
    assert_true(launched(gpu, "fc"));
    const clr_tensor *y = clr_exec_output(gpu, 0);
    assert_true(y->ndims == 3 && y->dims[0] == 2 && y->dims[1] == 3 && y->dims[2] == 5);
    double diff = tn_max_rel_diff(y, clr_exec_output(host, 0));
    if (!(diff <= 1e-5)) fail_msg("GPU fc differs from host by %g", diff);
    clr_exec_free(gpu);
    clr_exec_free(host);
    clr_program_free(p);
}

int main(void) {
    int rc = clr_test_cl_require();
    if (rc) return rc;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(gpu_run_enqueues_kernels_and_matches_host),
        cmocka_unit_test(run_time_decline_falls_back_visibly),
        cmocka_unit_test(fc_from_matmul_matches_host_on_gpu),
    };
    return cmocka_run_group_tests(tests, NULL, tg_teardown);
}
