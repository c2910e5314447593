/* Unit tests for the public API (include/clrun/): the version, NULL handles
 * everywhere, the byte-counted set_input, a model freed before its sessions,
 * and the .npy and image input helpers (colour, grayscale, preprocessing). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "clrun/clrun.h"
#include "io/npy.h"
#include "nbgen.h"
#include "test_programs.h"

/* Files of this test, in a private temporary folder. */
static char tmp_dir[64];

static const char *tmp_path(const char *name) {
    static char path[4][256];
    static int next;
    char *p = path[next++ % 4];
    snprintf(p, sizeof path[0], "%s/%s", tmp_dir, name);
    return p;
}

static clr_model *load(const char *path) {
    clr_model *m = NULL;
    clr_error err = {{0}};
    if (clr_model_load(path, &m, &err) != CLR_OK) fail_msg("load %s: %s", path, err.msg);
    return m;
}

static clr_session *host_session(const clr_model *m) {
    clr_session *s = NULL;
    clr_error err = {{0}};
    if (clr_session_create(m, &s, &err) != CLR_OK) fail_msg("session: %s", err.msg);
    return s;
}

/* The bundled tiny_convnet ([1,3,32,32] "image" → 10 scores), as a file. */
static const char *convnet_path(void) {
    const char *path = tmp_path("tiny_convnet.nb");
    clr_program *p = NULL;
    clr_error err = {{0}};
    if (nbgen_tiny_convnet(&p, &err) != CLR_OK || clr_program_save(p, path, 2, &err) != CLR_OK) fail_msg("%s", err.msg);
    clr_program_free(p);
    return path;
}

/* feed "x" FP32 [1, C, -1, -1] → assign → "y" → fetch: the output is the input. */
static const char *identity_path(int64_t channels) {
    const char *path = tmp_path(channels == 1 ? "gray.nb" : "colour.nb");
    clr_builder *b = clr_builder_create("v2.13");
    int64_t xd[4] = {1, channels, -1, -1};
    const char *x[] = {"x"}, *y[] = {"y"};
    clr_builder_var(b, "x", CLR_DTYPE_FP32, 4, xd, false);
    clr_builder_var(b, "y", CLR_DTYPE_FP32, 4, xd, false);
    tp_feed(b, "x");
    clr_builder_op(b, "assign");
    clr_builder_op_input(b, "X", 1, x);
    clr_builder_op_output(b, "Out", 1, y);
    clr_program *p = tp_fetch_finish(b, "y");
    clr_error err = {{0}};
    if (clr_program_save(p, path, 2, &err) != CLR_OK) fail_msg("%s", err.msg);
    clr_program_free(p);
    return path;
}

/* A binary PGM (channels 1) or PPM (3) with pixel (y, x, c) = (7y + 3x + 50c) % 256. */
static const char *write_pnm(const char *name, int channels, int w, int h) {
    const char *path = tmp_path(name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fprintf(f, "P%d\n%d %d\n255\n", channels == 1 ? 5 : 6, w, h);
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++)
            for (int c = 0; c < channels; c++) fputc((7 * y + 3 * x + 50 * c) % 256, f);
    fclose(f);
    return path;
}

static void version_matches_the_headers(void **state) {
    char want[32];
    snprintf(want, sizeof want, "%d.%d.%d", CLRUN_VERSION_MAJOR, CLRUN_VERSION_MINOR, CLRUN_VERSION_PATCH);
    assert_string_equal(clr_version(), want);
    assert_int_equal(CLRUN_VERSION, CLRUN_VERSION_MAJOR * 10000 + CLRUN_VERSION_MINOR * 100 + CLRUN_VERSION_PATCH);
}

/* Every public function given NULL handles or pointers: an error or the
 * documented "nothing" value, never a crash (ASan runs this too). */
