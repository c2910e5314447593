/* Unit tests for the tensor-family host kernels. Every expected value is
 * computed here by direct index arithmetic (unravel an output index, find its
 * source by the op's documented rule), never copied from kernel output. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/alloc.h"
#include "test_models.h"
#include "test_node.h"

enum { MAXD = 8 };

/* ---- helpers ------------------------------------------------------------ */

static int64_t numel_of(int32_t nd, const int64_t *dims) {
    int64_t n = 1;
    for (int32_t i = 0; i < nd; i++)
        n *= dims[i];
    return n;
}

/* Element i of t as a double (test-side reader, independent of the kernels). */
static double val(const clr_tensor *t, int64_t i) {
    switch (t->dtype) {
    case CLR_DTYPE_FP32: return ((const float *)t->data)[i];
    case CLR_DTYPE_INT32: return ((const int32_t *)t->data)[i];
    case CLR_DTYPE_INT64: return (double)((const int64_t *)t->data)[i];
    case CLR_DTYPE_INT8: return ((const int8_t *)t->data)[i];
    case CLR_DTYPE_UINT8:
    case CLR_DTYPE_BOOL: return ((const uint8_t *)t->data)[i];
    default: fail_msg("unexpected dtype %d", t->dtype); return 0;
    }
}

static void put(clr_tensor *t, int64_t i, double v) {
    switch (t->dtype) {
    case CLR_DTYPE_FP32: ((float *)t->data)[i] = (float)v; break;
    case CLR_DTYPE_INT32: ((int32_t *)t->data)[i] = (int32_t)v; break;
    case CLR_DTYPE_INT64: ((int64_t *)t->data)[i] = (int64_t)v; break;
    case CLR_DTYPE_INT8: ((int8_t *)t->data)[i] = (int8_t)v; break;
    case CLR_DTYPE_UINT8:
    case CLR_DTYPE_BOOL: ((uint8_t *)t->data)[i] = (uint8_t)v; break;
    default: fail_msg("unexpected dtype %d", t->dtype);
    }
}

/* A tensor of the given type and shape with distinct-ish seeded values. */
static void mk(clr_tensor *t, int32_t dtype, int32_t nd, const int64_t *dims, unsigned long long seed) {
    memset(t, 0, sizeof *t);
    assert_int_equal(clr_tensor_resize(t, dtype, nd, dims, NULL), CLR_OK);
    clr_test_rng rng = {seed * 7919ull + 13};
    for (int64_t i = 0; i < numel_of(nd, dims); i++) {
        unsigned long long r = clr_test_rng_next(&rng);
        double v = dtype == CLR_DTYPE_FP32   ? (double)(r >> 11) / 9007199254740992.0 * 20.0 - 10.0
                   : dtype == CLR_DTYPE_INT8 ? (double)(int)(r % 255) - 127
                                             : (double)(int64_t)(r % 200001) - 100000;
        put(t, i, v);
    }
}

/* A 1-D tensor holding the given integers. */
static void mk_ints(clr_tensor *t, int32_t dtype, int32_t n, const int64_t *v) {
    int64_t d = n;
    memset(t, 0, sizeof *t);
    assert_int_equal(clr_tensor_resize(t, dtype, 1, &d, NULL), CLR_OK);
    for (int32_t i = 0; i < n; i++)
        put(t, i, (double)v[i]);
}

static void unravel(int64_t idx, int32_t nd, const int64_t *dims, int64_t *c) {
    for (int32_t d = nd - 1; d >= 0; d--) {
        c[d] = dims[d] ? idx % dims[d] : 0;
        idx = dims[d] ? idx / dims[d] : 0;
    }
}

static int64_t ravel(int32_t nd, const int64_t *dims, const int64_t *c) {
    int64_t idx = 0;
    for (int32_t d = 0; d < nd; d++)
        idx = idx * dims[d] + c[d];
    return idx;
}

static void assert_dims(const clr_tensor *t, int32_t dtype, int32_t nd, const int64_t *dims) {
    assert_int_equal(t->dtype, dtype);
    assert_int_equal(t->ndims, nd);
    for (int32_t i = 0; i < nd; i++)
        assert_int_equal(t->dims[i], dims[i]);
}

/* Same values in the same order (shape ops). */
static void assert_same_values(const clr_tensor *a, const clr_tensor *b) {
    assert_int_equal(clr_tensor_numel(a), clr_tensor_numel(b));
    assert_int_equal(a->dtype, b->dtype);
    assert_memory_equal(a->data, b->data, clr_tensor_nbytes(a));
}

static void assert_fails_with(clr_test_node *t, clr_status want, const char *fragment) {
    clr_status st = tn_run(t);
    assert_int_equal(st, want);
    if (!strstr(t->err.msg, fragment)) fail_msg("message '%s' lacks '%s'", t->err.msg, fragment);
    if (!strstr(t->err.msg, t->op.type)) fail_msg("message '%s' does not name op %s", t->err.msg, t->op.type);
}

static void release(clr_tensor *t, int n) {
    for (int i = 0; i < n; i++)
        clr_tensor_release(&t[i]);
}

static void ints_attr(clr_test_node *t, const char *name, int32_t n, const int64_t *v) {
    int32_t tmp[64];
    for (int32_t i = 0; i < n; i++)
        tmp[i] = (int32_t)v[i];
    tn_attr_ints(t, name, n, tmp);
}

static const int32_t all_types[] = {CLR_DTYPE_FP32, CLR_DTYPE_INT32, CLR_DTYPE_INT64, CLR_DTYPE_INT8};

/* ---- reshape family ----------------------------------------------------- */

static void reshape_attr_zero_and_infer(void **state) {
    for (size_t k = 0; k < sizeof all_types / sizeof *all_types; k++) {
        clr_tensor x, out, xs;
        int64_t dims[4] = {2, 3, 5, 7};
        mk(&x, all_types[k], 4, dims, k);
        memset(&out, 0, sizeof out);
        memset(&xs, 0, sizeof xs);
        clr_test_node t;
        tn_init(&t, "reshape2");
        tn_input(&t, "X", &x);
        tn_output(&t, "Out", &out);
        tn_output(&t, "XShape", &xs);
        int32_t shape[3] = {0, -1, 7};
        tn_attr_ints(&t, "shape", 3, shape);
        assert_int_equal(tn_run(&t), CLR_OK);
        int64_t want[3] = {2, 15, 7}, xsd[5] = {0, 2, 3, 5, 7};
        assert_dims(&out, all_types[k], 3, want);
        assert_same_values(&out, &x);
        assert_dims(&xs, all_types[k], 5, xsd);
        release(&x, 1);
        release(&out, 1);
        release(&xs, 1);
    }
}

static void reshape_tensor_sources_take_priority(void **state) {
    clr_tensor x, out, shape, s0, s1;
    int64_t dims[3] = {4, 3, 2};
    mk(&x, CLR_DTYPE_FP32, 3, dims, 1);
    memset(&out, 0, sizeof out);
    int64_t sv[2] = {6, -1}, a = 3, b = 8;
    mk_ints(&shape, CLR_DTYPE_INT32, 2, sv);
    mk_ints(&s0, CLR_DTYPE_INT64, 1, &a);
    mk_ints(&s1, CLR_DTYPE_INT32, 1, &b);

    clr_test_node t; /* Shape beats the attribute */
    tn_init(&t, "reshape");
    tn_input(&t, "X", &x);
    tn_input(&t, "Shape", &shape);
    tn_output(&t, "Out", &out);
    int32_t attr[1] = {24};
    tn_attr_ints(&t, "shape", 1, attr);
    assert_int_equal(tn_run(&t), CLR_OK);
    int64_t want1[2] = {6, 4};
    assert_dims(&out, CLR_DTYPE_FP32, 2, want1);
    assert_same_values(&out, &x);

    tn_input(&t, "ShapeTensor", &s0); /* ShapeTensor beats Shape */
    tn_input(&t, "ShapeTensor", &s1);
    assert_int_equal(tn_run(&t), CLR_OK);
    int64_t want2[2] = {3, 8};
    assert_dims(&out, CLR_DTYPE_FP32, 2, want2);
    assert_same_values(&out, &x);
    clr_tensor all[5] = {x, out, shape, s0, s1};
    release(all, 5);
}

