/* Tests of the OpenCL runtime on the real device: selection, device facts,
 * kernels from the embedded sources, error reporting. Exits 77 without a
 * device (fails instead with CI=true). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "backend/opencl/cl_program_cache.h"
#include "test_cl.h"

static clr_cl *open_device(const char *device, bool profiling) {
    clr_cl_options opt = {.device = device, .no_cache = true, .profiling = profiling};
    clr_cl *cl = NULL;
    clr_error err = {{0}};
    clr_status st = clr_cl_create(&opt, &cl, &err);
    if (st != CLR_OK) print_error("%s\n", err.msg);
    assert_int_equal(st, CLR_OK);
    return cl;
}

static void gpu_device_runs_copy_and_relu(void **state) {
    clr_cl *cl = open_device("gpu", false);
    assert_true(cl->info.name[0] && cl->info.vendor[0] && cl->info.platform_name[0]);
    assert_true(cl->info.max_work_group_size > 0 && cl->info.compute_units > 0 && cl->info.max_alloc_size > 0);
    if (strstr(cl->info.platform_name, "Portable Computing Language")) {
        assert_string_equal(cl->profile.name, "pocl");
        assert_false(cl->info.fp16);
    }
    assert_null(clr_cl_program_cache_dir(cl->programs)); /* no_cache */
    clr_test_cl_check_elementwise(cl, "copy_f32", 1000003);
    clr_test_cl_check_elementwise(cl, "relu_f32", 1000003);
    clr_test_cl_check_elementwise(cl, "relu_f32", 1);
    /* One compile; the other two lookups found the program in memory. */
    clr_cl_cache_stats s = clr_cl_program_cache_stats(cl->programs);
    assert_int_equal(s.misses, 1);
    assert_int_equal(s.memory_hits, 2);
    assert_int_equal(s.disk_hits, 0);
    assert_true(s.compile_seconds > 0);
    clr_cl_free(cl);
    clr_cl_free(NULL);
}

static void kernels_are_cached_per_options(void **state) {
    clr_cl *cl = open_device("auto", false);
    clr_error err = {{0}};
    cl_kernel a, b, c;
    assert_int_equal(clr_cl_kernel(cl, "elementwise.cl", "copy_f32", NULL, &a, &err), CLR_OK);
    assert_int_equal(clr_cl_kernel(cl, "elementwise.cl", "copy_f32", "", &b, &err), CLR_OK);
    assert_ptr_equal(a, b); /* NULL and "" are the same options */
    assert_int_equal(clr_cl_kernel(cl, "elementwise.cl", "copy_f32", "-DCLR_DTYPE_float", &c, &err), CLR_OK);
    assert_ptr_not_equal(a, c);
    assert_int_equal(clr_cl_program_cache_stats(cl->programs).misses, 2);
    clr_cl_free(cl);
}

static void queue_profiling_only_when_asked(void **state) {
    for (int on = 0; on <= 1; on++) {
        clr_cl *cl = open_device("gpu:0", on);
        cl_command_queue_properties props = 0;
        assert_int_equal(clGetCommandQueueInfo(cl->queue, CL_QUEUE_PROPERTIES, sizeof props, &props, NULL),
                         CL_SUCCESS);
        assert_int_equal((props & CL_QUEUE_PROFILING_ENABLE) != 0, on);
        assert_int_equal(cl->profiling, on);
        clr_cl_free(cl);
    }
}

static void bad_requests_are_reported(void **state) {
    static const char *const bad_names[] = {"tpu", "gpu:", "gpu:x", "gpu:1x", "GPU"};
    clr_cl *cl = NULL;
    clr_error err = {{0}};
    for (size_t i = 0; i < sizeof bad_names / sizeof bad_names[0]; i++) {
        clr_cl_options opt = {.device = bad_names[i], .no_cache = true};
        assert_int_equal(clr_cl_create(&opt, &cl, &err), CLR_ERR_ARG);
        assert_non_null(strstr(err.msg, "expected gpu, gpu:N or auto"));
    }
    clr_cl_options opt = {.device = "gpu:4096", .no_cache = true};
    assert_int_equal(clr_cl_create(&opt, &cl, &err), CLR_ERR_UNSUPPORTED);
    assert_non_null(strstr(err.msg, "no OpenCL device gpu:4096 ("));
    assert_null(cl);

    cl = open_device("gpu", false);
    cl_kernel k;
    assert_int_equal(clr_cl_kernel(cl, "elementwise.cl", "no_such_kernel", NULL, &k, &err), CLR_ERR_OPENCL);
    assert_string_equal(err.msg, "clCreateKernel(elementwise.cl, no_such_kernel): CL_INVALID_KERNEL_NAME (-46)");
    assert_int_equal(clr_cl_kernel(cl, "no_such_file.cl", "copy_f32", NULL, &k, &err), CLR_ERR_ARG);
    assert_string_equal(err.msg, "no embedded OpenCL source 'no_such_file.cl'");
    assert_int_equal(clr_cl_kernel(cl, "elementwise.cl", NULL, NULL, &k, &err), CLR_ERR_ARG);
    clr_cl_free(cl);
}

static void error_names_cover_opencl_1_2(void **state) {
    assert_string_equal(clr_cl_error_name(CL_SUCCESS), "CL_SUCCESS");
    assert_string_equal(clr_cl_error_name(-11), "CL_BUILD_PROGRAM_FAILURE");
    assert_string_equal(clr_cl_error_name(-19), "CL_KERNEL_ARG_INFO_NOT_AVAILABLE");
    assert_string_equal(clr_cl_error_name(-68), "CL_INVALID_DEVICE_PARTITION_COUNT");
    assert_string_equal(clr_cl_error_name(-1001), "CL_PLATFORM_NOT_FOUND_KHR");
    assert_string_equal(clr_cl_error_name(-20), "CL_UNKNOWN_ERROR");
    for (cl_int code = -68; code <= 0; code++)
        if (code >= -19 || code <= -30) /* -20..-29 are unassigned */
            assert_string_not_equal(clr_cl_error_name(code), "CL_UNKNOWN_ERROR");
    clr_error err = {{0}};
    assert_int_equal(clr_cl_check(&err, CL_SUCCESS, "clFinish"), CLR_OK);
    assert_int_equal(clr_cl_check(&err, CL_OUT_OF_RESOURCES, "clFinish"), CLR_ERR_OPENCL);
    assert_string_equal(err.msg, "clFinish: CL_OUT_OF_RESOURCES (-5)");
}

int main(void) {
    int skip = clr_test_cl_require();
    if (skip) return skip;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(error_names_cover_opencl_1_2),
        cmocka_unit_test(gpu_device_runs_copy_and_relu),
        cmocka_unit_test(kernels_are_cached_per_options),
        cmocka_unit_test(queue_profiling_only_when_asked),
        cmocka_unit_test(bad_requests_are_reported),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
