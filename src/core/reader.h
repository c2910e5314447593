/* clrun — bounds-checked little-endian cursor over a byte buffer.
 *
 * Every read checks the remaining length first and, on failure, records an
 * error naming the file, the absolute file offset and what was being read.
 * `base` is the file offset of data[0], so messages point into the file even
 * when the buffer is one section of it.
 */
#ifndef CLRUN_CORE_READER_H
#define CLRUN_CORE_READER_H

#include <stddef.h>
#include <stdint.h>

#include "clrun/status.h"

typedef struct clr_reader {
    const uint8_t *data;
    size_t size; /* bytes in data */
    size_t pos;  /* next byte to read */
    size_t base; /* file offset of data[0] */
    const char *name; /* file name for messages */
    clr_error *err;
} clr_reader;

void clr_reader_init(clr_reader *r, const void *data, size_t size, size_t base, const char *name,
                     clr_error *err);

/* File offset of the cursor. */
static inline size_t clr_reader_offset(const clr_reader *r) { return r->base + r->pos; }
static inline size_t clr_reader_left(const clr_reader *r) { return r->size - r->pos; }

/* Each returns CLR_OK or CLR_ERR_FORMAT ("<name>: at byte N: <what>: need K bytes, M left"). */
clr_status clr_read_u8(clr_reader *r, uint8_t *v, const char *what);
clr_status clr_read_u16(clr_reader *r, uint16_t *v, const char *what);
clr_status clr_read_u32(clr_reader *r, uint32_t *v, const char *what);
clr_status clr_read_u64(clr_reader *r, uint64_t *v, const char *what);
clr_status clr_read_i32(clr_reader *r, int32_t *v, const char *what);
clr_status clr_read_i64(clr_reader *r, int64_t *v, const char *what);
clr_status clr_read_f32(clr_reader *r, float *v, const char *what);
clr_status clr_read_f64(clr_reader *r, double *v, const char *what);
/* Points *p at the next n bytes (no copy) and advances. */
clr_status clr_read_bytes(clr_reader *r, size_t n, const uint8_t **p, const char *what);

/* Records a format error at the cursor's file offset. Returns CLR_ERR_FORMAT. */
clr_status clr_reader_fail(clr_reader *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Unaligned little-endian loads from a pointer already bounds-checked. */
uint16_t clr_load_u16(const uint8_t *p);
uint32_t clr_load_u32(const uint8_t *p);
uint64_t clr_load_u64(const uint8_t *p);

#endif /* CLRUN_CORE_READER_H */