static void reshape_errors(void **state) {
    clr_tensor x, out;
    int64_t dims[2] = {3, 5};
    mk(&x, CLR_DTYPE_FP32, 2, dims, 2);
    memset(&out, 0, sizeof out);
    clr_test_node t;
    int32_t two_unknown[3] = {-1, -1, 3}, copy_oob[3] = {3, 5, 0}, neg[2] = {-3, -5};
    tn_init(&t, "reshape2");
    tn_input(&t, "X", &x);
    tn_output(&t, "Out", &out);
    tn_attr_ints(&t, "shape", 3, two_unknown);
    assert_fails_with(&t, CLR_ERR_FORMAT, "more than one -1");
    t.ints[0][0] = 4, t.ints[0][1] = 4, t.attrs[0].count = 2;
    assert_fails_with(&t, CLR_ERR_FORMAT, "[3,5] has 15 elements, target shape [4,4] has 16");
    memcpy(t.ints[0], copy_oob, sizeof copy_oob), t.attrs[0].count = 3;
    assert_fails_with(&t, CLR_ERR_FORMAT, "no such dim");
    memcpy(t.ints[0], neg, sizeof neg), t.attrs[0].count = 2;
    assert_fails_with(&t, CLR_ERR_FORMAT, "negative");
    int32_t infer_bad[2] = {-1, 4};
    memcpy(t.ints[0], infer_bad, sizeof infer_bad);
    assert_fails_with(&t, CLR_ERR_FORMAT, "cannot take target shape [-1,4]");

    clr_test_node u; /* no shape at all, and a missing input */
    tn_init(&u, "reshape");
    tn_input(&u, "X", &x);
    tn_output(&u, "Out", &out);
    assert_fails_with(&u, CLR_ERR_FORMAT, "no target shape");
    tn_init(&u, "reshape");
    tn_output(&u, "Out", &out);
    assert_fails_with(&u, CLR_ERR_FORMAT, "input 'X' is missing");
    release(&x, 1);
    release(&out, 1);
}

static void flatten_variants(void **state) {
    clr_tensor x, out;
    int64_t dims[4] = {2, 3, 4, 5};
    mk(&x, CLR_DTYPE_INT64, 4, dims, 3);
    memset(&out, 0, sizeof out);
    for (int32_t axis = 0; axis <= 4; axis++) {
        clr_test_node t;
        tn_init(&t, axis % 2 ? "flatten2" : "flatten");
        tn_input(&t, "X", &x);
        tn_output(&t, "Out", &out);
        tn_attr_int(&t, "axis", axis);
        assert_int_equal(tn_run(&t), CLR_OK);
        int64_t want[2] = {numel_of(axis, dims), numel_of(4 - axis, dims + axis)};
        assert_dims(&out, CLR_DTYPE_INT64, 2, want);
        assert_same_values(&out, &x);
    }
    /* flatten_contiguous_range: (start, stop) → expected dims */
    struct {
        int32_t start, stop, nd;
        int64_t want[4];
    } cases[] = {
        {1, 2, 3, {2, 12, 5}},   {0, -1, 1, {120}},        {-3, -2, 3, {2, 12, 5}},
        {2, 2, 4, {2, 3, 4, 5}}, {-1, 3, 4, {2, 3, 4, 5}},
    };
    for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
        clr_test_node t;
        tn_init(&t, "flatten_contiguous_range");
        tn_input(&t, "X", &x);
        tn_output(&t, "Out", &out);
        tn_attr_int(&t, "start_axis", cases[c].start);
        tn_attr_int(&t, "stop_axis", cases[c].stop);
        assert_int_equal(tn_run(&t), CLR_OK);
        assert_dims(&out, CLR_DTYPE_INT64, cases[c].nd, cases[c].want);
        assert_same_values(&out, &x);
    }
    clr_test_node t;
    tn_init(&t, "flatten_contiguous_range");
    tn_input(&t, "X", &x);
    tn_output(&t, "Out", &out);
    tn_attr_int(&t, "start_axis", 3);
    tn_attr_int(&t, "stop_axis", 1);
    assert_fails_with(&t, CLR_ERR_FORMAT, "after stop_axis");
    tn_init(&t, "flatten");
    tn_input(&t, "X", &x);
    tn_output(&t, "Out", &out);
    tn_attr_int(&t, "axis", 5);
    assert_fails_with(&t, CLR_ERR_FORMAT, "axis 5 is outside 0..4");
    release(&x, 1);
    release(&out, 1);
}

static void squeeze_variants(void **state) {
    clr_tensor x, out;
    int64_t dims[5] = {1, 3, 1, 5, 1};
    mk(&x, CLR_DTYPE_INT8, 5, dims, 4);
    memset(&out, 0, sizeof out);
    struct {
        int32_t naxes;
        int32_t axes[3];
        int32_t nd;
        int64_t want[5];
    } cases[] = {
        {0, {0}, 2, {3, 5}},          /* every size-1 dim */
        {2, {0, -1}, 3, {3, 1, 5}},   /* negative axis */
        {2, {1, 2}, 4, {1, 3, 5, 1}}, /* axis 1 has size 3: kept */
        {2, {2, 2}, 4, {1, 3, 5, 1}}, /* duplicates count once */
    };
    for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
        clr_test_node t;
        tn_init(&t, c % 2 ? "squeeze2" : "squeeze");
        tn_input(&t, "X", &x);
        tn_output(&t, "Out", &out);
        tn_attr_ints(&t, "axes", cases[c].naxes, cases[c].axes);
        assert_int_equal(tn_run(&t), CLR_OK);
        assert_dims(&out, CLR_DTYPE_INT8, cases[c].nd, cases[c].want);
        assert_same_values(&out, &x);
    }
    clr_test_node t;
    tn_init(&t, "squeeze");
    tn_input(&t, "X", &x);
    tn_output(&t, "Out", &out);
    int32_t bad[1] = {5};
    tn_attr_ints(&t, "axes", 1, bad);
    assert_fails_with(&t, CLR_ERR_FORMAT, "out of range");
    release(&x, 1);
    release(&out, 1);
}

/* Paddle's unsqueeze shape rule, written the way Paddle states it: mark each
 * new axis with 1, moving earlier marks at or after it one place right. */
static int32_t paddle_unsqueeze(int32_t nd, const int64_t *in, int32_t naxes, const int64_t *axes, int64_t *out) {
    int32_t size = nd + naxes, cur = nd;
    int64_t mark[MAXD + 1] = {0};
    for (int32_t k = 0; k < naxes; k++) {
        int64_t a = axes[k] < 0 ? axes[k] + cur + 1 : axes[k];
        for (int32_t i = cur; i >= a; i--)
            if (mark[i] == 1) mark[i + 1] = 1, mark[i] = 0;
        mark[a] = 1;
        cur++;
    }
    for (int32_t i = 0, j = 0; i < size; i++)
        out[i] = mark[i] ? 1 : in[j++];
    return size;
}

