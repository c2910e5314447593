/* Work-group tuning: the tuning file round-trips, a damaged one is ignored
 * with a warning (never a crash), the auto rule's local sizes divide the
 * global size, and on the device a tuning session's winners are used by a
 * later session without measuring, with outputs bit-identical to untuned
 * runs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "backend/opencl/cl_tuning.h"
#include "kernels/opencl/gpu_lws.h"
#include "nbgen.h"
#include "runtime/executor.h"
#include "test_cl.h"
#include "test_node.h"

static char dir[256];

static int fresh_dir(void **state) {
    clr_test_make_temp_dir(dir);
    return 0;
}

static int remove_dir(void **state) {
    clr_test_remove_dir(dir);
    return 0;
}

static void key_of(int i, uint8_t key[CLR_SHA256_SIZE]) { clr_sha256(&i, sizeof i, key); }

static clr_cl_tuning *open_table(const char *identity) {
    clr_cl_tuning *t = NULL;
    clr_error err = {{0}};
    assert_int_equal(clr_cl_tuning_create(dir, identity, &t, &err), CLR_OK);
    return t;
}

/* Saves entries 0..n-1 with local sizes (i+1, 2, 1). */
static void save_entries(int n) {
    clr_cl_tuning *t = open_table("device A");
    for (int i = 0; i < n; i++) {
        uint8_t key[CLR_SHA256_SIZE];
        size_t lws[3] = {(size_t)i + 1, 2, 1};
        key_of(i, key);
        assert_int_equal(clr_cl_tuning_put(t, key, lws, NULL), CLR_OK);
    }
    char why[512];
    assert_true(clr_cl_tuning_save(t, why, sizeof why));
    clr_cl_tuning_free(t);
}

static void table_round_trips(void **state) {
    save_entries(3);
    clr_cl_tuning *t = open_table("device A");
    assert_null(clr_cl_tuning_warning(t));
    assert_int_equal(clr_cl_tuning_count(t), 3);
    for (int i = 0; i < 3; i++) {
        uint8_t key[CLR_SHA256_SIZE];
        size_t lws[3];
        key_of(i, key);
        assert_true(clr_cl_tuning_find(t, key, lws));
        assert_int_equal(lws[0], i + 1);
        assert_int_equal(lws[1], 2);
        assert_int_equal(lws[2], 1);
    }
    uint8_t other[CLR_SHA256_SIZE];
    size_t lws[3];
    key_of(7, other);
    assert_false(clr_cl_tuning_find(t, other, lws));
    clr_cl_tuning_free(t);
    /* Another device has its own file: nothing tuned, nothing damaged. */
    t = open_table("device B");
    assert_int_equal(clr_cl_tuning_count(t), 0);
    assert_null(clr_cl_tuning_warning(t));
    clr_cl_tuning_free(t);
}

typedef void (*damage_fn)(FILE *fp, long size);

/* Two sessions tuning side by side: the second save keeps the first's entries. */
static void saves_merge_side_by_side_sessions(void **state) {
    clr_cl_tuning *a = open_table("device A"), *b = open_table("device A");
    uint8_t ka[CLR_SHA256_SIZE], kb[CLR_SHA256_SIZE];
    size_t la[3] = {8, 1, 1}, lb[3] = {16, 2, 1}, got[3];
    key_of(1, ka);
    key_of(2, kb);
    assert_int_equal(clr_cl_tuning_put(a, ka, la, NULL), CLR_OK);
    assert_int_equal(clr_cl_tuning_put(b, kb, lb, NULL), CLR_OK);
    char why[512];
    assert_true(clr_cl_tuning_save(a, why, sizeof why));
    assert_true(clr_cl_tuning_save(b, why, sizeof why));
    clr_cl_tuning_free(a);
    clr_cl_tuning_free(b);
    clr_cl_tuning *t = open_table("device A");
    assert_int_equal(clr_cl_tuning_count(t), 2);
    assert_true(clr_cl_tuning_find(t, ka, got) && got[0] == 8);
    assert_true(clr_cl_tuning_find(t, kb, got) && got[0] == 16 && got[1] == 2);
    clr_cl_tuning_free(t);
}

/* Rewrites the tuning file of table t in place through `damage`. */
static void damage_file(const clr_cl_tuning *t, damage_fn damage) {
    FILE *fp = fopen(clr_cl_tuning_path(t), "r+b");
    assert_non_null(fp);
    fseek(fp, 0, SEEK_END);
    damage(fp, ftell(fp));
    fclose(fp);
}

