/* clrun — turning an image file into a model input tensor (behind
 * clr_session_set_input_image; see clr_image_options in clrun/clrun.h). */
#ifndef CLRUN_IO_IMAGE_H
#define CLRUN_IO_IMAGE_H

#include "clrun/clrun.h"
#include "runtime/tensor.h"

/* Decodes a JPEG/PNG/BMP/PNM/… file (stb_image), crops, resizes (bilinear,
 * pixel centres aligned as PIL does) and writes a [1, channels, H, W] FP32
 * tensor with value = (pixel * scale - mean[c]) / std[c]. `channels` is 1
 * (grayscale) or 3; the zero defaults of `opt` (NULL: all) are applied here. */
clr_status clr_image_load(const char *path, const clr_image_options *opt, int32_t channels, clr_tensor *out,
                          clr_error *err);

#endif
