/* clrun — a small front-to-back flatbuffers builder, used by the .nb writer.
 *
 * The official builders write back to front; this one appends. A table is
 * written as its vtable immediately followed by the table (so the soffset is
 * positive), and every reference field starts as a placeholder that is
 * patched once its target has been appended after it. References therefore
 * always point forward, as the flatbuffers spec requires (nb-format.md 2.1).
 *
 * One builder holds a whole output file: raw bytes (headers, frames) and any
 * number of flatbuffers, each begun with fb_start(). Alignment is relative to
 * the start of the current flatbuffer. Errors are sticky: after the first
 * failure every call does nothing and `status` says why.
 */
#ifndef CLRUN_MODEL_FB_BUILDER_H
#define CLRUN_MODEL_FB_BUILDER_H

#include <stddef.h>
#include <stdint.h>

#include "clrun/status.h"

typedef struct fb_builder {
    uint8_t *buf; /* from clr_realloc: the caller may take it and free() it */
    size_t len, cap;
    size_t base;       /* offset of the current flatbuffer in buf */
    clr_status status; /* CLR_OK, CLR_ERR_NOMEM, or CLR_ERR_UNSUPPORTED (a buffer over 2 GiB) */
} fb_builder;

void fb_init(fb_builder *b);
void fb_release(fb_builder *b);

/* Appends `n` bytes (zeros when data is NULL) without alignment; returns their offset. */
size_t fb_bytes(fb_builder *b, const void *data, size_t n);
/* Overwrites `n` already appended bytes at `at`. */
void fb_write_at(fb_builder *b, size_t at, const void *data, size_t n);

/* Begins a flatbuffer at the current end: its root offset is at b->base and
 * is set with fb_patch(b, b->base, root_table). */
void fb_start(fb_builder *b);
/* Makes the uint32 at `at` refer to `target` (which lies after it). */
void fb_patch(fb_builder *b, size_t at, size_t target);

size_t fb_string(fb_builder *b, const char *s); /* NULL writes "" */
/* Vector of `count` scalars of `elem_size` bytes (zeros when elems is NULL). */
size_t fb_vector(fb_builder *b, const void *elems, size_t count, size_t elem_size);
/* Vector of `count` references, each patched later at fb_elem(vec, i). */
size_t fb_ref_vector(fb_builder *b, size_t count);
static inline size_t fb_elem(size_t vec, size_t i) { return vec + 4 + 4 * i; }

enum { FB_MAX_SLOTS = 16 };

/* A table being assembled: fields are recorded by slot, then fb_table_end
 * lays them out, appends vtable and table and fills `at` with each field's
 * offset, so reference fields can be patched. */
typedef struct fb_table {
    uint8_t size[FB_MAX_SLOTS]; /* 0 = absent */
    uint8_t value[FB_MAX_SLOTS][8];
    size_t at[FB_MAX_SLOTS];
} fb_table;

void fb_table_init(fb_table *t);
void fb_field(fb_table *t, int slot, const void *value, size_t size);
void fb_field_ref(fb_table *t, int slot);
static inline void fb_field_i32(fb_table *t, int slot, int32_t v) { fb_field(t, slot, &v, 4); }
static inline void fb_field_i64(fb_table *t, int slot, int64_t v) { fb_field(t, slot, &v, 8); }
static inline void fb_field_u8(fb_table *t, int slot, uint8_t v) { fb_field(t, slot, &v, 1); }
/* Returns the table's offset. */
size_t fb_table_end(fb_builder *b, fb_table *t);

#endif /* CLRUN_MODEL_FB_BUILDER_H */
