/* clrun — bounds-checked flatbuffers access (nb-format.md 2.1).
 *
 * Reads tables, scalars, strings and vectors of one flatbuffers buffer without
 * ever touching a byte outside it. Every offset is checked on use, so a hostile
 * buffer can point anywhere (backwards, at itself, past the end) and only ever
 * gets a format error. Callers walk a fixed-depth schema, so cycles cannot
 * cause loops; a budget (each table, vector and string read is charged the
 * bytes it occupies, at most the buffer size in all) stops shared or
 * overlapping objects from multiplying into huge allocations.
 *
 * Errors read "<file>: at byte <file offset>: <object>: <what is wrong>", where
 * <object> is the label the caller gave the table ("block 0 op 3 (conv2d)").
 */
#ifndef CLRUN_MODEL_FLATBUF_H
#define CLRUN_MODEL_FLATBUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/loader.h"

typedef struct clr_fb {
    const uint8_t *buf;
    size_t size;
    size_t base;      /* file offset of buf[0] */
    clr_load_ctx *ctx; /* file name, error record, arena */
    uint64_t budget;   /* bytes left to charge (see above) */
} clr_fb;

typedef struct clr_fb_table {
    const char *obj; /* label for messages; must outlive the table's use */
    size_t pos;      /* the table's soffset */
    size_t vtab;     /* its vtable */
    uint16_t vsize;  /* vtable bytes */
} clr_fb_table;

typedef struct clr_fb_vec {
    const char *obj, *field; /* for messages about elements */
    size_t pos;              /* first element */
    uint32_t count;
    size_t elem_size;
} clr_fb_vec;

/* Wraps buf[0..size), which sits at file offset `base`. */
void clr_fb_init(clr_fb *fb, clr_load_ctx *ctx, const uint8_t *buf, size_t size, size_t base);

/* Records "<file>: at byte <offset>: <obj>: <fmt…>" (offset in the file).
 * Returns CLR_ERR_FORMAT. */
clr_status clr_load_fail(const clr_load_ctx *ctx, size_t offset, const char *obj, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Same, at buffer position pos. */
clr_status clr_fb_fail(const clr_fb *fb, size_t pos, const char *obj, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Appends open + name + close to a label of `cap` bytes, showing at most 40
 * bytes of a stored name with control bytes replaced by '?', so messages stay
 * one short line whatever the file holds. */
void clr_fb_label_add(char *label, size_t cap, const char *open, const char *name, const char *close);
/* Records an out-of-memory error naming `obj`. Returns CLR_ERR_NOMEM. */
clr_status clr_fb_nomem(const clr_fb *fb, const char *obj);

/* The root table (uint32 offset at byte 0). */
clr_status clr_fb_root(clr_fb *fb, const char *obj, clr_fb_table *t);

/* Scalar fields: `def` (the schema default) when absent. */
clr_status clr_fb_u8(const clr_fb *fb, const clr_fb_table *t, int slot, const char *field, uint8_t def,
                     uint8_t *v);
clr_status clr_fb_bool(const clr_fb *fb, const clr_fb_table *t, int slot, const char *field, bool *v);
clr_status clr_fb_i32(const clr_fb *fb, const clr_fb_table *t, int slot, const char *field, int32_t def,
                      int32_t *v);
clr_status clr_fb_i64(const clr_fb *fb, const clr_fb_table *t, int slot, const char *field, int64_t def,
                      int64_t *v);
clr_status clr_fb_f32(const clr_fb *fb, const clr_fb_table *t, int slot, const char *field, float *v);
clr_status clr_fb_f64(const clr_fb *fb, const clr_fb_table *t, int slot, const char *field, double *v);

/* Sub-table field labelled `obj`; *present is false (and *sub untouched) when
 * absent, or an error when `required`. */
clr_status clr_fb_table_field(clr_fb *fb, const clr_fb_table *t, int slot, const char *field,
                              const char *obj, bool required, clr_fb_table *sub, bool *present);

/* String field copied into the arena; "" when absent, or an error when `required`. */
clr_status clr_fb_string(clr_fb *fb, const clr_fb_table *t, int slot, const char *field, bool required,
                         const char **s);

/* Vector field of `elem_size`-byte elements (4 for tables and strings); empty
 * when absent. Checks that all elements lie inside the buffer. */
clr_status clr_fb_vector(clr_fb *fb, const clr_fb_table *t, int slot, const char *field, size_t elem_size,
                         clr_fb_vec *v);
/* Element i of a vector of tables, labelled `obj`. */
clr_status clr_fb_vec_table(clr_fb *fb, const clr_fb_vec *v, uint32_t i, const char *obj, clr_fb_table *t);
/* Element i of a vector of strings, copied into the arena. */
clr_status clr_fb_vec_string(clr_fb *fb, const clr_fb_vec *v, uint32_t i, const char **s);
/* Copies a vector of 4- or 8-byte little-endian scalars (ints, floats,
 * doubles) into an aligned host-order arena array. */
clr_status clr_fb_vec_scalars(const clr_fb *fb, const clr_fb_vec *v, void **out);
/* Copies a vector of 1-byte bools into an arena array of bool (nonzero = true). */
clr_status clr_fb_vec_bools(const clr_fb *fb, const clr_fb_vec *v, bool **out);

#endif /* CLRUN_MODEL_FLATBUF_H */
