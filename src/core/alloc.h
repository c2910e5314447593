/* clrun — the library's only entry to malloc/calloc/realloc.
 *
 * Routing every allocation through here lets tests fail the N-th allocation
 * (clr_alloc_fail_after) and check that each failure becomes CLR_ERR_NOMEM
 * with nothing leaked, as ncnn's and SQLite's fault allocators do.
 */
#ifndef CLRUN_CORE_ALLOC_H
#define CLRUN_CORE_ALLOC_H

#include <stddef.h>

void *clr_malloc(size_t size);
void *clr_calloc(size_t count, size_t size);
void *clr_realloc(void *ptr, size_t size);
/* 64-byte aligned block of at least `size` bytes, released with free(). */
void *clr_aligned_alloc64(size_t size);

/* Test hook: the allocation after `n` more successful ones fails; n < 0
 * disables the fault (the default). Returns how many allocations succeeded
 * since the last call. Not thread-safe; tests only. */
long clr_alloc_fail_after(long n);

#endif /* CLRUN_CORE_ALLOC_H */
