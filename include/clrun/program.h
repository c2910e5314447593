/* clrun — a loaded Paddle-Lite program: the in-memory form of a `.nb` file.
 *
 * A clr_program is what the loader produces from any format `opt` has written
 * (meta_version 0, 1, 2 and the pre-v2.3 directory form) and what the writer
 * consumes. It is a plain, read-only description: blocks of variables and ops
 * in file order, every attribute with its stored type, and every parameter
 * tensor with its stored element type and raw little-endian bytes.
 *
 * Ownership: all memory of a program (strings, arrays, tensor data) lives in
 * one arena owned by the program and is released by clr_program_free().
 * Enumerations use the numbering of Paddle's framework.proto (the flatbuffers
 * numbering), whatever the source format used, so every format reads the same.
 */
#ifndef CLRUN_PROGRAM_H
#define CLRUN_PROGRAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "clrun/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Element / variable types: Paddle's VarType.Type numbering (nb-format.md 2.3). */
typedef enum clr_dtype {
    CLR_DTYPE_BOOL = 0,
    CLR_DTYPE_INT16 = 1,
    CLR_DTYPE_INT32 = 2,
    CLR_DTYPE_INT64 = 3,
    CLR_DTYPE_FP16 = 4,
    CLR_DTYPE_FP32 = 5,
    CLR_DTYPE_FP64 = 6,
    CLR_VARTYPE_LOD_TENSOR = 7,
    CLR_VARTYPE_SELECTED_ROWS = 8,
    CLR_VARTYPE_FEED_MINIBATCH = 9,
    CLR_VARTYPE_FETCH_LIST = 10,
    CLR_VARTYPE_STEP_SCOPES = 11,
    CLR_VARTYPE_LOD_RANK_TABLE = 12,
    CLR_VARTYPE_LOD_TENSOR_ARRAY = 13,
    CLR_VARTYPE_PLACE_LIST = 14,
    CLR_VARTYPE_READER = 15,
    CLR_VARTYPE_RAW = 17,
    CLR_VARTYPE_TUPLE = 18,
    CLR_DTYPE_SIZE_T = 19,
    CLR_DTYPE_UINT8 = 20,
    CLR_DTYPE_INT8 = 21
} clr_dtype;

/* Upper-case name ("FP32", "INT8", "LOD_TENSOR"…), or NULL for an unknown value. */
CLR_API const char *clr_dtype_name(int32_t dtype);
/* Bytes per element of a tensor element type; 0 for a non-element type. */
CLR_API size_t clr_dtype_size(int32_t dtype);

/* Attribute types: Paddle's AttrType numbering (nb-format.md 2.3). */
typedef enum clr_attr_type {
    CLR_ATTR_INT = 0,
    CLR_ATTR_FLOAT = 1,
    CLR_ATTR_STRING = 2,
    CLR_ATTR_INTS = 3,
    CLR_ATTR_FLOATS = 4,
    CLR_ATTR_STRINGS = 5,
    CLR_ATTR_BOOLEAN = 6,
    CLR_ATTR_BOOLEANS = 7,
    CLR_ATTR_BLOCK = 8,
    CLR_ATTR_LONG = 9,
    CLR_ATTR_BLOCKS = 10,
    CLR_ATTR_LONGS = 11,
    CLR_ATTR_FLOAT64S = 12,
    CLR_ATTR_FLOAT64 = 15
} clr_attr_type;

/* One op attribute. Only the member that `type` selects is meaningful; list
 * types store `count` elements in the matching array. */
typedef struct clr_attr {
    const char *name;
    int32_t type; /* clr_attr_type */
    union {
        int32_t i;     /* INT, BLOCK */
        float f;       /* FLOAT */
        bool b;        /* BOOLEAN */
        int64_t l;     /* LONG */
        double f64;    /* FLOAT64 */
        const char *s; /* STRING */
    } v;
    int32_t count; /* element count for list types */
    union {
        const int32_t *ints;      /* INTS, BLOCKS */
        const float *floats;      /* FLOATS */
        const char *const *strings; /* STRINGS */
        const bool *bools;        /* BOOLEANS */
        const int64_t *longs;     /* LONGS */
        const double *float64s;   /* FLOAT64S */
    } list;
} clr_attr;

/* An op's input or output slot: a parameter name bound to variable names. */
typedef struct clr_slot {
    const char *param; /* e.g. "Input", "Filter" */
    int32_t nargs;
    const char *const *args;
} clr_slot;

/* Paddle-Lite place enums (nb-format.md 4.1), stored as decimal integers in
 * the kernel-place attribute. */
enum { CLR_TARGET_HOST = 1, CLR_TARGET_X86 = 2, CLR_TARGET_ARM = 4, CLR_TARGET_OPENCL = 5, CLR_TARGET_ANY = 6 };
enum { CLR_PRECISION_FLOAT = 1, CLR_PRECISION_INT8 = 2, CLR_PRECISION_ANY = 4, CLR_PRECISION_FP16 = 5 };
enum { CLR_LAYOUT_NCHW = 1, CLR_LAYOUT_ANY = 2, CLR_LAYOUT_IMAGE_DEFAULT = 4, CLR_LAYOUT_IMAGE_FOLDER = 5 };

