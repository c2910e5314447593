/* clrun — arena allocator (see arena.h). Chunks are malloc'ed blocks chained
 * in a list; requests larger than a quarter chunk get a chunk of their own so
 * big tensors do not waste the tail of a shared chunk. */
#include "core/arena.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"

enum { CHUNK_DATA = 64 * 1024, MAX_ALIGN = 64 };

typedef struct chunk {
    struct chunk *next;
    size_t used, cap;
    _Alignas(MAX_ALIGN) unsigned char data[];
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
    if (cap > SIZE_MAX - sizeof(chunk)) return NULL;
    chunk *c = clr_malloc(sizeof(chunk) + cap);
    if (!c) return NULL;
    c->used = 0;
    c->cap = cap;
    arena->total += sizeof(chunk) + cap;
    return c;
}

void *clr_arena_alloc(clr_arena *arena, size_t size, size_t align) {
    if (align == 0 || align > MAX_ALIGN || (align & (align - 1))) align = MAX_ALIGN;
    if (size > SIZE_MAX - MAX_ALIGN) return NULL;
    if (size >= CHUNK_DATA / 4) {
        /* Large request: own chunk, linked behind the head so the head's free
         * space stays usable for small requests. */
        chunk *c = chunk_new(arena, size);
        if (!c) return NULL;
        c->used = size;
        if (arena->head) {
            c->next = arena->head->next;
            arena->head->next = c;
        } else {
            c->next = NULL;
            arena->head = c;
        }
        memset(c->data, 0, size);
        return c->data;
    }
    chunk *h = arena->head;
    size_t at = h ? (h->used + align - 1) & ~(align - 1) : 0;
    if (!h || at + size > h->cap) {
        chunk *c = chunk_new(arena, CHUNK_DATA);
        if (!c) return NULL;
        c->next = h;
        arena->head = h = c;
        at = 0;
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
