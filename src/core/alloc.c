/* clrun — allocation wrappers with a test-only fault hook (see alloc.h). */
#include "core/alloc.h"

#include <stdatomic.h>
#include <stdlib.h>

/* Atomic: kernels allocate scratch on the pool's threads too. */
static atomic_long fail_countdown = -1; /* < 0: never fail */
static atomic_long succeeded;

static int should_fail(void) {
    if (fail_countdown < 0) {
        succeeded++;
        return 0;
    }
    if (fail_countdown == 0) return 1;
    fail_countdown--;
    succeeded++;
    return 0;
}

void *clr_malloc(size_t size) { return should_fail() ? NULL : malloc(size ? size : 1); }

void *clr_calloc(size_t count, size_t size) {
    return should_fail() ? NULL : calloc(count ? count : 1, size ? size : 1);
}

void *clr_realloc(void *ptr, size_t size) { return should_fail() ? NULL : realloc(ptr, size ? size : 1); }

void *clr_aligned_alloc64(size_t size) {
    size_t rounded = (size + 63) & ~(size_t)63; /* aligned_alloc wants a multiple of the alignment */
    if (rounded < size) return NULL;
    return should_fail() ? NULL : aligned_alloc(64, rounded ? rounded : 64);
}

long clr_alloc_fail_after(long n) {
    long done = succeeded;
    fail_countdown = n;
    succeeded = 0;
    return done;
}
