/* OpenCL tensor family vs the host kernels: pool2d (max/avg, exclusive,
 * global, adaptive, ceil_mode, SAME/VALID, 2 and 4 paddings, a window larger
 * than the input), softmax on every axis, batch_norm, layer_norm, concat,
 * split, slice, transpose(2), shuffle_channel, the shape-only ops,
 * interpolation, pad2d, dropout and arg_max, on odd shapes; and the declined
 * cases. Tolerances (relative): 1e-5 for copies and max, 1e-4 for averages,
 * softmax, norms and interpolation; integer outputs must match exactly. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "test_cl.h"
#include "test_gpu.h"

enum { MAX_T = 6 };

/* One op under test with the tensors it owns. */
typedef struct gcase {
    clr_test_node t;
    clr_tensor in[MAX_T], out[MAX_T];
    int nin, nout;
} gcase;

static void gc_init(gcase *c, const char *op) {
    memset(c, 0, sizeof *c);
    tn_init(&c->t, op);
}

/* Binds a new FP32 input of the given shape filled from `seed`. */
static void gc_in(gcase *c, const char *slot, int32_t ndims, const int64_t *dims, unsigned seed) {
    clr_tensor *x = &c->in[c->nin++];
    tn_tensor_f32(x, ndims, dims);
    tn_fill_uniform(x, seed, -3.0f, 3.0f);
    tn_input(&c->t, slot, x);
}

static void gc_out(gcase *c, const char *slot) { tn_output(&c->t, slot, &c->out[c->nout++]); }

static void gc_release(gcase *c) {
    tg_release(&c->t);
    for (int i = 0; i < c->nin; i++) clr_tensor_release(&c->in[i]);
    for (int i = 0; i < c->nout; i++) clr_tensor_release(&c->out[i]);
}

static void gc_expect(gcase *c, double tol) {
    double diff = -1;
    clr_status st = tg_compare(&c->t, &diff);
    if (st != CLR_OK) fail_msg("%s: status %d: %s", c->t.op.type, st, c->t.err.msg);
    if (!(diff <= tol)) fail_msg("%s: GPU differs from host by %g (allowed %g)", c->t.op.type, diff, tol);
    gc_release(c);
}

static void gc_declined(gcase *c) {
    assert_int_equal(tg_compare(&c->t, NULL), CLR_ERR_UNSUPPORTED);
    gc_release(c);
}

typedef struct pool_case {
    const char *type;
    int32_t k[2], s[2], npad, pad[4];
    bool global, adaptive, exclusive, ceil_mode;
    const char *algo;
    int64_t dims[4];
} pool_case;

