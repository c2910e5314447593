/* clrun — bounds-checked flatbuffers access (see flatbuf.h). */
#include "model/flatbuf.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/arena.h"
#include "core/error.h"
#include "core/reader.h"

void clr_fb_init(clr_fb *fb, clr_load_ctx *ctx, const uint8_t *buf, size_t size, size_t base) {
    fb->buf = buf;
    fb->size = size;
    fb->base = base;
    fb->ctx = ctx;
    fb->budget = size;
}

static clr_status vfail(const clr_load_ctx *ctx, size_t offset, const char *obj, const char *fmt, va_list ap) {
    char what[384];
    vsnprintf(what, sizeof what, fmt, ap);
    return clr_error_set(ctx->err, CLR_ERR_FORMAT, "%s: at byte %zu: %s: %s", ctx->name, offset, obj, what);
}

clr_status clr_load_fail(const clr_load_ctx *ctx, size_t offset, const char *obj, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    clr_status st = vfail(ctx, offset, obj, fmt, ap);
    va_end(ap);
    return st;
}

clr_status clr_fb_fail(const clr_fb *fb, size_t pos, const char *obj, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    clr_status st = vfail(fb->ctx, fb->base + pos, obj, fmt, ap);
    va_end(ap);
    return st;
}

void clr_fb_label_add(char *label, size_t cap, const char *open, const char *name, const char *close) {
    char shown[41];
    size_t n = 0;
    for (; name[n] && n < sizeof shown - 1; n++)
        shown[n] = (unsigned char)name[n] < 0x20 || name[n] == 0x7f ? '?' : name[n];
    shown[n] = '\0';
    size_t len = strlen(label);
    if (len < cap) snprintf(label + len, cap - len, "%s%s%s", open, shown, close);
}

clr_status clr_fb_nomem(const clr_fb *fb, const char *obj) {
    return clr_error_set(fb->ctx->err, CLR_ERR_NOMEM, "%s: out of memory reading %s", fb->ctx->name, obj);
}

/* Each object read is charged the bytes it occupies at least. Honest buffers
 * never spend more than they hold, because their objects occupy disjoint
 * bytes; a hostile one that shares or overlaps objects runs out and is
 * rejected, so allocations stay proportional to the buffer size. */
static clr_status charge(clr_fb *fb, size_t pos, const char *obj, uint64_t units) {
    if (units > fb->budget)
        return clr_fb_fail(fb, pos, obj, "objects overlap or are shared: more data than the %zu-byte buffer holds",
                           fb->size);
    fb->budget -= units;
    return CLR_OK;
}

/* Whether n bytes at pos lie inside the buffer. */
static bool fits(const clr_fb *fb, size_t pos, uint64_t n) { return pos <= fb->size && n <= fb->size - pos; }

/* Opens the table whose soffset is at pos. The vtable is at pos - soffset,
 * which may lie before or after the table. */
static clr_status open_table(clr_fb *fb, size_t pos, const char *obj, clr_fb_table *t) {
    if (!fits(fb, pos, 4)) return clr_fb_fail(fb, pos, obj, "table starts outside the %zu-byte buffer", fb->size);
    clr_status st = charge(fb, pos, obj, 4); /* its soffset */
    if (st != CLR_OK) return st;
    int32_t soff;
    uint32_t u = clr_load_u32(fb->buf + pos);
    memcpy(&soff, &u, 4);
    int64_t vt = (int64_t)pos - (int64_t)soff;
    if (vt < 0 || (uint64_t)vt > fb->size || !fits(fb, (size_t)vt, 4))
        return clr_fb_fail(fb, pos, obj, "vtable offset %d points outside the buffer", soff);
    uint16_t vsize = clr_load_u16(fb->buf + vt);
    if (vsize < 4 || vsize % 2 || !fits(fb, (size_t)vt, vsize))
        return clr_fb_fail(fb, (size_t)vt, obj, "bad vtable size %u", vsize);
    *t = (clr_fb_table){.obj = obj, .pos = pos, .vtab = (size_t)vt, .vsize = vsize};
    return CLR_OK;
}

/* Position of a field's `size` inline bytes, or 0 when absent (a present
 * field lies after its table's start, so never at 0). */
static clr_status field_pos(const clr_fb *fb, const clr_fb_table *t, int slot, const char *field, size_t size,
                            size_t *pos) {
    size_t entry = 4 + 2 * (size_t)slot;
    uint16_t off = entry + 2 <= t->vsize ? clr_load_u16(fb->buf + t->vtab + entry) : 0;
    *pos = 0;
    if (!off) return CLR_OK;
    if (!fits(fb, t->pos + off, size))
        return clr_fb_fail(fb, t->vtab + entry, t->obj, "field '%s' at table offset %u runs past the end of the buffer",
                           field, off);
    *pos = t->pos + off;
    return CLR_OK;
}

