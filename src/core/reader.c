/* clrun — bounds-checked little-endian cursor (see reader.h). */
#include "core/reader.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void clr_reader_init(clr_reader *r, const void *data, size_t size, size_t base, const char *name,
                     clr_error *err) {
    r->data = data;
    r->size = size;
    r->pos = 0;
    r->base = base;
    r->name = name ? name : "<buffer>";
    r->err = err;
}

clr_status clr_reader_fail(clr_reader *r, const char *fmt, ...) {
    if (r->err) {
        char what[384];
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(what, sizeof what, fmt, ap);
        va_end(ap);
        snprintf(r->err->msg, sizeof r->err->msg, "%s: at byte %zu: %s", r->name, clr_reader_offset(r),
                 what);
    }
    return CLR_ERR_FORMAT;
}

clr_status clr_read_bytes(clr_reader *r, size_t n, const uint8_t **p, const char *what) {
    if (n > clr_reader_left(r))
        return clr_reader_fail(r, "%s: need %zu bytes, %zu left", what, n, clr_reader_left(r));
    *p = r->data + r->pos;
    r->pos += n;
    return CLR_OK;
}

uint16_t clr_load_u16(const uint8_t *p) { return (uint16_t)(p[0] | (uint16_t)p[1] << 8); }

uint32_t clr_load_u32(const uint8_t *p) {
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

uint64_t clr_load_u64(const uint8_t *p) { return (uint64_t)clr_load_u32(p) | (uint64_t)clr_load_u32(p + 4) << 32; }

#define DEFINE_READ(fn, type, nbytes, load)                                                         \
    clr_status fn(clr_reader *r, type *v, const char *what) {                                       \
        const uint8_t *p = NULL;                                                                    \
        clr_status st = clr_read_bytes(r, nbytes, &p, what);                                        \
        if (st == CLR_OK) load;                                                                     \
        return st;                                                                                  \
    }

DEFINE_READ(clr_read_u8, uint8_t, 1, *v = p[0])
DEFINE_READ(clr_read_u16, uint16_t, 2, *v = clr_load_u16(p))
DEFINE_READ(clr_read_u32, uint32_t, 4, *v = clr_load_u32(p))
DEFINE_READ(clr_read_u64, uint64_t, 8, *v = clr_load_u64(p))
DEFINE_READ(clr_read_i32, int32_t, 4, { uint32_t u = clr_load_u32(p); memcpy(v, &u, 4); })
DEFINE_READ(clr_read_i64, int64_t, 8, { uint64_t u = clr_load_u64(p); memcpy(v, &u, 8); })
DEFINE_READ(clr_read_f32, float, 4, { uint32_t u = clr_load_u32(p); memcpy(v, &u, 4); })
DEFINE_READ(clr_read_f64, double, 8, { uint64_t u = clr_load_u64(p); memcpy(v, &u, 8); })
