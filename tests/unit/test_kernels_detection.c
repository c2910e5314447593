/* Unit tests for the detection host kernels (prior boxes, box_coder, NMS,
 * yolo_box, rnn). Each kernel is checked against a straightforward
 * computation written here from the documented formulas, or against cases
 * whose answer follows from the geometry, plus error paths. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/alloc.h"
#include "test_node.h"

static void t_f32(clr_tensor *x, int32_t nd, int64_t d0, int64_t d1, int64_t d2, int64_t d3) {
    int64_t d[4] = {d0, d1, d2, d3};
    tn_tensor_f32(x, nd, d);
}

static float *F(const clr_tensor *t) { return t->data; }

static void assert_close(double a, double b, double tol) {
    if (fabs(a - b) > tol * fmax(1.0, fabs(b))) fail_msg("got %.9g, expected %.9g", a, b);
}

static void assert_dims(const clr_tensor *t, int32_t nd, int64_t d0, int64_t d1, int64_t d2, int64_t d3) {
    int64_t d[4] = {d0, d1, d2, d3};
    assert_int_equal(t->ndims, nd);
    for (int32_t i = 0; i < nd; i++) assert_int_equal(t->dims[i], d[i]);
}

/* ---------------------------------------------------------------- prior_box */

/* Expected box of prior_box: centre ((x+0.5)*step), size w x h, normalised. */
static void ref_box(double *o, double cx, double cy, double w, double h, double iw, double ih) {
    o[0] = (cx - w / 2) / iw;
    o[1] = (cy - h / 2) / ih;
    o[2] = (cx + w / 2) / iw;
    o[3] = (cy + h / 2) / ih;
}

static void run_prior_box(bool mm_order, bool clip) {
    clr_test_node t;
    clr_tensor in, img, boxes = {0}, vars = {0};
    t_f32(&in, 4, 1, 2, 3, 5);
    t_f32(&img, 4, 1, 3, 30, 50); /* steps 10 x 10 */
    tn_init(&t, "prior_box");
    tn_input(&t, "Input", &in);
    tn_input(&t, "Image", &img);
    tn_output(&t, "Boxes", &boxes);
    tn_output(&t, "Variances", &vars);
    float mins[2] = {8.9f, 20.0f}, maxs[2] = {16.0f, 30.0f}, ars[2] = {2.0f, 1.0f}, var[4] = {0.1f, 0.1f, 0.2f, 0.2f};
    tn_attr_floats(&t, "min_sizes", 2, mins);
    tn_attr_floats(&t, "max_sizes", 2, maxs);
    tn_attr_floats(&t, "aspect_ratios", 2, ars);
    tn_attr_floats(&t, "variances", 4, var);
    tn_attr_bool(&t, "flip", true);
    tn_attr_bool(&t, "clip", clip);
    tn_attr_float(&t, "offset", 0.5f);
    tn_attr_bool(&t, "min_max_aspect_ratios_order", mm_order);
    assert_int_equal(tn_run(&t), CLR_OK);
    /* expanded ratios {1, 2, 1/2}: 3 per min size + 1 max box each = 8 */
    assert_dims(&boxes, 4, 3, 5, 8, 4);
    assert_dims(&vars, 4, 3, 5, 8, 4);
    for (int y = 0; y < 3; y++) {
        for (int x = 0; x < 5; x++) {
            double cx = (x + 0.5) * 10, cy = (y + 0.5) * 10, exp[8][4];
            int k = 0;
            for (int s = 0; s < 2; s++) {
                double mn = s == 0 ? 8 : 20; /* Paddle-Lite truncates sizes to int */
                double mx = sqrt(mn * maxs[s]);
                ref_box(exp[k++], cx, cy, mn, mn, 50, 30);
                if (mm_order) ref_box(exp[k++], cx, cy, mx, mx, 50, 30);
                ref_box(exp[k++], cx, cy, mn * sqrt(2.0), mn / sqrt(2.0), 50, 30);
                ref_box(exp[k++], cx, cy, mn * sqrt(0.5), mn / sqrt(0.5), 50, 30);
                if (!mm_order) ref_box(exp[k++], cx, cy, mx, mx, 50, 30);
            }
            for (int p = 0; p < 8; p++) {
                for (int j = 0; j < 4; j++) {
                    double e = exp[p][j];
                    if (clip) e = fmin(fmax(e, 0), 1);
                    int64_t at = (((int64_t)y * 5 + x) * 8 + p) * 4 + j;
                    assert_close(F(&boxes)[at], e, 1e-5);
                    assert_close(F(&vars)[at], var[j], 0);
                }
            }
        }
    }
    clr_tensor_release(&in);
    clr_tensor_release(&img);
    clr_tensor_release(&boxes);
    clr_tensor_release(&vars);
}

static void prior_box_matches_formula(void **state) {
    (void)state;
    run_prior_box(false, false);
    run_prior_box(true, true);
}

