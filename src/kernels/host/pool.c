/* clrun — pool2d (nb-format.md 6.5) on NCHW FP32.
 *
 * Window of output (i, j) along one axis, in input coordinates:
 *  - regular: [i*s - pad0, i*s - pad0 + k), clipped to the input for max
 *    and for the exclusive average's divisor; the inclusive average divides
 *    by the window clipped to the padded extent only, [.., in + pad1)
 *    (Paddle's rule, which ARM's pooling_basic also follows);
 *  - adaptive: [floor(i*in/out), ceil((i+1)*in/out)), no padding;
 *  - global: the whole plane.
 * ceil_mode adds s-1 before the output-size division, so the last window
 * may hang past the padding; it is clipped like any other. */
#include <string.h>

#include "kernels/host/math_kernels.h"
#include "kernels/host/math_plans.h"
#include "kernels/host/tensor_common.h"

clr_pool_win clr_pool_window(const clr_pool_axis *a, int64_t i) {
    clr_pool_win w;
    if (a->adaptive) {
        w.lo = i * a->in / a->out;
        w.hi = ((i + 1) * a->in + a->out - 1) / a->out;
        w.span = w.hi - w.lo;
        return w;
    }
    int64_t start = i * a->s - a->pad0, end = start + a->k;
    int64_t padded_end = end < a->in + a->pad1 ? end : a->in + a->pad1;
    w.span = padded_end - start;
    w.lo = start > 0 ? start : 0;
    w.hi = end < a->in ? end : a->in;
    return w;
}

static clr_status read_pair(const clr_node *n, const char *name, int64_t *v, bool required) {
    int64_t buf[4];
    int32_t cnt = clr_node_attr_ints(n, name, buf, 4);
    if (cnt < 0 && !required) return CLR_OK;
    if (cnt != 2) return clr_node_fail(n, CLR_ERR_FORMAT, "attribute '%s' has %d values, expected 2", name, cnt);
    v[0] = buf[0];
    v[1] = buf[1];
    return CLR_OK;
}

/* Output size and padding along one axis (non-global, non-adaptive). */
static clr_status plan_axis(const clr_node *n, clr_pool_axis *a, const char *algo, bool ceil_mode, const char *what) {
    if (a->k <= 0 || a->s <= 0)
        return clr_node_fail(n, CLR_ERR_FORMAT, "%s kernel %lld / stride %lld must be positive", what,
                             (long long)a->k, (long long)a->s);
    if (strcmp(algo, "SAME") == 0) {
        a->out = (a->in + a->s - 1) / a->s;
        int64_t sum = (a->out - 1) * a->s + a->k - a->in;
        if (sum < 0) sum = 0;
        a->pad0 = sum / 2;
        a->pad1 = sum - a->pad0;
        return CLR_OK;
    }
    if (strcmp(algo, "VALID") == 0) a->pad0 = a->pad1 = 0;
    else if (strcmp(algo, "EXPLICIT") != 0)
        return clr_node_fail(n, CLR_ERR_UNSUPPORTED, "unsupported padding_algorithm '%s'", algo);
    if (a->pad0 < 0 || a->pad1 < 0) return clr_node_fail(n, CLR_ERR_FORMAT, "negative %s padding", what);
    /* C division truncates toward zero, so a window up to stride - 1 larger
     * than the padded input still gives one output, as in Paddle-Lite (the
     * OCR direction classifier pools a height-1 map with a 2x2 window). */
    int64_t span = a->in + a->pad0 + a->pad1 - a->k + (ceil_mode ? a->s - 1 : 0);
    a->out = span / a->s + 1;
    if (a->out <= 0)
        return clr_node_fail(n, CLR_ERR_FORMAT, "%s kernel %lld is larger than the padded input %lld", what,
                             (long long)a->k, (long long)(a->in + a->pad0 + a->pad1));
    return CLR_OK;
}

clr_status clr_pool_plan(const clr_node *n, const clr_tensor *x, clr_pool_axis *ah, clr_pool_axis *aw) {
    int64_t ks[2] = {1, 1}, st2[2] = {1, 1}, pads[4] = {0, 0, 0, 0};
    clr_status st = read_pair(n, "ksize", ks, true);
    if (st == CLR_OK) st = read_pair(n, "strides", st2, false);
    if (st != CLR_OK) return st;
    int32_t np = clr_node_attr_ints(n, "paddings", pads, 4);
    if (np == 2) { /* [ph, pw] → top, bottom, left, right */
        pads[3] = pads[2] = pads[1];
        pads[1] = pads[0];
    } else if (np != 4 && np != -1) {
        return clr_node_fail(n, CLR_ERR_FORMAT, "attribute 'paddings' has %d values, expected 2 or 4", np);
    }
    bool global = clr_node_attr_bool(n, "global_pooling", false);
    bool adaptive = clr_node_attr_bool(n, "adaptive", false);
    *ah = (clr_pool_axis){.in = x->dims[2], .k = ks[0], .s = st2[0], .pad0 = pads[0], .pad1 = pads[1]};
    *aw = (clr_pool_axis){.in = x->dims[3], .k = ks[1], .s = st2[1], .pad0 = pads[2], .pad1 = pads[3]};
    if (global) { /* one window covering the plane */
        ah->k = ah->s = ah->in > 0 ? ah->in : 1;
        aw->k = aw->s = aw->in > 0 ? aw->in : 1;
        ah->pad0 = ah->pad1 = aw->pad0 = aw->pad1 = 0;
        ah->out = aw->out = 1;
        return CLR_OK;
    }
    if (adaptive) {
        if (ks[0] <= 0 || ks[1] <= 0)
            return clr_node_fail(n, CLR_ERR_FORMAT, "adaptive output size %lldx%lld must be positive",
                                 (long long)ks[0], (long long)ks[1]);
        ah->adaptive = aw->adaptive = true;
        ah->out = ks[0];
        aw->out = ks[1];
        return CLR_OK;
    }
    const char *algo = clr_node_attr_str(n, "padding_algorithm", "EXPLICIT");
    bool ceil_mode = clr_node_attr_bool(n, "ceil_mode", false);
    st = plan_axis(n, ah, algo, ceil_mode, "height");
    return st == CLR_OK ? plan_axis(n, aw, algo, ceil_mode, "width") : st;
}

