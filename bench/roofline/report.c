/* roofline — the table and the JSON document (see roofline.h). GFLOP/s of
 * clrun come from its kernels' device time, CLBlast's from the wall clock
 * of the call (see gemm_clblast.h); "% peak" is of the FMA peak measured in
 * the same run. */
#include <stdbool.h>

#include "io/json.h"
#include "roofline.h"

static double gflops(const roofline_shape *s, double seconds) {
    return seconds > 0 ? roofline_flops(s) / seconds * 1e-9 : 0;
}
static double share(const roofline_result *r, double rate) { return r->roof.gflops > 0 ? rate / r->roof.gflops : 0; }

void roofline_print_table(FILE *out, const roofline_result *r) {
    const clr_roof *f = &r->roof;
    fprintf(out, "roofline on %s (%d warm-up runs, %d repeats; roofs: the fastest launch, GEMMs: medians)\n", r->device,
            r->warmup, r->repeats);
    fprintf(out, "  FMA peak        %8.1f GFLOP/s  (roof_fma, %.3f ms a launch)\n", f->gflops, f->fma_s * 1e3);
    fprintf(out, "  copy bandwidth  %8.1f GB/s     (roof_copy float4, %.0f MiB read + written, %.3f ms)\n", f->gbps,
            (double)f->copy_bytes / (1 << 20), f->copy_s * 1e3);
    if (r->model) fprintf(out, "  shapes of %s (%d GEMMs without recorded dims left out)\n", r->model, r->skipped);
    fprintf(out, "\nGEMM C[M,N] = A[M,K] B[K,N]: clrun (one-op model; kernel = device time, step = enqueue to finish)"
                 " vs CLBlast SGEMM (wall)\n");
    fprintf(out, "%-24s %5s %6s %5s %8s | %9s %9s %8s %6s | %9s %8s %6s | %7s\n", "shape", "M", "N", "K", "MFLOP",
            "kernel ms", "step ms", "GFLOP/s", "%peak", "clblast ms", "GFLOP/s", "%peak", "speedup");
    for (int32_t i = 0; i < r->nrows; i++) {
        const roofline_row *row = &r->rows[i];
        const roofline_shape *s = &row->shape;
        double g = gflops(s, row->clrun.kernel_s), gb = gflops(s, row->clblast_s);
        fprintf(out, "%-24.24s %5lld %6lld %5lld %8.2f | %9.3f %9.3f %8.1f %5.1f%% | ", s->name, (long long)s->m,
                (long long)roofline_n(s), (long long)s->k, roofline_flops(s) * 1e-6, row->clrun.kernel_s * 1e3,
                row->clrun.step_s * 1e3, g, 100 * share(r, g));
        if (row->clblast_s > 0)
            fprintf(out, "%10.3f %8.1f %5.1f%% | %6.2fx\n", row->clblast_s * 1e3, gb, 100 * share(r, gb),
                    row->clrun.step_s > 0 ? row->clblast_s / row->clrun.step_s : 0);
        else
            fprintf(out, "%10s %8s %6s | %7s\n", "-", "-", "-", "-");
    }
    fprintf(out, "(speedup: CLBlast wall / clrun step, both from the call to a finished queue)\n");
}

void roofline_print_json(FILE *out, const roofline_result *r) {
    const clr_roof *f = &r->roof;
    fprintf(out, "{\n\"device\": ");
    clr_json_str(out, r->device);
    fprintf(out, ",\n\"model\": ");
    if (r->model) clr_json_str(out, r->model);
    else fprintf(out, "null");
    fprintf(out, ",\n\"skipped\": %d,\n\"warmup\": %d,\n\"repeats\": %d,\n", r->skipped, r->warmup, r->repeats);
    fprintf(out, "\"roof\": {\"gflops\": %.4f, \"gbps\": %.4f, \"fma_s\": %.9f, \"copy_s\": %.9f, \"copy_bytes\": %zu},\n",
            f->gflops, f->gbps, f->fma_s, f->copy_s, f->copy_bytes);
    fprintf(out, "\"gemm\": [\n");
    for (int32_t i = 0; i < r->nrows; i++) {
        const roofline_row *row = &r->rows[i];
        const roofline_shape *s = &row->shape;
        double g = gflops(s, row->clrun.kernel_s), gb = gflops(s, row->clblast_s);
        fprintf(out, "{\"name\": ");
        clr_json_str(out, s->name);
        fprintf(out, ", \"op\": \"%s\", \"m\": %lld, \"n\": %lld, \"k\": %lld, \"flops\": %.0f, ", s->fc ? "fc" : "conv2d",
                (long long)s->m, (long long)roofline_n(s), (long long)s->k, roofline_flops(s));
        fprintf(out, "\"clrun\": {\"kernel_s\": %.9f, \"step_s\": %.9f, \"gflops\": %.4f, \"peak_share\": %.6f}, ",
                row->clrun.kernel_s, row->clrun.step_s, g, share(r, g));
        if (row->clblast_s > 0)
            fprintf(out, "\"clblast\": {\"s\": %.9f, \"gflops\": %.4f, \"peak_share\": %.6f}}", row->clblast_s, gb,
                    share(r, gb));
        else
            fprintf(out, "\"clblast\": null}");
        fprintf(out, "%s\n", i + 1 < r->nrows ? "," : "");
    }
    fprintf(out, "]\n}\n");
}
