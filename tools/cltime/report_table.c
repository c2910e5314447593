/* cltime — the human-readable report (see report.h). */
#include "report.h"

#include <string.h>

static double ms(double s) { return s * 1e3; }
static double mib(double bytes) { return bytes / (1024.0 * 1024.0); }

static void print_startup(FILE *out, const cltime_result *r) {
    fprintf(out, "\nstart-up\n");
    fprintf(out, "  model load            %10.2f ms\n", ms(r->load_s));
    fprintf(out, "  session (device open) %10.2f ms\n", ms(r->session_s));
    if (r->has_cache) {
        const clr_cl_cache_stats *c = &r->cache;
        fprintf(out, "  kernel builds         %lu misses (compiled in %.2f ms), %lu disk hits (loaded in %.2f ms), %lu memory hits\n",
                c->misses, ms(c->compile_seconds), c->disk_hits, ms(c->load_seconds), c->memory_hits);
    } else {
        fprintf(out, "  kernel builds         none (host only)\n");
    }
    fprintf(out, "  first run             %10.2f ms (kernel builds included)\n", ms(r->first_run_s));
    fprintf(out, "  time to first result  %10.2f ms (load + session + first run)\n", ms(r->first_result_s));
}

static void print_latency(FILE *out, const char *label, const cltime_stats *l, const char *what) {
    fprintf(out, "  %-10s min %.3f ms  median %.3f ms  max %.3f ms  stddev %.3f ms  (%s)\n", label, ms(l->min),
            ms(l->median), ms(l->max), ms(l->stddev), what);
}

static void print_steady(FILE *out, const cltime_result *r, const cltime_summary *s) {
    fprintf(out, "\nsteady state (%d warm-up runs, %d repeats each, wall clock around clr_session_run)\n", r->opt->warmup,
            r->opt->repeats);
    print_latency(out, "end to end", &s->latency_nosync, "no profiling, no sync between steps: as clrun runs");
    print_latency(out, "profiled", &s->latency, "profiling events, clFinish after every step: the per-op runs");
    fprintf(out, "  per-op host times sum to %.3f ms (%.1f %% of the profiled median)\n", ms(s->rows_host_s),
            s->latency.median > 0 ? 100 * s->rows_host_s / s->latency.median : 0);
}

static void print_roof(FILE *out, const cltime_result *r) {
    const cltime_roof *f = &r->roof;
    if (f->error[0]) {
        fprintf(out, "\nroofs: none (measuring them failed: %s)\n", f->error);
        return;
    }
    if (!(f->gflops > 0 && f->gbps > 0)) {
        fprintf(out, "\nroofs: none (not on an OpenCL device: give --roof-gflops and --roof-gbps)\n");
        return;
    }
    fprintf(out, "\nroofs: FMA peak %.1f GFLOP/s (%s), copy bandwidth %.1f GB/s (%s)", f->gflops, f->gflops_from, f->gbps,
            f->gbps_from);
    if (f->measure_s > 0) fprintf(out, ", measured in %.1f ms", ms(f->measure_s));
    fprintf(out, "\n  roof %% = max(FLOPs / peak, bytes in+out / bandwidth) / op time; bound = the larger term\n");
}

static void print_rows(FILE *out, const cltime_result *r, const cltime_summary *s) {
    fprintf(out, "\nper op (median over the %d profiled repeats; gpu ms from OpenCL profiling events)\n", r->opt->repeats);
    fprintf(out, "%5s %4s %-26s %-3s %-34s %-44s %-12s %-8s %9s %9s %10s %8s %-7s %6s %6s\n", "step", "op", "type", "dev",
            "kernel", "shapes (in->out)", "gws", "lws", "gpu ms", "host ms", "MFLOP", "GFLOP/s", "bound", "roof", "share");
    for (int32_t i = 0; i < s->nrows; i++) {
        const cltime_row *row = &s->rows[i];
        const cltime_step *st = row->step;
        char gws[40], lws[40], lws_mark[48], op[16] = "-", rate[32], roof[16] = "-";
        if (st->plan->kind == CLR_STEP_OP) snprintf(op, sizeof op, "%d", st->plan->op);
        snprintf(lws_mark, sizeof lws_mark, "%s%s", cltime_fmt_ws(st->lws, st->dims, true, lws, sizeof lws),
                 st->lws_tuned ? "*" : "");
        if (st->plan->kind == CLR_STEP_TRANSFER)
            snprintf(rate, sizeof rate, "%.2f GB/s %.1f KiB", row->gbps, (double)st->bytes / 1024);
        else
            snprintf(rate, sizeof rate, "%10.2f %8.2f", st->flops * 1e-6, row->gflops);
        if (row->roof_share > 0) snprintf(roof, sizeof roof, "%.1f%%", 100 * row->roof_share);
        fprintf(out, "%5d %4s %-26.26s %-3s %-34.34s %-44.44s %-12s %-8s %9.3f %9.3f %19s %-7s %6s %5.1f%%\n", row->index,
                op, st->type, st->device, st->kernel, st->shapes, cltime_fmt_ws(st->gws, st->dims, false, gws, sizeof gws),
                lws_mark, ms(row->gpu_s), ms(row->host_s), rate,
                row->bound ? row->bound : "-", roof, 100 * row->share);
    }
    fprintf(out, "(lws: auto = the driver's choice; * = from the tuning file, clrun/cltime --tune)\n");
    if (s->once_hidden)
        fprintf(out, "(%d one-time parameter uploads ran in the first run only and have no row)\n", s->once_hidden);
}

static void print_types(FILE *out, const cltime_summary *s) {
    fprintf(out, "\nper op type (sums of the medians)\n");
    fprintf(out, "%-32s %5s %10s %10s %10s %9s %6s %7s\n", "type", "count", "gpu ms", "host ms", "GFLOP", "GFLOP/s", "roof",
            "share");
    for (int32_t t = 0; t < s->ntypes; t++) {
        const cltime_type_row *tr = &s->types[t];
        char roof[16] = "-";
        if (tr->roof_share > 0) snprintf(roof, sizeof roof, "%.1f%%", 100 * tr->roof_share);
        fprintf(out, "%-32.32s %5d %10.3f %10.3f %10.3f %9.2f %6s %6.1f%%", tr->type, tr->count, ms(tr->gpu_s),
                ms(tr->host_s), tr->flops * 1e-9, tr->gflops, roof, 100 * tr->share);
        if (strcmp(tr->type, "io_copy") == 0) fprintf(out, "  %.2f MiB", mib((double)tr->bytes));
        fprintf(out, "\n");
    }
}

void cltime_print_table(FILE *out, const cltime_result *r, const cltime_summary *s) {
    const clr_exec_stats *x = &r->stats;
    fprintf(out, "cltime %s on %s, inputs %s\n", r->opt->tool.model, r->device, r->inputs);
    fprintf(out, "plan: %d ops on the GPU, %d on the CPU; %d io_copy transfers per run (%.2f MiB); %d fallbacks%s%s\n",
            x->ops_gpu, x->ops_host, x->transfers, mib((double)x->transfer_bytes), x->fallbacks,
            x->fallbacks ? ": " : "", x->fallback_reason);
    print_startup(out, r);
    print_steady(out, r, s);
    print_roof(out, r);
    print_rows(out, r, s);
    print_types(out, s);
    fprintf(out, "\nmemory\n  peak RSS %.1f MiB; host tensors %.1f MiB; device buffers %.1f MiB\n",
            (double)r->peak_rss_kb / 1024, mib((double)r->memory.host_bytes), mib((double)r->memory.device_bytes));
}
