/* Unit tests for src/core: arena, allocation fault hook, reader, errors, and
 * the program helpers that need no file (place parsing, enum names). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "clrun/program.h"
#include "core/alloc.h"
#include "core/arena.h"
#include "core/error.h"
#include "core/reader.h"
#include "model/program_internal.h"

static void arena_aligns_zeroes_and_handles_large(void **state) {
    clr_arena *a = clr_arena_create();
    assert_non_null(a);
    for (size_t align = 1; align <= 64; align *= 2) {
        unsigned char *p = clr_arena_alloc(a, 3, align);
        assert_non_null(p);
        assert_int_equal((uintptr_t)p % align, 0);
        assert_int_equal(p[0] | p[1] | p[2], 0);
    }
    unsigned char *big = clr_arena_alloc(a, 1 << 20, 64); /* its own chunk */
    assert_non_null(big);
    assert_int_equal((uintptr_t)big % 64, 0);
    big[(1 << 20) - 1] = 1;
    unsigned char *after = clr_arena_alloc(a, 8, 8); /* small allocations still work */
    assert_non_null(after);
    assert_null(clr_arena_array(a, SIZE_MAX / 2, 4, 4)); /* overflow is refused, not wrapped */
    assert_null(clr_arena_alloc(a, SIZE_MAX - 8, 8));
    char *s = clr_arena_strndup(a, "conv2d_tail", 6);
    assert_string_equal(s, "conv2d");
    assert_true(clr_arena_bytes(a) >= (1u << 20));
    clr_arena_free(a);
    clr_arena_free(NULL);
}

static void alloc_hook_fails_the_nth_allocation(void **state) {
    clr_alloc_fail_after(2);
    void *a = clr_malloc(8), *b = clr_malloc(8), *c = clr_malloc(8);
    assert_non_null(a);
    assert_non_null(b);
    assert_null(c);
    assert_int_equal(clr_alloc_fail_after(-1), 2);
    void *d = clr_malloc(8);
    assert_non_null(d);
    free(a), free(b), free(d);
}

static void reader_reports_file_offsets(void **state) {
    const uint8_t bytes[] = {0x34, 0x12, 0x78, 0x56, 0x34, 0x12, 0xff};
    clr_error err = {{0}};
    clr_reader r;
    clr_reader_init(&r, bytes, sizeof bytes, 100, "m.nb", &err);
    uint16_t u16;
    uint32_t u32;
    assert_int_equal(clr_read_u16(&r, &u16, "a"), CLR_OK);
    assert_int_equal(u16, 0x1234);
    assert_int_equal(clr_read_u32(&r, &u32, "b"), CLR_OK);
    assert_int_equal(u32, 0x12345678u);
    assert_int_equal(clr_read_u32(&r, &u32, "param count"), CLR_ERR_FORMAT);
    assert_string_equal(err.msg, "m.nb: at byte 106: param count: need 4 bytes, 1 left");
    assert_int_equal(clr_reader_offset(&r), 106); /* a failed read does not move */
}

static void error_prefix_keeps_both_parts(void **state) {
    clr_error err;
    assert_int_equal(clr_error_set(&err, CLR_ERR_IO, "cannot open %s", "x"), CLR_ERR_IO);
    assert_int_equal(clr_error_prefix(&err, CLR_ERR_IO, "dir/%d", 7), CLR_ERR_IO);
    assert_string_equal(err.msg, "dir/7: cannot open x");
    assert_int_equal(clr_error_set(NULL, CLR_ERR_ARG, "ignored"), CLR_ERR_ARG);
    assert_string_equal(clr_status_str(CLR_ERR_FORMAT), "format error");
}

static void kernel_place_parses_and_rejects(void **state) {
    clr_arena *a = clr_arena_create();
    clr_kernel_place pl;
    assert_true(clr_kernel_place_parse("conv2d/image2d/5/5/4", a, &pl));
    assert_true(pl.present);
    assert_string_equal(pl.alias, "image2d");
    assert_int_equal(pl.target, CLR_TARGET_OPENCL);
    assert_int_equal(pl.precision, CLR_PRECISION_FP16);
    assert_int_equal(pl.layout, CLR_LAYOUT_IMAGE_DEFAULT);
    assert_true(clr_kernel_place_parse("layout/NCHW_to_ImageDefault/5/4/4", a, &pl));
    const char *bad[] = {"", "conv2d", "a/b/1/2", "a/b/1/2/3/4", "a/b/x/1/1", "a/b/1//1", "a/b/1/2/99999"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) assert_false(clr_kernel_place_parse(bad[i], a, &pl));
    clr_arena_free(a);
}

static void enum_names_match_paddle(void **state) {
    assert_string_equal(clr_dtype_name(CLR_DTYPE_INT8), "INT8");
    assert_string_equal(clr_dtype_name(CLR_VARTYPE_FEED_MINIBATCH), "FEED_MINIBATCH");
    assert_null(clr_dtype_name(16));
    assert_null(clr_dtype_name(-1));
    assert_int_equal(clr_dtype_size(CLR_DTYPE_FP16), 2);
    assert_int_equal(clr_dtype_size(CLR_VARTYPE_LOD_TENSOR), 0);
    assert_string_equal(clr_target_repr(CLR_TARGET_ARM), "kARM");
    assert_string_equal(clr_precision_repr(CLR_PRECISION_ANY), "kAny");
    assert_string_equal(clr_layout_repr(CLR_LAYOUT_IMAGE_FOLDER), "kImageFolder");
    assert_null(clr_target_repr(19));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(arena_aligns_zeroes_and_handles_large),
        cmocka_unit_test(alloc_hook_fails_the_nth_allocation),
        cmocka_unit_test(reader_reports_file_offsets),
        cmocka_unit_test(error_prefix_keeps_both_parts),
        cmocka_unit_test(kernel_place_parses_and_rejects),
        cmocka_unit_test(enum_names_match_paddle),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
