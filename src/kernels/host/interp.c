/* clrun — nearest / bilinear interpolation, v1 and v2 (nb-format.md 6.8),
 * NCHW FP32, following Paddle-Lite's ARM kernels.
 *
 * Output size, first that applies: SizeTensor (two 1-element int tensors);
 * OutSize ([2] int tensor); a scale (Scale tensor, else the `scale`
 * attribute: FLOAT for v1, FLOATS [sh, sw] or [s] for v2) giving
 * out = (int)(in * scale); out_h / out_w.
 *
 * Source coordinate of output index i along an axis, with ratio r:
 *  - align_corners: r = (in-1)/(out-1);
 *  - otherwise r = in/out, except that v2 uses 1/scale when a positive
 *    scale was given (even if OutSize then fixed the size, as Paddle does);
 *  - r = 0 when out == 1.
 * Nearest: (int)(r*i + 0.5) with align_corners, else (int)(r*i).
 * Bilinear: src = r*i with align_corners or align_mode 1, else the
 * half-pixel r*(i+0.5)-0.5 clamped at 0; x0 = (int)src, x1 = min(x0+1,
 * in-1), weight src-x0. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "kernels/host/math_kernels.h"
#include "kernels/host/tensor_common.h"

typedef struct interp_axis {
    int64_t in, out;
    float scale; /* > 0 when the size came from a scale */
    float ratio;
} interp_axis;

/* Positive scales from the Scale tensor or the attribute; 0 when none. */
static clr_status read_scale(const clr_node *n, bool v2, float *sh, float *sw) {
    const clr_tensor *t = clr_node_in(n, "Scale", 0);
    float v[2] = {0.0f, 0.0f};
    int32_t cnt;
    if (t && t->data && clr_tensor_numel(t) > 0) {
        clr_status st = mk_require_f32(n, "Scale", t);
        if (st != CLR_OK) return st;
        cnt = clr_tensor_numel(t) >= 2 ? 2 : 1;
        memcpy(v, t->data, (size_t)cnt * sizeof(float));
    } else if (v2) {
        cnt = clr_node_attr_floats(n, "scale", v, 2);
    } else {
        v[0] = clr_node_attr_float(n, "scale", 0.0f);
        cnt = 1;
    }
    if (cnt == 1) v[1] = v[0];
    *sh = cnt >= 1 && v[0] > 0.0f && v[1] > 0.0f ? v[0] : 0.0f;
    *sw = *sh > 0.0f ? v[1] : 0.0f;
    return CLR_OK;
}

static clr_status out_size(const clr_node *n, bool v2, interp_axis *ah, interp_axis *aw) {
    int64_t sz[2];
    int32_t cnt;
    clr_status st = tk_ints_list(n, "SizeTensor", sz, 2, &cnt);
    if (st == CLR_OK && cnt < 0) {
        st = read_scale(n, v2, &ah->scale, &aw->scale);
        if (st == CLR_OK) st = tk_ints_tensor(n, "OutSize", sz, 2, &cnt);
        if (st == CLR_OK && cnt < 0) {
            if (ah->scale > 0.0f) {
                sz[0] = (int64_t)((float)ah->in * ah->scale);
                sz[1] = (int64_t)((float)aw->in * aw->scale);
            } else {
                sz[0] = clr_node_attr_int(n, "out_h", -1);
                sz[1] = clr_node_attr_int(n, "out_w", -1);
            }
            cnt = 2;
        }
    }
    if (st != CLR_OK) return st;
    if (cnt != 2) return clr_node_fail(n, CLR_ERR_FORMAT, "output size has %d values, expected 2", cnt);
    if (sz[0] <= 0 || sz[1] <= 0)
        return clr_node_fail(n, CLR_ERR_FORMAT, "output size %lldx%lld is not positive", (long long)sz[0],
                             (long long)sz[1]);
    ah->out = sz[0];
    aw->out = sz[1];
    if (!v2) ah->scale = aw->scale = 0.0f; /* v1 derives its ratio from the sizes */
    return CLR_OK;
}

