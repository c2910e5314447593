/* clrun — thread pool (see thread_pool.h).
 *
 * One job at a time: the caller publishes (fn, ctx, n, grain) with a new
 * generation in `state`, then takes ranges itself from an atomic counter.
 * A worker that sees the generation enters the job (a compare-and-swap
 * that counts it in) and takes ranges too. When the caller runs out of
 * ranges it closes the job: workers that have not entered by then stay out
 * (a busy machine may not have scheduled them yet; waiting for them would
 * stall every kernel), and it waits only for those inside. Which thread runs
 * a range never changes what the range computes. */
#include "core/thread_pool.h"

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <unistd.h>

#include "core/alloc.h"
#include "core/error.h"

/* Pause iterations an idle worker spins before it sleeps (~0.1-0.5 ms). */
enum { SPIN_ROUNDS = 20000, MAX_THREADS = 1024 };

/* `state`: generation << 32 | CLOSED | number of workers that entered. */
#define GEN_SHIFT 32
#define CLOSED 0x80000000ull
#define ENTERED 0x7fffffffull

struct clr_thread_pool {
    int32_t threads; /* caller included */
    pthread_t *workers;
    int32_t started;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    atomic_ullong state;
    atomic_bool stop;
    atomic_int sleeping; /* workers waiting on `wake` */
    atomic_int done;     /* workers that entered the current job and left it */
    unsigned long long gen; /* the caller's generation count */
    /* the current job, written before `state` announces it */
    clr_parallel_fn fn;
    void *ctx;
    int64_t n, grain, ranges;
    atomic_llong next; /* next range to take */
};

static _Thread_local bool in_range; /* a loop started inside a range runs inline */

static inline void cpu_relax(void) {
#if defined(__x86_64__) || defined(__i386__)
    __asm__ __volatile__("pause");
#elif defined(__aarch64__)
    __asm__ __volatile__("yield");
#endif
}

static void run_ranges(clr_thread_pool *p) {
    in_range = true;
    for (;;) {
        int64_t r = atomic_fetch_add_explicit(&p->next, 1, memory_order_relaxed);
        if (r >= p->ranges) break;
        int64_t b = r * p->grain, e = b + p->grain < p->n ? b + p->grain : p->n;
        p->fn(p->ctx, b, e);
    }
    in_range = false;
}

/* Enters job `gen` unless it is closed or over; true when entered. */
static bool enter(clr_thread_pool *p, unsigned long long gen) {
    unsigned long long s = atomic_load(&p->state);
    while (s >> GEN_SHIFT == gen && !(s & CLOSED))
        if (atomic_compare_exchange_weak(&p->state, &s, s + 1)) return true;
    return false;
}

static void *worker_main(void *arg) {
    clr_thread_pool *p = arg;
    unsigned long long seen = 0;
    for (;;) {
        unsigned long long g = atomic_load(&p->state) >> GEN_SHIFT;
        /* A fresh worker sleeps at once: spinning is for back-to-back jobs,
         * and would only slow down the session's start on a busy machine. */
        for (int i = seen ? 0 : SPIN_ROUNDS; g == seen && i < SPIN_ROUNDS && !atomic_load(&p->stop); i++) {
            cpu_relax();
            g = atomic_load(&p->state) >> GEN_SHIFT;
        }
        if (g == seen) {
            pthread_mutex_lock(&p->lock);
            atomic_fetch_add(&p->sleeping, 1);
            while ((g = atomic_load(&p->state) >> GEN_SHIFT) == seen && !atomic_load(&p->stop))
                pthread_cond_wait(&p->wake, &p->lock);
            atomic_fetch_sub(&p->sleeping, 1);
            pthread_mutex_unlock(&p->lock);
        }
        if (atomic_load(&p->stop)) return NULL;
        seen = g;
        if (!enter(p, g)) continue;
        run_ranges(p);
        atomic_fetch_add_explicit(&p->done, 1, memory_order_release);
    }
}

