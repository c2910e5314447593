/* Loader and writer on synthetic models (no shared files needed): round trip
 * through both flatbuffers metas, every truncation, byte flips, crafted
 * hostile headers and flatbuffers, allocation failures, and save errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "clrun/program.h"
#include "core/alloc.h"
#include "model/program_builder.h"
#include "nbgen.h"
#include "test_models.h"

/* A program that uses every attribute type and a second block. */
static clr_program *all_attr_types_program(void) {
    clr_builder *b = clr_builder_create("v2.99-test");
    const char *in[] = {"x"}, *out[] = {"y"}, *strs[] = {"a", "", "ccc"};
    int64_t dims[] = {2, 3}, ldims[] = {-1, 3};
    int32_t ints[] = {1, -2, 3};
    float floats[] = {0.5f, -1.25f};
    int64_t longs[] = {INT64_MIN, 0, INT64_MAX};
    double f64s[] = {1e300, -0.0};
    bool bools[] = {true, false, true};
    uint8_t w[6] = {1, 2, 3, 4, 5, 6};
    clr_builder_version(b, 2000000);
    clr_builder_var(b, "x", CLR_DTYPE_FP32, 2, ldims, false);
    clr_builder_var(b, "y", CLR_DTYPE_INT64, 0, NULL, false);
    clr_builder_var(b, "w", CLR_DTYPE_INT8, 2, dims, true);
    clr_builder_op(b, "custom");
    clr_builder_op_input(b, "X", 1, in);
    clr_builder_op_input(b, "Empty", 0, NULL);
    clr_builder_op_output(b, "Out", 1, out);
    clr_builder_attr_int(b, "i", -7);
    clr_builder_attr_float(b, "f", 3.5f);
    clr_builder_attr_string(b, "s", "hello");
    clr_builder_attr_string(b, CLR_KERNEL_PLACE_ATTR, "custom/def/5/5/4");
    clr_builder_attr_ints(b, "ints", 3, ints);
    clr_builder_attr_floats(b, "floats", 2, floats);
    clr_builder_attr_bool(b, "b", true);
    clr_builder_attr_long(b, "l", INT64_MIN);
    clr_builder_attr(b, &(clr_attr){.name = "strings", .type = CLR_ATTR_STRINGS, .count = 3, .list.strings = strs});
    clr_builder_attr(b, &(clr_attr){.name = "longs", .type = CLR_ATTR_LONGS, .count = 3, .list.longs = longs});
    clr_builder_attr(b, &(clr_attr){.name = "f64s", .type = CLR_ATTR_FLOAT64S, .count = 2, .list.float64s = f64s});
    clr_builder_attr(b, &(clr_attr){.name = "f64", .type = CLR_ATTR_FLOAT64, .v.f64 = 2.5});
    clr_builder_attr(b, &(clr_attr){.name = "bools", .type = CLR_ATTR_BOOLEANS, .count = 3, .list.bools = bools});
    clr_builder_attr(b, &(clr_attr){.name = "blocks", .type = CLR_ATTR_BLOCKS, .count = 1, .list.ints = ints});
    clr_builder_param(b, "w", CLR_DTYPE_INT8, 2, dims, w, sizeof w);
    clr_builder_block(b, 0, -1);
    clr_builder_var(b, "inner", CLR_DTYPE_FP32, 0, NULL, false);
    clr_program *p = NULL;
    clr_error err;
    if (clr_builder_finish(b, &p, &err) != CLR_OK) fail_msg("builder: %s", err.msg);
    return p;
}

static void *serialize(const clr_program *p, int meta, size_t *size) {
    void *data = NULL;
    clr_error err;
    if (clr_program_serialize(p, meta, &data, size, &err) != CLR_OK) fail_msg("serialize: %s", err.msg);
    return data;
}

static void round_trips_every_attr_type_in_both_metas(void **state) {
    clr_program *p = all_attr_types_program();
    for (int meta = 1; meta <= 2; meta++) {
        size_t size;
        void *data = serialize(p, meta, &size);
        clr_program *q = NULL;
        clr_error err = {{0}};
        assert_int_equal(clr_program_load_buffer(data, size, "synthetic", &q, &err), CLR_OK);
        assert_int_equal(q->format, meta == 1 ? CLR_FORMAT_META1 : CLR_FORMAT_META2);
        if (!clr_program_equal(p, q, &err)) fail_msg("meta %d: %s", meta, err.msg);
        const clr_op *op = &q->blocks[0].ops[0];
        assert_true(op->place.present);
        assert_int_equal(op->place.target, CLR_TARGET_OPENCL);
        assert_string_equal(op->place.alias, "def");
        assert_int_equal(q->nblocks, 2);
        assert_int_equal(q->blocks[1].forward_block_idx, -1);
        clr_program_free(q);
        free(data);
    }
    clr_program_free(p);
}

