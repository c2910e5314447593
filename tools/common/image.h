/* clrun — turning an image file into a model input tensor. */
#ifndef CLRUN_TOOL_IMAGE_H
#define CLRUN_TOOL_IMAGE_H

#include <stdbool.h>

#include "runtime/tensor.h"

typedef struct clr_image_prep {
    int crop[4];      /* x, y, w, h; w == 0: no crop */
    int resize_h, resize_w; /* 0: keep size */
    float mean[3], std[3];
    float scale; /* pixel * scale before mean/std; default 1/255 */
    bool bgr;    /* channel order B, G, R instead of R, G, B */
} clr_image_prep;

void clr_image_prep_default(clr_image_prep *p);

/* Decodes a JPEG/PNG/BMP/… file (stb_image), crops, resizes (bilinear, pixel
 * centres aligned as PIL does) and writes a [1, 3, H, W] FP32 tensor with
 * value = (pixel * scale - mean[c]) / std[c]. */
clr_status clr_image_load(const char *path, const clr_image_prep *prep, clr_tensor *out, clr_error *err);

#endif
