/* clrun — box_coder: encode boxes against priors, or decode offsets back to
 * boxes (code_type encode_center_size / decode_center_size).
 *
 * Boxes are (x1, y1, x2, y2). When not box_normalized, widths and heights
 * get +1 (pixel boxes) and decoded x2/y2 get -1, as in Paddle-Lite's ARM
 * kernel (backends/arm/math/box_coder.cc). The variance of prior j comes
 * from PriorBoxVar[j] when bound, else from the 4-value `variance`
 * attribute, else is 1.
 */
#include <math.h>
#include <string.h>

#include "kernels/host/detection.h"

typedef struct prior_geom {
    float w, h, cx, cy;
} prior_geom;

static prior_geom geom(const float *p, float norm) {
    prior_geom g;
    g.w = p[2] - p[0] + norm;
    g.h = p[3] - p[1] + norm;
    g.cx = p[0] + g.w / 2.f;
    g.cy = p[1] + g.h / 2.f;
    return g;
}

static void decode_one(float *o, const float *t, const float *prior, const float *var, float norm) {
    prior_geom g = geom(prior, norm);
    float cx = var[0] * t[0] * g.w + g.cx;
    float cy = var[1] * t[1] * g.h + g.cy;
    float w = expf(var[2] * t[2]) * g.w;
    float h = expf(var[3] * t[3]) * g.h;
    o[0] = cx - w / 2.f;
    o[1] = cy - h / 2.f;
    o[2] = cx + w / 2.f - norm;
    o[3] = cy + h / 2.f - norm;
}

static void encode_one(float *o, const float *t, const float *prior, const float *var, float norm) {
    prior_geom g = geom(prior, norm);
    float tcx = (t[2] + t[0]) / 2.f, tcy = (t[3] + t[1]) / 2.f;
    float tw = t[2] - t[0] + norm, th = t[3] - t[1] + norm;
    o[0] = (tcx - g.cx) / g.w / var[0];
    o[1] = (tcy - g.cy) / g.h / var[1];
    o[2] = logf(fabsf(tw / g.w)) / var[2];
    o[3] = logf(fabsf(th / g.h)) / var[3];
}

/* Variance rows: per prior (stride 4) from the tensor, or one shared row. */
typedef struct var_src {
    const float *data;
    int64_t stride;
    float shared[4];
} var_src;

static clr_status read_variance(clr_node *n, const clr_tensor *prior, var_src *v) {
    clr_tensor *pv = clr_node_in(n, "PriorBoxVar", 0);
    if (pv) {
        clr_status st = clr_det_check_f32(n, pv, "input 'PriorBoxVar'", 2);
        if (st != CLR_OK) return st;
        if (pv->dims[0] != prior->dims[0] || pv->dims[1] != 4)
            return clr_node_fail(n, CLR_ERR_FORMAT, "PriorBoxVar is [%lld,%lld], PriorBox is [%lld,4]",
                                 (long long)pv->dims[0], (long long)pv->dims[1], (long long)prior->dims[0]);
        v->data = pv->data;
        v->stride = 4;
        return CLR_OK;
    }
    int32_t c = clr_node_attr_floats(n, "variance", v->shared, 4);
    if (c <= 0) {
        for (int i = 0; i < 4; i++) v->shared[i] = 1.0f;
    } else if (c != 4) {
        return clr_node_fail(n, CLR_ERR_FORMAT, "attribute 'variance' has %d values, expected 4", c);
    }
    v->data = v->shared;
    v->stride = 0;
    return CLR_OK;
}

clr_status clr_k_box_coder(clr_node *n) {
    clr_tensor *prior, *target, *out;
    clr_status st = clr_det_input_f32(n, "PriorBox", 2, &prior);
    if (st == CLR_OK) st = clr_det_input_f32(n, "TargetBox", -1, &target);
    if (st == CLR_OK) st = clr_node_require_out(n, "OutputBox", &out);
    if (st != CLR_OK) return st;
    if (prior->dims[1] != 4)
        return clr_node_fail(n, CLR_ERR_FORMAT, "PriorBox has %lld columns, expected 4", (long long)prior->dims[1]);
    var_src var;
    st = read_variance(n, prior, &var);
    if (st != CLR_OK) return st;
    const char *code = clr_node_attr_str(n, "code_type", "encode_center_size");
    float norm = clr_node_attr_bool(n, "box_normalized", true) ? 0.0f : 1.0f;
    int64_t axis = clr_node_attr_int(n, "axis", 0);
    int64_t m = prior->dims[0];
    const float *p = prior->data, *t;
    const clr_tensor *lod_from = target;

    if (strcmp(code, "encode_center_size") == 0) {
        if (target->ndims != 2 || target->dims[1] != 4)
            return clr_node_fail(n, CLR_ERR_FORMAT, "encode needs TargetBox [N,4]");
        int64_t dims[3] = {target->dims[0], m, 4};
        st = clr_tensor_resize(out, CLR_DTYPE_FP32, 3, dims, n->err);
        if (st != CLR_OK) return st;
        t = target->data;
        float *o = out->data;
        for (int64_t i = 0; i < dims[0]; i++)
            for (int64_t j = 0; j < m; j++)
                encode_one(o + (i * m + j) * 4, t + i * 4, p + j * 4, var.data + j * var.stride, norm);
    } else if (strcmp(code, "decode_center_size") == 0) {
        if (target->ndims != 3 || target->dims[2] != 4)
            return clr_node_fail(n, CLR_ERR_FORMAT, "decode needs TargetBox [N,M,4]");
        if (axis != 0 && axis != 1) return clr_node_fail(n, CLR_ERR_UNSUPPORTED, "axis %lld (0 or 1 supported)", (long long)axis);
        if (target->dims[axis == 0 ? 1 : 0] != m)
            return clr_node_fail(n, CLR_ERR_FORMAT, "TargetBox dim %lld is %lld, PriorBox has %lld rows", (long long)(axis == 0 ? 1 : 0),
                                 (long long)target->dims[axis == 0 ? 1 : 0], (long long)m);
        st = clr_tensor_resize_like(out, target, n->err);
        if (st != CLR_OK) return st;
        t = target->data;
        float *o = out->data;
        int64_t rows = target->dims[0], cols = target->dims[1];
        /* axis 0: prior j serves column j of every row; axis 1: prior i serves row i. */
        for (int64_t i = 0; i < rows; i++) {
            for (int64_t j = 0; j < cols; j++) {
                int64_t k = axis == 0 ? j : i, at = (i * cols + j) * 4;
                decode_one(o + at, t + at, p + k * 4, var.data + k * var.stride, norm);
            }
        }
        if (axis == 1) lod_from = prior;
    } else {
        return clr_node_fail(n, CLR_ERR_UNSUPPORTED, "unsupported code_type '%s'", code);
    }
    return clr_tensor_set_lod(out, lod_from->nlod, lod_from->lod, n->err);
}