static void density_prior_box_matches_formula(void **state) {
    (void)state;
    for (int flatten = 0; flatten < 2; flatten++) {
        clr_test_node t;
        clr_tensor in, img, boxes = {0}, vars = {0};
        t_f32(&in, 4, 1, 1, 3, 4);
        t_f32(&img, 4, 1, 3, 24, 32); /* step 8 from the image */
        tn_init(&t, "density_prior_box");
        tn_input(&t, "Input", &in);
        tn_input(&t, "Image", &img);
        tn_output(&t, "Boxes", &boxes);
        tn_output(&t, "Variances", &vars);
        float fs[2] = {8, 16}, fr[2] = {1, 4}, var[4] = {0.1f, 0.1f, 0.2f, 0.2f};
        int32_t dens[2] = {2, 1};
        tn_attr_floats(&t, "fixed_sizes", 2, fs);
        tn_attr_floats(&t, "fixed_ratios", 2, fr);
        tn_attr_ints(&t, "densities", 2, dens);
        tn_attr_floats(&t, "variances", 4, var);
        tn_attr_bool(&t, "clip", false);
        tn_attr_float(&t, "offset", 0.5f);
        tn_attr_float(&t, "step_w", 0);
        tn_attr_float(&t, "step_h", 0);
        tn_attr_bool(&t, "flatten_to_2d", flatten);
        assert_int_equal(tn_run(&t), CLR_OK);
        /* per cell: 2 ratios x (2*2 + 1*1) = 10 priors */
        if (flatten) assert_dims(&boxes, 2, 3 * 4 * 10, 4, 0, 0);
        else assert_dims(&boxes, 4, 3, 4, 10, 4);
        int64_t at = 0;
        for (int y = 0; y < 3; y++) {
            for (int x = 0; x < 4; x++) {
                double cx = (x + 0.5) * 8, cy = (y + 0.5) * 8;
                for (int s = 0; s < 2; s++) {
                    int d = dens[s], shift = 8 / d;
                    for (int r = 0; r < 2; r++) {
                        double bw = fs[s] * sqrt(fr[r]), bh = fs[s] / sqrt(fr[r]);
                        for (int p = 0; p < d; p++) {
                            for (int q = 0; q < d; q++) {
                                double e[4];
                                ref_box(e, cx - 4 + shift / 2.0 + q * shift, cy - 4 + shift / 2.0 + p * shift, bw, bh, 32, 24);
                                for (int j = 0; j < 4; j++) {
                                    double v = j < 2 ? fmax(e[j], 0) : fmin(e[j], 1); /* per-side clamp */
                                    assert_close(F(&boxes)[at], v, 1e-5);
                                    assert_close(F(&vars)[at], var[j], 0);
                                    at++;
                                }
                            }
                        }
                    }
                }
            }
        }
        assert_int_equal(at, clr_tensor_numel(&boxes));
        clr_tensor_release(&in);
        clr_tensor_release(&img);
        clr_tensor_release(&boxes);
        clr_tensor_release(&vars);
    }
}

static void prior_box_errors(void **state) {
    (void)state;
    clr_test_node t;
    clr_tensor in, img, boxes = {0}, vars = {0};
    t_f32(&in, 3, 2, 3, 5, 0);
    t_f32(&img, 4, 1, 3, 30, 50);
    tn_init(&t, "prior_box");
    tn_input(&t, "Input", &in);
    tn_input(&t, "Image", &img);
    tn_output(&t, "Boxes", &boxes);
    tn_output(&t, "Variances", &vars);
    assert_int_equal(tn_run(&t), CLR_ERR_FORMAT);
    assert_non_null(strstr(t.err.msg, "'Input' has 3 dims"));
    clr_tensor_release(&in);

    t_f32(&in, 4, 1, 2, 3, 5);
    tn_init(&t, "density_prior_box");
    tn_input(&t, "Input", &in);
    tn_input(&t, "Image", &img);
    tn_output(&t, "Boxes", &boxes);
    tn_output(&t, "Variances", &vars);
    float fs[1] = {8}, fr[1] = {1}, var[4] = {1, 1, 1, 1};
    tn_attr_floats(&t, "fixed_sizes", 1, fs);
    tn_attr_floats(&t, "fixed_ratios", 1, fr);
    tn_attr_floats(&t, "variances", 4, var);
    assert_int_equal(tn_run(&t), CLR_ERR_FORMAT); /* no densities */
    assert_non_null(strstr(t.err.msg, "densities"));
    clr_tensor_release(&in);
    clr_tensor_release(&img);
}

/* ---------------------------------------------------------------- box_coder */

static clr_status run_box_coder(const char *code, bool normalized, int axis, clr_tensor *prior, clr_tensor *pvar,
                                const float *var_attr, clr_tensor *target, clr_tensor *out, clr_test_node *t) {
    tn_init(t, "box_coder");
    tn_input(t, "PriorBox", prior);
    if (pvar) tn_input(t, "PriorBoxVar", pvar);
    tn_input(t, "TargetBox", target);
    tn_output(t, "OutputBox", out);
    tn_attr_str(t, "code_type", code);
    tn_attr_bool(t, "box_normalized", normalized);
    tn_attr_int(t, "axis", axis);
    static const float none[1] = {0};
    tn_attr_floats(t, "variance", var_attr ? 4 : 0, var_attr ? var_attr : none); /* Paddle stores [] when unset */
    return tn_run(t);
}

/* Random valid boxes: x1 < x2, y1 < y2. */
static void fill_boxes(clr_tensor *b, unsigned long long seed) {
    tn_fill_uniform(b, seed, 0.0f, 1.0f);
    float *p = b->data;
    for (int64_t i = 0; i < clr_tensor_numel(b) / 4; i++) {
        p[4 * i + 2] = p[4 * i] + 0.05f + p[4 * i + 2];
        p[4 * i + 3] = p[4 * i + 1] + 0.05f + p[4 * i + 3];
    }
}