static void null_handles_are_errors(void **state) {
    clr_error err = {{0}};
    clr_model *m = NULL;
    clr_session *s = NULL;
    clr_output out;
    int64_t dims[1] = {1};
    float v = 0;
    int32_t nd = 5;
    assert_int_equal(clr_model_load(NULL, &m, &err), CLR_ERR_ARG);
    assert_int_equal(clr_model_load("x.nb", NULL, &err), CLR_ERR_ARG);
    assert_int_equal(clr_model_load(NULL, &m, NULL), CLR_ERR_ARG); /* no error record: fine too */
    clr_model_free(NULL);
    assert_null(clr_model_program(NULL));
    assert_int_equal(clr_session_create(NULL, &s, &err), CLR_ERR_ARG);
    assert_int_equal(clr_session_create_with(NULL, NULL, &s, &err), CLR_ERR_ARG);
    assert_null(s);
    clr_session_free(NULL);
    assert_null(clr_session_device_name(NULL));
    assert_int_equal(clr_session_num_inputs(NULL), 0);
    assert_int_equal(clr_session_num_outputs(NULL), 0);
    assert_null(clr_session_input_name(NULL, 0));
    assert_null(clr_session_output_name(NULL, 0));
    assert_int_equal(clr_session_find_input(NULL, "x"), -1);
    assert_null(clr_session_input_dims(NULL, 0, &nd));
    assert_int_equal(nd, 0);
    assert_null(clr_session_input_dims(NULL, 0, NULL));
    assert_int_equal(clr_session_set_input(NULL, 0, CLR_DTYPE_FP32, 1, dims, &v, &err), CLR_ERR_ARG);
    assert_int_equal(clr_session_set_input_sized(NULL, 0, CLR_DTYPE_FP32, 1, dims, &v, 4, &err), CLR_ERR_ARG);
    assert_int_equal(clr_session_set_input_npy(NULL, 0, "x.npy", &err), CLR_ERR_ARG);
    assert_int_equal(clr_session_set_input_image(NULL, 0, "x.png", NULL, &err), CLR_ERR_ARG);
    assert_int_equal(clr_session_run(NULL, &err), CLR_ERR_ARG);
    assert_int_equal(clr_session_output(NULL, 0, &out, &err), CLR_ERR_ARG);
    assert_non_null(clr_status_str(CLR_ERR_ARG));
    assert_null(clr_op_attr(NULL, "x"));
    assert_null(clr_op_input(NULL, "X"));
    assert_null(clr_op_output(NULL, "Out"));
    assert_null(clr_program_param(NULL, "w"));
    assert_null(clr_block_var(NULL, "x"));
    clr_program_free(NULL);
    assert_int_equal(clr_program_load(NULL, NULL, &err), CLR_ERR_ARG);
    assert_int_equal(clr_program_load_buffer(NULL, 8, "b", NULL, &err), CLR_ERR_ARG);
    assert_int_equal(clr_program_save(NULL, "x.nb", 2, &err), CLR_ERR_ARG);
    void *data;
    size_t size;
    assert_int_equal(clr_program_serialize(NULL, 2, &data, &size, &err), CLR_ERR_ARG);
    assert_true(clr_program_equal(NULL, NULL, NULL));

    /* A real session, NULL pointers and names. */
    m = load(convnet_path());
    assert_int_equal(clr_session_create(m, NULL, &err), CLR_ERR_ARG);
    s = host_session(m);
    const clr_program *p = clr_model_program(m);
    assert_null(clr_op_attr(&p->blocks[0].ops[1], NULL));
    assert_null(clr_op_input(&p->blocks[0].ops[1], NULL));
    assert_null(clr_program_param(p, NULL));
    assert_null(clr_block_var(&p->blocks[0], NULL));
    assert_int_equal(clr_session_find_input(s, NULL), -1);
    assert_int_equal(clr_session_set_input(s, 0, CLR_DTYPE_FP32, 4, NULL, &v, &err), CLR_ERR_ARG);
    int64_t d4[4] = {1, 3, 32, 32};
    assert_int_equal(clr_session_set_input(s, 0, CLR_DTYPE_FP32, 4, d4, NULL, &err), CLR_ERR_ARG);
    assert_int_equal(clr_session_set_input(s, 0, CLR_DTYPE_FP32, 0, NULL, NULL, &err), CLR_ERR_ARG); /* scalar */
    assert_int_equal(clr_session_set_input_npy(s, 0, NULL, &err), CLR_ERR_ARG);
    assert_int_equal(clr_session_set_input_image(s, 0, NULL, NULL, &err), CLR_ERR_ARG);
    assert_int_equal(clr_session_output(s, 0, NULL, &err), CLR_ERR_ARG);
    assert_int_equal(clr_session_output(s, 0, &out, &err), CLR_ERR_ARG); /* not run yet */
    assert_int_equal(clr_session_run(s, &err), CLR_ERR_ARG);             /* input not set */
    assert_non_null(strstr(err.msg, "has not been set"));
    clr_session_free(s);
    clr_model_free(m);
}