/* Damages the file of "device A", then checks it is ignored. */
static void expect_ignored(damage_fn damage) {
    save_entries(2);
    clr_cl_tuning *t = open_table("device A");
    damage_file(t, damage);
    clr_cl_tuning_free(t);
    t = open_table("device A");
    assert_int_equal(clr_cl_tuning_count(t), 0);
    assert_non_null(clr_cl_tuning_warning(t));
    assert_non_null(strstr(clr_cl_tuning_warning(t), "damaged"));
    /* A later save replaces the damaged file. */
    uint8_t key[CLR_SHA256_SIZE];
    size_t lws[3] = {4, 1, 1};
    key_of(0, key);
    assert_int_equal(clr_cl_tuning_put(t, key, lws, NULL), CLR_OK);
    char why[512];
    assert_true(clr_cl_tuning_save(t, why, sizeof why));
    clr_cl_tuning_free(t);
    t = open_table("device A");
    assert_null(clr_cl_tuning_warning(t));
    assert_int_equal(clr_cl_tuning_count(t), 1);
    clr_cl_tuning_free(t);
}

static void flip_a_payload_byte(FILE *fp, long size) {
    fseek(fp, size / 2, SEEK_SET);
    int c = fgetc(fp);
    fseek(fp, size / 2, SEEK_SET);
    fputc(c ^ 0x40, fp);
}

static void cut_the_tail(FILE *fp, long size) { assert_int_equal(ftruncate(fileno(fp), size - 5), 0); }

static void garbage(FILE *fp, long size) {
    rewind(fp);
    for (long i = 0; i < size; i++) fputc((int)(i * 7), fp);
}

static void damaged_files_are_ignored_with_a_warning(void **state) {
    expect_ignored(flip_a_payload_byte);
    expect_ignored(cut_the_tail);
    expect_ignored(garbage);
}

static void memory_only_table_does_not_save(void **state) {
    clr_cl_tuning *t = NULL;
    assert_int_equal(clr_cl_tuning_create(NULL, "device A", &t, NULL), CLR_OK);
    assert_null(clr_cl_tuning_path(t));
    char why[512];
    assert_false(clr_cl_tuning_save(t, why, sizeof why));
    clr_cl_tuning_free(t);
}

static void auto_rule_divides_global_size(void **state) {
    const size_t cases[][3] = {{1, 1, 1}, {97, 1, 1}, {12, 24, 2}, {144, 2, 1}, {4096, 3, 5}, {1000003, 1, 1}};
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++)
        for (cl_uint dims = 1; dims <= 3; dims++) {
            size_t lws[3], product = 1;
            clr_gpu_lws_auto(2, 256, dims, cases[c], lws);
            for (cl_uint d = 0; d < dims; d++) {
                assert_true(lws[d] >= 1 && cases[c][d] % lws[d] == 0);
                product *= lws[d];
            }
            assert_true(product <= 256);
        }
}

/* --- on the device: tiny_convnet through the executor ------------------- */

static clr_cl *open_device(bool tune, bool profiling) {
    clr_cl_options opt = {.device = "gpu", .cache_dir = dir, .tune = tune, .profiling = profiling};
    clr_cl *cl = NULL;
    clr_error err = {{0}};
    if (clr_cl_create(&opt, &cl, &err) != CLR_OK) fail_msg("device: %s", err.msg);
    return cl;
}

/* Runs the model on an odd-sized [1,3,h,w] input. */
static void run_at(clr_exec *e, int64_t h, int64_t w) {
    int64_t dims[4] = {1, 3, h, w};
    clr_tensor *in = clr_exec_input(e, 0);
    assert_int_equal(clr_tensor_resize(in, CLR_DTYPE_FP32, 4, dims, NULL), CLR_OK);
    tn_fill_uniform(in, (unsigned long long)(h * w), -1.0f, 1.0f);
    clr_error err = {{0}};
    if (clr_exec_run(e, &err) != CLR_OK) fail_msg("run: %s", err.msg);
}

/* An executor on cl (GPU placement) after one run at 29x35. */
static clr_exec *run_model(const clr_program *p, clr_cl *cl) {
    clr_exec *e = NULL;
    clr_error err = {{0}};
    clr_exec_options opt = {.cl = cl, .placement = CLR_PLACEMENT_GPU, .strict = true, .profiling = cl->profiling};
    if (clr_exec_create(p, &opt, &e, &err) != CLR_OK) fail_msg("exec: %s", err.msg);
    run_at(e, 29, 35);
    return e;
}

