/* clrun — packed, threaded GEMM (see gemm.h).
 *
 * Three-level blocking: the output is cut into units of MC rows x NC
 * columns, spread over the session's threads; each unit walks K in blocks
 * of KC, packs its B block (NR-wide panels, zero-padded) and, per MR-row
 * panel of A (packed k-major), runs the register-blocked micro-kernel
 * (gemm_micro.h) over the B panels. Packing makes every inner load
 * contiguous whatever the operand strides. The blocking decides only who
 * computes which outputs and in which cache: each fp32 output is one fma
 * chain over k ascending (carried across K blocks through C), each int8 one
 * exact float sum per K block added in int32, for any thread count and
 * kernel. */
#include "kernels/host/gemm.h"

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"

#include "kernels/host/gemm_micro.h"

/* KC <= 256 keeps int8 block sums exact (gemm.h); NC is a multiple of every
 * kernel's NR (32, 16, 12, 8). */
enum { KC = 256, NC = 192, MR_MAX = 12, NR_MAX = 32 };

static void pack_a(const clr_gemm_operand *a, int64_t i0, int64_t rows, int32_t mr, int64_t k0, int64_t kc,
                   float *ap) {
    const float *src[MR_MAX];
    for (int64_t r = 0; r < mr; r++) /* rows past the end repeat the last real row; their results are dropped */
        src[r] = a->p + (i0 + (r < rows ? r : rows - 1)) * a->rs + k0 * a->cs;
    for (int64_t k = 0; k < kc; k++)
        for (int64_t r = 0; r < mr; r++) ap[k * mr + r] = src[r][k * a->cs];
}

/* Row by row (each source row read once, contiguously, or made by the
 * source function), panel by panel. */
static void pack_b(const clr_gemm_operand *b, const clr_gemm_bsource *bsrc, int64_t k0, int64_t kc, int64_t j0,
                   int64_t nc, int32_t nr, float *bp) {
    float made[NC];
    for (int64_t k = 0; k < kc; k++) {
        const float *row = made;
        int64_t cs = 1;
        if (bsrc) bsrc->row(bsrc->ctx, k0 + k, j0, nc, made);
        else row = b->p + (k0 + k) * b->rs + j0 * b->cs, cs = b->cs;
        for (int64_t jp = 0; jp < nc; jp += nr) {
            int64_t cols = nc - jp < nr ? nc - jp : nr;
            const float *src = row + jp * cs;
            float *d = bp + jp * kc + k * nr;
            if (cs == 1) /* a loop, not memcpy: rows of 8 to 32 values, a call each was slower */
                for (int64_t j = 0; j < cols; j++) d[j] = src[j];
            else
                for (int64_t j = 0; j < cols; j++) d[j] = src[j * cs];
            for (int64_t j = cols; j < nr; j++) d[j] = 0.0f;
        }
    }
}

typedef struct gemm_job {
    const clr_gemm_micro *uk;
    int64_t m, n, k;
    clr_gemm_operand a, b;
    const clr_gemm_bsource *bsrc; /* B made by a function, or NULL: b */
    float *cf;   /* fp32 output, or */
    int32_t *ci; /* int8 (exact) output */
    int64_t ldc;
    int64_t mc, mb; /* rows per unit, units along M */
    int64_t panels;     /* MR-row panels of A */
    const float *apack; /* A packed (clr_gemm_packed layout), or NULL: each unit packs its own */
    const clr_gemm_epilogue *epi; /* or NULL */
} gemm_job;

/* A packed for the micro-kernel: for each K block (KC, the last shorter),
 * its MR-row panels one after the other, each k-major (MR values per k). */
struct clr_gemm_packed {
    const clr_gemm_micro *uk;
    int64_t m, k;
    clr_gemm_operand a; /* the source while packing */
    float *p;
};

static int64_t panels_of(const clr_gemm_packed *pa) { return (pa->m + pa->uk->mr - 1) / pa->uk->mr; }

