/* clrun — nearest_interp, bilinear_interp and their _v2 forms on NCHW FP32
 * (nb-format.md 6.8). Output size: SizeTensor > OutSize > Scale tensor >
 * `scale` attribute (out = int(in * scale)) > out_h/out_w. Source position
 * of output index i: align_corners maps corners to corners; otherwise v2 with
 * a scale uses 1/scale as the ratio, else in/out; bilinear with align_mode 0
 * samples at half-pixel centres. */
#include <string.h>

#include "kernels/host/math_kernels.h"
#include "kernels/host/tensor_common.h"

/* Scale factors (h, w) from the Scale tensor or attribute; 0 when absent. */
static void read_scales(const clr_node *n, float *sh, float *sw) {
    *sh = *sw = 0.0f;
    clr_tensor *t = clr_node_in(n, "Scale", 0);
    if (t && t->data && t->dtype == CLR_DTYPE_FP32 && clr_tensor_numel(t) > 0) {
        const float *v = t->data;
        *sh = v[0];
        *sw = clr_tensor_numel(t) > 1 ? v[1] : v[0];
        return;
    }
    float v[2] = {0, 0};
    int32_t cnt = clr_node_attr_floats(n, "scale", v, 2);
    if (cnt == 1) v[1] = v[0];
    if (cnt >= 1 && v[0] > 0 && v[1] > 0) *sh = v[0], *sw = v[1];
}

static clr_status out_size(const clr_node *n, const clr_tensor *x, float sh, float sw, int64_t *oh, int64_t *ow) {
    int64_t v[2];
    int32_t cnt;
    clr_status st = tk_ints_list(n, "SizeTensor", v, 2, &cnt);
    if (st == CLR_OK && cnt < 0) st = tk_ints_tensor(n, "OutSize", v, 2, &cnt);
    if (st != CLR_OK) return st;
    if (cnt >= 2) {
        *oh = v[0], *ow = v[1];
    } else if (sh > 0 && sw > 0) {
        *oh = (int64_t)((float)x->dims[2] * sh), *ow = (int64_t)((float)x->dims[3] * sw);
    } else {
        *oh = clr_node_attr_int(n, "out_h", -1), *ow = clr_node_attr_int(n, "out_w", -1);
    }
    if (*oh <= 0 || *ow <= 0)
        return clr_node_fail(n, CLR_ERR_FORMAT, "output size %lldx%lld is not positive", (long long)*oh, (long long)*ow);
    return CLR_OK;
}

static float ratio(bool align_corners, bool v2, int64_t in, int64_t out, float scale) {
    if (align_corners) return out > 1 ? (float)(in - 1) / (float)(out - 1) : 0.0f;
    if (v2 && scale > 0) return 1.0f / scale;
    return (float)in / (float)out;
}

/* Bilinear source index pair and weight of the second along one dim. */
static void bilinear_src(float r, int64_t i, int64_t in, bool half_pixel, int64_t *i0, int64_t *i1, float *w) {
    float s = half_pixel ? r * ((float)i + 0.5f) - 0.5f : r * (float)i;
    if (s < 0) s = 0;
    int64_t a = (int64_t)s;
    if (a > in - 1) a = in - 1;
    *i0 = a;
    *i1 = a + (a < in - 1);
    *w = s - (float)a;
}

clr_status clr_host_interp(clr_node *n) {
    clr_tensor *x, *out;
    clr_status st = tk_in_out(n, "X", "Out", &x, &out);
    if (st != CLR_OK) return st;
    if (x->ndims != 4 || x->dtype != CLR_DTYPE_FP32)
        return clr_node_fail(n, CLR_ERR_UNSUPPORTED, "X must be 4-D FP32 (NCHW)");
    const char *type = n->op->type;
    bool nearest = strncmp(type, "nearest", 7) == 0, v2 = strstr(type, "_v2") != NULL;
    bool align_corners = clr_node_attr_bool(n, "align_corners", false);
    bool half_pixel = clr_node_attr_int(n, "align_mode", 1) == 0 && !align_corners;
    float sh, sw;
    int64_t oh, ow;
    read_scales(n, &sh, &sw);
    if ((st = out_size(n, x, sh, sw, &oh, &ow)) != CLR_OK) return st;
    int64_t dims[4] = {x->dims[0], x->dims[1], oh, ow}, ih = x->dims[2], iw = x->dims[3];
    if ((st = tk_resize(n, out, CLR_DTYPE_FP32, 4, dims)) != CLR_OK) return st;
    float rh = ratio(align_corners, v2, ih, oh, sh), rw = ratio(align_corners, v2, iw, ow, sw);
    const float *px = x->data;
    float *po = out->data;
    for (int64_t pl = 0; pl < dims[0] * dims[1]; pl++) {
        const float *src = px + pl * ih * iw;
        float *dst = po + pl * oh * ow;
        for (int64_t y = 0; y < oh; y++)
            for (int64_t xo = 0; xo < ow; xo++) {
                if (nearest) {
                    int64_t sy = (int64_t)(rh * (float)y + (align_corners ? 0.5f : 0.0f));
                    int64_t sx = (int64_t)(rw * (float)xo + (align_corners ? 0.5f : 0.0f));
                    if (sy > ih - 1) sy = ih - 1;
                    if (sx > iw - 1) sx = iw - 1;
                    dst[y * ow + xo] = src[sy * iw + sx];
                } else {
                    int64_t y0, y1, x0, x1;
                    float wy, wx;
                    bilinear_src(rh, y, ih, half_pixel, &y0, &y1, &wy);
                    bilinear_src(rw, xo, iw, half_pixel, &x0, &x1, &wx);
                    float top = src[y0 * iw + x0] * (1 - wx) + src[y0 * iw + x1] * wx;
                    float bot = src[y1 * iw + x0] * (1 - wx) + src[y1 * iw + x1] * wx;
                    dst[y * ow + xo] = top * (1 - wy) + bot * wy;
                }
            }
    }
    return CLR_OK;
}
