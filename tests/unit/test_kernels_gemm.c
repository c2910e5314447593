/* Unit tests for the threaded CPU path (issue 12): the thread pool (every
 * index once, nesting, errors), each GEMM micro-kernel this CPU runs and
 * the packed GEMM driver, bit for bit against one fmaf chain per output
 * over k ascending (fp32) and exact int32 sums (int8), on odd shapes,
 * transposed operands and 1, 2 and 3 threads. CTest runs it once per
 * kernel choice (CLRUN_GEMM_KERNEL, see tests/CMakeLists.txt). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/alloc.h"
#include "core/thread_pool.h"
#include "kernels/host/gemm.h"
#include "kernels/host/gemm_micro.h"
#include "test_models.h"

static float *rand_floats(int64_t n, unsigned long long seed, bool int8) {
    float *p = malloc((size_t)(n > 0 ? n : 1) * sizeof *p);
    clr_test_rng r = {seed * 2654435761ull + 1};
    for (int64_t i = 0; i < n; i++) {
        unsigned long long v = clr_test_rng_next(&r);
        p[i] = int8 ? (float)((int)(v % 255) - 127) : (float)((double)(v % 2000001) / 1000000.0 - 1.0);
    }
    return p;
}

typedef struct count_ctx {
    atomic_int *hits;
    int64_t grain;
    atomic_int bad_range;
} count_ctx;

static void count_range(void *ctx, int64_t b, int64_t e) {
    count_ctx *c = ctx;
    if (b % c->grain != 0 || (e - b != c->grain && e - b > c->grain)) atomic_store(&c->bad_range, 1);
    for (int64_t i = b; i < e; i++) atomic_fetch_add(&c->hits[i], 1);
}

static void nested_range(void *ctx, int64_t b, int64_t e) {
    count_ctx *c = ctx;
    /* a loop inside a range runs inline on this thread */
    for (int64_t i = b; i < e; i++) clr_parallel_for(NULL, 1, 1, count_range, c);
}

static void pool_covers_each_index_once(void **state) {
    (void)state;
    static const int64_t sizes[] = {1, 2, 7, 64, 1000, 4099};
    static const int64_t grains[] = {1, 3, 64, 5000};
    for (int32_t threads = 1; threads <= 4; threads++) {
        clr_thread_pool *pool = NULL;
        assert_int_equal(clr_thread_pool_create(threads, &pool, NULL), CLR_OK);
        assert_int_equal(clr_thread_pool_size(pool), threads);
        for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++)
            for (size_t g = 0; g < sizeof grains / sizeof grains[0]; g++)
                for (int rep = 0; rep < 20; rep++) {
                    int64_t n = sizes[s];
                    atomic_int *hits = calloc((size_t)n, sizeof *hits);
                    count_ctx c = {.hits = hits, .grain = grains[g]};
                    clr_parallel_for(pool, n, grains[g], count_range, &c);
                    for (int64_t i = 0; i < n; i++) assert_int_equal(atomic_load(&hits[i]), 1);
                    assert_int_equal(atomic_load(&c.bad_range), 0);
                    free(hits);
                }
        atomic_int hit = 0;
        count_ctx c = {.hits = &hit, .grain = 1};
        clr_parallel_for(pool, 1, 1, nested_range, &c);
        assert_int_equal(atomic_load(&hit), 1);
        clr_thread_pool_free(pool);
    }
    clr_thread_pool *pool = NULL;
    assert_int_equal(clr_thread_pool_create(0, &pool, NULL), CLR_OK);
    assert_int_equal(clr_thread_pool_size(pool), clr_thread_pool_default_size());
    clr_thread_pool_free(pool);
    clr_error err = {{0}};
    pool = NULL;
    assert_int_equal(clr_thread_pool_create(-1, &pool, &err), CLR_ERR_ARG);
    assert_non_null(strstr(err.msg, "threads"));
    assert_int_equal(clr_thread_pool_create(5000, &pool, &err), CLR_ERR_ARG);
    assert_null(pool);
    assert_int_equal(clr_thread_pool_size(NULL), 1);
    clr_thread_pool_free(NULL);
}

/* Each micro-kernel on packed panels: a fresh chain, then one continued. */
static void micro_kernels_are_fma_chains(void **state) {
    (void)state;
    const clr_gemm_micro *ks[8];
    int32_t nk = clr_gemm_micro_all(ks, 8);
    assert_true(nk >= 1);
    for (int32_t q = 0; q < nk; q++) {
        int32_t mr = ks[q]->mr, nr = ks[q]->nr;
        for (int64_t kc = 1; kc <= 37; kc += 9) {
            float *ap = rand_floats(kc * mr, 11 + (unsigned)kc, false), *bp = rand_floats(kc * nr, 5, false);
            float *c = rand_floats(mr * (nr + 3), 7, false), *want = malloc(sizeof(float) * (size_t)(mr * (nr + 3)));
            memcpy(want, c, sizeof(float) * (size_t)(mr * (nr + 3)));
            for (int load = 0; load < 2; load++) {
                for (int32_t r = 0; r < mr; r++)
                    for (int32_t j = 0; j < nr; j++) {
                        float acc = load ? want[r * (nr + 3) + j] : 0.0f;
                        for (int64_t k = 0; k < kc; k++) acc = fmaf(ap[k * mr + r], bp[k * nr + j], acc);
                        want[r * (nr + 3) + j] = acc;
                    }
                ks[q]->fn(kc, ap, bp, c, nr + 3, load);
                assert_memory_equal(c, want, sizeof(float) * (size_t)(mr * (nr + 3)));
            }
            free(ap);
            free(bp);
            free(c);
            free(want);
        }
    }
}