/* Panel p of the K block starting at k0 (kc long). */
static float *packed_panel(const clr_gemm_packed *pa, float *base, int64_t p, int64_t k0, int64_t kc) {
    return base + panels_of(pa) * pa->uk->mr * k0 + p * pa->uk->mr * kc;
}

static void pack_a_units(void *ctx, int64_t u0, int64_t u1) {
    const clr_gemm_packed *pa = ctx;
    int64_t panels = panels_of(pa);
    int32_t mr = pa->uk->mr;
    for (int64_t u = u0; u < u1; u++) {
        int64_t p = u % panels, k0 = u / panels * KC, kc = pa->k - k0 < KC ? pa->k - k0 : KC, i = p * mr;
        pack_a(&pa->a, i, pa->m - i < mr ? pa->m - i : mr, mr, k0, kc, packed_panel(pa, pa->p, p, k0, kc));
    }
}

clr_gemm_packed *clr_gemm_pack(clr_thread_pool *pool, int64_t m, int64_t k, clr_gemm_operand a) {
    clr_gemm_packed *pa = clr_calloc(1, sizeof *pa);
    if (!pa) return NULL;
    *pa = (clr_gemm_packed){.uk = clr_gemm_micro_get(), .m = m, .k = k, .a = a};
    int64_t panels = panels_of(pa), kblocks = (k + KC - 1) / KC;
    pa->p = clr_malloc((size_t)(panels * pa->uk->mr * k) * sizeof *pa->p);
    if (!pa->p) {
        free(pa);
        return NULL;
    }
    clr_parallel_for(pool, panels * kblocks, clr_parallel_grain(pool, panels * kblocks, 4, 1), pack_a_units, pa);
    pa->a.p = NULL; /* the source may go away */
    return pa;
}

void clr_gemm_packed_free(clr_gemm_packed *pa) {
    if (!pa) return;
    free(pa->p);
    free(pa);
}

/* The tile at (i, j) of `rows` x `cols` outputs, through a scratch tile:
 * partial tiles and int32 outputs. */
static void edge_tile(const gemm_job *g, const float *ap, const float *bp, int64_t kc, bool first, int64_t i,
                      int64_t j, int64_t rows, int64_t cols) {
    int32_t nr = g->uk->nr;
    float tile[MR_MAX * NR_MAX];
    bool carry = g->cf && !first;
    for (int64_t r = 0; carry && r < rows; r++) memcpy(tile + r * nr, g->cf + (i + r) * g->ldc + j, (size_t)cols * sizeof *tile);
    g->uk->fn(kc, ap, bp, tile, nr, carry);
    for (int64_t r = 0; r < rows; r++) {
        const float *t = tile + r * nr;
        if (g->cf) {
            memcpy(g->cf + (i + r) * g->ldc + j, t, (size_t)cols * sizeof *t);
            continue;
        }
        int32_t *c = g->ci + (i + r) * g->ldc + j;
        for (int64_t x = 0; x < cols; x++) c[x] = (first ? 0 : c[x]) + (int32_t)t[x];
    }
}