static void unsqueeze_variants(void **state) {
    clr_tensor x, out, at, l0, l1;
    int64_t dims[3] = {3, 4, 5};
    mk(&x, CLR_DTYPE_FP32, 3, dims, 5);
    memset(&out, 0, sizeof out);
    int64_t axes_sets[][3] = {{0, -1, 0}, {2, 0, 4}, {-1, -1, 1}, {3, 3, 3}, {-4, 1, -2}};
    for (size_t c = 0; c < sizeof axes_sets / sizeof *axes_sets; c++) {
        int64_t want[MAXD];
        int32_t nd = paddle_unsqueeze(3, dims, 3, axes_sets[c], want);
        for (int source = 0; source < 3; source++) {
            clr_test_node t;
            tn_init(&t, source ? "unsqueeze2" : "unsqueeze");
            tn_input(&t, "X", &x);
            tn_output(&t, "Out", &out);
            int64_t decoy = 0;
            ints_attr(&t, "axes", source ? 1 : 3, source ? &decoy : axes_sets[c]);
            memset(&at, 0, sizeof at);
            memset(&l0, 0, sizeof l0);
            memset(&l1, 0, sizeof l1);
            if (source == 1) { /* AxesTensor */
                mk_ints(&at, CLR_DTYPE_INT32, 3, axes_sets[c]);
                tn_input(&t, "AxesTensor", &at);
            } else if (source == 2) { /* AxesTensorList of mixed-type scalars */
                mk_ints(&l0, CLR_DTYPE_INT64, 1, &axes_sets[c][0]);
                mk_ints(&l1, CLR_DTYPE_INT32, 1, &axes_sets[c][1]);
                mk_ints(&at, CLR_DTYPE_INT64, 1, &axes_sets[c][2]);
                tn_input(&t, "AxesTensorList", &l0);
                tn_input(&t, "AxesTensorList", &l1);
                tn_input(&t, "AxesTensorList", &at);
            }
            assert_int_equal(tn_run(&t), CLR_OK);
            assert_dims(&out, CLR_DTYPE_FP32, nd, want);
            assert_same_values(&out, &x);
            release(&at, 1);
            release(&l0, 1);
            release(&l1, 1);
        }
    }
    clr_test_node t;
    tn_init(&t, "unsqueeze");
    tn_input(&t, "X", &x);
    tn_output(&t, "Out", &out);
    int32_t bad[1] = {5};
    tn_attr_ints(&t, "axes", 1, bad);
    assert_fails_with(&t, CLR_ERR_FORMAT, "out of range");
    release(&x, 1);
    release(&out, 1);
}

/* ---- transpose, shuffle_channel ---------------------------------------- */

static void check_transpose(int32_t dtype, int32_t nd, const int64_t *dims, const int32_t *perm,
                            unsigned long long seed) {
    clr_tensor x, out;
    mk(&x, dtype, nd, dims, seed);
    memset(&out, 0, sizeof out);
    clr_test_node t;
    tn_init(&t, "transpose2");
    tn_input(&t, "X", &x);
    tn_output(&t, "Out", &out);
    tn_attr_ints(&t, "axis", nd, perm);
    assert_int_equal(tn_run(&t), CLR_OK);
    int64_t od[MAXD], oc[MAXD], ic[MAXD];
    for (int32_t i = 0; i < nd; i++)
        od[i] = dims[perm[i] < 0 ? perm[i] + nd : perm[i]];
    assert_dims(&out, dtype, nd, od);
    for (int64_t i = 0; i < numel_of(nd, od); i++) {
        unravel(i, nd, od, oc);
        for (int32_t d = 0; d < nd; d++)
            ic[perm[d] < 0 ? perm[d] + nd : perm[d]] = oc[d];
        assert_true(val(&out, i) == val(&x, ravel(nd, dims, ic)));
    }
    release(&x, 1);
    release(&out, 1);
}

static void transpose_matches_index_rule(void **state) {
    int64_t d4[4] = {2, 3, 5, 7};
    int32_t perms4[][4] = {{0, 2, 3, 1}, {0, 3, 1, 2}, {3, 2, 1, 0}, {0, 1, 3, 2},
                           {1, 0, 2, 3}, {0, 1, 2, 3}, {0, -1, 1, 2}};
    for (size_t p = 0; p < sizeof perms4 / sizeof *perms4; p++)
        for (size_t k = 0; k < sizeof all_types / sizeof *all_types; k++)
            check_transpose(all_types[k], 4, d4, perms4[p], p * 10 + k);
    int64_t d1[1] = {9}, d2[2] = {13, 6}, d3[3] = {3, 1, 11}, d5[5] = {2, 3, 1, 4, 3}, d6[6] = {2, 1, 3, 2, 3, 2};
    int32_t p1[1] = {0}, p2[2] = {1, 0}, p3[3] = {2, 0, 1}, p5[5] = {4, 2, 0, 3, 1}, p6[6] = {5, 3, 1, 0, 2, 4};
    check_transpose(CLR_DTYPE_FP32, 1, d1, p1, 1);
    check_transpose(CLR_DTYPE_INT64, 2, d2, p2, 2);
    check_transpose(CLR_DTYPE_INT8, 3, d3, p3, 3);
    check_transpose(CLR_DTYPE_FP32, 5, d5, p5, 4);
    check_transpose(CLR_DTYPE_INT32, 6, d6, p6, 5);
}

static void transpose_errors(void **state) {
    clr_tensor x, out;
    int64_t dims[3] = {2, 3, 4};
    mk(&x, CLR_DTYPE_FP32, 3, dims, 1);
    memset(&out, 0, sizeof out);
    clr_test_node t;
    tn_init(&t, "transpose");
    tn_input(&t, "X", &x);
    tn_output(&t, "Out", &out);
    int32_t dup[3] = {0, 1, 1};
    tn_attr_ints(&t, "axis", 3, dup);
    assert_fails_with(&t, CLR_ERR_FORMAT, "axis [0,1,1] is not a permutation");
    t.attrs[0].count = 2;
    assert_fails_with(&t, CLR_ERR_FORMAT, "does not permute the 3 dims of input [2,3,4]");
    t.ints[0][0] = 3, t.ints[0][1] = 0, t.ints[0][2] = 1, t.attrs[0].count = 3;
    assert_fails_with(&t, CLR_ERR_FORMAT, "not a permutation");
    release(&x, 1);
    release(&out, 1);
}

static void shuffle_channel_matches_rule(void **state) {
    clr_tensor x, out;
    int64_t dims[4] = {2, 12, 3, 5};
    mk(&x, CLR_DTYPE_FP32, 4, dims, 9);
    memset(&out, 0, sizeof out);
    for (int32_t g = 1; g <= 12; g++) {
        if (12 % g) continue;
        clr_test_node t;
        tn_init(&t, "shuffle_channel");
        tn_input(&t, "X", &x);
        tn_output(&t, "Out", &out);
        tn_attr_int(&t, "group", g);
        assert_int_equal(tn_run(&t), CLR_OK);
        assert_dims(&out, CLR_DTYPE_FP32, 4, dims);
        int64_t c[4];
        for (int64_t i = 0; i < clr_tensor_numel(&out); i++) {
            unravel(i, 4, dims, c);
            /* output channel oc = j * g + gi reads input channel gi * (C/g) + j */
            int64_t per = 12 / g, j = c[1] / g, gi = c[1] % g;
            c[1] = gi * per + j;
            assert_true(val(&out, i) == val(&x, ravel(4, dims, c)));
        }
    }
    clr_test_node t;
    tn_init(&t, "shuffle_channel");
    tn_input(&t, "X", &x);
    tn_output(&t, "Out", &out);
    tn_attr_int(&t, "group", 5);
    assert_fails_with(&t, CLR_ERR_FORMAT, "does not divide");
    release(&x, 1);
    release(&out, 1);
}

/* ---- concat, split, stack ----------------------------------------------- */

static void concat_mixed_sizes(void **state) {
    for (int32_t axis = -3; axis < 3; axis++) {
        int32_t a = axis < 0 ? axis + 3 : axis;
        int64_t sizes[3] = {2, 5, 1};
        clr_tensor in[3], out, axis_t;
        int64_t base[3] = {3, 4, 6};
        for (int i = 0; i < 3; i++) {
            int64_t d[3] = {base[0], base[1], base[2]};
            d[a] = sizes[i];
            mk(&in[i], CLR_DTYPE_INT32, 3, d, (unsigned long long)(i + 10 * (axis + 3)));
        }
        memset(&out, 0, sizeof out);
        for (int use_tensor = 0; use_tensor < 2; use_tensor++) {
            clr_test_node t;
            tn_init(&t, "concat");
            for (int i = 0; i < 3; i++)
                tn_input(&t, "X", &in[i]);
            tn_output(&t, "Out", &out);
            tn_attr_int(&t, "axis", use_tensor ? 1 - a : axis); /* a decoy when the tensor is used */
            int64_t av = axis;
            mk_ints(&axis_t, CLR_DTYPE_INT32, 1, &av);
            if (use_tensor) tn_input(&t, "AxisTensor", &axis_t);
            assert_int_equal(tn_run(&t), CLR_OK);
            int64_t od[3] = {base[0], base[1], base[2]}, c[3];
            od[a] = 8;
            assert_dims(&out, CLR_DTYPE_INT32, 3, od);
            for (int64_t i = 0; i < clr_tensor_numel(&out); i++) {
                unravel(i, 3, od, c);
                int k = 0;
                while (c[a] >= sizes[k])
                    c[a] -= sizes[k++];
                assert_true(val(&out, i) == val(&in[k], ravel(3, in[k].dims, c)));
            }
            clr_tensor_release(&axis_t);
        }
        release(in, 3);
        release(&out, 1);
    }
}