typedef struct gemm_case {
    int64_t m, n, k;
    bool ta, tb; /* operand stored transposed */
} gemm_case;

static const gemm_case cases[] = {
    {1, 1, 1, false, false},   {3, 5, 7, false, false},    {13, 33, 17, false, false}, {12, 32, 256, false, false},
    {25, 70, 257, false, true}, {7, 200, 300, true, false}, {40, 193, 513, true, true}, {96, 49, 160, false, false},
    {2, 400, 3, false, false},  {130, 9, 40, false, false}, {5, 3, 0, false, false},
};

/* The epilogue under test: y = 2 y + 1 (exact), once per output. */
typedef struct epi_ctx {
    int64_t ldc;
    float *base;
    atomic_int *hits;
} epi_ctx;

static void epi_double(void *ctx, int64_t row, int64_t col, float *c, int64_t len) {
    epi_ctx *e = ctx;
    assert_true(c == e->base + row * e->ldc + col);
    for (int64_t j = 0; j < len; j++) {
        c[j] = 2.0f * c[j] + 1.0f;
        atomic_fetch_add(&e->hits[row * e->ldc + col + j], 1);
    }
}

/* `packed`: A packed first (clr_gemm_pack), as conv weights are, and fp32
 * with an epilogue. */
static void check_gemm(const gemm_case *c, clr_thread_pool *pool, bool int8, bool packed) {
    float *a = rand_floats(c->m * c->k, (unsigned)(c->m * 31 + c->k), int8);
    float *b = rand_floats(c->k * c->n, (unsigned)(c->n * 17 + c->k), int8);
    clr_gemm_operand oa = c->ta ? (clr_gemm_operand){a, 1, c->m} : (clr_gemm_operand){a, c->k, 1};
    clr_gemm_operand ob = c->tb ? (clr_gemm_operand){b, 1, c->k} : (clr_gemm_operand){b, c->n, 1};
    int64_t ldc = c->n + 2, cells = c->m * ldc;
    float *cf = malloc(sizeof(float) * (size_t)(cells > 0 ? cells : 1));
    int32_t *ci = malloc(sizeof(int32_t) * (size_t)(cells > 0 ? cells : 1));
    for (int64_t i = 0; i < cells; i++) cf[i] = -7.0f, ci[i] = -7;
    clr_gemm_packed *pa = packed ? clr_gemm_pack(pool, c->m, c->k, oa) : NULL;
    if (packed) assert_non_null(pa);
    atomic_int *hits = calloc((size_t)(cells > 0 ? cells : 1), sizeof *hits);
    epi_ctx ec = {ldc, cf, hits};
    clr_gemm_epilogue epi = {epi_double, &ec};
    if (pa) clr_sgemm_packed(pool, pa, c->n, ob, NULL, int8 ? NULL : cf, int8 ? ci : NULL, ldc, int8 ? NULL : &epi);
    else if (int8) clr_sgemm_exact_i32(pool, c->m, c->n, c->k, oa, ob, ci, ldc);
    else clr_sgemm(pool, c->m, c->n, c->k, oa, ob, cf, ldc);
    clr_gemm_packed_free(pa);
    for (int64_t i = 0; i < c->m; i++)
        for (int64_t j = 0; j < ldc; j++) {
            float want = 0.0f;
            int64_t wi = 0;
            for (int64_t k = 0; j < c->n && k < c->k; k++) {
                float x = oa.p[i * oa.rs + k * oa.cs], y = ob.p[k * ob.rs + j * ob.cs];
                if (int8) wi += (int64_t)x * (int64_t)y;
                else want = fmaf(x, y, want);
            }
            if (j >= c->n) { /* beyond the row: untouched */
                if (int8) assert_int_equal(ci[i * ldc + j], -7);
                else assert_true(cf[i * ldc + j] == -7.0f);
            } else if (int8) {
                assert_int_equal(ci[i * ldc + j], wi);
            } else {
                if (pa) want = 2.0f * want + 1.0f, assert_int_equal(atomic_load(&hits[i * ldc + j]), 1);
                assert_memory_equal(&cf[i * ldc + j], &want, sizeof want);
            }
        }
    free(a);
    free(b);
    free(cf);
    free(ci);
    free(hits);
}

static void gemm_is_one_chain_per_output(void **state) {
    (void)state;
    for (int32_t threads = 1; threads <= 3; threads++) {
        clr_thread_pool *pool = NULL;
        assert_int_equal(clr_thread_pool_create(threads, &pool, NULL), CLR_OK);
        for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
            for (int packed = 0; packed < 2; packed++) {
                check_gemm(&cases[i], pool, false, packed);
                check_gemm(&cases[i], pool, true, packed);
            }
        }
        clr_thread_pool_free(pool);
    }
}

/* Without memory for its scratch (A packed once, the B block on the heap)
 * the GEMM packs A per panel and B one panel wide on the stack: same bits. */
static void gemm_without_memory_is_the_same(void **state) {
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        clr_alloc_fail_after(0); /* every allocation fails from here */
        check_gemm(&cases[i], NULL, false, false);
        check_gemm(&cases[i], NULL, true, false);
        clr_alloc_fail_after(-1);
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(pool_covers_each_index_once),
        cmocka_unit_test(micro_kernels_are_fma_chains),
        cmocka_unit_test(gemm_is_one_chain_per_output),
        cmocka_unit_test(gemm_without_memory_is_the_same),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
