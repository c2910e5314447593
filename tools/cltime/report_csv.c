/* cltime — CSV rows (see report.h). */
#include "report.h"

#include <string.h>

/* Quotes fields that hold a comma or a quote (shapes, names). */
static void field(FILE *out, const char *s) {
    bool quote = strpbrk(s, ",\"\n") != NULL;
    if (!quote) {
        fputs(s, out);
        return;
    }
    fputc('"', out);
    for (; *s; s++) {
        if (*s == '"') fputc('"', out);
        fputc(*s, out);
    }
    fputc('"', out);
}

void cltime_print_csv(FILE *out, const cltime_result *r, const cltime_summary *s) {
    fprintf(out, "row,step,op,type,device,kernel,shapes,gws,lws,count,gpu_ms,host_ms,flops,gflops_per_s,bytes,gb_per_s,share,"
               "mem_bytes,bound,roof_s,roof_share\n");
    for (int32_t i = 0; i < s->nrows; i++) {
        const cltime_row *row = &s->rows[i];
        const cltime_step *st = row->step;
        bool op = st->plan->kind == CLR_STEP_OP;
        char gws[40], lws[40];
        fprintf(out, "%s,%d,%d,", op ? "op" : "transfer", row->index, st->plan->op);
        field(out, st->type);
        fprintf(out, ",%s,", st->device);
        field(out, st->kernel);
        fputc(',', out);
        field(out, st->shapes);
        fprintf(out, ",%s,%s,1,%.6f,%.6f,%.0f,%.4f,%llu,%.4f,%.6f,%llu,%s,%.9f,%.6f\n",
                cltime_fmt_ws(st->gws, st->dims, false, gws, sizeof gws),
                cltime_fmt_ws(st->lws, st->dims, true, lws, sizeof lws), row->gpu_s * 1e3, row->host_s * 1e3, st->flops,
                row->gflops, (unsigned long long)st->bytes, row->gbps, row->share, (unsigned long long)st->mem_bytes,
                row->bound ? row->bound : "", row->roof_s, row->roof_share);
    }
    for (int32_t t = 0; t < s->ntypes; t++) {
        const cltime_type_row *tr = &s->types[t];
        fprintf(out, "type,,,");
        field(out, tr->type);
        fprintf(out, ",,,,,,%d,%.6f,%.6f,%.0f,%.4f,%llu,,%.6f,,,%.9f,%.6f\n", tr->count, tr->gpu_s * 1e3, tr->host_s * 1e3,
                tr->flops, tr->gflops, (unsigned long long)tr->bytes, tr->share, tr->roof_s, tr->roof_share);
    }
}