static void concat_errors(void **state) {
    clr_tensor a, b, c, out;
    int64_t da[2] = {2, 3}, db[2] = {3, 3};
    mk(&a, CLR_DTYPE_FP32, 2, da, 1);
    mk(&b, CLR_DTYPE_FP32, 2, db, 2);
    mk(&c, CLR_DTYPE_INT32, 2, da, 3);
    memset(&out, 0, sizeof out);
    clr_test_node t;
    tn_init(&t, "concat");
    tn_input(&t, "X", &a);
    tn_input(&t, "X", &b);
    tn_output(&t, "Out", &out);
    tn_attr_int(&t, "axis", 1);
    assert_fails_with(&t, CLR_ERR_FORMAT, "element 1 is FP32 [3,3], element 0 is FP32 [2,3]");
    t.attrs[0].v.i = 0;
    assert_int_equal(tn_run(&t), CLR_OK); /* fine along axis 0 */
    t.tin[0][1] = &c;
    assert_fails_with(&t, CLR_ERR_FORMAT, "element 1 is INT32");
    t.attrs[0].v.i = 2;
    assert_fails_with(&t, CLR_ERR_FORMAT, "axis 2 is out of range for 2 dims");
    clr_tensor all[4] = {a, b, c, out};
    release(all, 4);
}

static void check_split(int32_t attr_axis, int32_t axis, int32_t k, const int64_t *expect_sec,
                        void (*configure)(clr_test_node *, clr_tensor *)) {
    int64_t dims[3] = {3, 10, 4};
    int32_t a = axis < 0 ? axis + 3 : axis;
    clr_tensor x, outs[6], extra[4];
    mk(&x, CLR_DTYPE_INT64, 3, dims, 77);
    memset(outs, 0, sizeof outs);
    memset(extra, 0, sizeof extra);
    clr_test_node t;
    tn_init(&t, "split");
    tn_input(&t, "X", &x);
    for (int i = 0; i < k; i++)
        tn_output(&t, "Out", &outs[i]);
    tn_attr_int(&t, "axis", attr_axis);
    configure(&t, extra);
    assert_int_equal(tn_run(&t), CLR_OK);
    int64_t start = 0, c[3];
    for (int i = 0; i < k; i++) {
        int64_t od[3] = {dims[0], dims[1], dims[2]};
        od[a] = expect_sec[i];
        assert_dims(&outs[i], CLR_DTYPE_INT64, 3, od);
        for (int64_t j = 0; j < clr_tensor_numel(&outs[i]); j++) {
            unravel(j, 3, od, c);
            c[a] += start;
            assert_true(val(&outs[i], j) == val(&x, ravel(3, dims, c)));
        }
        start += expect_sec[i];
    }
    assert_int_equal(start, dims[a]);
    release(&x, 1);
    release(outs, 6);
    release(extra, 4);
}

static void cfg_num5(clr_test_node *t, clr_tensor *extra) {
    int32_t none[1] = {0};
    tn_attr_int(t, "num", 5);
    tn_attr_ints(t, "sections", 0, none);
}
static void cfg_sections_infer(clr_test_node *t, clr_tensor *extra) {
    int32_t sec[3] = {3, -1, 2};
    tn_attr_int(t, "num", 0);
    tn_attr_ints(t, "sections", 3, sec);
}
static void cfg_sections_tensors(clr_test_node *t, clr_tensor *extra) {
    int64_t s0 = 4, s1 = 6, ax = 1;
    tn_attr_int(t, "num", 0);
    int32_t decoy[2] = {5, 5};
    tn_attr_ints(t, "sections", 2, decoy);
    mk_ints(&extra[0], CLR_DTYPE_INT32, 1, &s0);
    mk_ints(&extra[1], CLR_DTYPE_INT64, 1, &s1);
    mk_ints(&extra[2], CLR_DTYPE_INT32, 1, &ax);
    tn_input(t, "SectionsTensorList", &extra[0]);
    tn_input(t, "SectionsTensorList", &extra[1]);
    tn_input(t, "AxisTensor", &extra[2]); /* overrides the attribute axis */
}
static void cfg_sections_last_axis(clr_test_node *t, clr_tensor *extra) {
    int32_t sec[3] = {1, 1, 2};
    tn_attr_int(t, "num", 0);
    tn_attr_ints(t, "sections", 3, sec);
}

static void split_variants(void **state) {
    int64_t five[5] = {2, 2, 2, 2, 2}, infer[3] = {3, 5, 2}, tens[2] = {4, 6}, last[3] = {1, 1, 2};
    check_split(1, 1, 5, five, cfg_num5);
    check_split(-2, -2, 3, infer, cfg_sections_infer);
    check_split(0, 1, 2, tens, cfg_sections_tensors); /* axis 0 in attr, 1 from AxisTensor */
    check_split(-1, -1, 3, last, cfg_sections_last_axis);
}

static void split_errors(void **state) {
    clr_tensor x, o[2];
    int64_t dims[2] = {4, 7};
    mk(&x, CLR_DTYPE_FP32, 2, dims, 1);
    memset(o, 0, sizeof o);
    clr_test_node t;
    tn_init(&t, "split");
    tn_input(&t, "X", &x);
    tn_output(&t, "Out", &o[0]);
    tn_output(&t, "Out", &o[1]);
    tn_attr_int(&t, "axis", 1);
    tn_attr_int(&t, "num", 2);
    assert_fails_with(&t, CLR_ERR_FORMAT, "cannot split a dim of 7 into num 2");
    t.attrs[1].v.i = 0;
    int32_t sec[2] = {3, 3};
    tn_attr_ints(&t, "sections", 2, sec);
    assert_fails_with(&t, CLR_ERR_FORMAT, "sections [3,3] do not add up to the axis dim 7");
    t.ints[2][0] = -1, t.ints[2][1] = -1;
    assert_fails_with(&t, CLR_ERR_FORMAT, "bad sections");
    t.attrs[2].count = 1;
    assert_fails_with(&t, CLR_ERR_FORMAT, "1 sections");
    release(&x, 1);
    release(o, 2);
}

static void stack_axes(void **state) {
    int64_t dims[3] = {2, 3, 5};
    clr_tensor in[3], out;
    for (int i = 0; i < 3; i++)
        mk(&in[i], CLR_DTYPE_FP32, 3, dims, (unsigned long long)i + 40);
    memset(&out, 0, sizeof out);
    for (int32_t axis = -4; axis <= 3; axis++) {
        int32_t a = axis < 0 ? axis + 4 : axis;
        clr_test_node t;
        tn_init(&t, "stack");
        for (int i = 0; i < 3; i++)
            tn_input(&t, "X", &in[i]);
        tn_output(&t, "Y", &out);
        tn_attr_int(&t, "axis", axis);
        assert_int_equal(tn_run(&t), CLR_OK);
        int64_t od[4], c[4], ic[3];
        for (int32_t d = 0, s = 0; d < 4; d++)
            od[d] = d == a ? 3 : dims[s++];
        assert_dims(&out, CLR_DTYPE_FP32, 4, od);
        for (int64_t i = 0; i < clr_tensor_numel(&out); i++) {
            unravel(i, 4, od, c);
            for (int32_t d = 0, s = 0; d < 4; d++)
                if (d != a) ic[s++] = c[d];
            assert_true(val(&out, i) == val(&in[c[a]], ravel(3, dims, ic)));
        }
    }
    release(in, 3);
    release(&out, 1);
}

/* ---- slice -------------------------------------------------------------- */

/* Paddle's documented slice rule for one axis of size d. */
static void slice_rule(int64_t start, int64_t end, int64_t d, int64_t *s, int64_t *len) {
    if (start < 0) start += d;
    if (end < 0) end += d;
    if (start < 0) start = 0;
    if (start > d) start = d;
    if (end < 0) end = 0;
    if (end > d) end = d;
    *s = start;
    *len = end > start ? end - start : 0;
}