static void pool2d_matches_host(void **state) {
    static const pool_case cases[] = {
        {"max", {3, 3}, {2, 2}, 2, {1, 1}, false, false, true, false, "EXPLICIT", {2, 3, 11, 13}},
        {"avg", {3, 3}, {2, 2}, 4, {1, 0, 2, 1}, false, false, true, false, "EXPLICIT", {1, 5, 9, 7}},
        {"avg", {3, 2}, {2, 2}, 4, {1, 0, 2, 1}, false, false, false, true, "EXPLICIT", {1, 5, 9, 7}},
        {"max", {2, 2}, {2, 2}, 2, {0, 0}, false, false, true, true, "EXPLICIT", {1, 3, 7, 9}},
        {"avg", {3, 3}, {2, 1}, 2, {0, 0}, false, false, false, false, "SAME", {2, 4, 10, 7}},
        {"max", {3, 3}, {2, 2}, 2, {5, 5}, false, false, true, false, "VALID", {1, 3, 8, 9}},
        {"avg", {1, 1}, {1, 1}, 2, {0, 0}, true, false, true, false, "EXPLICIT", {2, 17, 7, 5}},
        {"avg", {3, 4}, {1, 1}, 2, {0, 0}, false, true, true, false, "EXPLICIT", {1, 6, 11, 9}},
        {"avg", {2, 2}, {2, 2}, 2, {0, 0}, false, false, true, false, "EXPLICIT", {1, 4, 1, 8}}, /* window > H */
        /* global averages: ARM's order, bit-identical (blocks of 16 and tails) */
        {"avg", {1, 1}, {1, 1}, 2, {0, 0}, true, false, true, false, "EXPLICIT", {1, 5, 12, 37}},
        {"avg", {1, 1}, {1, 1}, 2, {0, 0}, true, false, true, false, "EXPLICIT", {1, 3, 4, 4}},
        {"max", {1, 1}, {1, 1}, 2, {0, 0}, true, false, true, false, "EXPLICIT", {2, 3, 5, 9}},
        /* Planes share work-groups when planes are small: plane counts
         * that are not a multiple of the group. */
        {"avg", {1, 1}, {1, 1}, 2, {0, 0}, true, false, true, false, "EXPLICIT", {3, 67, 2, 9}},
        {"max", {1, 1}, {1, 1}, 2, {0, 0}, true, false, true, false, "EXPLICIT", {1, 131, 3, 3}},
        {"max", {2, 2}, {2, 2}, 2, {0, 0}, false, false, true, false, "EXPLICIT", {1, 37, 3, 5}},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        const pool_case *p = &cases[i];
        gcase c;
        gc_init(&c, "pool2d");
        gc_in(&c, "X", 4, p->dims, (unsigned)i + 1);
        gc_out(&c, "Out");
        tn_attr_str(&c.t, "pooling_type", p->type);
        tn_attr_ints(&c.t, "ksize", 2, p->k);
        tn_attr_ints(&c.t, "strides", 2, p->s);
        tn_attr_ints(&c.t, "paddings", p->npad, p->pad);
        tn_attr_bool(&c.t, "global_pooling", p->global);
        tn_attr_bool(&c.t, "adaptive", p->adaptive);
        tn_attr_bool(&c.t, "exclusive", p->exclusive);
        tn_attr_bool(&c.t, "ceil_mode", p->ceil_mode);
        tn_attr_str(&c.t, "padding_algorithm", p->algo);
        gc_expect(&c, strcmp(p->type, "max") == 0 || p->global ? 0.0 : 1e-4);
    }
}

static void softmax_on_every_axis(void **state) {
    int64_t long_rows[2] = {5, 1000}, cube[4] = {2, 7, 5, 3}, short_rows[2][2] = {{37, 8}, {9, 13}};
    gcase c;
    gc_init(&c, "softmax");
    gc_in(&c, "X", 2, long_rows, 3);
    gc_out(&c, "Out");
    gc_expect(&c, 1e-4);
    /* short rows follow the host's ARM arithmetic: bit-identical without a
     * scalar tail (8 = two NEON lanes' worth); a row with one (13, and the
     * cube's last axis of 3) stays on the host, whose tail is libm's expf */
    for (int i = 0; i < 2; i++) {
        gc_init(&c, "softmax");
        gc_in(&c, "X", 2, short_rows[i], 5 + i);
        gc_out(&c, "Out");
        if (i == 0) gc_expect(&c, 0.0);
        else gc_declined(&c);
    }
    for (int axis = -4; axis < 4; axis++) {
        gc_init(&c, "softmax");
        gc_in(&c, "X", 4, cube, 4);
        gc_out(&c, "Out");
        tn_attr_int(&c.t, "axis", axis);
        if (axis == -1 || axis == 3) gc_declined(&c);
        else gc_expect(&c, 1e-4);
    }
}

