/* clrun — helpers shared by the tensor-family host kernels (shape
 * manipulation, fill, cast, copies): reading integer lists from the places
 * Paddle lets them come from, axis normalisation, dtype-generic element
 * access and strided copies. */
#ifndef CLRUN_KERNELS_HOST_TENSOR_COMMON_H
#define CLRUN_KERNELS_HOST_TENSOR_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "runtime/node.h"
#include "runtime/tensor.h"

/* Longest integer list (shape, axes, sections, starts…) a kernel accepts. */
#define TK_MAX_LIST 64

/* The input tensor in `in_slot`[0] (which must hold data) and the output
 * `out_slot`[0]; fails naming the missing one. */
clr_status tk_in_out(const clr_node *n, const char *in_slot, const char *out_slot, clr_tensor **in, clr_tensor **out);

/* Resizes an output; a failure message names the op. Clears any LoD the
 * variable kept from an earlier run. */
clr_status tk_resize(const clr_node *n, clr_tensor *t, int32_t dtype, int32_t ndims, const int64_t *dims);

/* Deep copy (values, shape, type, LoD) with a message naming the op. */
clr_status tk_copy(const clr_node *n, clr_tensor *dst, const clr_tensor *src);

/* Copies src's values and LoD into dst under a new shape of the same element
 * count (the caller has checked the count). */
clr_status tk_copy_reshaped(const clr_node *n, clr_tensor *dst, const clr_tensor *src, int32_t ndims,
                            const int64_t *dims);

/* Gives an optional `XShape` output the shape [0, x dims...] (no data), as
 * Paddle's *2 ops do; absent or too-deep XShape is left alone. */
clr_status tk_set_xshape(const clr_node *n, const clr_tensor *x);

/* Element size of a dtype the tensor kernels handle, failing (naming `what`)
 * for non-element types. */
clr_status tk_elem_size(const clr_node *n, const char *what, int32_t dtype, size_t *size);

/* Integer lists. Each returns *count = -1 when the source is absent (slot
 * missing, unbound or empty), so callers can try sources in priority order.
 *  - tk_ints_tensor: the values of the 1-D INT32/INT64 tensor in `slot`[0];
 *  - tk_ints_list:   one value from each 1-element INT32/INT64 tensor in `slot`;
 *  - tk_ints_attr:   the INTS/LONGS attribute `name`. */
clr_status tk_ints_tensor(const clr_node *n, const char *slot, int64_t *out, int32_t max, int32_t *count);
clr_status tk_ints_list(const clr_node *n, const char *slot, int64_t *out, int32_t max, int32_t *count);
clr_status tk_ints_attr(const clr_node *n, const char *name, int64_t *out, int32_t max, int32_t *count);

/* An integer from the first element of the tensor in `slot`[0] when present,
 * else attribute `attr` (default `dflt`). */
clr_status tk_int_tensor_or_attr(const clr_node *n, const char *slot, const char *attr, int64_t dflt, int64_t *v);

/* Maps `axis` in [-rank, rank) to [0, rank); fails naming `what` otherwise. */
clr_status tk_axis(const clr_node *n, const char *what, int64_t axis, int32_t rank, int32_t *out);

/* "[2,3,4]" into buf. */
const char *tk_dims_str(char *buf, size_t size, int32_t ndims, const int64_t *dims);
int64_t tk_prod(const int64_t *dims, int32_t from, int32_t to);

/* Whether a dtype is an integer (or bool) type, and element access that goes
 * through int64 for those and double for floating types, so that integer
 * values convert exactly and float → int truncates toward zero like C++'s
 * static_cast (saturating, NaN → 0, to keep C's undefined cases out). */
bool tk_dtype_is_int(int32_t dtype);
bool tk_dtype_numeric(int32_t dtype); /* element types the converters handle */
int64_t tk_load_i64(const void *data, int32_t dtype, int64_t i);
double tk_load_f64(const void *data, int32_t dtype, int64_t i);
void tk_store_i64(void *data, int32_t dtype, int64_t i, int64_t v);
void tk_store_f64(void *data, int32_t dtype, int64_t i, double v);

/* Copies a strided view: dst (dense, row-major over `dims`) receives
 * src[base + sum(idx[d] * strides[d])] for every index; strides are in
 * elements and may be 0 (broadcast). rank may be up to 2 * CLR_MAX_DIMS. */
#define TK_MAX_VIEW_DIMS (2 * CLR_MAX_DIMS)
void tk_strided_copy(void *dst, const void *src, size_t esize, int32_t rank, const int64_t *dims,
                     const int64_t *strides);

#endif /* CLRUN_KERNELS_HOST_TENSOR_COMMON_H */
