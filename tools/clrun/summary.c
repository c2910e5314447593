/* clrun MODEL's result summary (see summary.h). */
#include "summary.h"

#include <inttypes.h>
#include <math.h>

#include "io/json.h"

static double element(const clr_output *o, int64_t i) {
    switch (o->dtype) {
    case CLR_DTYPE_FP32: return ((const float *)o->data)[i];
    case CLR_DTYPE_INT32: return ((const int32_t *)o->data)[i];
    case CLR_DTYPE_INT64: return (double)((const int64_t *)o->data)[i];
    case CLR_DTYPE_INT8: return ((const int8_t *)o->data)[i];
    case CLR_DTYPE_UINT8:
    case CLR_DTYPE_BOOL: return ((const uint8_t *)o->data)[i];
    default: return NAN;
    }
}

void clr_output_stats_compute(const clr_output *o, clr_output_stats *st) {
    int64_t n = 1;
    for (int32_t d = 0; d < o->ndims; d++) n *= o->dims[d];
    double lo = INFINITY, hi = -INFINITY, sum = 0, sq = 0;
    int64_t nonfinite = 0;
    for (int64_t i = 0; i < n; i++) {
        double v = element(o, i);
        if (!isfinite(v)) {
            nonfinite++;
            continue;
        }
        lo = fmin(lo, v), hi = fmax(hi, v), sum += v, sq += v * v;
    }
    double mean = n > nonfinite ? sum / (double)(n - nonfinite) : 0;
    *st = (clr_output_stats){.count = n, .nonfinite = nonfinite, .min = n ? lo : 0, .max = n ? hi : 0, .mean = mean,
                             .std = n > nonfinite ? sqrt(fmax(sq / (double)(n - nonfinite) - mean * mean, 0)) : 0};
    if (o->ndims == 2 && o->dims[1] > 1 && o->dims[0] >= 1) {
        /* top-5 of the first row: the usual classifier read-out */
        int64_t c = o->dims[1];
        int k = 0;
        for (; k < 5 && k < c; k++) {
            st->top[k] = -1;
            for (int64_t j = 0; j < c; j++) {
                bool taken = false;
                for (int q = 0; q < k; q++) taken |= st->top[q] == j;
                if (!taken && (st->top[k] < 0 || element(o, j) > element(o, st->top[k]))) st->top[k] = j;
            }
            st->top_value[k] = element(o, st->top[k]);
        }
        st->ntop = k;
    }
}

static const char *dtype_name(int32_t dtype) { return clr_dtype_name(dtype) ? clr_dtype_name(dtype) : "?"; }

void clr_summary_print_output(FILE *out, int32_t index, const clr_output *o, const clr_output_stats *st) {
    fprintf(out, "output %d %s %s [", index, o->name, dtype_name(o->dtype));
    for (int32_t d = 0; d < o->ndims; d++) fprintf(out, "%s%" PRId64, d ? "," : "", o->dims[d]);
    fprintf(out, "] min %.6g max %.6g mean %.6g std %.6g", st->min, st->max, st->mean, st->std);
    if (st->nonfinite) fprintf(out, " nonfinite %" PRId64, st->nonfinite);
    fprintf(out, "\n");
    if (!st->ntop) return;
    fprintf(out, "  top-%d:", st->ntop);
    for (int q = 0; q < st->ntop; q++) fprintf(out, " %" PRId64 "=%.6g", st->top[q], st->top_value[q]);
    fprintf(out, "\n");
}

void clr_summary_print_run(FILE *out, const char *device, const clr_exec_stats *st) {
    fprintf(out, "run on %s: %d ops on the GPU, %d on the CPU, %d io_copy transfers (%llu bytes), %d fallbacks%s%s\n",
            device, st->ops_gpu, st->ops_host, st->transfers, (unsigned long long)st->transfer_bytes, st->fallbacks,
            st->fallbacks ? ": " : "", st->fallback_reason);
}

/* A JSON number; null for NaN and infinities, which JSON cannot spell. */
static void json_num(FILE *out, double v) {
    if (isfinite(v)) fprintf(out, "%.9g", v);
    else fputs("null", out);
}

void clr_summary_json_begin(FILE *out, const char *model, const char *device) {
    fputs("{\"model\": ", out);
    clr_json_str(out, model);
    fputs(", \"device\": ", out);
    clr_json_str(out, device);
    fputs(", \"outputs\": [", out);
}

void clr_summary_json_output(FILE *out, int32_t index, const clr_output *o, const clr_output_stats *st) {
    fprintf(out, "%s\n  {\"index\": %d, \"name\": ", index ? "," : "", index);
    clr_json_str(out, o->name);
    fputs(", \"dtype\": ", out);
    clr_json_str(out, dtype_name(o->dtype));
    fputs(", \"shape\": [", out);
    for (int32_t d = 0; d < o->ndims; d++) fprintf(out, "%s%" PRId64, d ? ", " : "", o->dims[d]);
    fprintf(out, "], \"count\": %" PRId64 ", \"nonfinite\": %" PRId64 ", \"min\": ", st->count, st->nonfinite);
    json_num(out, st->min);
    fputs(", \"max\": ", out);
    json_num(out, st->max);
    fputs(", \"mean\": ", out);
    json_num(out, st->mean);
    fputs(", \"std\": ", out);
    json_num(out, st->std);
    fputs(", \"top5\": [", out);
    for (int q = 0; q < st->ntop; q++) {
        fprintf(out, "%s{\"index\": %" PRId64 ", \"value\": ", q ? ", " : "", st->top[q]);
        json_num(out, st->top_value[q]);
        fputs("}", out);
    }
    fputs("]}", out);
}

void clr_summary_json_end(FILE *out, const clr_exec_stats *st) {
    fprintf(out,
            "\n], \"run\": {\"ops_gpu\": %d, \"ops_cpu\": %d, \"transfers\": %d, \"transfer_bytes\": %llu, "
            "\"fallbacks\": %d, \"fallback_reason\": ",
            st->ops_gpu, st->ops_host, st->transfers, (unsigned long long)st->transfer_bytes, st->fallbacks);
    clr_json_str(out, st->fallback_reason);
    fputs("}}\n", out);
}
