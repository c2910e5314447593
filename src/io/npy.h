/* clrun — NumPy .npy files (format versions 1–3), the exchange format for
 * inputs and outputs: little-endian, C order, dtypes <f4 <f8 <i1 <u1 <i2 <i4
 * <i8 |b1. <f8 is read as FP32 (clrun computes in fp32); <f2 as FP16 bytes. */
#ifndef CLRUN_IO_NPY_H
#define CLRUN_IO_NPY_H

#include "runtime/tensor.h"

/* Reads `path` into `t` (resized). Errors name the file and what is wrong. */
clr_status clr_npy_read(const char *path, clr_tensor *t, clr_error *err);
/* Parses an in-memory .npy image. */
clr_status clr_npy_parse(const void *data, size_t size, const char *name, clr_tensor *t, clr_error *err);
/* Writes `t` as a version-1 .npy file. */
clr_status clr_npy_write(const char *path, const clr_tensor *t, clr_error *err);
/* NumPy's name of a dtype clrun can write ("float32", "int8", …), or NULL. */
const char *clr_npy_dtype_name(int32_t dtype);

#endif