static void slice_random_windows(void **state) {
    int64_t dims[4] = {3, 7, 5, 6};
    clr_tensor x, out;
    mk(&x, CLR_DTYPE_FP32, 4, dims, 21);
    memset(&out, 0, sizeof out);
    clr_test_rng rng = {99};
    for (int iter = 0; iter < 200; iter++) {
        int64_t axes[4], starts[4], ends[4];
        int32_t naxes = 1 + (int32_t)(clr_test_rng_next(&rng) % 4);
        unsigned used = 0;
        for (int32_t i = 0; i < naxes; i++) {
            int64_t a;
            do
                a = (int64_t)(clr_test_rng_next(&rng) % 4);
            while (used & (1u << a));
            used |= 1u << a;
            axes[i] = clr_test_rng_next(&rng) % 3 == 0 ? a - 4 : a; /* sometimes negative */
            starts[i] = (int64_t)(clr_test_rng_next(&rng) % 21) - 10;
            ends[i] = (int64_t)(clr_test_rng_next(&rng) % 21) - 10;
            if (clr_test_rng_next(&rng) % 8 == 0) ends[i] = 2147483647; /* "to the end" */
        }
        int source = iter % 3; /* attrs, Starts/EndsTensor, Starts/EndsTensorList */
        clr_tensor st, en, sl[4], el[4];
        memset(&st, 0, sizeof st);
        memset(&en, 0, sizeof en);
        memset(sl, 0, sizeof sl);
        memset(el, 0, sizeof el);
        clr_test_node t;
        tn_init(&t, "slice");
        tn_input(&t, "Input", &x);
        tn_output(&t, "Out", &out);
        ints_attr(&t, "axes", naxes, axes);
        int64_t zeros[4] = {0, 0, 0, 0};
        ints_attr(&t, "starts", naxes, source ? zeros : starts);
        ints_attr(&t, "ends", naxes, source ? zeros : ends);
        if (source == 1) {
            mk_ints(&st, CLR_DTYPE_INT64, naxes, starts);
            mk_ints(&en, CLR_DTYPE_INT32, naxes, ends);
            tn_input(&t, "StartsTensor", &st);
            tn_input(&t, "EndsTensor", &en);
        } else if (source == 2) {
            for (int32_t i = 0; i < naxes; i++) {
                mk_ints(&sl[i], CLR_DTYPE_INT32, 1, &starts[i]);
                mk_ints(&el[i], CLR_DTYPE_INT64, 1, &ends[i]);
                tn_input(&t, "StartsTensorList", &sl[i]);
                tn_input(&t, "EndsTensorList", &el[i]);
            }
        }
        assert_int_equal(tn_run(&t), CLR_OK);
        int64_t od[4] = {dims[0], dims[1], dims[2], dims[3]}, off[4] = {0, 0, 0, 0}, c[4];
        for (int32_t i = 0; i < naxes; i++) {
            int64_t a = axes[i] < 0 ? axes[i] + 4 : axes[i];
            slice_rule(starts[i], ends[i], dims[a], &off[a], &od[a]);
        }
        assert_dims(&out, CLR_DTYPE_FP32, 4, od);
        for (int64_t i = 0; i < clr_tensor_numel(&out); i++) {
            unravel(i, 4, od, c);
            for (int d = 0; d < 4; d++)
                c[d] += off[d];
            assert_true(val(&out, i) == val(&x, ravel(4, dims, c)));
        }
        release(&st, 1);
        release(&en, 1);
        release(sl, 4);
        release(el, 4);
    }
    release(&x, 1);
    release(&out, 1);
}

static void slice_decrease_axis(void **state) {
    int64_t dims[3] = {4, 5, 6};
    clr_tensor x, out;
    mk(&x, CLR_DTYPE_INT64, 3, dims, 8);
    memset(&out, 0, sizeof out);
    clr_test_node t;
    tn_init(&t, "slice");
    tn_input(&t, "Input", &x);
    tn_output(&t, "Out", &out);
    int32_t axes[2] = {0, 2}, starts[2] = {-1, 2}, ends[2] = {10000, 3}, dec[2] = {0, 2}, flags[2] = {1, 1};
    tn_attr_ints(&t, "axes", 2, axes);
    tn_attr_ints(&t, "starts", 2, starts);
    tn_attr_ints(&t, "ends", 2, ends);
    tn_attr_ints(&t, "infer_flags", 2, flags);
    tn_attr_ints(&t, "decrease_axis", 2, dec);
    assert_int_equal(tn_run(&t), CLR_OK);
    int64_t want[1] = {5};
    assert_dims(&out, CLR_DTYPE_INT64, 1, want);
    for (int64_t j = 0; j < 5; j++)
        assert_true(val(&out, j) == val(&x, (3 * 5 + j) * 6 + 2));

    int32_t all_axes[3] = {0, 1, 2}, s3[3] = {1, 2, 3}, e3[3] = {2, 3, 4}; /* all dims dropped → [1] */
    tn_init(&t, "slice");
    tn_input(&t, "Input", &x);
    tn_output(&t, "Out", &out);
    tn_attr_ints(&t, "axes", 3, all_axes);
    tn_attr_ints(&t, "starts", 3, s3);
    tn_attr_ints(&t, "ends", 3, e3);
    tn_attr_ints(&t, "decrease_axis", 3, all_axes);
    assert_int_equal(tn_run(&t), CLR_OK);
    int64_t one[1] = {1};
    assert_dims(&out, CLR_DTYPE_INT64, 1, one);
    assert_true(val(&out, 0) == val(&x, (1 * 5 + 2) * 6 + 3));

    t.ints[2][0] = 3; /* ends[0] = 3: dim 0 has length 2, cannot be decreased */
    assert_fails_with(&t, CLR_ERR_FORMAT, "decrease_axis 0 has size 2");
    t.attrs[1].count = 2; /* 2 starts for 3 axes */
    assert_fails_with(&t, CLR_ERR_FORMAT, "2 starts for 3 axes");
    release(&x, 1);
    release(&out, 1);
}

/* ---- expand, gather, pad2d ---------------------------------------------- */

static void expand_v2_broadcasts(void **state) {
    int64_t dims[3] = {3, 1, 4};
    clr_tensor x, out, shp;
    mk(&x, CLR_DTYPE_INT8, 3, dims, 31);
    memset(&out, 0, sizeof out);
    int64_t target[4] = {2, -1, 5, 4}, want[4] = {2, 3, 5, 4}, c[4];
    for (int source = 0; source < 2; source++) {
        clr_test_node t;
        tn_init(&t, "expand_v2");
        tn_input(&t, "X", &x);
        tn_output(&t, "Out", &out);
        memset(&shp, 0, sizeof shp);
        if (source) {
            mk_ints(&shp, CLR_DTYPE_INT32, 4, target);
            tn_input(&t, "Shape", &shp);
            int32_t decoy[1] = {7};
            tn_attr_ints(&t, "shape", 1, decoy);
        } else {
            ints_attr(&t, "shape", 4, target);
        }
        assert_int_equal(tn_run(&t), CLR_OK);
        assert_dims(&out, CLR_DTYPE_INT8, 4, want);
        for (int64_t i = 0; i < clr_tensor_numel(&out); i++) {
            unravel(i, 4, want, c);
            int64_t ic[3] = {c[1], 0, c[3]};
            assert_true(val(&out, i) == val(&x, ravel(3, dims, ic)));
        }
        release(&shp, 1);
    }
    clr_test_node t;
    tn_init(&t, "expand_v2");
    tn_input(&t, "X", &x);
    tn_output(&t, "Out", &out);
    int32_t bad[3] = {4, 2, 4};
    tn_attr_ints(&t, "shape", 3, bad);
    assert_fails_with(&t, CLR_ERR_FORMAT, "cannot expand input [3,1,4] to shape [4,2,4]");
    release(&x, 1);
    release(&out, 1);
}