static void equal_reports_the_first_difference(void **state) {
    clr_program *a = all_attr_types_program(), *b = NULL;
    size_t size;
    void *data = serialize(a, 2, &size);
    clr_error err = {{0}};
    assert_int_equal(clr_program_load_buffer(data, size, "s", &b, &err), CLR_OK);
    ((int64_t *)b->params[0].dims)[0] = 3; /* mutate a copy we own */
    assert_false(clr_program_equal(a, b, &err));
    assert_non_null(strstr(err.msg, "param 0 (w)"));
    clr_program_free(a);
    clr_program_free(b);
    free(data);
}

/* Every proper prefix of a model must be rejected with a message naming a byte
 * offset; none may crash or leak (the sanitizer build checks that). */
static void every_truncation_fails_cleanly(void **state) {
    clr_program *p = NULL;
    clr_error err = {{0}};
    assert_int_equal(nbgen_tiny_convnet(&p, &err), CLR_OK);
    for (int meta = 1; meta <= 2; meta++) {
        size_t size;
        uint8_t *data = serialize(p, meta, &size);
        for (size_t n = 0; n < size; n += (n < 4096 ? 1 : 97)) {
            clr_program *q = NULL;
            err.msg[0] = '\0';
            clr_status st = clr_program_load_buffer(data, n, "cut.nb", &q, &err);
            if (st == CLR_OK) fail_msg("meta %d truncated to %zu of %zu bytes loaded", meta, n, size);
            assert_non_null(strstr(err.msg, "at byte"));
        }
        free(data);
    }
    clr_program_free(p);
}

/* Byte flips anywhere: the loader may accept or reject, but never misbehave;
 * whatever it accepts must survive a write and re-read unchanged. */
static void byte_flips_never_crash(void **state) {
    clr_program *p = all_attr_types_program();
    clr_test_rng rng = {42};
    for (int meta = 1; meta <= 2; meta++) {
        size_t size;
        uint8_t *data = serialize(p, meta, &size);
        uint8_t *copy = malloc(size);
        int accepted = 0;
        for (size_t k = 0; k < 4 * size; k++) {
            memcpy(copy, data, size);
            size_t at = k < size ? k : (size_t)(clr_test_rng_next(&rng) % size);
            copy[at] ^= k < size ? 0xff : (uint8_t)(1 + clr_test_rng_next(&rng) % 255);
            clr_program *q = NULL;
            clr_error err = {{0}};
            if (clr_program_load_buffer(copy, size, "flip.nb", &q, &err) != CLR_OK) {
                assert_true(err.msg[0] != '\0');
                continue;
            }
            accepted++;
            size_t s2;
            void *again = serialize(q, 2, &s2);
            clr_program *r = NULL;
            assert_int_equal(clr_program_load_buffer(again, s2, "again.nb", &r, &err), CLR_OK);
            if (!clr_program_equal(q, r, &err)) fail_msg("flip at %zu: rewrite differs: %s", at, err.msg);
            clr_program_free(r);
            clr_program_free(q);
            free(again);
        }
        print_message("meta %d: %d of %zu flipped files still loaded\n", meta, accepted, 4 * size);
        free(copy);
        free(data);
    }
    clr_program_free(p);
}

static void expect_format_error(const void *data, size_t size, const char *needle) {
    clr_program *q = NULL;
    clr_error err = {{0}};
    assert_int_equal(clr_program_load_buffer(data, size, "crafted.nb", &q, &err), CLR_ERR_FORMAT);
    assert_null(q);
    if (!strstr(err.msg, needle)) fail_msg("message '%s' lacks '%s'", err.msg, needle);
}

/* Builds header + topo bytes + param bytes. */
static size_t craft(uint8_t *buf, uint16_t meta, const uint8_t *topo, uint64_t topo_size, const uint8_t *params,
                    size_t psize) {
    memset(buf, 0, 26);
    buf[0] = (uint8_t)meta;
    memcpy(buf + 2, "v-crafted", 9);
    for (int i = 0; i < 8; i++) buf[18 + i] = (uint8_t)(topo_size >> (8 * i));
    size_t tcopy = topo_size < 4096 ? (size_t)topo_size : 0;
    if (tcopy) memcpy(buf + 26, topo, tcopy);
    if (psize) memcpy(buf + 26 + tcopy, params, psize);
    return 26 + tcopy + psize;
}