/* Follows the uint32 reference at pos (checked to be in bounds) to a target
 * with at least 4 bytes inside the buffer. */
static clr_status follow(const clr_fb *fb, size_t pos, const char *obj, const char *field, size_t *target) {
    *target = 0;
    uint32_t u = clr_load_u32(fb->buf + pos);
    if (!fits(fb, pos, (uint64_t)u + 4))
        return clr_fb_fail(fb, pos, obj, "'%s' offset %u points outside the %zu-byte buffer", field, u, fb->size);
    *target = pos + u;
    return CLR_OK;
}

clr_status clr_fb_root(clr_fb *fb, const char *obj, clr_fb_table *t) {
    if (!fits(fb, 0, 4)) return clr_fb_fail(fb, 0, obj, "%zu-byte buffer is too small for a flatbuffer", fb->size);
    size_t pos;
    clr_status st = follow(fb, 0, obj, "root", &pos);
    return st != CLR_OK ? st : open_table(fb, pos, obj, t);
}

/* Reads an absent-or-present scalar field of n bytes into raw (zero-extended LE). */
static clr_status scalar(const clr_fb *fb, const clr_fb_table *t, int slot, const char *field, size_t n,
                         bool *present, uint64_t *raw) {
    size_t pos;
    clr_status st = field_pos(fb, t, slot, field, n, &pos);
    if (st != CLR_OK) return st;
    *present = pos != 0;
    if (!pos) return CLR_OK;
    const uint8_t *p = fb->buf + pos;
    *raw = n == 1 ? p[0] : n == 4 ? clr_load_u32(p) : clr_load_u64(p);
    return CLR_OK;
}

clr_status clr_fb_u8(const clr_fb *fb, const clr_fb_table *t, int slot, const char *field, uint8_t def,
                     uint8_t *v) {
    bool present;
    uint64_t raw = 0;
    clr_status st = scalar(fb, t, slot, field, 1, &present, &raw);
    if (st == CLR_OK) *v = present ? (uint8_t)raw : def;
    return st;
}

clr_status clr_fb_bool(const clr_fb *fb, const clr_fb_table *t, int slot, const char *field, bool *v) {
    uint8_t b = 0;
    clr_status st = clr_fb_u8(fb, t, slot, field, 0, &b);
    if (st == CLR_OK) *v = b != 0;
    return st;
}

clr_status clr_fb_i32(const clr_fb *fb, const clr_fb_table *t, int slot, const char *field, int32_t def,
                      int32_t *v) {
    bool present;
    uint64_t raw = 0;
    clr_status st = scalar(fb, t, slot, field, 4, &present, &raw);
    if (st != CLR_OK) return st;
    uint32_t u = (uint32_t)raw;
    if (present) memcpy(v, &u, 4);
    else *v = def;
    return CLR_OK;
}

clr_status clr_fb_i64(const clr_fb *fb, const clr_fb_table *t, int slot, const char *field, int64_t def,
                      int64_t *v) {
    bool present;
    uint64_t raw = 0;
    clr_status st = scalar(fb, t, slot, field, 8, &present, &raw);
    if (st != CLR_OK) return st;
    if (present) memcpy(v, &raw, 8);
    else *v = def;
    return CLR_OK;
}

clr_status clr_fb_f32(const clr_fb *fb, const clr_fb_table *t, int slot, const char *field, float *v) {
    bool present;
    uint64_t raw = 0;
    clr_status st = scalar(fb, t, slot, field, 4, &present, &raw);
    if (st != CLR_OK) return st;
    uint32_t u = (uint32_t)raw;
    memcpy(v, &u, 4);
    return CLR_OK;
}

clr_status clr_fb_f64(const clr_fb *fb, const clr_fb_table *t, int slot, const char *field, double *v) {
    bool present;
    uint64_t raw = 0;
    clr_status st = scalar(fb, t, slot, field, 8, &present, &raw);
    if (st == CLR_OK) memcpy(v, &raw, 8);
    return st;
}

/* Target of a reference field, or 0 when absent (a present reference's
 * target lies at or after the reference, so it is never 0). */
static clr_status ref_field(const clr_fb *fb, const clr_fb_table *t, int slot, const char *field, bool required,
                            size_t *target) {
    size_t pos;
    clr_status st = field_pos(fb, t, slot, field, 4, &pos);
    if (st != CLR_OK) return st;
    *target = 0;
    if (!pos) return required ? clr_fb_fail(fb, t->pos, t->obj, "required field '%s' is missing", field) : CLR_OK;
    return follow(fb, pos, t->obj, field, target);
}