static void norms_match_host(void **state) {
    int64_t x4[4] = {2, 5, 7, 3}, ch[1] = {5}, x3[3] = {3, 4, 37}, row[1] = {37};
    gcase c;
    gc_init(&c, "batch_norm");
    gc_in(&c, "X", 4, x4, 1);
    gc_in(&c, "Scale", 1, ch, 2);
    gc_in(&c, "Bias", 1, ch, 3);
    gc_in(&c, "Mean", 1, ch, 4);
    tn_tensor_f32(&c.in[c.nin], 1, ch);
    tn_fill_uniform(&c.in[c.nin], 5, 0.5f, 2.0f); /* a variance is positive */
    tn_input(&c.t, "Variance", &c.in[c.nin++]);
    gc_out(&c, "Y");
    tn_attr_float(&c.t, "epsilon", 1e-3f);
    gc_expect(&c, 1e-4);

    gc_init(&c, "layer_norm");
    gc_in(&c, "X", 3, x3, 6);
    gc_in(&c, "Scale", 1, row, 7);
    gc_in(&c, "Bias", 1, row, 8);
    gc_out(&c, "Y");
    gc_out(&c, "Mean");
    gc_out(&c, "Variance");
    tn_attr_int(&c.t, "begin_norm_axis", 2);
    gc_expect(&c, 1e-4);

    gc_init(&c, "layer_norm"); /* no Scale/Bias, no statistics */
    gc_in(&c, "X", 3, x3, 9);
    gc_out(&c, "Y");
    tn_attr_int(&c.t, "begin_norm_axis", 1);
    gc_expect(&c, 1e-4);
}

static void concat_and_split_match_host(void **state) {
    int64_t a[4] = {2, 3, 5, 7}, b[4] = {2, 1, 5, 7}, d[4] = {2, 6, 5, 7};
    for (int axis = -1; axis <= 1; axis += 2) { /* axis 1; axis -1 on inputs differing there */
        gcase c;
        gc_init(&c, "concat");
        int64_t a2[4] = {2, 3, 5, 7}, b2[4] = {2, 3, 5, 2}, d2[4] = {2, 3, 5, 9};
        gc_in(&c, "X", 4, axis == 1 ? a : a2, 1);
        gc_in(&c, "X", 4, axis == 1 ? b : b2, 2);
        gc_in(&c, "X", 4, axis == 1 ? d : d2, 3);
        gc_out(&c, "Out");
        tn_attr_int(&c.t, "axis", axis);
        gc_expect(&c, 1e-5);
    }
    int64_t x[3] = {3, 9, 5};
    gcase c;
    gc_init(&c, "split");
    gc_in(&c, "X", 3, x, 4);
    for (int i = 0; i < 3; i++) gc_out(&c, "Out");
    tn_attr_int(&c.t, "num", 3);
    tn_attr_int(&c.t, "axis", 1);
    gc_expect(&c, 1e-5);

    const int32_t sections[3] = {2, -1, 1};
    gc_init(&c, "split");
    gc_in(&c, "X", 3, x, 5);
    for (int i = 0; i < 3; i++) gc_out(&c, "Out");
    tn_attr_ints(&c.t, "sections", 3, sections);
    tn_attr_int(&c.t, "axis", -1);
    gc_expect(&c, 1e-5);
}

static void slice_matches_host(void **state) {
    int64_t x[4] = {3, 7, 5, 9};
    const int32_t axes[2] = {1, 3}, starts[2] = {-5, 1}, ends[2] = {100, -2};
    gcase c;
    gc_init(&c, "slice");
    gc_in(&c, "Input", 4, x, 1);
    gc_out(&c, "Out");
    tn_attr_ints(&c.t, "axes", 2, axes);
    tn_attr_ints(&c.t, "starts", 2, starts);
    tn_attr_ints(&c.t, "ends", 2, ends);
    gc_expect(&c, 1e-5);

    const int32_t ax1[1] = {0}, s1[1] = {-1}, e1[1] = {3}, dec[1] = {0};
    gc_init(&c, "slice");
    gc_in(&c, "Input", 4, x, 2);
    gc_out(&c, "Out");
    tn_attr_ints(&c.t, "axes", 1, ax1);
    tn_attr_ints(&c.t, "starts", 1, s1);
    tn_attr_ints(&c.t, "ends", 1, e1);
    tn_attr_ints(&c.t, "decrease_axis", 1, dec);
    gc_expect(&c, 1e-5);
}

