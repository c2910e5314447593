/* clrun bench — clrun's fp32 GEMM (clr_sgemm) against OpenBLAS's
 * cblas_sgemm on the matrix products of the shared models' convolutions,
 * side by side in one run: C[M,N] = A[M,K] B[K,N], row-major, A the
 * weights, B the activations (a 1x1 conv is exactly this; a KxK conv after
 * im2col too). Two clrun figures: clr_sgemm packing A as it goes (a
 * general product), and clr_sgemm_packed with A packed once beforehand, as
 * clrun's convs run (their weights are packed on the op's first run).
 * For each shape and thread count the three run one after the other, each
 * its warm-up and repeats in a block (OpenBLAS's idle threads spin for a
 * long while after a call, which would slow whatever ran between its
 * calls), in the same process; the medians are compared.
 *
 * Usage: bench_gemm [--repeats N] [--threads LIST] (default 15, "1,2")
 * Prints a Markdown table: shape, threads, GFLOP/s of each, ratios. */
#include <cblas.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/thread_pool.h"
#include "kernels/host/gemm.h"
#include "kernels/host/gemm_micro.h"

/* OpenBLAS's own thread control (not in every cblas.h). */
void openblas_set_num_threads(int n);

typedef struct shape {
    const char *what;
    int64_t m, n, k;
} shape;

/* MobileNetV2 224x224 (opt_mobilenet_v2_synth) and PP-OCRv3 det 640x640
 * products: first conv (im2col), expand and project 1x1s per stage. */
static const shape shapes[] = {
    {"mbv2 conv1 3x3 s2 (im2col)", 32, 12544, 27},
    {"mbv2 112x112 expand 16->96", 96, 12544, 16},
    {"mbv2 56x56 project 144->24", 24, 3136, 144},
    {"mbv2 56x56 expand 24->144", 144, 3136, 24},
    {"mbv2 28x28 expand 32->192", 192, 784, 32},
    {"mbv2 14x14 expand 64->384", 384, 196, 64},
    {"mbv2 14x14 project 576->96", 96, 196, 576},
    {"mbv2 7x7 expand 160->960", 960, 49, 160},
    {"mbv2 7x7 project 960->320", 320, 49, 960},
    {"mbv2 7x7 last 320->1280", 1280, 49, 320},
    {"ppocr det 160x160 1x1 64->256", 256, 25600, 64},
};

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static float *filled(int64_t n, unsigned seed) {
    float *p = malloc((size_t)n * sizeof *p);
    for (int64_t i = 0; i < n; i++) {
        seed = seed * 1664525u + 1013904223u;
        p[i] = (float)(seed >> 8) / 16777216.0f - 0.5f;
    }
    return p;
}

int main(int argc, char **argv) {
    int repeats = 15, nthreads = 2, threads[8] = {1, 2};
    for (int i = 1; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--repeats") == 0) repeats = atoi(argv[i + 1]);
        else if (strcmp(argv[i], "--threads") == 0) {
            nthreads = 0;
            for (char *s = strtok(argv[i + 1], ","); s && nthreads < 8; s = strtok(NULL, ",")) threads[nthreads++] = atoi(s);
        } else {
            fprintf(stderr, "usage: bench_gemm [--repeats N] [--threads 1,2]\n");
            return 2;
        }
    }
    if (repeats < 1 || nthreads < 1) return 2;
    printf("clrun GEMM (%s micro-kernel) vs OpenBLAS cblas_sgemm, GFLOP/s, medians of %d runs\n\n",
           clr_gemm_micro_get()->name, repeats);
    printf("| product | M | N | K | threads | clrun | clrun, A packed once | OpenBLAS | clrun / OpenBLAS | "
           "packed / OpenBLAS |\n");
    printf("|---|---|---|---|---|---|---|---|---|---|\n");
    double *tc = malloc(sizeof(double) * (size_t)repeats), *tp = malloc(sizeof(double) * (size_t)repeats);
    double *tb = malloc(sizeof(double) * (size_t)repeats);
    for (int t = 0; t < nthreads; t++) {
        clr_thread_pool *pool = NULL;
        if (clr_thread_pool_create(threads[t], &pool, NULL) != CLR_OK) return 1;
        openblas_set_num_threads(threads[t]);
        for (size_t s = 0; s < sizeof shapes / sizeof shapes[0]; s++) {
            const shape *sh = &shapes[s];
            float *a = filled(sh->m * sh->k, 1), *b = filled(sh->k * sh->n, 2), *c = filled(sh->m * sh->n, 3);
            clr_gemm_operand oa = {a, sh->k, 1}, ob = {b, sh->n, 1};
            clr_gemm_packed *pa = clr_gemm_pack(pool, sh->m, sh->k, oa);
            if (!pa) return 1;
            for (int r = -2; r < repeats; r++) { /* two warm-up rounds */
                double t0 = now();
                clr_sgemm(pool, sh->m, sh->n, sh->k, oa, ob, c, sh->n);
                if (r >= 0) tc[r] = now() - t0;
            }
            for (int r = -2; r < repeats; r++) {
                double t0 = now();
                clr_sgemm_packed(pool, pa, sh->n, ob, NULL, c, NULL, sh->n, NULL);
                if (r >= 0) tp[r] = now() - t0;
            }
            for (int r = -2; r < repeats; r++) {
                double t0 = now();
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)sh->m, (int)sh->n, (int)sh->k, 1.0f, a,
                            (int)sh->k, b, (int)sh->n, 0.0f, c, (int)sh->n);
                if (r >= 0) tb[r] = now() - t0;
            }
            clr_gemm_packed_free(pa);
            qsort(tc, (size_t)repeats, sizeof *tc, cmp_double);
            qsort(tp, (size_t)repeats, sizeof *tp, cmp_double);
            qsort(tb, (size_t)repeats, sizeof *tb, cmp_double);
            double flop = 2.0 * (double)sh->m * (double)sh->n * (double)sh->k;
            double gc = flop / tc[repeats / 2] * 1e-9, gp = flop / tp[repeats / 2] * 1e-9;
            double gb = flop / tb[repeats / 2] * 1e-9;
            printf("| %s | %lld | %lld | %lld | %d | %.1f | %.1f | %.1f | %.2f | %.2f |\n", sh->what,
                   (long long)sh->m, (long long)sh->n, (long long)sh->k, threads[t], gc, gp, gb, gc / gb, gp / gb);
            fflush(stdout);
            free(a), free(b), free(c);
        }
        clr_thread_pool_free(pool);
    }
    free(tc), free(tp), free(tb);
    return 0;
}