static void expand_tiles(void **state) {
    int64_t dims[3] = {2, 3, 1};
    clr_tensor x, out;
    mk(&x, CLR_DTYPE_FP32, 3, dims, 32);
    memset(&out, 0, sizeof out);
    clr_test_node t;
    tn_init(&t, "expand");
    tn_input(&t, "X", &x);
    tn_output(&t, "Out", &out);
    int32_t times[3] = {3, 2, 4};
    tn_attr_ints(&t, "expand_times", 3, times);
    assert_int_equal(tn_run(&t), CLR_OK);
    int64_t want[3] = {6, 6, 4}, c[3];
    assert_dims(&out, CLR_DTYPE_FP32, 3, want);
    for (int64_t i = 0; i < clr_tensor_numel(&out); i++) {
        unravel(i, 3, want, c);
        for (int d = 0; d < 3; d++)
            c[d] %= dims[d];
        assert_true(val(&out, i) == val(&x, ravel(3, dims, c)));
    }
    t.ints[0][1] = 0;
    assert_fails_with(&t, CLR_ERR_FORMAT, "expand_times[1] is 0");
    release(&x, 1);
    release(&out, 1);
}

static void gather_axes_and_index_types(void **state) {
    int64_t dims[3] = {5, 4, 3};
    clr_tensor x, out, idx;
    mk(&x, CLR_DTYPE_FP32, 3, dims, 33);
    memset(&out, 0, sizeof out);
    int64_t picks[4] = {3, 0, 3, 2}, c[3];
    for (int32_t axis = 0; axis < 3; axis++)
        for (int variant = 0; variant < 2; variant++) {
            int64_t n2[2] = {4, 1};
            memset(&idx, 0, sizeof idx);
            if (variant) { /* [K, 1] INT64 */
                assert_int_equal(clr_tensor_resize(&idx, CLR_DTYPE_INT64, 2, n2, NULL), CLR_OK);
                for (int i = 0; i < 4; i++)
                    ((int64_t *)idx.data)[i] = picks[i] % dims[axis];
            } else {
                int64_t p[4];
                for (int i = 0; i < 4; i++)
                    p[i] = picks[i] % dims[axis];
                mk_ints(&idx, CLR_DTYPE_INT32, 4, p);
            }
            clr_test_node t;
            tn_init(&t, "gather");
            tn_input(&t, "X", &x);
            tn_input(&t, "Index", &idx);
            tn_output(&t, "Out", &out);
            tn_attr_int(&t, "axis", axis);
            assert_int_equal(tn_run(&t), CLR_OK);
            int64_t od[3] = {dims[0], dims[1], dims[2]};
            od[axis] = 4;
            assert_dims(&out, CLR_DTYPE_FP32, 3, od);
            for (int64_t i = 0; i < clr_tensor_numel(&out); i++) {
                unravel(i, 3, od, c);
                c[axis] = picks[c[axis]] % dims[axis];
                assert_true(val(&out, i) == val(&x, ravel(3, dims, c)));
            }
            release(&idx, 1);
        }
    int64_t badv[1] = {5};
    mk_ints(&idx, CLR_DTYPE_INT64, 1, badv);
    clr_test_node t;
    tn_init(&t, "gather");
    tn_input(&t, "X", &x);
    tn_input(&t, "Index", &idx);
    tn_output(&t, "Out", &out);
    assert_fails_with(&t, CLR_ERR_FORMAT, "index 5 is outside 0..4");
    release(&idx, 1);
    release(&x, 1);
    release(&out, 1);
}

static int64_t pad_src(const char *mode, int64_t i, int64_t d) {
    if (i >= 0 && i < d) return i;
    if (strcmp(mode, "edge") == 0) return i < 0 ? 0 : d - 1;
    if (strcmp(mode, "reflect") == 0) return i < 0 ? -i : 2 * d - 2 - i;
    return -1;
}

static void pad2d_modes(void **state) {
    int64_t dims[4] = {2, 3, 4, 5};
    clr_tensor x, out, pt;
    mk(&x, CLR_DTYPE_FP32, 4, dims, 34);
    memset(&out, 0, sizeof out);
    const char *modes[3] = {"constant", "reflect", "edge"};
    int64_t pads[3][4] = {{1, 2, 3, 0}, {3, 2, 4, 1}, {0, 0, 2, 2}};
    for (int m = 0; m < 3; m++)
        for (int p = 0; p < 3; p++) {
            clr_test_node t;
            tn_init(&t, "pad2d");
            tn_input(&t, "X", &x);
            tn_output(&t, "Out", &out);
            tn_attr_str(&t, "mode", modes[m]);
            tn_attr_float(&t, "pad_value", 1.5f);
            tn_attr_str(&t, "data_format", "NCHW");
            memset(&pt, 0, sizeof pt);
            if (p == 2) { /* Paddings tensor beats the attribute */
                mk_ints(&pt, CLR_DTYPE_INT32, 4, pads[p]);
                tn_input(&t, "Paddings", &pt);
                int64_t decoy[4] = {1, 1, 1, 1};
                ints_attr(&t, "paddings", 4, decoy);
            } else {
                ints_attr(&t, "paddings", 4, pads[p]);
            }
            assert_int_equal(tn_run(&t), CLR_OK);
            int64_t od[4] = {2, 3, 4 + pads[p][0] + pads[p][1], 5 + pads[p][2] + pads[p][3]}, c[4];
            assert_dims(&out, CLR_DTYPE_FP32, 4, od);
            for (int64_t i = 0; i < clr_tensor_numel(&out); i++) {
                unravel(i, 4, od, c);
                int64_t ih = pad_src(modes[m], c[2] - pads[p][0], 4), iw = pad_src(modes[m], c[3] - pads[p][2], 5);
                double want = ih < 0 || iw < 0 ? 1.5 : val(&x, ((c[0] * 3 + c[1]) * 4 + ih) * 5 + iw);
                assert_true(val(&out, i) == want);
            }
            release(&pt, 1);
        }
    clr_test_node t;
    tn_init(&t, "pad2d");
    tn_input(&t, "X", &x);
    tn_output(&t, "Out", &out);
    tn_attr_str(&t, "mode", "reflect");
    int32_t big[4] = {4, 0, 0, 0};
    tn_attr_ints(&t, "paddings", 4, big);
    assert_fails_with(&t, CLR_ERR_FORMAT, "reflect padding 4");
    t.attrs[0].v.s = "circular";
    assert_fails_with(&t, CLR_ERR_UNSUPPORTED, "unsupported mode 'circular'");
    release(&x, 1);
    release(&out, 1);
}

/* ---- shape, fill, range ------------------------------------------------- */