static void transpose_and_shuffle_match_host(void **state) {
    int64_t x6[6] = {2, 3, 1, 5, 4, 3}, x3[3] = {7, 5, 9}, x4[4] = {2, 6, 3, 5};
    const int32_t p6[6] = {4, 0, 5, 2, 3, 1}, p3[3] = {2, 0, 1};
    gcase c;
    gc_init(&c, "transpose2");
    gc_in(&c, "X", 6, x6, 1);
    gc_out(&c, "Out");
    gc_out(&c, "XShape");
    tn_attr_ints(&c.t, "axis", 6, p6);
    gc_expect(&c, 1e-5);

    gc_init(&c, "transpose");
    gc_in(&c, "X", 3, x3, 2);
    gc_out(&c, "Out");
    tn_attr_ints(&c.t, "axis", 3, p3);
    gc_expect(&c, 1e-5);

    gc_init(&c, "shuffle_channel");
    gc_in(&c, "X", 4, x4, 3);
    gc_out(&c, "Out");
    tn_attr_int(&c.t, "group", 3);
    gc_expect(&c, 1e-5);
}

static void shape_ops_match_host(void **state) {
    int64_t x[4] = {2, 1, 15, 1};
    const int32_t shape[3] = {0, -1, 5}, sq[2] = {1, -1}, unsq[2] = {0, -1};
    static const char *const ops[] = {"reshape2", "flatten2", "flatten_contiguous_range", "squeeze2", "unsqueeze2"};
    for (size_t i = 0; i < sizeof ops / sizeof *ops; i++) {
        gcase c;
        gc_init(&c, ops[i]);
        gc_in(&c, "X", 4, x, (unsigned)i + 1);
        gc_out(&c, "Out");
        gc_out(&c, "XShape");
        if (i == 0) tn_attr_ints(&c.t, "shape", 3, shape);
        if (i == 1) tn_attr_int(&c.t, "axis", 2);
        if (i == 2) tn_attr_int(&c.t, "start_axis", 1), tn_attr_int(&c.t, "stop_axis", 2);
        if (i == 3) tn_attr_ints(&c.t, "axes", 2, sq);
        if (i == 4) tn_attr_ints(&c.t, "axes", 2, unsq);
        gc_expect(&c, 0.0);
    }
}

static void interp_matches_host(void **state) {
    int64_t x[4] = {1, 3, 7, 5};
    for (int i = 0; i < 6; i++) {
        gcase c;
        const char *op = i < 2 ? "nearest_interp" : i < 4 ? "bilinear_interp" : i == 4 ? "bilinear_interp_v2"
                                                                                         : "nearest_interp_v2";
        gc_init(&c, op);
        gc_in(&c, "X", 4, x, (unsigned)i + 1);
        gc_out(&c, "Out");
        tn_attr_bool(&c.t, "align_corners", i % 2 == 1);
        tn_attr_int(&c.t, "align_mode", i == 2 ? 0 : 1);
        if (i < 4) {
            tn_attr_int(&c.t, "out_h", 13);
            tn_attr_int(&c.t, "out_w", 11);
        } else {
            const float sc[2] = {1.7f, 2.5f};
            tn_attr_floats(&c.t, "scale", 2, sc);
        }
        gc_expect(&c, 1e-4);
    }
}

static void pad_dropout_argmax_match_host(void **state) {
    int64_t x[4] = {2, 3, 5, 7};
    static const char *const modes[] = {"constant", "reflect", "edge"};
    const int32_t pads[4] = {1, 2, 3, 0};
    for (int m = 0; m < 3; m++) {
        gcase c;
        gc_init(&c, "pad2d");
        gc_in(&c, "X", 4, x, (unsigned)m + 1);
        gc_out(&c, "Out");
        tn_attr_str(&c.t, "mode", modes[m]);
        tn_attr_ints(&c.t, "paddings", 4, pads);
        tn_attr_float(&c.t, "pad_value", 0.75f);
        gc_expect(&c, 1e-5);
    }
    gcase c;
    gc_init(&c, "dropout");
    gc_in(&c, "X", 4, x, 5);
    gc_out(&c, "Out");
    tn_attr_float(&c.t, "dropout_prob", 0.3f);
    gc_expect(&c, 1e-5);
    for (int dtype = -1; dtype <= 2; dtype += 3) { /* INT64 by default, INT32 when asked */
        gc_init(&c, "arg_max");
        gc_in(&c, "X", 4, x, 6);
        gc_out(&c, "Out");
        tn_attr_long(&c.t, "axis", 1);
        tn_attr_int(&c.t, "dtype", dtype);
        gc_expect(&c, 0.0);
    }
}

