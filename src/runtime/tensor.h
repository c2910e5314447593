/* clrun — host tensors used by the executor and the CPU kernels.
 *
 * A tensor is a typed, dense, row-major (C order) array with up to
 * CLR_MAX_DIMS dimensions. It either owns its memory (64-byte aligned,
 * grown on demand and kept for reuse) or borrows it (parameters point into
 * the loaded program, read-only). Optional level-1 LoD (offsets into dim 0)
 * is carried for the detection ops that produce variable-length lists.
 */
#ifndef CLRUN_RUNTIME_TENSOR_H
#define CLRUN_RUNTIME_TENSOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "clrun/program.h"

#define CLR_MAX_DIMS 8

typedef struct clr_tensor {
    int32_t dtype; /* clr_dtype */
    int32_t ndims;
    int64_t dims[CLR_MAX_DIMS];
    void *data;
    size_t capacity; /* bytes of owned memory; 0 when borrowed */
    bool borrowed;   /* data belongs to someone else (a parameter): never written or freed */
    int32_t nlod;    /* entries in lod (0 = no LoD) */
    uint64_t *lod;   /* level-1 offsets, owned */
    /* The value's copy on the OpenCL device (a cl_mem), managed by
     * backend/opencl/cl_tensor.h; host code never touches it. */
    void *dev;
    size_t dev_capacity;
} clr_tensor;

int64_t clr_tensor_numel(const clr_tensor *t);
size_t clr_tensor_nbytes(const clr_tensor *t);

/* Gives `t` the type and shape, growing owned memory when needed (contents
 * are then undefined). Fails with CLR_ERR_ARG for a negative dim or too many
 * dims, CLR_ERR_NOMEM when memory runs out; a borrowed tensor becomes owned. */
clr_status clr_tensor_resize(clr_tensor *t, int32_t dtype, int32_t ndims, const int64_t *dims, clr_error *err);

/* Sets type and shape only, allocating nothing (for values that live on the
 * device); same checks as clr_tensor_resize. */
clr_status clr_tensor_set_shape(clr_tensor *t, int32_t dtype, int32_t ndims, const int64_t *dims, clr_error *err);

/* Same shape and type as `like`. */
clr_status clr_tensor_resize_like(clr_tensor *t, const clr_tensor *like, clr_error *err);

/* Deep copy of values, shape, type and LoD. */
clr_status clr_tensor_copy(clr_tensor *dst, const clr_tensor *src, clr_error *err);

/* Sets the LoD (copied). n = 0 clears it. */
clr_status clr_tensor_set_lod(clr_tensor *t, int32_t n, const uint64_t *lod, clr_error *err);

/* Points `t` at read-only memory it does not own. */
void clr_tensor_borrow(clr_tensor *t, int32_t dtype, int32_t ndims, const int64_t *dims, const void *data);

/* Frees owned host memory and resets to an empty tensor. Device memory must
 * have been released first (clr_cl_tensor_release). */
void clr_tensor_release(clr_tensor *t);

/* "[1,3,224,224]" into buf. */
const char *clr_tensor_shape_str(const clr_tensor *t, char *buf, size_t size);

#endif /* CLRUN_RUNTIME_TENSOR_H */