static void crafted_hostile_inputs_are_rejected(void **state) {
    uint8_t buf[8192] = {0};
    expect_format_error(buf, 0, "at byte 0");
    expect_format_error("\x02\x00", 2, "at byte 2");
    expect_format_error("\x09\x00xxxxxxxxxxxxxxxxxxxxxxxxxxx", 26, "meta_version 9");
    /* topo_size far past the end of the file */
    size_t n = craft(buf, 2, NULL, 1ull << 62, NULL, 0);
    expect_format_error(buf, n, "topo_size");
    /* a flatbuffer whose root points at itself: root uoffset 0 → table at 0,
     * soffset 0 → vtable at 0 whose size field is 0 */
    uint8_t self_ref[16] = {0};
    n = craft(buf, 2, self_ref, sizeof self_ref, NULL, 0);
    clr_program *q = NULL;
    clr_error err = {{0}};
    assert_int_not_equal(clr_program_load_buffer(buf, n, "self.nb", &q, &err), CLR_OK);
    /* a root table whose block vector claims 2^32-1 elements */
    uint8_t huge[32] = {12, 0, 0, 0, /* root at 12 */ 6, 0, 8, 0, 4, 0, /* vtable at 4: 6 bytes, slot0 @+4 */ 0, 0,
                        8, 0, 0, 0, /* table at 12: soffset 8 → vtable at 4 */ 4, 0, 0, 0, /* blocks uoffset → 20 */
                        0xff, 0xff, 0xff, 0xff};
    n = craft(buf, 2, huge, sizeof huge, NULL, 0);
    assert_int_not_equal(clr_program_load_buffer(buf, n, "huge.nb", &q, &err), CLR_OK);
    assert_non_null(strstr(err.msg, "at byte"));
    /* a valid program followed by a meta-2 param header claiming 65535 records */
    clr_program *p = NULL;
    assert_int_equal(nbgen_tiny_convnet(&p, &err), CLR_OK);
    size_t size;
    uint8_t *data = serialize(p, 2, &size);
    uint64_t topo = 0;
    for (int i = 0; i < 8; i++) topo |= (uint64_t)data[18 + i] << (8 * i);
    size_t params_at = 26 + (size_t)topo;
    data[params_at + 6] = 0xff, data[params_at + 7] = 0xff;
    expect_format_error(data, size, "at byte");
    free(data);
    /* trailing bytes after the last parameter are not silently ignored */
    data = serialize(p, 2, &size);
    uint8_t *longer = malloc(size + 3);
    memcpy(longer, data, size);
    memset(longer + size, 0, 3);
    expect_format_error(longer, size + 3, "at byte");
    free(longer);
    free(data);
    clr_program_free(p);
}

/* Failing the N-th allocation, for every N a load makes, gives CLR_ERR_NOMEM
 * and leaks nothing. */
static void allocation_failures_are_reported(void **state) {
    clr_program *p = all_attr_types_program();
    size_t size;
    void *data = serialize(p, 2, &size);
    clr_program_free(p);
    clr_alloc_fail_after(-1);
    clr_program *q = NULL;
    clr_error err;
    assert_int_equal(clr_program_load_buffer(data, size, "oom.nb", &q, &err), CLR_OK);
    clr_program_free(q);
    long needed = clr_alloc_fail_after(-1);
    (void)needed;
    for (long k = 0;; k++) {
        clr_alloc_fail_after(k);
        q = NULL;
        clr_status st = clr_program_load_buffer(data, size, "oom.nb", &q, &err);
        long used = clr_alloc_fail_after(-1);
        if (st == CLR_OK) {
            assert_true(used >= k);
            clr_program_free(q);
            break;
        }
        assert_int_equal(st, CLR_ERR_NOMEM);
        assert_null(q);
    }
    free(data);
}

static void save_writes_atomically_and_reports_errors(void **state) {
    clr_program *p = NULL, *q = NULL;
    clr_error err = {{0}};
    assert_int_equal(nbgen_tiny_convnet(&p, &err), CLR_OK);
    char path[] = "/tmp/clrun_test_save_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    assert_int_equal(clr_program_save(p, path, 1, &err), CLR_OK);
    assert_int_equal(clr_program_load(path, &q, &err), CLR_OK);
    assert_true(clr_program_equal(p, q, &err));
    clr_program_free(q);
    unlink(path);
    assert_int_equal(clr_program_save(p, "/nonexistent-dir/m.nb", 2, &err), CLR_ERR_IO);
    assert_non_null(strstr(err.msg, "/nonexistent-dir/m.nb"));
    assert_int_equal(clr_program_save(p, "/tmp/x.nb", 3, &err), CLR_ERR_ARG);
    assert_int_equal(clr_program_load("/nonexistent-dir/m.nb", &q, &err), CLR_ERR_IO);
    clr_program_free(p);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(round_trips_every_attr_type_in_both_metas),
        cmocka_unit_test(equal_reports_the_first_difference),
        cmocka_unit_test(every_truncation_fails_cleanly),
        cmocka_unit_test(byte_flips_never_crash),
        cmocka_unit_test(crafted_hostile_inputs_are_rejected),
        cmocka_unit_test(allocation_failures_are_reported),
        cmocka_unit_test(save_writes_atomically_and_reports_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
