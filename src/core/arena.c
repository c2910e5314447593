/* clrun — arena allocator (see arena.h). Chunks are malloc'ed blocks chained
 * in a list; requests larger than a quarter chunk get a chunk of their own so
 * big tensors do not waste the tail of a shared chunk. malloc only promises
 * 16-byte alignment, so positions are aligned on absolute addresses and every
 * chunk carries MAX_ALIGN bytes of slack. */
#include "core/arena.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"

enum { CHUNK_DATA = 64 * 1024, MAX_ALIGN = 64 };

typedef struct chunk {
    struct chunk *next;
    size_t used, cap;
    unsigned char data[];
} chunk;

struct clr_arena {
    chunk *head;
    size_t total;
};

clr_arena *clr_arena_create(void) { return clr_calloc(1, sizeof(clr_arena)); }

void clr_arena_free(clr_arena *arena) {
    if (!arena) return;
    chunk *c = arena->head;
    while (c) {
        chunk *next = c->next;
        free(c);
        c = next;
    }
    free(arena);
}

static chunk *chunk_new(clr_arena *arena, size_t cap) {
    if (cap > SIZE_MAX - sizeof(chunk) - MAX_ALIGN) return NULL;
    cap += MAX_ALIGN;
    chunk *c = clr_malloc(sizeof(chunk) + cap);
    if (!c) return NULL;
    c->used = 0;
    c->cap = cap;
    arena->total += sizeof(chunk) + cap;
    return c;
}

/* Smallest position >= pos in c->data whose address is a multiple of align. */
static size_t align_offset(const chunk *c, size_t pos, size_t align) {
    uintptr_t addr = (uintptr_t)(c->data + pos);
    return pos + ((align - addr % align) % align);
}

void *clr_arena_alloc(clr_arena *arena, size_t size, size_t align) {
    if (align == 0 || align > MAX_ALIGN || (align & (align - 1))) align = MAX_ALIGN;
    if (size > SIZE_MAX - MAX_ALIGN) return NULL;
    if (size >= CHUNK_DATA / 4) {
        /* Large request: own chunk, linked behind the head so the head's free
         * space stays usable for small requests. */
        chunk *c = chunk_new(arena, size);
        if (!c) return NULL;
        size_t at = align_offset(c, 0, align);
        c->used = at + size;
        if (arena->head) {
            c->next = arena->head->next;
            arena->head->next = c;
        } else {
            c->next = NULL;
            arena->head = c;
        }
        memset(c->data + at, 0, size);
        return c->data + at;
    }
    chunk *h = arena->head;
    size_t at = h ? align_offset(h, h->used, align) : 0;
    if (!h || at + size > h->cap) {
        chunk *c = chunk_new(arena, CHUNK_DATA);
        if (!c) return NULL;
        c->next = h;
        arena->head = h = c;
        at = align_offset(h, 0, align);
    }
    h->used = at + size;
    memset(h->data + at, 0, size);
    return h->data + at;
}

void *clr_arena_array(clr_arena *arena, size_t count, size_t elem_size, size_t align) {
    if (elem_size && count > SIZE_MAX / elem_size) return NULL;
    return clr_arena_alloc(arena, count * elem_size, align);
}

char *clr_arena_strndup(clr_arena *arena, const char *s, size_t len) {
    if (len == SIZE_MAX) return NULL;
    char *d = clr_arena_alloc(arena, len + 1, 1);
    if (!d) return NULL;
    if (len) memcpy(d, s, len);
    d[len] = '\0';
    return d;
}

size_t clr_arena_bytes(const clr_arena *arena) { return arena ? arena->total : 0; }
