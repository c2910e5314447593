/* clrun — the session's thread pool for the host kernels.
 *
 * A pool of N threads is the caller plus N - 1 workers; 1 (or a NULL pool)
 * means no thread is created and every loop runs on the caller. Kernels cut
 * their work with clr_parallel_for into ranges (the grain may follow the
 * thread count) such that every output is computed by exactly one range
 * with the same operations as a serial loop, whatever the range bounds
 * (chunks of activations keep a multiple of 4 values, so the lanes and the
 * scalar tail stay put): results are bit-identical for any number of
 * threads (int8 exactness depends on it). Idle workers spin briefly, then sleep on a
 * condition variable, so back-to-back kernels do not pay a wake-up each.
 * A loop started from inside a pool range runs inline (no nesting).
 */
#ifndef CLRUN_CORE_THREAD_POOL_H
#define CLRUN_CORE_THREAD_POOL_H

#include <stdint.h>

#include "clrun/status.h"

typedef struct clr_thread_pool clr_thread_pool;

/* Calls of one range: fn(ctx, begin, end) over [begin, end). */
typedef void (*clr_parallel_fn)(void *ctx, int64_t begin, int64_t end);

/* The machine's online cores (at least 1). */
int32_t clr_thread_pool_default_size(void);

/* Creates a pool of `threads` threads in all (0: the machine's cores; 1: no
 * worker threads). Fails with CLR_ERR_ARG for a negative or absurd count
 * (over 1024) and CLR_ERR_NOMEM / CLR_ERR_INTERNAL when threads cannot be
 * made; *out is untouched on failure. */
clr_status clr_thread_pool_create(int32_t threads, clr_thread_pool **out, clr_error *err);
/* Joins the workers; NULL is a no-op. */
void clr_thread_pool_free(clr_thread_pool *pool);
/* Threads in all (1 for NULL). */
int32_t clr_thread_pool_size(const clr_thread_pool *pool);

/* Runs fn over [0, n) in ranges of `grain` items (the last one shorter),
 * spread over the pool's threads; returns when all ranges are done. A NULL
 * pool, a 1-thread pool, a single range or a call from inside a range runs
 * fn(ctx, 0, n) ... range by range on the caller, with the same bounds. */
void clr_parallel_for(clr_thread_pool *pool, int64_t n, int64_t grain, clr_parallel_fn fn, void *ctx);

/* A grain that gives about 4 ranges per thread for n items, at least `min`
 * and a multiple of `align` (both >= 1). It depends on the pool size, so use
 * it only where results do not depend on range bounds. */
int64_t clr_parallel_grain(const clr_thread_pool *pool, int64_t n, int64_t min, int64_t align);

#endif