static void box_coder_decode_matches_formula(void **state) {
    (void)state;
    const int64_t n = 3, m = 7;
    for (int axis = 0; axis < 2; axis++) {
        for (int normalized = 0; normalized < 2; normalized++) {
            clr_test_node t;
            clr_tensor prior, pvar, target, out = {0};
            t_f32(&prior, 2, m, 4, 0, 0);
            t_f32(&pvar, 2, m, 4, 0, 0);
            if (axis == 0) t_f32(&target, 3, n, m, 4, 0);
            else t_f32(&target, 3, m, n, 4, 0);
            fill_boxes(&prior, 1);
            tn_fill_uniform(&pvar, 2, 0.1f, 0.3f);
            tn_fill_uniform(&target, 3, -1.0f, 1.0f);
            assert_int_equal(run_box_coder("decode_center_size", normalized, axis, &prior, &pvar, NULL, &target, &out, &t), CLR_OK);
            assert_dims(&out, 3, target.dims[0], target.dims[1], 4, 0);
            double nv = normalized ? 0 : 1;
            for (int64_t i = 0; i < target.dims[0]; i++) {
                for (int64_t j = 0; j < target.dims[1]; j++) {
                    int64_t k = axis == 0 ? j : i;
                    const float *p = F(&prior) + k * 4, *v = F(&pvar) + k * 4, *d = F(&target) + (i * target.dims[1] + j) * 4;
                    double pw = p[2] - p[0] + nv, ph = p[3] - p[1] + nv;
                    double pcx = p[0] + pw / 2, pcy = p[1] + ph / 2;
                    double cx = v[0] * d[0] * pw + pcx, cy = v[1] * d[1] * ph + pcy;
                    double w = exp(v[2] * d[2]) * pw, h = exp(v[3] * d[3]) * ph;
                    const float *o = F(&out) + (i * target.dims[1] + j) * 4;
                    assert_close(o[0], cx - w / 2, 1e-5);
                    assert_close(o[1], cy - h / 2, 1e-5);
                    assert_close(o[2], cx + w / 2 - nv, 1e-5);
                    assert_close(o[3], cy + h / 2 - nv, 1e-5);
                }
            }
            clr_tensor_release(&prior);
            clr_tensor_release(&pvar);
            clr_tensor_release(&target);
            clr_tensor_release(&out);
        }
    }
}

/* Encoding then decoding with the same priors and variances gives back the
 * boxes (normalized) or the boxes shifted by -1/2 (pixel boxes); also checks
 * the encode formula directly. */
static void box_coder_encode_decode_roundtrip(void **state) {
    (void)state;
    for (int normalized = 0; normalized < 2; normalized++) {
        clr_test_node t;
        clr_tensor prior, target, code = {0}, back = {0};
        t_f32(&prior, 2, 5, 4, 0, 0);
        t_f32(&target, 2, 3, 4, 0, 0);
        fill_boxes(&prior, 11);
        fill_boxes(&target, 12);
        float var[4] = {0.1f, 0.2f, 0.3f, 0.4f};
        assert_int_equal(run_box_coder("encode_center_size", normalized, 0, &prior, NULL, var, &target, &code, &t), CLR_OK);
        assert_dims(&code, 3, 3, 5, 4, 0);
        double nv = normalized ? 0 : 1;
        const float *p = F(&prior), *g = F(&target);
        double pw = p[2] - p[0] + nv, tw = g[2] - g[0] + nv;
        assert_close(F(&code)[0], ((g[0] + g[2]) / 2 - (p[0] + pw / 2)) / pw / 0.1, 1e-4);
        assert_close(F(&code)[2], log(tw / pw) / 0.3, 1e-4);
        assert_int_equal(run_box_coder("decode_center_size", normalized, 0, &prior, NULL, var, &code, &back, &t), CLR_OK);
        for (int64_t i = 0; i < 3; i++)
            for (int64_t j = 0; j < 5; j++)
                for (int q = 0; q < 4; q++) /* Paddle encodes pixel boxes' centre as (x1+x2)/2 but decodes
                                              * with the +1 width, so they come back shifted by -1/2 */
                    assert_close(F(&back)[(i * 5 + j) * 4 + q], g[i * 4 + q] - nv / 2, 1e-4);
        clr_tensor_release(&prior);
        clr_tensor_release(&target);
        clr_tensor_release(&code);
        clr_tensor_release(&back);
    }
}

static void box_coder_errors(void **state) {
    (void)state;
    clr_test_node t;
    clr_tensor prior, target, out = {0};
    t_f32(&prior, 2, 5, 4, 0, 0);
    t_f32(&target, 3, 2, 6, 4, 0);
    assert_int_equal(run_box_coder("decode_center_size", true, 0, &prior, NULL, NULL, &target, &out, &t), CLR_ERR_FORMAT);
    assert_non_null(strstr(t.err.msg, "PriorBox has 5 rows"));
    assert_int_equal(run_box_coder("corner", true, 0, &prior, NULL, NULL, &target, &out, &t), CLR_ERR_UNSUPPORTED);
    assert_non_null(strstr(t.err.msg, "'corner'"));
    clr_tensor_release(&prior);
    clr_tensor_release(&target);
    clr_tensor_release(&out);
}

/* ---------------------------------------------------------------------- NMS */

static void set_box(float *b, float x1, float y1, float x2, float y2) {
    b[0] = x1, b[1] = y1, b[2] = x2, b[3] = y2;
}

static void nms_attrs(clr_test_node *t, float score_thr, int top_k, float nms_thr, int keep, bool normalized) {
    tn_attr_int(t, "background_label", 0);
    tn_attr_float(t, "score_threshold", score_thr);
    tn_attr_int(t, "nms_top_k", top_k);
    tn_attr_float(t, "nms_threshold", nms_thr);
    tn_attr_float(t, "nms_eta", 1.0f);
    tn_attr_int(t, "keep_top_k", keep);
    tn_attr_bool(t, "normalized", normalized);
}

/* Image 0, M = 4 boxes: A (0,0,10,10), B (1,1,11,11) overlapping A heavily,
 * C (20,20,30,30) apart, D (0,0,10,10) = A. Class 1 scores A .9, B .8,
 * C .7, D .05 (below threshold); class 2 scores only B .95. Image 1 has all
 * scores below the threshold. */