/* One window, rows then columns; `is_max` is a constant where this is
 * inlined, so each of the two loops is tight. */
static inline __attribute__((always_inline)) float pool_window(const float *plane, int64_t width, clr_pool_win wh,
                                                               clr_pool_win ww, bool is_max, bool exclusive) {
    if (wh.lo >= wh.hi || ww.lo >= ww.hi) return 0.0f; /* all padding: ARM leaves its zero-filled output */
    float acc = is_max ? -3.402823466e38f : 0.0f;
    for (int64_t h = wh.lo; h < wh.hi; h++)
        for (int64_t w = ww.lo; w < ww.hi; w++) {
            float v = plane[h * width + w];
            acc = is_max ? (v > acc ? v : acc) : acc + v;
        }
    if (is_max) return acc;
    int64_t div = exclusive ? (wh.hi - wh.lo) * (ww.hi - ww.lo) : wh.span * ww.span;
    return div > 0 ? acc / (float)div : 0.0f;
}

/* The windows of one plane (is_max constant after inlining). */
static inline __attribute__((always_inline)) float *pool_plane(const float *plane, const clr_pool_axis *ah,
                                                               const clr_pool_axis *aw, bool is_max, bool exclusive,
                                                               float *po) {
    for (int64_t i = 0; i < ah->out; i++) {
        clr_pool_win wh = clr_pool_window(ah, i);
        for (int64_t k = 0; k < aw->out; k++)
            *po++ = pool_window(plane, aw->in, wh, clr_pool_window(aw, k), is_max, exclusive);
    }
    return po;
}

/* The global average in ARM's summation order (pooling_global_avg): four
 * lane sums over blocks of 16 values, each block added as
 * ((lane + x0) + x12) + (x4 + x8), the lanes reduced as (0 + 2) + (1 + 3),
 * the tail added one by one, then one division. */
static float global_avg(const float *x, int64_t len) {
    float lane[4] = {0.0f, 0.0f, 0.0f, 0.0f};
    int64_t blocks = len / 16;
    for (int64_t b = 0; b < blocks; b++, x += 16)
        for (int l = 0; l < 4; l++) lane[l] = ((lane[l] + x[l]) + x[12 + l]) + (x[4 + l] + x[8 + l]);
    float sum = (lane[0] + lane[2]) + (lane[1] + lane[3]);
    for (int64_t i = blocks * 16; i < len; i++) sum += *x++;
    return sum / (float)len;
}

typedef struct pool_job {
    const float *x;
    float *out;
    const clr_pool_axis *ah, *aw;
    bool is_max, exclusive, global_average;
} pool_job;

/* Planes [p0, p1) (a range of clr_parallel_for). */
static void pool_planes(void *ctx, int64_t p0, int64_t p1) {
    const pool_job *j = ctx;
    const clr_pool_axis *ah = j->ah, *aw = j->aw;
    int64_t in_plane = ah->in * aw->in;
    float *po = j->out + p0 * ah->out * aw->out;
    for (int64_t p = p0; p < p1; p++) {
        const float *plane = j->x + p * in_plane;
        if (j->global_average && in_plane > 0) {
            *po++ = global_avg(plane, in_plane);
            continue;
        }
        if (j->is_max) po = pool_plane(plane, ah, aw, true, j->exclusive, po);
        else po = pool_plane(plane, ah, aw, false, j->exclusive, po);
    }
}

clr_status clr_mk_pool2d(clr_node *n) {
    clr_tensor *x, *out;
    clr_pool_axis ah, aw;
    clr_status st = tk_in_out(n, "X", "Out", &x, &out);
    if (st == CLR_OK) st = mk_require_f32(n, "X", x);
    if (st != CLR_OK) return st;
    if (x->ndims != 4) return clr_node_fail(n, CLR_ERR_FORMAT, "input 'X' has %d dims, expected 4", x->ndims);
    const char *type = clr_node_attr_str(n, "pooling_type", "");
    bool is_max = strcmp(type, "max") == 0;
    if (!is_max && strcmp(type, "avg") != 0)
        return clr_node_fail(n, CLR_ERR_UNSUPPORTED, "unsupported pooling_type '%s'", type);
    bool exclusive = clr_node_attr_bool(n, "exclusive", true);
    st = clr_pool_plan(n, x, &ah, &aw);
    if (st != CLR_OK) return st;
    int64_t od[4] = {x->dims[0], x->dims[1], ah.out, aw.out};
    st = tk_resize(n, out, CLR_DTYPE_FP32, 4, od);
    if (st != CLR_OK) return st;
    pool_job j = {.x = x->data, .out = out->data, .ah = &ah, .aw = &aw, .is_max = is_max, .exclusive = exclusive,
                  .global_average = !is_max && clr_node_attr_bool(n, "global_pooling", false)};
    int64_t planes = od[0] * od[1], per_plane = ah.in * aw.in + ah.out * aw.out;
    clr_parallel_for(n->pool, planes, clr_parallel_grain(n->pool, planes, 1 + 16384 / (per_plane + 1), 1), pool_planes,
                     &j);
    return CLR_OK;
}
