/* clrun — arena allocator: many small allocations, one free.
 *
 * A loaded program's strings, arrays and tensor data all come from one arena,
 * so a loader that fails half-way releases everything with one call and a
 * program needs no per-object destructor.
 */
#ifndef CLRUN_CORE_ARENA_H
#define CLRUN_CORE_ARENA_H

#include <stddef.h>

typedef struct clr_arena clr_arena;

/* NULL when out of memory. */
clr_arena *clr_arena_create(void);
/* Releases every allocation of the arena. NULL is a no-op. */
void clr_arena_free(clr_arena *arena);
/* `size` zeroed bytes aligned to `align` (a power of two, at most 64); NULL
 * when out of memory or when size overflows. size 0 returns a valid pointer. */
void *clr_arena_alloc(clr_arena *arena, size_t size, size_t align);
/* Array of `count` elements of `elem_size` bytes, checked for overflow. */
void *clr_arena_array(clr_arena *arena, size_t count, size_t elem_size, size_t align);
/* Copy of `len` bytes of `s` plus a terminating NUL. */
char *clr_arena_strndup(clr_arena *arena, const char *s, size_t len);
/* Bytes obtained from malloc so far (for tests and memory reports). */
size_t clr_arena_bytes(const clr_arena *arena);

#endif /* CLRUN_CORE_ARENA_H */