static void make_nms_case(clr_tensor *scores, clr_tensor *boxes) {
    t_f32(scores, 3, 2, 3, 4, 0);
    t_f32(boxes, 3, 2, 4, 4, 0);
    memset(scores->data, 0, clr_tensor_nbytes(scores));
    float *b = boxes->data, *s = scores->data;
    set_box(b + 0, 0, 0, 10, 10);
    set_box(b + 4, 1, 1, 11, 11);
    set_box(b + 8, 20, 20, 30, 30);
    set_box(b + 12, 0, 0, 10, 10);
    memcpy(b + 16, b, 16 * sizeof(float));
    s[0 * 4 + 0] = 0.99f; /* background class: ignored */
    s[1 * 4 + 0] = 0.9f, s[1 * 4 + 1] = 0.8f, s[1 * 4 + 2] = 0.7f, s[1 * 4 + 3] = 0.05f;
    s[2 * 4 + 1] = 0.95f;
}

static void check_row(const float *row, float label, float score, const float *box) {
    assert_close(row[0], label, 0);
    assert_close(row[1], score, 0);
    for (int i = 0; i < 4; i++) assert_close(row[2 + i], box[i], 0);
}

static void nms_keeps_geometric_answer(void **state) {
    (void)state;
    clr_test_node t;
    clr_tensor scores, boxes, out = {0}, index = {0};
    make_nms_case(&scores, &boxes);
    tn_init(&t, "multiclass_nms2");
    tn_input(&t, "BBoxes", &boxes);
    tn_input(&t, "Scores", &scores);
    tn_output(&t, "Out", &out);
    tn_output(&t, "Index", &index);
    nms_attrs(&t, 0.1f, -1, 0.5f, -1, false);
    assert_int_equal(tn_run(&t), CLR_OK);
    /* class 1: A kept, B suppressed (IoU 121/(2*121-100) with pixel +1 ≈ .70),
     * C kept; class 2: B. Labels ascending, scores descending within. */
    assert_dims(&out, 2, 3, 6, 0, 0);
    const float *b = boxes.data;
    check_row(F(&out) + 0, 1, 0.9f, b + 0);
    check_row(F(&out) + 6, 1, 0.7f, b + 8);
    check_row(F(&out) + 12, 2, 0.95f, b + 4);
    assert_int_equal(index.dtype, CLR_DTYPE_INT32);
    assert_dims(&index, 2, 3, 1, 0, 0);
    const int32_t *ix = index.data;
    assert_int_equal(ix[0], 0);
    assert_int_equal(ix[1], 2);
    assert_int_equal(ix[2], 1);
    assert_int_equal(out.nlod, 3); /* image 1 kept nothing */
    assert_int_equal(out.lod[0], 0);
    assert_int_equal(out.lod[1], 3);
    assert_int_equal(out.lod[2], 3);

    /* keep_top_k 2: the two best of the image (.95 label 2, .9 label 1),
     * still grouped by label. */
    tn_init(&t, "multiclass_nms2");
    tn_input(&t, "BBoxes", &boxes);
    tn_input(&t, "Scores", &scores);
    tn_output(&t, "Out", &out);
    tn_output(&t, "Index", &index);
    nms_attrs(&t, 0.1f, -1, 0.5f, 2, false);
    assert_int_equal(tn_run(&t), CLR_OK);
    assert_dims(&out, 2, 2, 6, 0, 0);
    check_row(F(&out) + 0, 1, 0.9f, b + 0);
    check_row(F(&out) + 6, 2, 0.95f, b + 4);

    /* nms_top_k 1: only A competes in class 1. */
    tn_init(&t, "multiclass_nms");
    tn_input(&t, "BBoxes", &boxes);
    tn_input(&t, "Scores", &scores);
    tn_output(&t, "Out", &out);
    nms_attrs(&t, 0.1f, 1, 0.5f, -1, false);
    assert_int_equal(tn_run(&t), CLR_OK);
    assert_dims(&out, 2, 2, 6, 0, 0);
    check_row(F(&out) + 0, 1, 0.9f, b + 0);
    check_row(F(&out) + 6, 2, 0.95f, b + 4);
    clr_tensor_release(&scores);
    clr_tensor_release(&boxes);
    clr_tensor_release(&out);
    clr_tensor_release(&index);
}

/* Boxes (0,0,9,9) and (0,5,9,14): as pixel boxes IoU = 50/150 = .33, as
 * normalized boxes 36/126 = .29; with threshold .3 the second survives only
 * when normalized. */
static void nms_pixel_offset(void **state) {
    (void)state;
    for (int normalized = 0; normalized < 2; normalized++) {
        clr_test_node t;
        clr_tensor scores, boxes, out = {0};
        t_f32(&scores, 3, 1, 2, 2, 0);
        t_f32(&boxes, 3, 1, 2, 4, 0);
        set_box(F(&boxes), 0, 0, 9, 9);
        set_box(F(&boxes) + 4, 0, 5, 9, 14);
        float s[4] = {0, 0, 0.9f, 0.8f};
        memcpy(scores.data, s, sizeof s);
        tn_init(&t, "multiclass_nms");
        tn_input(&t, "BBoxes", &boxes);
        tn_input(&t, "Scores", &scores);
        tn_output(&t, "Out", &out);
        nms_attrs(&t, 0.0f, -1, 0.3f, -1, normalized);
        assert_int_equal(tn_run(&t), CLR_OK);
        assert_int_equal(out.dims[0], normalized ? 2 : 1);
        clr_tensor_release(&scores);
        clr_tensor_release(&boxes);
        clr_tensor_release(&out);
    }
}