/* One slice of a unit: B block of nc <= the buffer's columns. */
static void gemm_slice(const gemm_job *g, int64_t i0, int64_t i1, int64_t j0, int64_t nc, float *bp) {
    int32_t mr = g->uk->mr, nr = g->uk->nr;
    float ap[KC * MR_MAX];
    for (int64_t k0 = 0; k0 < g->k; k0 += KC) {
        int64_t kc = g->k - k0 < KC ? g->k - k0 : KC;
        bool first = k0 == 0;
        pack_b(&g->b, g->bsrc, k0, kc, j0, nc, nr, bp);
        for (int64_t i = i0; i < i1; i += mr) {
            int64_t rows = i1 - i < mr ? i1 - i : mr;
            const float *a = g->apack ? g->apack + g->panels * mr * k0 + i * kc : ap;
            if (!g->apack) pack_a(&g->a, i, rows, mr, k0, kc, ap);
            for (int64_t jp = 0; jp < nc; jp += nr) {
                int64_t cols = nc - jp < nr ? nc - jp : nr;
                if (g->cf && rows == mr && cols == nr)
                    g->uk->fn(kc, a, bp + jp * kc, g->cf + i * g->ldc + j0 + jp, g->ldc, !first);
                else
                    edge_tile(g, a, bp + jp * kc, kc, first, i, j0 + jp, rows, cols);
            }
            if (g->epi && k0 + kc == g->k) /* these rows of the block are final */
                for (int64_t r = 0; r < rows; r++) g->epi->fn(g->epi->ctx, i + r, j0, g->cf + (i + r) * g->ldc + j0, nc);
        }
    }
}

/* Rows [i0, i1) x columns [j0, j0 + nc) with a B block buffer `bp` of KC x
 * `cap` floats (cap a multiple of NR; the columns go in slices of cap). */
static void gemm_unit(const gemm_job *g, int64_t i0, int64_t i1, int64_t j0, int64_t nc, float *bp, int64_t cap) {
    for (int64_t slice = 0; slice < nc; slice += cap)
        gemm_slice(g, i0, i1, j0 + slice, nc - slice < cap ? nc - slice : cap, bp);
}

/* The B block lives on the heap (KC x NC floats is too much for the stack
 * of a caller's thread); without the memory, slices one panel wide go
 * through a buffer on the stack instead: slower, same bits. */
static void gemm_units(void *ctx, int64_t u0, int64_t u1) {
    const gemm_job *g = ctx;
    float small[KC * NR_MAX], *big = clr_malloc((size_t)KC * NC * sizeof *big);
    for (int64_t u = u0; u < u1; u++) {
        int64_t ib = u % g->mb, jb = u / g->mb;
        int64_t i0 = ib * g->mc, i1 = i0 + g->mc < g->m ? i0 + g->mc : g->m;
        int64_t j0 = jb * NC, nc = g->n - j0 < NC ? g->n - j0 : NC;
        gemm_unit(g, i0, i1, j0, nc, big ? big : small, big ? NC : g->uk->nr);
    }
    free(big);
}

/* `pa`: A already packed, or NULL (then a is read). */
static void gemm_driver(clr_thread_pool *pool, int64_t m, int64_t n, int64_t k, clr_gemm_operand a,
                        const clr_gemm_packed *pa, clr_gemm_operand b, const clr_gemm_bsource *bsrc, float *cf,
                        int32_t *ci, int64_t ldc, const clr_gemm_epilogue *epi) {
    if (m <= 0 || n <= 0) return;
    if (k == 0) { /* an empty sum */
        for (int64_t i = 0; i < m; i++) {
            if (cf) memset(cf + i * ldc, 0, (size_t)n * sizeof *cf);
            else memset(ci + i * ldc, 0, (size_t)n * sizeof *ci);
            if (cf && epi) epi->fn(epi->ctx, i, 0, cf + i * ldc, n);
        }
        return;
    }
    gemm_job g = {.uk = clr_gemm_micro_get(), .m = m, .n = n, .k = k, .a = a, .b = b, .cf = cf, .ci = ci,
                  .ldc = ldc, .epi = cf ? epi : NULL, .bsrc = bsrc};
    /* Units: whole column blocks when there are enough of them for the
     * threads, else also cut M (each cut packs the B block again). */
    int64_t threads = clr_thread_pool_size(pool), nb = (n + NC - 1) / NC, panels = (m + g.uk->mr - 1) / g.uk->mr;
    int64_t mb = threads == 1 ? 1 : (4 * threads + nb - 1) / nb;
    if (mb > panels) mb = panels;
    g.mc = (panels + mb - 1) / mb * g.uk->mr;
    g.mb = (m + g.mc - 1) / g.mc;
    g.panels = panels;
    /* A packed once here when several column blocks reuse it (else, or
     * without the memory, each unit packs the panels it needs on its stack). */
    clr_gemm_packed *own = !pa && nb > 1 ? clr_gemm_pack(pool, m, k, a) : NULL;
    g.apack = pa ? pa->p : own ? own->p : NULL;
    clr_parallel_for(pool, g.mb * nb, 1, gemm_units, &g);
    clr_gemm_packed_free(own);
}