int32_t clr_thread_pool_default_size(void) {
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > MAX_THREADS ? MAX_THREADS : (int32_t)n;
}

clr_status clr_thread_pool_create(int32_t threads, clr_thread_pool **out, clr_error *err) {
    if (threads < 0 || threads > MAX_THREADS)
        return clr_error_set(err, CLR_ERR_ARG, "threads %d is not in 0..%d (0 = the machine's cores)", threads,
                             MAX_THREADS);
    if (threads == 0) threads = clr_thread_pool_default_size();
    clr_thread_pool *p = clr_calloc(1, sizeof *p);
    if (!p) return clr_error_set(err, CLR_ERR_NOMEM, "out of memory for the thread pool");
    p->threads = threads;
    pthread_mutex_init(&p->lock, NULL);
    pthread_cond_init(&p->wake, NULL);
    if (threads > 1) {
        p->workers = clr_calloc((size_t)threads - 1, sizeof *p->workers);
        if (!p->workers) {
            clr_thread_pool_free(p);
            return clr_error_set(err, CLR_ERR_NOMEM, "out of memory for the thread pool");
        }
        for (; p->started < threads - 1; p->started++)
            if (pthread_create(&p->workers[p->started], NULL, worker_main, p) != 0) {
                int32_t which = p->started + 2;
                clr_thread_pool_free(p);
                return clr_error_set(err, CLR_ERR_INTERNAL, "cannot start thread %d of %d", which, threads);
            }
    }
    *out = p;
    return CLR_OK;
}

void clr_thread_pool_free(clr_thread_pool *p) {
    if (!p) return;
    pthread_mutex_lock(&p->lock);
    atomic_store(&p->stop, true);
    pthread_cond_broadcast(&p->wake);
    pthread_mutex_unlock(&p->lock);
    for (int32_t i = 0; i < p->started; i++) pthread_join(p->workers[i], NULL);
    pthread_cond_destroy(&p->wake);
    pthread_mutex_destroy(&p->lock);
    free(p->workers);
    free(p);
}

int32_t clr_thread_pool_size(const clr_thread_pool *p) { return p ? p->threads : 1; }

void clr_parallel_for(clr_thread_pool *p, int64_t n, int64_t grain, clr_parallel_fn fn, void *ctx) {
    if (n <= 0) return;
    if (grain < 1) grain = 1;
    int64_t ranges = (n + grain - 1) / grain;
    if (!p || p->threads == 1 || ranges == 1 || in_range) {
        for (int64_t b = 0; b < n; b += grain) fn(ctx, b, b + grain < n ? b + grain : n);
        return;
    }
    p->fn = fn;
    p->ctx = ctx;
    p->n = n;
    p->grain = grain;
    p->ranges = ranges;
    atomic_store_explicit(&p->next, 0, memory_order_relaxed);
    atomic_store_explicit(&p->done, 0, memory_order_relaxed);
    atomic_store(&p->state, ++p->gen << GEN_SHIFT); /* seq_cst against the `sleeping` check below */
    if (atomic_load(&p->sleeping) > 0) {
        pthread_mutex_lock(&p->lock);
        pthread_cond_broadcast(&p->wake);
        pthread_mutex_unlock(&p->lock);
    }
    run_ranges(p);
    int entered = (int)(atomic_fetch_or(&p->state, CLOSED) & ENTERED);
    for (int i = 0; atomic_load_explicit(&p->done, memory_order_acquire) < entered; i++) {
        if (i < SPIN_ROUNDS) cpu_relax();
        else sched_yield();
    }
}

int64_t clr_parallel_grain(const clr_thread_pool *p, int64_t n, int64_t min, int64_t align) {
    int64_t t = clr_thread_pool_size(p), g = (n + 4 * t - 1) / (4 * t);
    if (g < min) g = min;
    return (g + align - 1) / align * align;
}