static void set_input_checks_the_byte_count(void **state) {
    clr_model *m = load(convnet_path());
    clr_session *s = host_session(m);
    clr_error err = {{0}};
    static float pixels[3 * 32 * 32];
    int64_t dims[4] = {1, 3, 32, 32};
    assert_int_equal(clr_session_set_input_sized(s, 0, CLR_DTYPE_FP32, 4, dims, pixels, sizeof pixels - 4, &err),
                     CLR_ERR_ARG);
    assert_non_null(strstr(err.msg, "12284 bytes given"));
    assert_int_equal(clr_session_run(s, &err), CLR_ERR_ARG); /* the failed call set nothing */
    assert_int_equal(clr_session_set_input_sized(s, 5, CLR_DTYPE_FP32, 4, dims, pixels, sizeof pixels, &err),
                     CLR_ERR_ARG);
    assert_int_equal(clr_session_set_input_sized(s, 0, 99, 4, dims, pixels, sizeof pixels, &err), CLR_ERR_ARG);
    assert_int_equal(clr_session_set_input_sized(s, 0, CLR_DTYPE_FP32, 4, dims, pixels, sizeof pixels, &err), CLR_OK);
    assert_int_equal(clr_session_run(s, &err), CLR_OK);
    clr_session_free(s);
    clr_model_free(m);
}

/* The session keeps the model alive: freeing the model first is no use-after-free. */
static void model_may_be_freed_before_its_sessions(void **state) {
    clr_model *m = load(convnet_path());
    clr_session *a = host_session(m), *b = host_session(m);
    clr_model_free(m);
    clr_error err = {{0}};
    static float pixels[3 * 32 * 32];
    int64_t dims[4] = {1, 3, 32, 32};
    clr_output ob;
    assert_int_equal(clr_session_set_input_sized(a, 0, CLR_DTYPE_FP32, 4, dims, pixels, sizeof pixels, &err), CLR_OK);
    assert_int_equal(clr_session_set_input_sized(b, 0, CLR_DTYPE_FP32, 4, dims, pixels, sizeof pixels, &err), CLR_OK);
    assert_int_equal(clr_session_run(a, &err), CLR_OK);
    clr_session_free(a);
    assert_int_equal(clr_session_run(b, &err), CLR_OK);
    assert_int_equal(clr_session_output(b, 0, &ob, &err), CLR_OK);
    assert_int_equal(ob.dims[1], 10);
    clr_session_free(b);
}

/* clr_session_set_input_npy gives the same run as clr_session_set_input of the same values. */
static void npy_input_equals_raw_input(void **state) {
    clr_model *m = load(convnet_path());
    clr_session *s = host_session(m);
    clr_error err = {{0}};
    static float pixels[3 * 32 * 32];
    for (size_t i = 0; i < 3 * 32 * 32; i++) pixels[i] = (float)((i * 37) % 101) / 50.0f - 1.0f;
    clr_tensor t = {.dtype = CLR_DTYPE_FP32, .ndims = 4, .dims = {1, 3, 32, 32}, .data = pixels};
    const char *npy = tmp_path("x.npy");
    assert_int_equal(clr_npy_write(npy, &t, &err), CLR_OK);
    clr_output out;
    float want[10];
    assert_int_equal(clr_session_set_input(s, 0, CLR_DTYPE_FP32, 4, t.dims, pixels, &err), CLR_OK);
    assert_int_equal(clr_session_run(s, &err), CLR_OK);
    assert_int_equal(clr_session_output(s, 0, &out, &err), CLR_OK);
    memcpy(want, out.data, sizeof want);
    assert_int_equal(clr_session_set_input_npy(s, 0, npy, &err), CLR_OK);
    assert_int_equal(clr_session_run(s, &err), CLR_OK);
    assert_int_equal(clr_session_output(s, 0, &out, &err), CLR_OK);
    assert_memory_equal(out.data, want, sizeof want);
    assert_int_equal(clr_session_set_input_npy(s, 0, tmp_path("missing.npy"), &err), CLR_ERR_IO);
    clr_session_free(s);
    clr_model_free(m);
}

/* Runs the identity model on an image and checks every value against
 * (pixel(y0 + y, x0 + x, c) * scale - mean[c]) / std[c] (no resize). */
