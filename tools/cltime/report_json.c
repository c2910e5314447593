/* cltime — the JSON document (see report.h): times in seconds, sizes in bytes. */
#include "report.h"

static void ws_array(FILE *out, const size_t *ws, cl_uint dims) {
    fputc('[', out);
    for (cl_uint d = 0; d < dims; d++) fprintf(out, "%s%zu", d ? "," : "", ws[d]);
    fputc(']', out);
}

static void print_header(FILE *out, const cltime_result *r) {
    const clr_exec_stats *x = &r->stats;
    fprintf(out, "{\n\"model\": ");
    clr_json_str(out, r->opt->tool.model);
    fprintf(out, ",\n\"device\": ");
    clr_json_str(out, r->device);
    fprintf(out, ",\n\"inputs\": ");
    clr_json_str(out, r->inputs);
    fprintf(out, ",\n\"plan\": {\"ops_gpu\": %d, \"ops_host\": %d, \"transfers\": %d, \"transfer_bytes\": %llu, "
                 "\"fallbacks\": %d},\n",
            x->ops_gpu, x->ops_host, x->transfers, (unsigned long long)x->transfer_bytes, x->fallbacks);
    fprintf(out, "\"startup\": {\"load_s\": %.9f, \"session_s\": %.9f, \"first_run_s\": %.9f, \"first_result_s\": %.9f",
            r->load_s, r->session_s, r->first_run_s, r->first_result_s);
    if (r->has_cache)
        fprintf(out, ", \"kernel_cache\": {\"memory_hits\": %lu, \"disk_hits\": %lu, \"misses\": %lu, "
                     "\"compile_s\": %.9f, \"load_s\": %.9f}",
                r->cache.memory_hits, r->cache.disk_hits, r->cache.misses, r->cache.compile_seconds,
                r->cache.load_seconds);
    fprintf(out, "},\n");
    const cltime_roof *f = &r->roof;
    if (f->gflops > 0 && f->gbps > 0)
        fprintf(out, "\"roof\": {\"gflops\": %.4f, \"gbps\": %.4f, \"gflops_from\": \"%s\", \"gbps_from\": \"%s\", "
                     "\"measure_s\": %.9f},\n",
                f->gflops, f->gbps, f->gflops_from, f->gbps_from, f->measure_s);
    else
        fprintf(out, "\"roof\": null,\n");
    if (f->error[0]) {
        fprintf(out, "\"roof_error\": ");
        clr_json_str(out, f->error);
        fprintf(out, ",\n");
    }
}

static void print_stats(FILE *out, const char *key, const cltime_stats *l, const double *samples, int32_t n) {
    fprintf(out, "\"%s\": {\"min\": %.9f, \"median\": %.9f, \"max\": %.9f, \"mean\": %.9f, \"stddev\": %.9f, "
                 "\"samples\": [",
            key, l->min, l->median, l->max, l->mean, l->stddev);
    for (int32_t k = 0; k < n; k++) fprintf(out, "%s%.9f", k ? ", " : "", samples[k]);
    fprintf(out, "]},\n");
}

/* latency_s: the profiled runs behind the per-op rows; latency_nosync_s: end
 * to end, without profiling or per-step syncs. */
static void print_latency(FILE *out, const cltime_result *r, const cltime_summary *s) {
    fprintf(out, "\"warmup\": %d,\n\"repeats\": %d,\n", r->opt->warmup, r->opt->repeats);
    print_stats(out, "latency_s", &s->latency, r->latency_s, r->opt->repeats);
    print_stats(out, "latency_nosync_s", &s->latency_nosync, r->latency_nosync_s, r->opt->repeats);
    fprintf(out, "\"rows_host_s\": %.9f,\n\"once_transfers_hidden\": %d,\n", s->rows_host_s, s->once_hidden);
}

/* The roof fields of a row: null when it has no roof. */
static void roof_fields(FILE *out, double roof_s, double share) {
    if (share > 0) fprintf(out, ", \"roof_s\": %.9f, \"roof_share\": %.6f", roof_s, share);
    else fprintf(out, ", \"roof_s\": null, \"roof_share\": null");
}

static void print_row(FILE *out, const cltime_row *row) {
    const cltime_step *st = row->step;
    fprintf(out, "{\"step\": %d, \"op\": %d, \"type\": ", row->index, st->plan->op);
    clr_json_str(out, st->type);
    fprintf(out, ", \"device\": \"%s\", \"kernel\": ", st->device);
    clr_json_str(out, st->kernel);
    fprintf(out, ", \"shapes\": ");
    clr_json_str(out, st->shapes);
    if (st->plan->kind == CLR_STEP_TRANSFER) {
        fprintf(out, ", \"var\": ");
        clr_json_str(out, st->plan->var);
        fprintf(out, ", \"to\": \"%s\"", st->plan->place == CLR_PLACE_GPU ? "gpu" : "cpu");
    }
    fprintf(out, ", \"launches\": %d, \"gws\": ", st->launches);
    ws_array(out, st->gws, st->dims);
    fprintf(out, ", \"lws\": ");
    ws_array(out, st->lws, st->lws[0] ? st->dims : 0);
    fprintf(out, ", \"lws_tuned\": %s", st->lws_tuned ? "true" : "false");
    fprintf(out, ", \"gpu_s\": %.9f, \"host_s\": %.9f, \"flops\": %.0f, \"gflops_per_s\": %.4f, \"bytes\": %llu, "
                 "\"gb_per_s\": %.4f, \"share\": %.6f",
            row->gpu_s, row->host_s, st->flops, row->gflops, (unsigned long long)st->bytes, row->gbps, row->share);
    fprintf(out, ", \"mem_bytes\": %llu, \"bound\": ", (unsigned long long)st->mem_bytes);
    if (row->bound) clr_json_str(out, row->bound);
    else fprintf(out, "null");
    roof_fields(out, row->roof_s, row->roof_share);
    fputc('}', out);
}

void cltime_print_json(FILE *out, const cltime_result *r, const cltime_summary *s) {
    print_header(out, r);
    print_latency(out, r, s);
    fprintf(out, "\"ops\": [\n");
    for (int32_t i = 0; i < s->nrows; i++) {
        print_row(out, &s->rows[i]);
        fprintf(out, "%s\n", i + 1 < s->nrows ? "," : "");
    }
    fprintf(out, "],\n\"by_type\": [\n");
    for (int32_t t = 0; t < s->ntypes; t++) {
        const cltime_type_row *tr = &s->types[t];
        fprintf(out, "{\"type\": ");
        clr_json_str(out, tr->type);
        fprintf(out, ", \"count\": %d, \"gpu_s\": %.9f, \"host_s\": %.9f, \"flops\": %.0f, \"gflops_per_s\": %.4f, "
                     "\"bytes\": %llu, \"share\": %.6f",
                tr->count, tr->gpu_s, tr->host_s, tr->flops, tr->gflops, (unsigned long long)tr->bytes, tr->share);
        roof_fields(out, tr->roof_s, tr->roof_share);
        fprintf(out, "}%s\n", t + 1 < s->ntypes ? "," : "");
    }
    fprintf(out, "],\n\"memory\": {\"peak_rss_bytes\": %lld, \"host_tensor_bytes\": %zu, \"device_bytes\": %zu}\n}\n",
            (long long)r->peak_rss_kb * 1024, r->memory.host_bytes, r->memory.device_bytes);
}
