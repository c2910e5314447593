/* clrun bench — statistics (see stats.h). */
#include "stats.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

clr_stats clr_stats_of(const double *v, int32_t n) {
    clr_stats s = {0};
    double *sorted = n > 0 ? malloc(sizeof(double) * (size_t)n) : NULL;
    if (!sorted) return s;
    memcpy(sorted, v, sizeof(double) * (size_t)n);
    qsort(sorted, (size_t)n, sizeof *sorted, cmp_double);
    s.min = sorted[0], s.max = sorted[n - 1];
    s.median = n % 2 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    free(sorted);
    for (int32_t i = 0; i < n; i++) s.mean += v[i] / n;
    for (int32_t i = 0; i < n; i++) s.stddev += (v[i] - s.mean) * (v[i] - s.mean) / n;
    s.stddev = sqrt(s.stddev);
    return s;
}
