/* cltime — statistics and tables (see summary.h). */
#include "summary.h"

#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"

static double rate(double amount, double seconds) { return seconds > 0 ? amount / seconds * 1e-9 : 0; }

/* The time an op is judged by: its kernels' device time on the GPU, else its host time. */
static double op_time(const cltime_row *row) { return row->gpu_s > 0 ? row->gpu_s : row->host_s; }

static void fill_roof(cltime_row *row, const cltime_roof *roof) {
    const cltime_step *st = row->step;
    if (!(roof->gflops > 0 && roof->gbps > 0) || st->plan->kind == CLR_STEP_TRANSFER || st->aliased) return;
    double compute = st->flops / (roof->gflops * 1e9), memory = (double)st->mem_bytes / (roof->gbps * 1e9);
    row->roof_s = compute > memory ? compute : memory;
    row->bound = compute > memory ? "compute" : "memory";
    row->roof_share = op_time(row) > 0 ? row->roof_s / op_time(row) : 0;
}

static void fill_row(cltime_row *row, const cltime_step *st, int32_t index, const cltime_result *r, double latency) {
    *row = (cltime_row){.step = st, .index = index};
    row->host_s = clr_stats_of(st->host_s, r->opt->repeats).median;
    row->gpu_s = clr_stats_of(st->gpu_s, r->opt->repeats).median;
    row->gflops = rate(st->flops, op_time(row));
    row->gbps = st->plan->kind == CLR_STEP_TRANSFER ? rate((double)st->bytes, row->host_s) : 0;
    row->share = latency > 0 ? row->host_s / latency : 0;
    fill_roof(row, &r->roof);
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
        tr->roof_s += row->roof_s;
        tr->roofed_s += row->roof_s > 0 ? op_time(row) : 0;
    }
    for (int32_t t = 0; t < s->ntypes; t++) {
        cltime_type_row *tr = &s->types[t];
        tr->gflops = rate(tr->flops, tr->gpu_s > 0 ? tr->gpu_s : tr->host_s);
        tr->share = latency > 0 ? tr->host_s / latency : 0;
        tr->roof_share = tr->roofed_s > 0 ? tr->roof_s / tr->roofed_s : 0;
    }
    qsort(s->types, (size_t)s->ntypes, sizeof *s->types, cmp_type_time);
    return CLR_OK;
}

clr_status cltime_summarize(const cltime_result *r, cltime_summary *s, clr_error *err) {
    memset(s, 0, sizeof *s);
    int32_t reps = r->opt->repeats;
    s->latency = clr_stats_of(r->latency_s, reps);
    s->latency_nosync = clr_stats_of(r->latency_nosync_s, reps);
    s->rows = clr_calloc((size_t)(r->nsteps ? r->nsteps : 1), sizeof *s->rows);
    if (!s->rows) return clr_error_set(err, CLR_ERR_NOMEM, "out of memory");
    for (int32_t i = 0; i < r->nsteps; i++) {
        if (r->steps[i].plan->once) {
            s->once_hidden++;
            continue;
        }
        fill_row(&s->rows[s->nrows], &r->steps[i], i, r, s->latency.median);
        s->rows_host_s += s->rows[s->nrows++].host_s;
    }
    return sum_types(s, s->latency.median, err);
}

void cltime_summary_free(cltime_summary *s) {
    free(s->rows);
    free(s->types);
    memset(s, 0, sizeof *s);
}
