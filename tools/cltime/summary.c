/* cltime — statistics and tables (see summary.h). */
#include "summary.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

cltime_stats cltime_stats_of(const double *v, int32_t n) {
    cltime_stats s = {0};
    double sorted[CLTIME_MAX_REPEATS];
    if (n <= 0 || n > CLTIME_MAX_REPEATS) return s;
    memcpy(sorted, v, sizeof(double) * (size_t)n);
    qsort(sorted, (size_t)n, sizeof *sorted, cmp_double);
    s.min = sorted[0], s.max = sorted[n - 1];
    s.median = n % 2 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    for (int32_t i = 0; i < n; i++) s.mean += v[i] / n;
    for (int32_t i = 0; i < n; i++) s.stddev += (v[i] - s.mean) * (v[i] - s.mean) / n;
    s.stddev = sqrt(s.stddev);
    return s;
}

static double rate(double amount, double seconds) { return seconds > 0 ? amount / seconds * 1e-9 : 0; }

static void fill_row(cltime_row *row, const cltime_step *st, int32_t index, int32_t reps, double latency) {
    *row = (cltime_row){.step = st, .index = index};
    row->host_s = cltime_stats_of(st->host_s, reps).median;
    row->gpu_s = cltime_stats_of(st->gpu_s, reps).median;
    row->gflops = rate(st->flops, row->gpu_s > 0 ? row->gpu_s : row->host_s);
    row->gbps = st->plan->kind == CLR_STEP_TRANSFER ? rate((double)st->bytes, row->host_s) : 0;
    row->share = latency > 0 ? row->host_s / latency : 0;
}

static int cmp_type_time(const void *a, const void *b) {
    double x = ((const cltime_type_row *)a)->host_s, y = ((const cltime_type_row *)b)->host_s;
    return (x < y) - (x > y);
}

static clr_status sum_types(cltime_summary *s, double latency, clr_error *err) {
    s->types = clr_calloc((size_t)(s->nrows ? s->nrows : 1), sizeof *s->types);
    if (!s->types) return clr_error_set(err, CLR_ERR_NOMEM, "out of memory");
    for (int32_t i = 0; i < s->nrows; i++) {
        const cltime_row *row = &s->rows[i];
        int32_t t = 0;
        while (t < s->ntypes && strcmp(s->types[t].type, row->step->type) != 0) t++;
        if (t == s->ntypes) s->types[s->ntypes++].type = row->step->type;
        cltime_type_row *tr = &s->types[t];
        tr->count++;
        tr->host_s += row->host_s, tr->gpu_s += row->gpu_s, tr->flops += row->step->flops;
        tr->bytes += row->step->bytes;
    }
    for (int32_t t = 0; t < s->ntypes; t++) {
        cltime_type_row *tr = &s->types[t];
        tr->gflops = rate(tr->flops, tr->gpu_s > 0 ? tr->gpu_s : tr->host_s);
        tr->share = latency > 0 ? tr->host_s / latency : 0;
    }
    qsort(s->types, (size_t)s->ntypes, sizeof *s->types, cmp_type_time);
    return CLR_OK;
}

clr_status cltime_summarize(const cltime_result *r, cltime_summary *s, clr_error *err) {
    memset(s, 0, sizeof *s);
    int32_t reps = r->opt->repeats;
    s->latency = cltime_stats_of(r->latency_s, reps);
    s->rows = clr_calloc((size_t)(r->nsteps ? r->nsteps : 1), sizeof *s->rows);
    if (!s->rows) return clr_error_set(err, CLR_ERR_NOMEM, "out of memory");
    for (int32_t i = 0; i < r->nsteps; i++) {
        if (r->steps[i].plan->once) {
            s->once_hidden++;
            continue;
        }
        fill_row(&s->rows[s->nrows], &r->steps[i], i, reps, s->latency.median);
        s->rows_host_s += s->rows[s->nrows++].host_s;
    }
    return sum_types(s, s->latency.median, err);
}

void cltime_summary_free(cltime_summary *s) {
    free(s->rows);
    free(s->types);
    memset(s, 0, sizeof *s);
}
