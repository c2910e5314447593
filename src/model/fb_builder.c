/* clrun — front-to-back flatbuffers builder (see fb_builder.h). */
#include "model/fb_builder.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"

/* Scalars are copied in host order; flatbuffers (and every .nb file) is little-endian. */
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "the .nb writer assumes a little-endian host"
#endif

/* uoffsets are uint32 and vtable offsets int32: keep each flatbuffer below 2 GiB. */
#define FB_MAX_SIZE ((size_t)INT32_MAX)

void fb_init(fb_builder *b) { *b = (fb_builder){.status = CLR_OK}; }

void fb_release(fb_builder *b) {
    free(b->buf);
    fb_init(b);
}

/* Makes room for `n` more bytes; false (with status set) on failure. */
static bool reserve(fb_builder *b, size_t n) {
    if (b->status != CLR_OK) return false;
    if (n > FB_MAX_SIZE || b->len - b->base > FB_MAX_SIZE - n) {
        b->status = CLR_ERR_UNSUPPORTED;
        return false;
    }
    if (b->len + n <= b->cap) return true;
    size_t cap = b->cap ? b->cap : 4096;
    while (cap < b->len + n) {
        if (cap > SIZE_MAX / 2) {
            b->status = CLR_ERR_NOMEM;
            return false;
        }
        cap *= 2;
    }
    uint8_t *nbuf = clr_realloc(b->buf, cap);
    if (!nbuf) {
        b->status = CLR_ERR_NOMEM;
        return false;
    }
    b->buf = nbuf;
    b->cap = cap;
    return true;
}

size_t fb_bytes(fb_builder *b, const void *data, size_t n) {
    size_t at = b->len;
    if (!reserve(b, n)) return at;
    if (data)
        memcpy(b->buf + at, data, n);
    else
        memset(b->buf + at, 0, n);
    b->len += n;
    return at;
}

void fb_write_at(fb_builder *b, size_t at, const void *data, size_t n) {
    if (b->status == CLR_OK && at <= b->len && n <= b->len - at) memcpy(b->buf + at, data, n);
}

/* Pads with zeros so that `ahead` bytes from now the flatbuffer offset is a
 * multiple of `align` (a power of two). */
static void prep(fb_builder *b, size_t align, size_t ahead) {
    size_t pad = (align - ((b->len - b->base + ahead) & (align - 1))) & (align - 1);
    fb_bytes(b, NULL, pad);
}

void fb_start(fb_builder *b) {
    if (b->status != CLR_OK) return;
    b->base = b->len;
    fb_bytes(b, NULL, 4);
}

void fb_patch(fb_builder *b, size_t at, size_t target) {
    uint32_t u = (uint32_t)(target - at);
    fb_write_at(b, at, &u, 4);
}

size_t fb_string(fb_builder *b, const char *s) {
    size_t n = s ? strlen(s) : 0;
    if (n > FB_MAX_SIZE) {
        b->status = CLR_ERR_UNSUPPORTED;
        return b->len;
    }
    prep(b, 4, 0);
    uint32_t len = (uint32_t)n;
    size_t at = fb_bytes(b, &len, 4);
    fb_bytes(b, s, n);
    fb_bytes(b, NULL, 1);
    return at;
}

size_t fb_vector(fb_builder *b, const void *elems, size_t count, size_t elem_size) {
    if (elem_size && count > FB_MAX_SIZE / elem_size) {
        b->status = CLR_ERR_UNSUPPORTED;
        return b->len;
    }
    /* The elements, not the count, get the element's alignment (at least 4). */
    prep(b, elem_size > 4 ? elem_size : 4, 4);
    uint32_t n = (uint32_t)count;
    size_t at = fb_bytes(b, &n, 4);
    fb_bytes(b, elems, count * elem_size);
    return at;
}

size_t fb_ref_vector(fb_builder *b, size_t count) { return fb_vector(b, NULL, count, 4); }

void fb_table_init(fb_table *t) { memset(t, 0, sizeof *t); }

void fb_field(fb_table *t, int slot, const void *value, size_t size) {
    t->size[slot] = (uint8_t)size;
    memcpy(t->value[slot], value, size);
}

void fb_field_ref(fb_table *t, int slot) {
    static const uint8_t zero[4];
    fb_field(t, slot, zero, 4);
}

size_t fb_table_end(fb_builder *b, fb_table *t) {
    /* Lay fields out largest first after the 4-byte soffset, each aligned to
     * its size relative to the table start, which gets the largest alignment. */
    uint16_t off[FB_MAX_SLOTS] = {0};
    size_t inline_size = 4, align = 4;
    int nslots = 0;
    for (size_t size = 8; size >= 1; size /= 2)
        for (int s = 0; s < FB_MAX_SLOTS; s++) {
            if (t->size[s] != size) continue;
            inline_size = (inline_size + size - 1) & ~(size - 1);
            off[s] = (uint16_t)inline_size;
            inline_size += size;
            if (size > align) align = size;
            if (s + 1 > nslots) nslots = s + 1;
        }
    uint16_t vtable[2 + FB_MAX_SLOTS];
    size_t vsize = 4 + 2 * (size_t)nslots;
    vtable[0] = (uint16_t)vsize;
    vtable[1] = (uint16_t)inline_size;
    memcpy(vtable + 2, off, 2 * (size_t)nslots);

    prep(b, align, vsize);
    fb_bytes(b, vtable, vsize);
    size_t table = fb_bytes(b, NULL, inline_size);
    int32_t soffset = (int32_t)vsize; /* vtable = table - soffset: just before it */
    fb_write_at(b, table, &soffset, 4);
    for (int s = 0; s < nslots; s++) {
        t->at[s] = table + off[s];
        if (t->size[s]) fb_write_at(b, table + off[s], t->value[s], t->size[s]);
    }
    return table;
}