static void nms_empty_results(void **state) {
    (void)state;
    clr_test_node t;
    clr_tensor scores, boxes, out = {0}, index = {0}, rois = {0};
    make_nms_case(&scores, &boxes);
    tn_init(&t, "multiclass_nms");
    tn_input(&t, "BBoxes", &boxes);
    tn_input(&t, "Scores", &scores);
    tn_output(&t, "Out", &out);
    nms_attrs(&t, 0.999f, -1, 0.5f, -1, true);
    assert_int_equal(tn_run(&t), CLR_OK);
    assert_dims(&out, 2, 1, 1, 0, 0);
    assert_close(F(&out)[0], -1, 0);
    assert_int_equal(out.nlod, 2);
    assert_int_equal(out.lod[1], 1);

    tn_init(&t, "multiclass_nms3");
    tn_input(&t, "BBoxes", &boxes);
    tn_input(&t, "Scores", &scores);
    tn_output(&t, "Out", &out);
    tn_output(&t, "Index", &index);
    tn_output(&t, "NmsRoisNum", &rois);
    nms_attrs(&t, 0.999f, -1, 0.5f, -1, true);
    assert_int_equal(tn_run(&t), CLR_OK);
    assert_dims(&out, 2, 0, 6, 0, 0);
    assert_dims(&index, 2, 0, 1, 0, 0);
    assert_dims(&rois, 1, 2, 0, 0, 0);
    assert_int_equal(((int32_t *)rois.data)[0], 0);
    assert_int_equal(((int32_t *)rois.data)[1], 0);
    clr_tensor_release(&scores);
    clr_tensor_release(&boxes);
    clr_tensor_release(&out);
    clr_tensor_release(&index);
    clr_tensor_release(&rois);
}

/* 2-D layout: Scores [M, C], BBoxes [M, C, 4] per class, images by RoisNum.
 * Image 0 rows 0-2, image 1 row 3. Within a label the rows come in box
 * order, not score order. */
static void nms_two_d_layout(void **state) {
    (void)state;
    clr_test_node t;
    clr_tensor scores, boxes, out = {0}, index = {0}, rois_in = {0}, rois = {0};
    t_f32(&scores, 2, 4, 2, 0, 0);
    t_f32(&boxes, 3, 4, 2, 4, 0);
    memset(scores.data, 0, clr_tensor_nbytes(&scores));
    float *b = boxes.data, *s = scores.data;
    for (int j = 0; j < 4; j++) set_box(b + (j * 2 + 1) * 4, 20.0f * j, 0, 20.0f * j + 10, 10); /* disjoint */
    s[0 * 2 + 1] = 0.5f, s[1 * 2 + 1] = 0.9f, s[2 * 2 + 1] = 0.7f, s[3 * 2 + 1] = 0.6f;
    int64_t d1[1] = {2};
    clr_tensor_resize(&rois_in, CLR_DTYPE_INT32, 1, d1, NULL);
    ((int32_t *)rois_in.data)[0] = 3, ((int32_t *)rois_in.data)[1] = 1;
    tn_init(&t, "multiclass_nms3");
    tn_input(&t, "BBoxes", &boxes);
    tn_input(&t, "Scores", &scores);
    tn_input(&t, "RoisNum", &rois_in);
    tn_output(&t, "Out", &out);
    tn_output(&t, "Index", &index);
    tn_output(&t, "NmsRoisNum", &rois);
    nms_attrs(&t, 0.1f, -1, 0.5f, -1, false);
    assert_int_equal(tn_run(&t), CLR_OK);
    assert_dims(&out, 2, 4, 6, 0, 0);
    check_row(F(&out) + 0, 1, 0.5f, b + 1 * 4);
    check_row(F(&out) + 6, 1, 0.9f, b + 3 * 4);
    check_row(F(&out) + 12, 1, 0.7f, b + 5 * 4);
    check_row(F(&out) + 18, 1, 0.6f, b + 7 * 4);
    const int32_t *ix = index.data;
    for (int j = 0; j < 4; j++) assert_int_equal(ix[j], j * 2 + 1); /* row * C + label */
    assert_int_equal(((int32_t *)rois.data)[0], 3);
    assert_int_equal(((int32_t *)rois.data)[1], 1);
    clr_tensor_release(&scores);
    clr_tensor_release(&boxes);
    clr_tensor_release(&out);
    clr_tensor_release(&index);
    clr_tensor_release(&rois_in);
    clr_tensor_release(&rois);
}

static void nms_errors_and_alloc_failures(void **state) {
    (void)state;
    clr_test_node t;
    clr_tensor scores, boxes, out = {0}, index = {0};
    make_nms_case(&scores, &boxes);
    tn_init(&t, "multiclass_nms");
    tn_input(&t, "BBoxes", &boxes);
    tn_output(&t, "Out", &out);
    assert_int_equal(tn_run(&t), CLR_ERR_FORMAT);
    assert_non_null(strstr(t.err.msg, "Scores"));
    for (long k = 0;; k++) {
        tn_init(&t, "multiclass_nms2");
        tn_input(&t, "BBoxes", &boxes);
        tn_input(&t, "Scores", &scores);
        tn_output(&t, "Out", &out);
        tn_output(&t, "Index", &index);
        nms_attrs(&t, 0.1f, -1, 0.5f, -1, false);
        clr_tensor_release(&out);
        clr_tensor_release(&index);
        clr_alloc_fail_after(k);
        clr_status st = tn_run(&t);
        clr_alloc_fail_after(-1);
        if (st == CLR_OK) break;
        assert_int_equal(st, CLR_ERR_NOMEM);
    }
    assert_int_equal(out.dims[0], 3);
    clr_tensor_release(&scores);
    clr_tensor_release(&boxes);
    clr_tensor_release(&out);
    clr_tensor_release(&index);
}