static void check_identity(const char *model, const char *image, const clr_image_options *opt, int channels,
                           int x0, int y0, int w, int h, int src_channels) {
    clr_model *m = load(model);
    clr_session *s = host_session(m);
    clr_error err = {{0}};
    clr_output out;
    assert_int_equal(clr_session_set_input_image(s, 0, image, opt, &err), CLR_OK);
    assert_int_equal(clr_session_run(s, &err), CLR_OK);
    assert_int_equal(clr_session_output(s, 0, &out, &err), CLR_OK);
    assert_int_equal(out.ndims, 4);
    assert_int_equal(out.dims[1], channels);
    assert_int_equal(out.dims[2], h);
    assert_int_equal(out.dims[3], w);
    float scale = opt && opt->scale ? opt->scale : 1.0f / 255.0f;
    const float *v = out.data;
    for (int c = 0; c < channels; c++)
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) {
                int sc = opt && opt->bgr ? 2 - c : c;
                float px = (float)((7 * (y0 + y) + 3 * (x0 + x) + 50 * (src_channels == 1 ? 0 : sc)) % 256);
                float mean = opt ? opt->mean[c] : 0, sd = opt && opt->std[c] ? opt->std[c] : 1;
                assert_true(v[(c * h + y) * w + x] == (px * scale - mean) / sd);
            }
    clr_session_free(s);
    clr_model_free(m);
}

static void image_input_colour_and_grayscale(void **state) {
    const char *ppm = write_pnm("c.ppm", 3, 13, 7), *pgm = write_pnm("g.pgm", 1, 13, 7);
    const char *gray = identity_path(1), *colour = identity_path(3);
    /* defaults: whole image, pixel / 255; channels from the declared input */
    check_identity(colour, ppm, NULL, 3, 0, 0, 13, 7, 3);
    check_identity(gray, pgm, NULL, 1, 0, 0, 13, 7, 1);
    /* a gray image for a colour model is replicated into three equal channels */
    check_identity(colour, pgm, NULL, 3, 0, 0, 13, 7, 1);
    /* crop, scale, mean/std and BGR */
    clr_image_options o = {.crop = {2, 1, 9, 5}, .scale = 0.5f, .mean = {1, 2, 3}, .std = {2, 4, 0}, .bgr = true};
    check_identity(colour, ppm, &o, 3, 2, 1, 9, 5, 3);
    /* channels forced to 1 on a colour input: stb_image's luma of a gray image is the gray value */
    clr_image_options one = {.channels = 1};
    check_identity(colour, pgm, &one, 1, 0, 0, 13, 7, 1);
    /* resize: only the shape here (the bilinear values are the tools' business) */
    clr_model *m = load(gray);
    clr_session *s = host_session(m);
    clr_error err = {{0}};
    clr_output out;
    clr_image_options r = {.resize_h = 4, .resize_w = 6};
    assert_int_equal(clr_session_set_input_image(s, 0, pgm, &r, &err), CLR_OK);
    assert_int_equal(clr_session_run(s, &err), CLR_OK);
    assert_int_equal(clr_session_output(s, 0, &out, &err), CLR_OK);
    assert_true(out.dims[1] == 1 && out.dims[2] == 4 && out.dims[3] == 6);
    /* bad options and files: errors, not crashes */
    clr_image_options bad_crop = {.crop = {10, 0, 9, 5}}, bad_ch = {.channels = 2}, bad_size = {.resize_h = -1};
    assert_int_equal(clr_session_set_input_image(s, 0, pgm, &bad_crop, &err), CLR_ERR_ARG);
    assert_non_null(strstr(err.msg, "outside the 13x7 image"));
    assert_int_equal(clr_session_set_input_image(s, 0, pgm, &bad_ch, &err), CLR_ERR_ARG);
    assert_int_equal(clr_session_set_input_image(s, 0, pgm, &bad_size, &err), CLR_ERR_ARG);
    assert_int_equal(clr_session_set_input_image(s, 0, tmp_path("missing.png"), NULL, &err), CLR_ERR_IO);
    assert_int_equal(clr_session_set_input_image(s, 0, gray, NULL, &err), CLR_ERR_IO); /* not an image */
    assert_int_equal(clr_session_set_input_image(s, 1, pgm, NULL, &err), CLR_ERR_ARG);
    clr_session_free(s);
    clr_model_free(m);
}

static int setup(void **state) {
    snprintf(tmp_dir, sizeof tmp_dir, "/tmp/clrun_test_api.XXXXXX");
    return mkdtemp(tmp_dir) ? 0 : -1;
}

static int teardown(void **state) {
    const char *names[] = {"tiny_convnet.nb", "gray.nb", "colour.nb", "c.ppm", "g.pgm", "x.npy"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) unlink(tmp_path(names[i]));
    return rmdir(tmp_dir);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(version_matches_the_headers),
        cmocka_unit_test(null_handles_are_errors),
        cmocka_unit_test(set_input_checks_the_byte_count),
        cmocka_unit_test(model_may_be_freed_before_its_sessions),
        cmocka_unit_test(npy_input_equals_raw_input),
        cmocka_unit_test(image_input_colour_and_grayscale),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