static clr_program *tiny_convnet(void) {
    clr_program *p = NULL;
    clr_error err = {{0}};
    if (nbgen_tiny_convnet(&p, &err) != CLR_OK) fail_msg("nbgen: %s", err.msg);
    return p;
}

static void assert_same_output(const clr_exec *a, const clr_exec *b) {
    const clr_tensor *x = clr_exec_output(a, 0), *y = clr_exec_output(b, 0);
    assert_int_equal(clr_tensor_nbytes(x), clr_tensor_nbytes(y));
    assert_memory_equal(x->data, y->data, clr_tensor_nbytes(x));
}

static void tuned_choice_is_used_by_a_later_session(void **state) {
    clr_program *p = tiny_convnet();
    clr_cl *plain_cl = open_device(false, false);
    clr_exec *plain = run_model(p, plain_cl);
    assert_int_equal(clr_exec_tuned_launches(plain), 0);

    clr_cl *tune_cl = open_device(true, false);
    clr_exec *tuning = run_model(p, tune_cl);
    const clr_gpu_tune_summary *sum = clr_exec_tune_summary(tuning);
    assert_true(sum->measured > 0);
    assert_true(sum->runs >= CLR_TUNE_WARMUP + CLR_TUNE_RUNS);
    assert_same_output(tuning, plain);
    assert_true(clr_cl_tuning_count(tune_cl->tuning) > 0);
    assert_null(clr_cl_tuning_warning(tune_cl->tuning));

    /* A later session, not tuning: the winners apply, nothing is measured. */
    clr_cl *later_cl = open_device(false, true);
    clr_exec *later = run_model(p, later_cl);
    assert_int_equal(clr_exec_tune_summary(later)->measured, 0);
    assert_true(clr_exec_tuned_launches(later) > 0);
    const clr_gpu_trace *tr = clr_exec_trace(later);
    int tuned = 0;
    for (int32_t i = 0; i < tr->n; i++) {
        const clr_gpu_launch_record *r = &tr->records[i];
        if (r->lws_source != CLR_LWS_TUNED) continue;
        tuned++;
        for (cl_uint d = 0; d < r->dims && r->lws[0]; d++) assert_int_equal(r->gws[d] % r->lws[d], 0);
    }
    assert_true(tuned > 0);
    assert_same_output(later, plain);
    /* Another shape: the tuning session measures its launches anew; all agree. */
    run_at(plain, 17, 13);
    run_at(tuning, 17, 13);
    run_at(later, 17, 13);
    assert_same_output(tuning, plain);
    assert_same_output(later, plain);

    clr_exec_free(later);
    clr_cl_free(later_cl);
    clr_exec_free(tuning);
    clr_cl_free(tune_cl);
    clr_exec_free(plain);
    clr_cl_free(plain_cl);
    clr_program_free(p);
}

/* A session over a damaged tuning file warns, runs untuned, and is right. */
static void damaged_file_in_a_session_is_ignored(void **state) {
    clr_program *p = tiny_convnet();
    clr_cl *tune_cl = open_device(true, false);
    clr_exec *tuning = run_model(p, tune_cl);
    damage_file(tune_cl->tuning, flip_a_payload_byte);
    clr_cl *later_cl = open_device(false, false);
    assert_non_null(clr_cl_tuning_warning(later_cl->tuning));
    clr_exec *later = run_model(p, later_cl);
    assert_int_equal(clr_exec_tuned_launches(later), 0);
    assert_same_output(later, tuning);
    clr_exec_free(later);
    clr_cl_free(later_cl);
    clr_exec_free(tuning);
    clr_cl_free(tune_cl);
    clr_program_free(p);
}

int main(void) {
    int rc = clr_test_cl_require();
    if (rc != 0) return rc;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(table_round_trips, fresh_dir, remove_dir),
        cmocka_unit_test_setup_teardown(damaged_files_are_ignored_with_a_warning, fresh_dir, remove_dir),
        cmocka_unit_test_setup_teardown(memory_only_table_does_not_save, fresh_dir, remove_dir),
        cmocka_unit_test_setup_teardown(saves_merge_side_by_side_sessions, fresh_dir, remove_dir),
        cmocka_unit_test(auto_rule_divides_global_size),
        cmocka_unit_test_setup_teardown(tuned_choice_is_used_by_a_later_session, fresh_dir, remove_dir),
        cmocka_unit_test_setup_teardown(damaged_file_in_a_session_is_ignored, fresh_dir, remove_dir),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