static void shape_and_fills(void **state) {
    int64_t dims[3] = {2, 7, 3};
    clr_tensor x, out, st, l0, l1, vt;
    mk(&x, CLR_DTYPE_INT8, 3, dims, 1);
    memset(&out, 0, sizeof out);
    clr_test_node t;
    tn_init(&t, "shape");
    tn_input(&t, "Input", &x);
    tn_output(&t, "Out", &out);
    assert_int_equal(tn_run(&t), CLR_OK);
    int64_t three[1] = {3};
    assert_dims(&out, CLR_DTYPE_INT32, 1, three);
    for (int i = 0; i < 3; i++)
        assert_int_equal(((int32_t *)out.data)[i], dims[i]);

    tn_init(&t, "fill_constant"); /* attribute shape and value, INT64 */
    tn_output(&t, "Out", &out);
    tn_attr_int(&t, "dtype", CLR_DTYPE_INT64);
    tn_attr_float(&t, "value", -7.0f);
    tn_attr_str(&t, "str_value", "99");
    int32_t shp[2] = {3, 5};
    tn_attr_ints(&t, "shape", 2, shp);
    assert_int_equal(tn_run(&t), CLR_OK);
    int64_t want[2] = {3, 5};
    assert_dims(&out, CLR_DTYPE_INT64, 2, want);
    for (int i = 0; i < 15; i++)
        assert_int_equal(((int64_t *)out.data)[i], -7);

    int64_t sv[3] = {2, 1, 4}, a = 6, b = 2, big = 1234567890123ll;
    mk_ints(&st, CLR_DTYPE_INT32, 3, sv);
    mk_ints(&l0, CLR_DTYPE_INT64, 1, &a);
    mk_ints(&l1, CLR_DTYPE_INT32, 1, &b);
    mk_ints(&vt, CLR_DTYPE_INT64, 1, &big);
    tn_input(&t, "ShapeTensorList", &l0); /* list beats the attribute */
    tn_input(&t, "ShapeTensorList", &l1);
    assert_int_equal(tn_run(&t), CLR_OK);
    int64_t want2[2] = {6, 2};
    assert_dims(&out, CLR_DTYPE_INT64, 2, want2);
    tn_input(&t, "ShapeTensor", &st); /* tensor beats the list */
    tn_input(&t, "ValueTensor", &vt); /* and the value tensor beats `value`, exactly */
    assert_int_equal(tn_run(&t), CLR_OK);
    assert_dims(&out, CLR_DTYPE_INT64, 3, sv);
    for (int i = 0; i < 8; i++)
        assert_int_equal(((int64_t *)out.data)[i], big);

    tn_init(&t, "fill_constant"); /* FP32 default dtype, odd element count */
    tn_output(&t, "Out", &out);
    tn_attr_float(&t, "value", 0.25f);
    int32_t odd[2] = {7, 3};
    tn_attr_ints(&t, "shape", 2, odd);
    assert_int_equal(tn_run(&t), CLR_OK);
    for (int i = 0; i < 21; i++)
        assert_true(val(&out, i) == 0.25);
    tn_attr_int(&t, "dtype", CLR_DTYPE_FP16);
    assert_fails_with(&t, CLR_ERR_UNSUPPORTED, "unsupported dtype 4");

    tn_init(&t, "fill_constant_batch_size_like");
    tn_input(&t, "Input", &x);
    tn_output(&t, "Out", &out);
    int32_t bs[3] = {-1, 4, 9};
    tn_attr_ints(&t, "shape", 3, bs);
    tn_attr_int(&t, "input_dim_idx", 1);
    tn_attr_int(&t, "output_dim_idx", 2);
    tn_attr_float(&t, "value", 3.0f);
    tn_attr_int(&t, "dtype", CLR_DTYPE_INT32);
    assert_fails_with(&t, CLR_ERR_FORMAT, "negative dim"); /* -1 stays where no dim is copied */
    t.ints[0][0] = 2;
    assert_int_equal(tn_run(&t), CLR_OK);
    int64_t want3[3] = {2, 4, 7};
    assert_dims(&out, CLR_DTYPE_INT32, 3, want3);
    for (int i = 0; i < 56; i++)
        assert_int_equal(((int32_t *)out.data)[i], 3);
    t.attrs[1].v.i = 0, t.attrs[2].v.i = 0; /* dim 0 of an input with LoD: sequence count */
    uint64_t lod[4] = {0, 1, 1, 2};
    assert_int_equal(clr_tensor_set_lod(&x, 4, lod, NULL), CLR_OK);
    assert_int_equal(tn_run(&t), CLR_OK);
    int64_t want4[3] = {3, 4, 9};
    assert_dims(&out, CLR_DTYPE_INT32, 3, want4);

    tn_init(&t, "fill_zeros_like");
    tn_input(&t, "X", &x);
    tn_output(&t, "Out", &out);
    assert_int_equal(tn_run(&t), CLR_OK);
    assert_dims(&out, CLR_DTYPE_INT8, 3, dims);
    for (int i = 0; i < 42; i++)
        assert_int_equal(((int8_t *)out.data)[i], 0);
    clr_tensor all[6] = {x, out, st, l0, l1, vt};
    release(all, 6);
}

static void range_types(void **state) {
    struct {
        int32_t dtype;
        double s, e, p;
        int64_t n;
    } cases[] = {
        {CLR_DTYPE_INT64, 2, 11, 3, 3},  {CLR_DTYPE_INT32, 10, -3, -4, 4},   {CLR_DTYPE_INT32, 5, 5, 1, 0},
        {CLR_DTYPE_FP32, 0, 1, 0.25, 4}, {CLR_DTYPE_FP32, -1, 1.05, 0.5, 5},
    };
    for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
        clr_tensor s, e, p, out;
        int64_t one = 1;
        mk(&s, cases[c].dtype, 1, &one, 0);
        mk(&e, cases[c].dtype, 1, &one, 0);
        mk(&p, cases[c].dtype, 1, &one, 0);
        put(&s, 0, cases[c].s), put(&e, 0, cases[c].e), put(&p, 0, cases[c].p);
        memset(&out, 0, sizeof out);
        clr_test_node t;
        tn_init(&t, "range");
        tn_input(&t, "Start", &s);
        tn_input(&t, "End", &e);
        tn_input(&t, "Step", &p);
        tn_output(&t, "Out", &out);
        assert_int_equal(tn_run(&t), CLR_OK);
        assert_dims(&out, cases[c].dtype, 1, &cases[c].n);
        for (int64_t i = 0; i < cases[c].n; i++)
            assert_true(val(&out, i) == cases[c].s + (double)i * cases[c].p);
        if (c == 0) {
            put(&p, 0, -1);
            assert_fails_with(&t, CLR_ERR_FORMAT, "empty or endless");
        }
        clr_tensor all[4] = {s, e, p, out};
        release(all, 4);
    }
}

/* ---- cast, arg_max, copies ---------------------------------------------- */

static void cast_conversions(void **state) {
    int64_t four = 6;
    clr_tensor x, out;
    memset(&out, 0, sizeof out);
    mk(&x, CLR_DTYPE_FP32, 1, &four, 0);
    float fv[6] = {-2.7f, -0.5f, 0.0f, 0.9f, 3.99f, 300.2f};
    memcpy(x.data, fv, sizeof fv);
    struct {
        int32_t to;
        double want[6];
    } cases[] = {
        {CLR_DTYPE_INT32, {-2, 0, 0, 0, 3, 300}}, /* truncation toward zero */
        {CLR_DTYPE_INT64, {-2, 0, 0, 0, 3, 300}},
        {CLR_DTYPE_BOOL, {1, 1, 0, 1, 1, 1}},
        {CLR_DTYPE_INT8, {-2, 0, 0, 0, 3, 127}}, /* saturates instead of wrapping */
    };
    for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
        clr_test_node t;
        tn_init(&t, "cast");
        tn_input(&t, "X", &x);
        tn_output(&t, "Out", &out);
        tn_attr_int(&t, "in_dtype", CLR_DTYPE_FP32);
        tn_attr_int(&t, "out_dtype", cases[c].to);
        assert_int_equal(tn_run(&t), CLR_OK);
        assert_dims(&out, cases[c].to, 1, &four);
        for (int i = 0; i < 6; i++)
            assert_true(val(&out, i) == cases[c].want[i]);
    }
    clr_tensor_release(&x); /* INT64 → INT32 and → FP32, UINT8 → FP32 */
    mk(&x, CLR_DTYPE_INT64, 1, &four, 0);
    int64_t iv[6] = {-5, 0, 7, 100000, -100000, 16777217};
    memcpy(x.data, iv, sizeof iv);
    for (int to = 0; to < 2; to++) {
        clr_test_node t;
        tn_init(&t, "cast");
        tn_input(&t, "X", &x);
        tn_output(&t, "Out", &out);
        tn_attr_int(&t, "out_dtype", to ? CLR_DTYPE_FP32 : CLR_DTYPE_INT32);
        assert_int_equal(tn_run(&t), CLR_OK);
        for (int i = 0; i < 6; i++)
            assert_true(val(&out, i) == (to ? (double)(float)iv[i] : (double)iv[i]));
    }
    clr_tensor_release(&x);
    mk(&x, CLR_DTYPE_UINT8, 1, &four, 0);
    for (int i = 0; i < 6; i++)
        ((uint8_t *)x.data)[i] = (uint8_t)(i * 50);
    clr_test_node t;
    tn_init(&t, "cast");
    tn_input(&t, "X", &x);
    tn_output(&t, "Out", &out);
    tn_attr_int(&t, "out_dtype", CLR_DTYPE_FP32);
    assert_int_equal(tn_run(&t), CLR_OK);
    for (int i = 0; i < 6; i++)
        assert_true(val(&out, i) == i * 50.0);
    t.attrs[0].v.i = CLR_DTYPE_FP16;
    assert_fails_with(&t, CLR_ERR_UNSUPPORTED, "unsupported out_dtype 4");
    release(&x, 1);
    release(&out, 1);
}

