/* Tests of the on-disk program cache on the real device: miss then hit,
 * damaged files are misses and get rewritten, an unwritable folder only
 * warns, and a kernel with a syntax error reports the build log. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "backend/opencl/cl_program_cache.h"
#include "backend/opencl/cl_sources.h"
#include "test_cl.h"

static char tmp_dir[256], cache_dir[512];

static int make_cache_dir(void **state) {
    clr_test_make_temp_dir(tmp_dir);
    /* Below a folder that does not exist yet: the cache must mkdir -p. */
    snprintf(cache_dir, sizeof cache_dir, "%s/cache", tmp_dir);
    setenv("CLRUN_CACHE_DIR", cache_dir, 1);
    return 0;
}

static int remove_cache_dir(void **state) {
    clr_test_remove_dir(cache_dir);
    clr_test_remove_dir(tmp_dir);
    return 0;
}

/* Opens the device (cache folder from $CLRUN_CACHE_DIR), gets copy_f32 and
 * checks it runs; returns the cache counters. */
static clr_cl_cache_stats run_once(const char **warning_out) {
    clr_cl_options opt = {.device = "gpu"};
    clr_cl *cl = NULL;
    clr_error err = {{0}};
    assert_int_equal(clr_cl_create(&opt, &cl, &err), CLR_OK);
    clr_test_cl_check_elementwise(cl, "copy_f32", 4099);
    clr_cl_cache_stats s = clr_cl_program_cache_stats(cl->programs);
    const char *w = clr_cl_program_cache_warning(cl->programs);
    static char warning[600];
    snprintf(warning, sizeof warning, "%s", w ? w : "");
    if (warning_out) *warning_out = w ? warning : NULL;
    clr_cl_free(cl);
    return s;
}

/* The path of the single cache file (asserts there is exactly one). */
static void the_cache_file(char *path, size_t size) {
    DIR *d = opendir(cache_dir);
    assert_non_null(d);
    int files = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.') continue;
        files++;
        assert_int_equal(strlen(e->d_name), 64 + 4); /* <sha256 hex>.bin, no .tmp left over */
        assert_string_equal(e->d_name + 64, ".bin");
        snprintf(path, size, "%s/%s", cache_dir, e->d_name);
    }
    closedir(d);
    assert_int_equal(files, 1);
}

static void first_run_compiles_second_loads(void **state) {
    const char *warning;
    clr_cl_cache_stats s = run_once(&warning);
    assert_int_equal(s.misses, 1);
    assert_int_equal(s.disk_hits, 0);
    assert_null(warning);
    char path[1024];
    the_cache_file(path, sizeof path);
    s = run_once(&warning);
    assert_int_equal(s.misses, 0);
    assert_int_equal(s.disk_hits, 1);
    assert_true(s.load_seconds > 0);
    assert_null(warning);
}

typedef enum damage { TRUNCATE, FLIP_BINARY_BYTE, FLIP_KEY_BYTE, EMPTY, FOREIGN } damage;

static void damage_file(const char *path, damage how) {
    FILE *fp = fopen(path, "r+b");
    assert_non_null(fp);
    fseek(fp, 0, SEEK_END);
    long size = ftell(fp);
    switch (how) {
    case TRUNCATE: assert_int_equal(truncate(path, size / 2), 0); break;
    case EMPTY: assert_int_equal(truncate(path, 0), 0); break;
    case FLIP_BINARY_BYTE:
    case FLIP_KEY_BYTE: {
        long at = how == FLIP_KEY_BYTE ? 20 : size / 2; /* the key hash starts at byte 12 */
        fseek(fp, at, SEEK_SET);
        int c = fgetc(fp);
        fseek(fp, at, SEEK_SET);
        fputc(c ^ 0x40, fp);
        break;
    }
    case FOREIGN:
        fseek(fp, 0, SEEK_SET);
        fputs("\x7f" "ELF not a clrun cache file", fp);
        break;
    }
    fclose(fp);
}