/* ----------------------------------------------------------------- yolo_box */

static double sig(double x) { return 1.0 / (1.0 + exp(-x)); }

static void yolo_box_matches_formula(void **state) {
    (void)state;
    const int an = 2, cls = 3, h = 3, w = 3, nb = 2;
    clr_test_node t;
    clr_tensor x, img = {0}, boxes = {0}, scores = {0};
    t_f32(&x, 4, nb, an * (5 + cls), h, w);
    tn_fill_uniform(&x, 5, -2.0f, 2.0f);
    int64_t d[2] = {nb, 2};
    clr_tensor_resize(&img, CLR_DTYPE_INT32, 2, d, NULL);
    int32_t *is = img.data;
    is[0] = 100, is[1] = 120, is[2] = 64, is[3] = 50;
    int32_t anchors[4] = {10, 13, 30, 20};
    tn_init(&t, "yolo_box");
    tn_input(&t, "X", &x);
    tn_input(&t, "ImgSize", &img);
    tn_output(&t, "Boxes", &boxes);
    tn_output(&t, "Scores", &scores);
    tn_attr_ints(&t, "anchors", 4, anchors);
    tn_attr_int(&t, "class_num", cls);
    tn_attr_float(&t, "conf_thresh", 0.3f);
    tn_attr_int(&t, "downsample_ratio", 8);
    tn_attr_bool(&t, "clip_bbox", true);
    tn_attr_float(&t, "scale_x_y", 1.2f);
    assert_int_equal(tn_run(&t), CLR_OK);
    assert_dims(&boxes, 3, nb, an * h * w, 4, 0);
    assert_dims(&scores, 3, nb, an * h * w, cls, 0);
    int skipped = 0;
    for (int i = 0; i < nb; i++) {
        double ih = is[2 * i], iw = is[2 * i + 1];
        for (int a = 0; a < an; a++) {
            for (int r = 0; r < h; r++) {
                for (int c = 0; c < w; c++) {
                    const float *e = F(&x) + ((i * an + a) * (5 + cls)) * h * w + r * w + c;
#define E(k) ((double)e[(k) * h * w])
                    int64_t bi = (int64_t)i * an * h * w + a * h * w + r * w + c;
                    const float *ob = F(&boxes) + bi * 4, *os = F(&scores) + bi * cls;
                    double conf = sig(E(4));
                    if (conf < 0.3) {
                        skipped++;
                        for (int k = 0; k < 4; k++) assert_close(ob[k], 0, 0);
                        for (int k = 0; k < cls; k++) assert_close(os[k], 0, 0);
                        continue;
                    }
                    double cx = (c + sig(E(0)) * 1.2 - 0.1) * iw / h, cy = (r + sig(E(1)) * 1.2 - 0.1) * ih / h;
                    double bw = exp(E(2)) * anchors[2 * a] * iw / (8 * h), bh = exp(E(3)) * anchors[2 * a + 1] * ih / (8 * h);
                    assert_close(ob[0], fmax(cx - bw / 2, 0), 1e-4);
                    assert_close(ob[1], fmax(cy - bh / 2, 0), 1e-4);
                    assert_close(ob[2], fmin(cx + bw / 2, iw - 1), 1e-4);
                    assert_close(ob[3], fmin(cy + bh / 2, ih - 1), 1e-4);
                    for (int k = 0; k < cls; k++) assert_close(os[k], conf * sig(E(5 + k)), 1e-5);
#undef E
                }
            }
        }
    }
    assert_true(skipped > 0 && skipped < nb * an * h * w);
    /* wrong channel count */
    tn_init(&t, "yolo_box");
    tn_input(&t, "X", &x);
    tn_input(&t, "ImgSize", &img);
    tn_output(&t, "Boxes", &boxes);
    tn_output(&t, "Scores", &scores);
    tn_attr_ints(&t, "anchors", 4, anchors);
    tn_attr_int(&t, "class_num", cls + 1);
    assert_int_equal(tn_run(&t), CLR_ERR_FORMAT);
    assert_non_null(strstr(t.err.msg, "channels"));
    clr_tensor_release(&x);
    clr_tensor_release(&img);
    clr_tensor_release(&boxes);
    clr_tensor_release(&scores);
}

/* ---------------------------------------------------------------------- rnn */

/* Straightforward reference: gates as explicit dot products per unit. */
typedef struct ref_rnn {
    int T, B, I, H, L, D;
    bool lstm;
    const float *x, *h0, *c0;
    const float *w[64]; /* the WeightList, in its stored order */
} ref_rnn;

static void ref_cell(const ref_rnn *r, int k, const double *xin, int in, double *h, double *c) {
    int G = r->lstm ? 4 : 3, H = r->H, per = r->L * r->D;
    const float *wih = r->w[2 * k], *whh = r->w[2 * k + 1], *bih = r->w[2 * per + 2 * k], *bhh = r->w[2 * per + 2 * k + 1];
    double g[4][64];
    for (int q = 0; q < G; q++) {
        for (int j = 0; j < H; j++) {
            int row = q * H + j;
            double sx = bih[row], sh = bhh[row];
            for (int p = 0; p < in; p++) sx += wih[row * in + p] * xin[p];
            for (int p = 0; p < H; p++) sh += whh[row * H + p] * h[p];
            if (r->lstm || q < 2) g[q][j] = sx + sh;
            else g[q][j] = tanh(sx + sig(g[0][j]) * sh); /* GRU candidate */
        }
    }
    for (int j = 0; j < H; j++) {
        if (r->lstm) {
            double i = sig(g[0][j]), f = sig(g[1][j]), cc = tanh(g[2][j]), o = sig(g[3][j]);
            c[j] = f * c[j] + i * cc;
            h[j] = o * tanh(c[j]);
        } else {
            double z = sig(g[1][j]);
            h[j] = (1 - z) * g[2][j] + z * h[j];
        }
    }
}