static void set_ratio(interp_axis *a, bool align) {
    if (a->out <= 1) a->ratio = 0.0f;
    else if (align) a->ratio = (float)(a->in - 1) / (float)(a->out - 1);
    else a->ratio = a->scale > 0.0f ? (float)(1.0 / a->scale) : (float)a->in / (float)a->out;
}

static int64_t clamp_index(int64_t i, int64_t in) { return i < 0 ? 0 : i >= in ? in - 1 : i; }

/* Per-output-index source positions: lo/hi indices and hi's weight. */
typedef struct interp_tap {
    int64_t lo, hi;
    float w;
} interp_tap;

static void taps(const interp_axis *a, bool nearest, bool align, int align_mode, interp_tap *t) {
    for (int64_t i = 0; i < a->out; i++) {
        if (nearest) {
            float f = a->ratio * (float)i + (align ? 0.5f : 0.0f);
            t[i].lo = t[i].hi = clamp_index((int64_t)f, a->in);
            t[i].w = 0.0f;
            continue;
        }
        float src = align || align_mode == 1 ? a->ratio * (float)i : a->ratio * ((float)i + 0.5f) - 0.5f;
        if (src < 0.0f) src = 0.0f;
        int64_t x0 = (int64_t)src;
        t[i].lo = clamp_index(x0, a->in);
        t[i].hi = clamp_index(x0 + 1, a->in);
        t[i].w = x0 >= a->in - 1 ? 0.0f : src - (float)x0;
    }
}

clr_status clr_mk_interp(clr_node *n) {
    clr_tensor *x, *out;
    clr_status st = tk_in_out(n, "X", "Out", &x, &out);
    if (st == CLR_OK) st = mk_require_f32(n, "X", x);
    if (st != CLR_OK) return st;
    if (x->ndims != 4) return clr_node_fail(n, CLR_ERR_FORMAT, "input 'X' has %d dims, expected 4", x->ndims);
    const char *type = n->op->type;
    bool nearest = strncmp(type, "nearest", 7) == 0;
    bool v2 = strstr(type, "_v2") != NULL;
    bool align = clr_node_attr_bool(n, "align_corners", false);
    int align_mode = (int)clr_node_attr_int(n, "align_mode", 1);
    interp_axis ah = {.in = x->dims[2]}, aw = {.in = x->dims[3]};
    if (ah.in <= 0 || aw.in <= 0) return clr_node_fail(n, CLR_ERR_FORMAT, "input 'X' has an empty plane");
    st = out_size(n, v2, &ah, &aw);
    if (st != CLR_OK) return st;
    set_ratio(&ah, align);
    set_ratio(&aw, align);
    int64_t od[4] = {x->dims[0], x->dims[1], ah.out, aw.out};
    st = tk_resize(n, out, CLR_DTYPE_FP32, 4, od);
    if (st != CLR_OK) return st;
    interp_tap *th = clr_malloc((size_t)(ah.out + aw.out) * sizeof *th), *tw = th + ah.out;
    if (!th) return clr_node_fail(n, CLR_ERR_NOMEM, "out of memory for interpolation taps");
    taps(&ah, nearest, align, align_mode, th);
    taps(&aw, nearest, align, align_mode, tw);
    int64_t planes = od[0] * od[1];
    float *po = out->data;
    for (int64_t p = 0; p < planes; p++) {
        const float *src = (const float *)x->data + p * ah.in * aw.in;
        for (int64_t i = 0; i < ah.out; i++) {
            const float *r0 = src + th[i].lo * aw.in, *r1 = src + th[i].hi * aw.in;
            float wy = th[i].w;
            for (int64_t j = 0; j < aw.out; j++) {
                float wx = tw[j].w;
                float top = r0[tw[j].lo] * (1.0f - wx) + r0[tw[j].hi] * wx;
                float bot = r1[tw[j].lo] * (1.0f - wx) + r1[tw[j].hi] * wx;
                *po++ = top * (1.0f - wy) + bot * wy;
            }
        }
    }
    free(th);
    return CLR_OK;
}
