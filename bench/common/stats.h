/* clrun bench — statistics of repeated measurements. */
#ifndef CLRUN_BENCH_STATS_H
#define CLRUN_BENCH_STATS_H

#include <stdint.h>

typedef struct clr_stats {
    double min, median, max, mean, stddev;
} clr_stats;

/* Of n samples (n <= 0, or no memory to sort them: all zero). */
clr_stats clr_stats_of(const double *v, int32_t n);

#endif