static void damaged_files_are_misses_and_rewritten(void **state) {
    static const damage all[] = {TRUNCATE, FLIP_BINARY_BYTE, FLIP_KEY_BYTE, EMPTY, FOREIGN};
    char path[1024];
    the_cache_file(path, sizeof path);
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
        damage_file(path, all[i]);
        clr_cl_cache_stats s = run_once(NULL);
        assert_int_equal(s.misses, 1);
        assert_int_equal(s.disk_hits, 0);
        /* Rewritten: the next run loads it again. */
        s = run_once(NULL);
        assert_int_equal(s.disk_hits, 1);
        the_cache_file(path, sizeof path);
    }
}

static void unwritable_folder_only_warns(void **state) {
    char file[600], below_file[700];
    snprintf(file, sizeof file, "%s/plain-file", tmp_dir);
    FILE *fp = fopen(file, "w");
    assert_non_null(fp);
    fclose(fp);
    /* A folder below a regular file cannot be created, even by root. */
    snprintf(below_file, sizeof below_file, "%s/sub", file);
    setenv("CLRUN_CACHE_DIR", below_file, 1);
    const char *warning;
    clr_cl_cache_stats s = run_once(&warning);
    assert_int_equal(s.misses, 1);
    assert_non_null(warning);
    char expect[800];
    snprintf(expect, sizeof expect, "program cache off: cannot create %s: Not a directory", below_file);
    assert_string_equal(warning, expect);
    setenv("CLRUN_CACHE_DIR", cache_dir, 1);
    remove(file);
}

static void syntax_error_reports_build_log(void **state) {
    char dir[256], path[512];
    clr_test_make_temp_dir(dir);
    const char *common;
    size_t common_size;
    assert_true(clr_cl_source_find("common.h", &common, &common_size));
    snprintf(path, sizeof path, "%s/common.h", dir);
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fwrite(common, 1, common_size, fp);
    fclose(fp);
    snprintf(path, sizeof path, "%s/broken.cl", dir);
    fp = fopen(path, "w");
    assert_non_null(fp);
    fputs("__kernel void broken(__global float *x) {\n    x[0] = undeclared_name;\n}\n", fp);
    fclose(fp);

    setenv("CLRUN_CL_DIR", dir, 1);
    clr_cl_options opt = {.device = "gpu"};
    clr_cl *cl = NULL;
    clr_error err = {{0}};
    assert_int_equal(clr_cl_create(&opt, &cl, &err), CLR_OK);
    cl_kernel k;
    assert_int_equal(clr_cl_kernel(cl, "broken.cl", "broken", NULL, &k, &err), CLR_ERR_BUILD);
    const char *head = "clBuildProgram(broken.cl): CL_BUILD_PROGRAM_FAILURE (-11): ";
    assert_int_equal(strncmp(err.msg, head, strlen(head)), 0);
    assert_non_null(strstr(err.msg, "undeclared_name"));
    assert_null(strchr(err.msg, '\n'));
    /* The failure is not cached: asking again compiles (and fails) again. */
    assert_int_equal(clr_cl_kernel(cl, "broken.cl", "broken", NULL, &k, &err), CLR_ERR_BUILD);
    assert_int_equal(clr_cl_program_cache_stats(cl->programs).misses, 2);
    clr_cl_free(cl);
    unsetenv("CLRUN_CL_DIR");
    clr_test_remove_dir(dir);
}

int main(void) {
    int skip = clr_test_cl_require();
    if (skip) return skip;
    unsetenv("CLRUN_CL_DIR");
    const struct CMUnitTest tests[] = {
        /* In order: the later tests reuse the file the first one writes. */
        cmocka_unit_test(first_run_compiles_second_loads),
        cmocka_unit_test(damaged_files_are_misses_and_rewritten),
        cmocka_unit_test(unwritable_folder_only_warns),
        cmocka_unit_test(syntax_error_reports_build_log),
    };
    return cmocka_run_group_tests(tests, make_cache_dir, remove_cache_dir);
}