void clr_sgemm(clr_thread_pool *pool, int64_t m, int64_t n, int64_t k, clr_gemm_operand a, clr_gemm_operand b,
               float *c, int64_t ldc) {
    gemm_driver(pool, m, n, k, a, NULL, b, NULL, c, NULL, ldc, NULL);
}

void clr_sgemm_exact_i32(clr_thread_pool *pool, int64_t m, int64_t n, int64_t k, clr_gemm_operand a,
                         clr_gemm_operand b, int32_t *c, int64_t ldc) {
    gemm_driver(pool, m, n, k, a, NULL, b, NULL, NULL, c, ldc, NULL);
}

void clr_sgemm_packed(clr_thread_pool *pool, const clr_gemm_packed *a, int64_t n, clr_gemm_operand b,
                      const clr_gemm_bsource *bsrc, float *cf, int32_t *ci, int64_t ldc,
                      const clr_gemm_epilogue *epi) {
    gemm_driver(pool, a->m, n, a->k, (clr_gemm_operand){NULL, 0, 0}, a, b, bsrc, cf, ci, ldc, epi);
}

/* One row of clr_sgemv_arm; `grouped`: the row is one of a group of 8. */
static float sgemv_row(const float *a, int64_t as, const float *x, int64_t xs, int64_t k, float bias, bool grouped) {
    float lo[4] = {bias, 0.0f, 0.0f, 0.0f}, hi[4] = {0.0f, 0.0f, 0.0f, 0.0f};
    int64_t blocks = k / 8, i = 0;
    for (int64_t b = 0; b < blocks; b++, i += 8)
        for (int l = 0; l < 4; l++) {
            float *second = grouped ? &lo[l] : &hi[l];
            lo[l] = fmaf(a[(i + l) * as], x[(i + l) * xs], lo[l]);
            *second = fmaf(a[(i + 4 + l) * as], x[(i + 4 + l) * xs], *second);
        }
    if (!grouped)
        for (int l = 0; l < 4; l++) lo[l] += hi[l];
    float r = (lo[0] + lo[1]) + (lo[2] + lo[3]);
    for (; i < k; i++) r = fmaf(a[i * as], x[i * xs], r);
    return r;
}

void clr_sgemv_arm(int64_t m, int64_t k, clr_gemm_operand a, const float *x, int64_t xs, const float *bias, float *y,
                   int64_t ys) {
    int64_t grouped = m / 8 * 8;
    for (int64_t r = 0; r < m; r++)
        y[r * ys] = sgemv_row(a.p + r * a.rs, a.cs, x, xs, k, bias ? bias[r] : 0.0f, r < grouped);
}

void clr_sgemm_arm(clr_thread_pool *pool, int64_t m, int64_t n, int64_t k, clr_gemm_operand a, clr_gemm_operand b,
                   float *c, int64_t ldc) {
    if (n == 1 && a.cs == 1) {
        clr_sgemv_arm(m, k, a, b.p, b.rs, NULL, c, ldc);
    } else if (m == 1 && b.rs == 1) { /* over the rows of B^T */
        clr_sgemv_arm(n, k, (clr_gemm_operand){b.p, b.cs, 1}, a.p, a.cs, NULL, c, 1);
    } else {
        clr_sgemm(pool, m, n, k, a, b, c, ldc);
    }
}
