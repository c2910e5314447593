/* clrun — building a clr_program in memory, for tests and tools (nbgen).
 *
 * Usage: create a builder, declare vars, add ops one at a time (each
 * clr_builder_op starts a new op; slot and attribute calls apply to the last
 * op), add parameters, then clr_builder_finish. Everything passed in is
 * copied. Errors are sticky: every call returns the builder's status, calls
 * after a failure do nothing, and clr_builder_finish reports the first
 * failure, so callers may check only the final result.
 *
 * clr_builder_finish sorts each op's slots by param and its attributes by
 * name (byte-wise, as opt stores them) and the parameters by name (opt's
 * order, nb-format.md 3.1), and rejects duplicates.
 */
#ifndef CLRUN_MODEL_PROGRAM_BUILDER_H
#define CLRUN_MODEL_PROGRAM_BUILDER_H

#include <stdbool.h>
#include <stdint.h>

#include "clrun/program.h"

typedef struct clr_builder clr_builder;

/* A builder whose block 0 is open. NULL when out of memory. */
clr_builder *clr_builder_create(const char *opt_version);
/* Releases a builder that will not be finished. NULL is a no-op. */
void clr_builder_free(clr_builder *b);

/* Program version (default 0). */
clr_status clr_builder_version(clr_builder *b, int64_t version);
/* Opens a new block (idx = number of blocks so far); later vars and ops go there. */
clr_status clr_builder_block(clr_builder *b, int32_t parent_idx, int32_t forward_block_idx);

/* A LOD_TENSOR variable of element type `dtype`. */
clr_status clr_builder_var(clr_builder *b, const char *name, int32_t dtype, int32_t ndims, const int64_t *dims,
                           bool persistable);
/* Any variable type, e.g. CLR_VARTYPE_FEED_MINIBATCH with dtype BOOL and no dims. */
clr_status clr_builder_var_typed(clr_builder *b, const char *name, int32_t type, int32_t dtype, int32_t ndims,
                                 const int64_t *dims, bool persistable);

clr_status clr_builder_op(clr_builder *b, const char *type);
clr_status clr_builder_op_input(clr_builder *b, const char *param, int32_t nargs, const char *const *args);
clr_status clr_builder_op_output(clr_builder *b, const char *param, int32_t nargs, const char *const *args);

/* Any attribute type (deep copy of `attr`). */
clr_status clr_builder_attr(clr_builder *b, const clr_attr *attr);
clr_status clr_builder_attr_int(clr_builder *b, const char *name, int32_t v);
clr_status clr_builder_attr_float(clr_builder *b, const char *name, float v);
clr_status clr_builder_attr_bool(clr_builder *b, const char *name, bool v);
clr_status clr_builder_attr_long(clr_builder *b, const char *name, int64_t v);
clr_status clr_builder_attr_string(clr_builder *b, const char *name, const char *v);
clr_status clr_builder_attr_ints(clr_builder *b, const char *name, int32_t n, const int32_t *v);
clr_status clr_builder_attr_floats(clr_builder *b, const char *name, int32_t n, const float *v);

/* A parameter tensor; nbytes must equal numel(dims) * clr_dtype_size(dtype).
 * Declare its persistable var with clr_builder_var as well. */
clr_status clr_builder_param(clr_builder *b, const char *name, int32_t dtype, int32_t ndims, const int64_t *dims,
                             const void *data, uint64_t nbytes);

/* Produces the program (format META2, op places derived) and always releases
 * the builder. On failure *out is untouched and nothing leaks. */
clr_status clr_builder_finish(clr_builder *b, clr_program **out, clr_error *err);

#endif /* CLRUN_MODEL_PROGRAM_BUILDER_H */