/* y [T, B, D*H]; hT, cT [L*D, B, H] with Paddle-Lite's backward final h. */
static void ref_run(const ref_rnn *r, double *y, double *hT, double *cT) {
    int T = r->T, B = r->B, H = r->H, D = r->D, DH = D * H;
    double *in = calloc((size_t)T * B * (r->I > DH ? r->I : DH), sizeof(double));
    for (int i = 0; i < T * B * r->I; i++) in[i] = r->x[i];
    int in_size = r->I;
    for (int l = 0; l < r->L; l++) {
        for (int d = 0; d < D; d++) {
            int k = l * D + d;
            for (int b = 0; b < B; b++) {
                double h[64], c[64];
                for (int j = 0; j < H; j++) h[j] = r->h0[(k * B + b) * H + j], c[j] = r->lstm ? r->c0[(k * B + b) * H + j] : 0;
                for (int s = 0; s < T; s++) {
                    int t = d == 0 ? s : T - 1 - s;
                    ref_cell(r, k, in + (t * B + b) * in_size, in_size, h, c);
                    for (int j = 0; j < H; j++) y[(t * B + b) * DH + d * H + j] = h[j];
                    if (d == 1 && s == 0)
                        for (int j = 0; j < H; j++) hT[(k * B + b) * H + j] = h[j];
                }
                for (int j = 0; j < H; j++) {
                    if (d == 0) hT[(k * B + b) * H + j] = h[j];
                    cT[(k * B + b) * H + j] = c[j];
                }
            }
        }
        for (int i = 0; i < T * B * DH; i++) in[i] = y[i];
        in_size = DH;
    }
    free(in);
}

static void run_rnn_case(bool lstm, int T, int B, int I, int H, int L, int D) {
    int G = lstm ? 4 : 3, per = L * D, nw = 4 * per;
    clr_tensor x, h0, c0, w[64], out = {0}, hT = {0}, cT = {0}, reserve = {0}, drop = {0};
    t_f32(&x, 3, T, B, I, 0);
    t_f32(&h0, 3, per, B, H, 0);
    t_f32(&c0, 3, per, B, H, 0);
    tn_fill_uniform(&x, 21, -1, 1);
    tn_fill_uniform(&h0, 22, -1, 1);
    tn_fill_uniform(&c0, 23, -1, 1);
    ref_rnn r = {T, B, I, H, L, D, lstm, x.data, h0.data, c0.data, {0}};
    for (int k = 0; k < per; k++) {
        int in = k / D == 0 ? I : D * H;
        t_f32(&w[2 * k], 2, G * H, in, 0, 0);
        t_f32(&w[2 * k + 1], 2, G * H, H, 0, 0);
        t_f32(&w[2 * per + 2 * k], 1, G * H, 0, 0, 0);
        t_f32(&w[2 * per + 2 * k + 1], 1, G * H, 0, 0, 0);
    }
    for (int i = 0; i < nw; i++) {
        tn_fill_uniform(&w[i], 100 + (unsigned)i, -0.5f, 0.5f);
        r.w[i] = w[i].data;
    }
    clr_test_node t;
    tn_init(&t, "rnn");
    tn_input(&t, "Input", &x);
    tn_input(&t, "PreState", &h0);
    if (lstm) tn_input(&t, "PreState", &c0);
    for (int i = 0; i < nw; i++) tn_input(&t, "WeightList", &w[i]);
    tn_output(&t, "Out", &out);
    tn_output(&t, "State", &hT);
    if (lstm) tn_output(&t, "State", &cT);
    tn_output(&t, "Reserve", &reserve);
    tn_output(&t, "DropoutState", &drop);
    tn_attr_str(&t, "mode", lstm ? "LSTM" : "GRU");
    tn_attr_int(&t, "num_layers", L);
    tn_attr_int(&t, "hidden_size", H);
    tn_attr_int(&t, "input_size", I);
    tn_attr_bool(&t, "is_bidirec", D == 2);
    tn_attr_float(&t, "dropout_prob", 0);
    assert_int_equal(tn_run(&t), CLR_OK);
    assert_dims(&out, 3, T, B, D * H, 0);
    assert_dims(&hT, 3, per, B, H, 0);
    double *y = calloc((size_t)T * B * D * H, sizeof(double)), *rh = calloc((size_t)per * B * H, sizeof(double)),
           *rc = calloc((size_t)per * B * H, sizeof(double));
    ref_run(&r, y, rh, rc);
    for (int i = 0; i < T * B * D * H; i++) assert_close(F(&out)[i], y[i], 1e-4);
    for (int i = 0; i < per * B * H; i++) {
        assert_close(F(&hT)[i], rh[i], 1e-4);
        if (lstm) assert_close(F(&cT)[i], rc[i], 1e-4);
    }
    free(y);
    free(rh);
    free(rc);
    for (int i = 0; i < nw; i++) clr_tensor_release(&w[i]);
    clr_tensor_release(&x);
    clr_tensor_release(&h0);
    clr_tensor_release(&c0);
    clr_tensor_release(&out);
    clr_tensor_release(&hT);
    clr_tensor_release(&cT);
    clr_tensor_release(&reserve);
    clr_tensor_release(&drop);
}

