/* Unit tests for embedded text files and the CLRUN_CL_DIR override. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "backend/opencl/cl_sources.h"
#include "test_cl.h"

static void tables_are_sorted_and_nul_terminated(void **state) {
    const struct {
        const clr_embedded_file *t;
        size_t n;
    } tables[] = {{clr_cl_sources, clr_cl_sources_count}, {clr_device_confs, clr_device_confs_count}};
    for (size_t k = 0; k < 2; k++) {
        assert_true(tables[k].n > 0);
        for (size_t i = 0; i < tables[k].n; i++) {
            const clr_embedded_file *f = &tables[k].t[i];
            assert_int_equal(f->data[f->size], '\0');
            assert_int_equal(strlen(f->data), f->size); /* text files: no NUL inside */
            if (i > 0) assert_true(strcmp(tables[k].t[i - 1].path, f->path) < 0);
            assert_ptr_equal(clr_embedded_find(tables[k].t, tables[k].n, f->path), f);
        }
    }
}

static void embedded_kernels_are_found(void **state) {
    const char *data;
    size_t size;
    assert_true(clr_cl_source_find("elementwise.cl", &data, &size));
    assert_non_null(strstr(data, "__kernel void relu_f32"));
    assert_true(clr_cl_source_find("common.h", &data, &size));
    assert_non_null(strstr(data, "CLR_DTYPE"));
    assert_false(clr_cl_source_find("nope.cl", &data, &size));
    assert_false(clr_cl_source_find("", &data, &size));

    unsetenv("CLRUN_CL_DIR");
    clr_cl_source src;
    clr_error err = {{0}};
    assert_int_equal(clr_cl_source_load("elementwise.cl", &src, &err), CLR_OK);
    assert_null(src.owned); /* the embedded copy, no allocation */
    clr_cl_source_release(&src);
    assert_int_equal(clr_cl_source_load("missing.cl", &src, &err), CLR_ERR_ARG);
    assert_string_equal(err.msg, "no embedded OpenCL source 'missing.cl'");
}

static void cl_dir_overrides_embedded_sources(void **state) {
    char dir[256], file[512];
    clr_test_make_temp_dir(dir);
    snprintf(file, sizeof file, "%s/elementwise.cl", dir);
    FILE *fp = fopen(file, "w");
    assert_non_null(fp);
    fputs("__kernel void edited(void) {}\n", fp);
    fclose(fp);

    setenv("CLRUN_CL_DIR", dir, 1);
    clr_cl_source src;
    clr_error err = {{0}};
    assert_int_equal(clr_cl_source_load("elementwise.cl", &src, &err), CLR_OK);
    assert_string_equal(src.data, "__kernel void edited(void) {}\n");
    assert_int_equal(src.size, strlen(src.data));
    assert_non_null(src.owned);
    clr_cl_source_release(&src);
    clr_cl_source_release(NULL);

    /* A file missing from the folder is an error naming it, not a silent fallback. */
    assert_int_equal(clr_cl_source_load("common.h", &src, &err), CLR_ERR_IO);
    char expect[700];
    snprintf(expect, sizeof expect, "%s/common.h: No such file or directory (CLRUN_CL_DIR is set)", dir);
    assert_string_equal(err.msg, expect);
    unsetenv("CLRUN_CL_DIR");
    clr_test_remove_dir(dir);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(tables_are_sorted_and_nul_terminated),
        cmocka_unit_test(embedded_kernels_are_found),
        cmocka_unit_test(cl_dir_overrides_embedded_sources),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