/* Non-FP32 data, and shapes, sizes or bounds that come from tensors, make the
 * GPU kernels decline (the executor then runs the host kernel). */
static void declined_cases(void **state) {
    int64_t x[4] = {1, 3, 4, 5}, two[1] = {2};
    gcase c;
    gc_init(&c, "softmax");
    assert_int_equal(clr_tensor_resize(&c.in[0], CLR_DTYPE_INT32, 4, x, NULL), CLR_OK);
    memset(c.in[0].data, 0, clr_tensor_nbytes(&c.in[0]));
    c.nin = 1;
    tn_input(&c.t, "X", &c.in[0]);
    gc_out(&c, "Out");
    gc_declined(&c);

    const int32_t axes[1] = {2}, bounds[1] = {1};
    gc_init(&c, "slice");
    gc_in(&c, "Input", 4, x, 1);
    assert_int_equal(clr_tensor_resize(&c.in[1], CLR_DTYPE_INT32, 1, two + 0, NULL), CLR_OK);
    ((int32_t *)c.in[1].data)[0] = 0, ((int32_t *)c.in[1].data)[1] = 0;
    c.in[1].dims[0] = 1;
    c.nin = 2;
    tn_input(&c.t, "StartsTensor", &c.in[1]);
    gc_out(&c, "Out");
    tn_attr_ints(&c.t, "axes", 1, axes);
    tn_attr_ints(&c.t, "starts", 1, bounds);
    tn_attr_ints(&c.t, "ends", 1, bounds);
    gc_declined(&c);

    gc_init(&c, "bilinear_interp_v2");
    gc_in(&c, "X", 4, x, 2);
    assert_int_equal(clr_tensor_resize(&c.in[1], CLR_DTYPE_INT32, 1, two, NULL), CLR_OK);
    ((int32_t *)c.in[1].data)[0] = 6, ((int32_t *)c.in[1].data)[1] = 8;
    c.nin = 2;
    tn_input(&c.t, "OutSize", &c.in[1]);
    gc_out(&c, "Out");
    gc_declined(&c);

    const int32_t shape[1] = {-1};
    gc_init(&c, "reshape2");
    gc_in(&c, "X", 4, x, 3);
    assert_int_equal(clr_tensor_resize(&c.in[1], CLR_DTYPE_INT32, 1, two, NULL), CLR_OK);
    ((int32_t *)c.in[1].data)[0] = 3, ((int32_t *)c.in[1].data)[1] = 20;
    c.nin = 2;
    tn_input(&c.t, "Shape", &c.in[1]);
    gc_out(&c, "Out");
    tn_attr_ints(&c.t, "shape", 1, shape);
    gc_declined(&c);
}

int main(void) {
    int rc = clr_test_cl_require();
    if (rc) return rc;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(pool2d_matches_host),
        cmocka_unit_test(softmax_on_every_axis),
        cmocka_unit_test(norms_match_host),
        cmocka_unit_test(concat_and_split_match_host),
        cmocka_unit_test(slice_matches_host),
        cmocka_unit_test(transpose_and_shuffle_match_host),
        cmocka_unit_test(shape_ops_match_host),
        cmocka_unit_test(interp_matches_host),
        cmocka_unit_test(pad_dropout_argmax_match_host),
        cmocka_unit_test(declined_cases),
    };
    return cmocka_run_group_tests(tests, NULL, tg_teardown);
}