/* One step, one unit, hand-set weights: the gate equations written out. */
static void lstm_single_step_by_hand(void **state) {
    (void)state;
    clr_tensor x, h0, c0, wih, whh, bih, bhh, out = {0}, hT = {0}, cT = {0};
    t_f32(&x, 3, 1, 1, 1, 0);
    t_f32(&h0, 3, 1, 1, 1, 0);
    t_f32(&c0, 3, 1, 1, 1, 0);
    t_f32(&wih, 2, 4, 1, 0, 0);
    t_f32(&whh, 2, 4, 1, 0, 0);
    t_f32(&bih, 1, 4, 0, 0, 0);
    t_f32(&bhh, 1, 4, 0, 0, 0);
    F(&x)[0] = 0.5f, F(&h0)[0] = -0.25f, F(&c0)[0] = 0.75f;
    float wi[4] = {1, 2, 3, 4}, wh[4] = {-1, 0.5f, 0.25f, 2}, bi[4] = {0.1f, 0.2f, 0.3f, 0.4f}, bh[4] = {0, -0.1f, 0.05f, 0};
    memcpy(wih.data, wi, sizeof wi), memcpy(whh.data, wh, sizeof wh);
    memcpy(bih.data, bi, sizeof bi), memcpy(bhh.data, bh, sizeof bh);
    clr_test_node t;
    tn_init(&t, "rnn");
    tn_input(&t, "Input", &x);
    tn_input(&t, "PreState", &h0);
    tn_input(&t, "PreState", &c0);
    tn_input(&t, "WeightList", &wih);
    tn_input(&t, "WeightList", &whh);
    tn_input(&t, "WeightList", &bih);
    tn_input(&t, "WeightList", &bhh);
    tn_output(&t, "Out", &out);
    tn_output(&t, "State", &hT);
    tn_output(&t, "State", &cT);
    tn_attr_str(&t, "mode", "LSTM");
    tn_attr_int(&t, "num_layers", 1);
    tn_attr_int(&t, "hidden_size", 1);
    tn_attr_bool(&t, "is_bidirec", false);
    assert_int_equal(tn_run(&t), CLR_OK);
    double pre[4];
    for (int q = 0; q < 4; q++) pre[q] = wi[q] * 0.5 + bi[q] + wh[q] * -0.25 + bh[q];
    double i = sig(pre[0]), f = sig(pre[1]), g = tanh(pre[2]), o = sig(pre[3]);
    double c = f * 0.75 + i * g, h = o * tanh(c);
    assert_close(F(&out)[0], h, 1e-6);
    assert_close(F(&hT)[0], h, 1e-6);
    assert_close(F(&cT)[0], c, 1e-6);

    /* SequenceLength is refused */
    clr_tensor seq;
    t_f32(&seq, 1, 1, 0, 0, 0);
    tn_input(&t, "SequenceLength", &seq);
    assert_int_equal(tn_run(&t), CLR_ERR_UNSUPPORTED);
    assert_non_null(strstr(t.err.msg, "SequenceLength"));
    clr_tensor *all[] = {&x, &h0, &c0, &wih, &whh, &bih, &bhh, &out, &hT, &cT, &seq};
    for (size_t k = 0; k < sizeof all / sizeof *all; k++) clr_tensor_release(all[k]);
}

static void rnn_multilayer_matches_reference(void **state) {
    (void)state;
    run_rnn_case(true, 5, 2, 7, 3, 2, 2); /* bidirectional 2-layer, as ppocr rec */
    run_rnn_case(true, 4, 3, 5, 6, 1, 1);
    run_rnn_case(false, 3, 2, 5, 4, 2, 2);
}

static void rnn_errors(void **state) {
    (void)state;
    clr_tensor x, h0, out = {0}, hT = {0};
    t_f32(&x, 2, 4, 3, 0, 0);
    t_f32(&h0, 3, 1, 3, 2, 0);
    clr_test_node t;
    tn_init(&t, "rnn");
    tn_input(&t, "Input", &x);
    tn_input(&t, "PreState", &h0);
    tn_output(&t, "Out", &out);
    tn_output(&t, "State", &hT);
    tn_attr_str(&t, "mode", "LSTM");
    tn_attr_int(&t, "hidden_size", 2);
    assert_int_equal(tn_run(&t), CLR_ERR_FORMAT);
    assert_non_null(strstr(t.err.msg, "'Input' has 2 dims"));
    clr_tensor_release(&x);
    t_f32(&x, 3, 4, 3, 5, 0);
    t.attrs[0].v.s = "RNN_TANH";
    assert_int_equal(tn_run(&t), CLR_ERR_UNSUPPORTED);
    assert_non_null(strstr(t.err.msg, "RNN_TANH"));
    t.attrs[0].v.s = "GRU";
    assert_int_equal(tn_run(&t), CLR_ERR_FORMAT); /* no weights */
    assert_non_null(strstr(t.err.msg, "WeightList"));
    clr_tensor_release(&x);
    clr_tensor_release(&h0);
    clr_tensor_release(&out);
    clr_tensor_release(&hT);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(prior_box_matches_formula),
        cmocka_unit_test(density_prior_box_matches_formula),
        cmocka_unit_test(prior_box_errors),
        cmocka_unit_test(box_coder_decode_matches_formula),
        cmocka_unit_test(box_coder_encode_decode_roundtrip),
        cmocka_unit_test(box_coder_errors),
        cmocka_unit_test(nms_keeps_geometric_answer),
        cmocka_unit_test(nms_pixel_offset),
        cmocka_unit_test(nms_empty_results),
        cmocka_unit_test(nms_two_d_layout),
        cmocka_unit_test(nms_errors_and_alloc_failures),
        cmocka_unit_test(yolo_box_matches_formula),
        cmocka_unit_test(lstm_single_step_by_hand),
        cmocka_unit_test(rnn_multilayer_matches_reference),
        cmocka_unit_test(rnn_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