/* The kernel `opt` chose for an op, parsed from "op/alias/target/precision/layout"
 * in the attribute `__@kernel_type_attr@__`. */
typedef struct clr_kernel_place {
    bool present;      /* false when the op carries no (well-formed) place attribute */
    const char *alias; /* "def", "image2d", "int8_out", … */
    int32_t target, precision, layout;
} clr_kernel_place;

#define CLR_KERNEL_PLACE_ATTR "__@kernel_type_attr@__"

/* "kARM", "kFloat", "kNCHW" …: Paddle-Lite's *Repr names, or NULL when unknown. */
CLR_API const char *clr_target_repr(int32_t target);
CLR_API const char *clr_precision_repr(int32_t precision);
CLR_API const char *clr_layout_repr(int32_t layout);

typedef struct clr_op {
    const char *type;
    int32_t ninputs, noutputs, nattrs;
    const clr_slot *inputs;  /* sorted by param, as stored */
    const clr_slot *outputs; /* sorted by param, as stored */
    const clr_attr *attrs;   /* sorted by name, as stored */
    bool is_target;
    clr_kernel_place place; /* derived from the place attribute, which stays in attrs too */
} clr_op;

typedef struct clr_var {
    const char *name;
    int32_t type;  /* clr_dtype VARTYPE_* value: LOD_TENSOR, FEED_MINIBATCH, … */
    int32_t dtype; /* element type of the tensor description */
    int32_t ndims;
    const int64_t *dims; /* as recorded at opt time; -1 = unknown */
    int32_t lod_level;
    bool persistable;
    bool need_check_feed;
} clr_var;

typedef struct clr_block {
    int32_t idx, parent_idx, forward_block_idx;
    int32_t nvars, nops;
    const clr_var *vars;
    const clr_op *ops;
} clr_block;

/* A persistable tensor (weight). `data` holds numel * clr_dtype_size(dtype)
 * little-endian bytes, 64-byte aligned in memory. */
typedef struct clr_param {
    const char *name;
    int32_t dtype;
    int32_t ndims;
    const int64_t *dims;
    uint64_t nbytes;
    const void *data;
} clr_param;

typedef enum clr_format {
    CLR_FORMAT_META0 = 0,    /* single-file naive buffer, v2.3–v2.6 */
    CLR_FORMAT_META1 = 1,    /* flatbuffers program + one CombinedParamsDesc, v2.7 */
    CLR_FORMAT_META2 = 2,    /* flatbuffers program + framed ParamDesc stream, v2.8+ */
    CLR_FORMAT_LEGACY_DIR = 3 /* directory: __model__.nb + param.nb, before v2.3 */
} clr_format;

/* Human name of a format, e.g. "flatbuffers (meta_version 2)". */
CLR_API const char *clr_format_name(clr_format format);

typedef struct clr_program {
    clr_format format;
    char opt_version[17]; /* NUL-terminated; empty for the directory form */
    int64_t version;      /* program version copied from the Paddle model */
    int32_t nblocks;
    const clr_block *blocks; /* block 0 is the main block */
    int32_t nparams;
    const clr_param *params; /* in file order */
    struct clr_arena *arena; /* owns everything above */
} clr_program;

/* Loads a model from `path`: a `.nb` file of any meta_version, or a directory
 * holding `__model__.nb` and `param.nb`. On success *out owns a new program. */
CLR_API clr_status clr_program_load(const char *path, clr_program **out, clr_error *err);

/* Same, from memory (a single-file model; `data` is not retained). `name` is
 * used in error messages. */
CLR_API clr_status clr_program_load_buffer(const void *data, size_t size, const char *name,
                                   clr_program **out, clr_error *err);

/* Releases a program and everything it owns. NULL is a no-op. */
CLR_API void clr_program_free(clr_program *program);

/* Writes `program` as a single-file model with the given meta_version (1 or 2).
 * The file is written to a temporary name and renamed into place. */
CLR_API clr_status clr_program_save(const clr_program *program, const char *path, int meta_version,
                            clr_error *err);

/* Serializes to a malloc'ed buffer the caller frees with free(). */
CLR_API clr_status clr_program_serialize(const clr_program *program, int meta_version, void **out_data,
                                 size_t *out_size, clr_error *err);

/* Compares two programs field by field. Returns true when equal; otherwise
 * writes the first difference into `why` (may be NULL). */
CLR_API bool clr_program_equal(const clr_program *a, const clr_program *b, clr_error *why);

/* Look-ups. Return NULL when absent (and for NULL arguments). */
CLR_API const clr_attr *clr_op_attr(const clr_op *op, const char *name);
CLR_API const clr_slot *clr_op_input(const clr_op *op, const char *param);
CLR_API const clr_slot *clr_op_output(const clr_op *op, const char *param);
CLR_API const clr_param *clr_program_param(const clr_program *program, const char *name);
CLR_API const clr_var *clr_block_var(const clr_block *block, const char *name);

#ifdef __cplusplus
}
#endif

#endif /* CLRUN_PROGRAM_H */