clr_status clr_fb_table_field(clr_fb *fb, const clr_fb_table *t, int slot, const char *field, const char *obj,
                              bool required, clr_fb_table *sub, bool *present) {
    size_t target;
    clr_status st = ref_field(fb, t, slot, field, required, &target);
    *present = false;
    if (st != CLR_OK || !target) return st;
    *present = true;
    return open_table(fb, target, obj, sub);
}

/* Copies the string at pos (length, bytes, NUL — all inside the buffer). */
static clr_status string_at(clr_fb *fb, size_t pos, const char *obj, const char *field, const char **s) {
    uint32_t len = clr_load_u32(fb->buf + pos);
    if (!fits(fb, pos + 4, (uint64_t)len + 1) || fb->buf[pos + 4 + len] != 0)
        return clr_fb_fail(fb, pos, obj, "string '%s' of %u bytes is not NUL-terminated inside the buffer", field, len);
    clr_status st = charge(fb, pos, obj, (uint64_t)len + 5); /* length, bytes, NUL */
    if (st != CLR_OK) return st;
    char *copy = clr_arena_strndup(fb->ctx->arena, (const char *)fb->buf + pos + 4, len);
    if (!copy) return clr_fb_nomem(fb, obj);
    *s = copy;
    return CLR_OK;
}

clr_status clr_fb_string(clr_fb *fb, const clr_fb_table *t, int slot, const char *field, bool required,
                         const char **s) {
    size_t target;
    clr_status st = ref_field(fb, t, slot, field, required, &target);
    if (st != CLR_OK) return st;
    if (!target) {
        *s = "";
        return CLR_OK;
    }
    return string_at(fb, target, t->obj, field, s);
}

clr_status clr_fb_vector(clr_fb *fb, const clr_fb_table *t, int slot, const char *field, size_t elem_size,
                         clr_fb_vec *v) {
    size_t target;
    clr_status st = ref_field(fb, t, slot, field, false, &target);
    if (st != CLR_OK) return st;
    *v = (clr_fb_vec){.obj = t->obj, .field = field, .elem_size = elem_size};
    if (!target) return CLR_OK;
    uint32_t count = clr_load_u32(fb->buf + target);
    /* count < 2^32 and elem_size <= 8: the product cannot overflow 64 bits. */
    if (count > INT32_MAX || !fits(fb, target + 4, (uint64_t)count * elem_size))
        return clr_fb_fail(fb, target, t->obj, "vector '%s' of %u %zu-byte elements runs past the end of the buffer",
                           field, count, elem_size);
    if ((st = charge(fb, target, t->obj, 4 + (uint64_t)count * elem_size)) != CLR_OK) return st;
    v->pos = target + 4;
    v->count = count;
    return CLR_OK;
}

clr_status clr_fb_vec_table(clr_fb *fb, const clr_fb_vec *v, uint32_t i, const char *obj, clr_fb_table *t) {
    size_t target;
    clr_status st = follow(fb, v->pos + 4 * (size_t)i, v->obj, v->field, &target);
    return st != CLR_OK ? st : open_table(fb, target, obj, t);
}

clr_status clr_fb_vec_string(clr_fb *fb, const clr_fb_vec *v, uint32_t i, const char **s) {
    size_t target;
    clr_status st = follow(fb, v->pos + 4 * (size_t)i, v->obj, v->field, &target);
    return st != CLR_OK ? st : string_at(fb, target, v->obj, v->field, s);
}

clr_status clr_fb_vec_scalars(const clr_fb *fb, const clr_fb_vec *v, void **out) {
    uint8_t *dst = clr_arena_array(fb->ctx->arena, v->count, v->elem_size, v->elem_size);
    if (!dst) return clr_fb_nomem(fb, v->obj);
    const uint8_t *src = fb->buf + v->pos;
    for (size_t at = 0; at < (size_t)v->count * v->elem_size; at += v->elem_size) {
        if (v->elem_size == 4) {
            uint32_t u = clr_load_u32(src + at);
            memcpy(dst + at, &u, 4);
        } else {
            uint64_t u = clr_load_u64(src + at);
            memcpy(dst + at, &u, 8);
        }
    }
    *out = dst;
    return CLR_OK;
}

clr_status clr_fb_vec_bools(const clr_fb *fb, const clr_fb_vec *v, bool **out) {
    bool *dst = clr_arena_array(fb->ctx->arena, v->count, sizeof(bool), _Alignof(bool));
    if (!dst) return clr_fb_nomem(fb, v->obj);
    for (uint32_t i = 0; i < v->count; i++) dst[i] = fb->buf[v->pos + i] != 0;
    *out = dst;
    return CLR_OK;
}