static void arg_max_axes_and_ties(void **state) {
    int64_t dims[3] = {3, 7, 5};
    clr_tensor x, out;
    mk(&x, CLR_DTYPE_FP32, 3, dims, 50);
    /* Round values so ties occur; ARM picks the last of equal maxima. */
    for (int64_t i = 0; i < clr_tensor_numel(&x); i++)
        ((float *)x.data)[i] = (float)(int)(val(&x, i) / 4);
    memset(&out, 0, sizeof out);
    for (int32_t axis = -3; axis < 3; axis++)
        for (int keep = 0; keep < 2; keep++)
            for (int dt = 0; dt < 2; dt++) {
                int32_t a = axis < 0 ? axis + 3 : axis;
                clr_test_node t;
                tn_init(&t, "arg_max");
                tn_input(&t, "X", &x);
                tn_output(&t, "Out", &out);
                tn_attr_long(&t, "axis", axis);
                tn_attr_bool(&t, "keepdims", keep);
                tn_attr_bool(&t, "flatten", false);
                tn_attr_int(&t, "dtype", dt ? CLR_DTYPE_INT32 : -1);
                assert_int_equal(tn_run(&t), CLR_OK);
                int64_t od[3], c[3];
                int32_t k = 0;
                for (int d = 0; d < 3; d++)
                    if (d != a)
                        od[k++] = dims[d];
                    else if (keep)
                        od[k++] = 1;
                assert_dims(&out, dt ? CLR_DTYPE_INT32 : CLR_DTYPE_INT64, k, od);
                int64_t rd[3] = {dims[0], dims[1], dims[2]};
                rd[a] = 1;
                for (int64_t i = 0; i < clr_tensor_numel(&out); i++) {
                    unravel(i, 3, rd, c);
                    int64_t best = 0;
                    double bv = -1e30;
                    for (c[a] = 0; c[a] < dims[a]; c[a]++)
                        if (val(&x, ravel(3, dims, c)) >= bv) bv = val(&x, ravel(3, dims, c)), best = c[a];
                    assert_int_equal((int64_t)val(&out, i), best);
                }
            }
    clr_test_node t;
    tn_init(&t, "arg_max");
    tn_input(&t, "X", &x);
    tn_output(&t, "Out", &out);
    tn_attr_bool(&t, "flatten", true);
    assert_int_equal(tn_run(&t), CLR_OK);
    int64_t one[1] = {1}, best = 0;
    assert_dims(&out, CLR_DTYPE_INT64, 1, one);
    for (int64_t i = 1; i < clr_tensor_numel(&x); i++)
        if (val(&x, i) >= val(&x, best)) best = i;
    assert_int_equal(((int64_t *)out.data)[0], best);
    tn_init(&t, "arg_max");
    tn_input(&t, "X", &x);
    tn_output(&t, "Out", &out);
    tn_attr_long(&t, "axis", 3);
    assert_fails_with(&t, CLR_ERR_FORMAT, "axis 3 is out of range for 3 dims");
    t.attrs[0].v.l = 0;
    tn_attr_int(&t, "dtype", CLR_DTYPE_FP32);
    assert_fails_with(&t, CLR_ERR_UNSUPPORTED, "dtype 5");
    release(&x, 1);
    release(&out, 1);
}

static void copies_keep_values_types_and_lod(void **state) {
    int64_t dims[2] = {3, 4};
    const char *ops[] = {"assign", "io_copy", "io_copy_once", "layout", "layout_once", "dropout"};
    uint64_t lod[3] = {0, 1, 3};
    for (size_t o = 0; o < sizeof ops / sizeof *ops; o++)
        for (size_t k = 0; k < sizeof all_types / sizeof *all_types; k++) {
            clr_tensor x, out;
            mk(&x, all_types[k], 2, dims, k + 60);
            assert_int_equal(clr_tensor_set_lod(&x, 3, lod, NULL), CLR_OK);
            memset(&out, 0, sizeof out);
            clr_test_node t;
            tn_init(&t, ops[o]);
            bool io = o >= 1 && o <= 4;
            tn_input(&t, io ? "Input" : "X", &x);
            tn_output(&t, "Out", &out);
            if (o == 5) {
                tn_attr_float(&t, "dropout_prob", 0.3f);
                tn_attr_bool(&t, "is_test", true);
                tn_attr_str(&t, "dropout_implementation", "upscale_in_train");
            }
            assert_int_equal(tn_run(&t), CLR_OK);
            assert_dims(&out, all_types[k], 2, dims);
            assert_same_values(&out, &x);
            assert_int_equal(out.nlod, 3);
            release(&x, 1);
            release(&out, 1);
        }
    clr_tensor x, out;
    mk(&x, CLR_DTYPE_FP32, 2, dims, 70);
    memset(&out, 0, sizeof out);
    clr_test_node t;
    tn_init(&t, "dropout");
    tn_input(&t, "X", &x);
    tn_output(&t, "Out", &out);
    tn_attr_float(&t, "dropout_prob", 0.3f);
    tn_attr_int(&t, "is_test", 1);
    tn_attr_str(&t, "dropout_implementation", "downgrade_in_infer");
    assert_int_equal(tn_run(&t), CLR_OK);
    for (int i = 0; i < 12; i++)
        assert_true(val(&out, i) == (double)(((float *)x.data)[i] * (1.0f - 0.3f)));
    tn_init(&t, "io_copy");
    tn_output(&t, "Out", &out);
    assert_fails_with(&t, CLR_ERR_FORMAT, "input 'Input' is missing");
    release(&x, 1);
    release(&out, 1);
}

/* Allocation failures become CLR_ERR_NOMEM with a message, nothing leaked. */
static void allocation_failures_are_reported(void **state) {
    int64_t dims[3] = {4, 5, 6};
    clr_tensor x, out;
    mk(&x, CLR_DTYPE_FP32, 3, dims, 80);
    const char *ops[] = {"transpose", "reshape", "concat", "fill_constant"};
    for (size_t o = 0; o < sizeof ops / sizeof *ops; o++) {
        memset(&out, 0, sizeof out);
        clr_test_node t;
        tn_init(&t, ops[o]);
        if (o != 3) tn_input(&t, "X", &x);
        tn_output(&t, "Out", &out);
        int32_t perm[3] = {2, 0, 1}, shape[2] = {-1, 6};
        if (o == 0) tn_attr_ints(&t, "axis", 3, perm);
        if (o == 1 || o == 3) tn_attr_ints(&t, "shape", o == 3 ? 1 : 2, shape + (o == 3));
        clr_alloc_fail_after(0);
        clr_status st = tn_run(&t);
        clr_alloc_fail_after(-1);
        assert_int_equal(st, CLR_ERR_NOMEM);
        assert_non_null(strstr(t.err.msg, ops[o]));
        release(&out, 1);
    }
    release(&x, 1);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(reshape_attr_zero_and_infer),
        cmocka_unit_test(reshape_tensor_sources_take_priority),
        cmocka_unit_test(reshape_errors),
        cmocka_unit_test(flatten_variants),
        cmocka_unit_test(squeeze_variants),
        cmocka_unit_test(unsqueeze_variants),
        cmocka_unit_test(transpose_matches_index_rule),
        cmocka_unit_test(transpose_errors),
        cmocka_unit_test(shuffle_channel_matches_rule),
        cmocka_unit_test(concat_mixed_sizes),
        cmocka_unit_test(concat_errors),
        cmocka_unit_test(split_variants),
        cmocka_unit_test(split_errors),
        cmocka_unit_test(stack_axes),
        cmocka_unit_test(slice_random_windows),
        cmocka_unit_test(slice_decrease_axis),
        cmocka_unit_test(expand_v2_broadcasts),
        cmocka_unit_test(expand_tiles),
        cmocka_unit_test(gather_axes_and_index_types),
        cmocka_unit_test(pad2d_modes),
        cmocka_unit_test(shape_and_fills),
        cmocka_unit_test(range_types),
        cmocka_unit_test(cast_conversions),
        cmocka_unit_test(arg_max_axes_and_ties),
        cmocka_unit_test(copies_keep_values_types_and_lod),
        cmocka_unit_test(allocation_failures_are_reported),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
