/* clrun — image decoding and preprocessing (see image.h). */
#include "io/image.h"

#include <math.h>
#include <stdlib.h>

#include "core/error.h"

/* stb_image is third-party code: compile it without our warning set. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wall"
#pragma GCC diagnostic ignored "-Wextra"
#pragma GCC diagnostic ignored "-Wshadow"
#pragma GCC diagnostic ignored "-Wmissing-prototypes"
#pragma GCC diagnostic ignored "-Wstrict-prototypes"
#define STB_IMAGE_IMPLEMENTATION
#define STBI_FAILURE_USERMSG
#include <stb/stb_image.h>
#pragma GCC diagnostic pop

/* Bilinear sample of channel c (of nc) at output (oy, ox) of a (h, w) source scaled to
 * (oh, ow), with half-pixel centres; downscaling averages like PIL's filter
 * only approximately (PIL widens the kernel), which is fine for model inputs. */
static float sample(const unsigned char *px, int w, int h, int nc, int c, int oy, int ox, int oh, int ow) {
    float fy = ((float)oy + 0.5f) * (float)h / (float)oh - 0.5f, fx = ((float)ox + 0.5f) * (float)w / (float)ow - 0.5f;
    fy = fminf(fmaxf(fy, 0.0f), (float)(h - 1));
    fx = fminf(fmaxf(fx, 0.0f), (float)(w - 1));
    int y0 = (int)fy, x0 = (int)fx;
    int y1 = y0 + 1 < h ? y0 + 1 : y0, x1 = x0 + 1 < w ? x0 + 1 : x0;
    float dy = fy - (float)y0, dx = fx - (float)x0;
    float a = px[(y0 * w + x0) * nc + c], b = px[(y0 * w + x1) * nc + c];
    float d = px[(y1 * w + x0) * nc + c], e = px[(y1 * w + x1) * nc + c];
    return (a * (1 - dx) + b * dx) * (1 - dy) + (d * (1 - dx) + e * dx) * dy;
}

clr_status clr_image_load(const char *path, const clr_image_options *opt, int32_t channels, clr_tensor *out,
                          clr_error *err) {
    clr_image_options p = opt ? *opt : (clr_image_options){0};
    if (p.scale == 0) p.scale = 1.0f / 255.0f;
    for (int c = 0; c < 3; c++)
        if (p.std[c] == 0) p.std[c] = 1.0f;
    if (channels != 1 && channels != 3)
        return clr_error_set(err, CLR_ERR_ARG, "%s: %d image channels (only 1 and 3)", path, channels);
    const int nc = channels;
    int w, h, comp;
    unsigned char *img = stbi_load(path, &w, &h, &comp, nc);
    if (!img) return clr_error_set(err, CLR_ERR_IO, "%s: cannot decode image: %s", path, stbi_failure_reason());
    int x0 = 0, y0 = 0, cw = w, ch = h;
    if (p.crop[2] > 0) {
        x0 = p.crop[0], y0 = p.crop[1], cw = p.crop[2], ch = p.crop[3];
        if (x0 < 0 || y0 < 0 || ch <= 0 || x0 > w - cw || y0 > h - ch) {
            stbi_image_free(img);
            return clr_error_set(err, CLR_ERR_ARG, "%s: crop %d,%d,%d,%d lies outside the %dx%d image", path, x0, y0,
                                 cw, ch, w, h);
        }
    }
    if (p.resize_h < 0 || p.resize_w < 0) {
        stbi_image_free(img);
        return clr_error_set(err, CLR_ERR_ARG, "%s: negative resize %dx%d", path, p.resize_h, p.resize_w);
    }
    unsigned char *crop = malloc((size_t)cw * (size_t)ch * (size_t)nc);
    if (!crop) {
        stbi_image_free(img);
        return clr_error_set(err, CLR_ERR_NOMEM, "out of memory for a %dx%d image", cw, ch);
    }
    for (int y = 0; y < ch; y++)
        for (int x = 0; x < cw * nc; x++)
            crop[(size_t)y * (size_t)(cw * nc) + (size_t)x] = img[((size_t)(y0 + y) * (size_t)w + (size_t)x0) * (size_t)nc + (size_t)x];
    stbi_image_free(img);
    int oh = p.resize_h ? p.resize_h : ch, ow = p.resize_w ? p.resize_w : cw;
    int64_t dims[4] = {1, nc, oh, ow};
    clr_status st = clr_tensor_resize(out, CLR_DTYPE_FP32, 4, dims, err);
    if (st == CLR_OK) {
        float *dst = out->data;
        for (int c = 0; c < nc; c++) {
            int src_c = p.bgr && nc == 3 ? 2 - c : c;
            for (int y = 0; y < oh; y++)
                for (int x = 0; x < ow; x++) {
                    float v = (oh == ch && ow == cw) ? crop[(y * cw + x) * nc + src_c]
                                                     : sample(crop, cw, ch, nc, src_c, y, x, oh, ow);
                    dst[((size_t)c * (size_t)oh + (size_t)y) * (size_t)ow + (size_t)x] = (v * p.scale - p.mean[c]) / p.std[c];
                }
        }
    }
    free(crop);
    return st;
}
