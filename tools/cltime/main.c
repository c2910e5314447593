/* cltime — how fast a model runs with clrun, and where the time goes.
 *
 *   cltime [clrun's input/device options] [--warmup N] [--repeats N]
 *          [--format table|csv|json] [--trace FILE]
 *          [--roof-gflops X] [--roof-gbps Y] MODEL
 *   cltime --version
 *
 * Reports start-up (load, kernel builds split into cache hits and misses,
 * time to first result), the steady-state latency over the repeats (end to
 * end as clrun runs, and profiled), a per-op table (GPU time from OpenCL
 * profiling events, host time per plan step, FLOPs, share of the op's roof),
 * per-op-type totals, io_copy transfers and memory. The exit status
 * is 0 on success, 1 when the model cannot be loaded or run, 2 for a usage
 * error.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clrun/version.h"
#include "measure.h"
#include "report.h"

typedef enum { FORMAT_TABLE, FORMAT_CSV, FORMAT_JSON } format;

static void usage(FILE *out) {
    fprintf(out, "usage: cltime [options] MODEL    time MODEL\n       cltime --version\noptions:\n");
    clr_tool_usage_options(out);
    fprintf(out,
            "  --warmup N                untimed runs after the first one (default 1)\n"
            "  --repeats N               timed runs (default 10, at most %d)\n"
            "  --format F                table (default) | csv | json (one JSON document on stdout)\n"
            "  --trace FILE              write a Chrome trace (chrome://tracing, Perfetto) of the repeats\n"
            "  --roof-gflops X           the FMA peak ops are compared with (default: measured on the OpenCL device)\n"
            "  --roof-gbps Y             the copy bandwidth ops are compared with (default: measured likewise)\n",
            CLTIME_MAX_REPEATS);
}

static int bad(const char *what, const char *value) {
    fprintf(stderr, "cltime: bad %s '%s'\n", what, value);
    usage(stderr);
    return 2;
}

static bool parse_rate(const char *s, double *out) {
    char *end;
    double v = strtod(s, &end);
    if (*s == '\0' || *end || !(v > 0 && v < 1e9)) return false;
    *out = v;
    return true;
}

static bool parse_count(const char *s, int min, int *out) { return clr_tool_parse_int(s, min, CLTIME_MAX_REPEATS, out); }

/* cltime's own options, after the shared ones (tools/common/options.h). */
static int parse_own(int argc, char **argv, int *i, cltime_options *o, format *fmt, const char **trace) {
    const char *a = argv[*i];
    bool known = strcmp(a, "--warmup") == 0 || strcmp(a, "--repeats") == 0 || strcmp(a, "--format") == 0 ||
                 strcmp(a, "--trace") == 0 || strcmp(a, "--roof-gflops") == 0 || strcmp(a, "--roof-gbps") == 0;
    if (!known) return bad("option", a);
    if (*i + 1 >= argc) return bad("option without a value", a);
    const char *v = argv[++*i];
    if (strcmp(a, "--warmup") == 0 && !parse_count(v, 0, &o->warmup)) return bad(a, v);
    if (strcmp(a, "--repeats") == 0 && !parse_count(v, 1, &o->repeats)) return bad(a, v);
    if (strcmp(a, "--trace") == 0) *trace = v;
    if (strcmp(a, "--roof-gflops") == 0 && !parse_rate(v, &o->roof_gflops)) return bad(a, v);
    if (strcmp(a, "--roof-gbps") == 0 && !parse_rate(v, &o->roof_gbps)) return bad(a, v);
    if (strcmp(a, "--format") == 0) {
        if (strcmp(v, "table") == 0) *fmt = FORMAT_TABLE;
        else if (strcmp(v, "csv") == 0) *fmt = FORMAT_CSV;
        else if (strcmp(v, "json") == 0) *fmt = FORMAT_JSON;
        else return bad(a, v);
    }
    return 0;
}

static int parse_args(int argc, char **argv, cltime_options *o, format *fmt, const char **trace) {
    memset(o, 0, sizeof *o);
    clr_tool_options_init(&o->tool);
    o->warmup = 1, o->repeats = 10;
    *fmt = FORMAT_TABLE;
    *trace = NULL;
    for (int i = 1; i < argc; i++) {
        clr_tool_parsed p = clr_tool_parse_option("cltime", argc, argv, &i, &o->tool);
        if (p == CLR_TOOL_BAD) {
            usage(stderr);
            return 2;
        }
        int rc = p == CLR_TOOL_UNKNOWN ? parse_own(argc, argv, &i, o, fmt, trace) : 0;
        if (rc) return rc;
    }
    if (o->tool.model) return 0;
    usage(stderr);
    return 2;
}

int main(int argc, char **argv) {
    if (argc == 2 && strcmp(argv[1], "--version") == 0) {
        printf("cltime %s\n", clr_version());
        return 0;
    }
    if (argc == 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
        usage(stdout);
        return 0;
    }
    cltime_options opt;
    format fmt;
    const char *trace;
    int rc = parse_args(argc, argv, &opt, &fmt, &trace);
    if (rc) return rc;
    clr_error err = {{0}};
    cltime_result r;
    cltime_summary s = {0};
    clr_status st = cltime_measure(&opt, &r, &err);
    if (st == CLR_OK) st = cltime_summarize(&r, &s, &err);
    if (st == CLR_OK && trace) st = cltime_write_trace(trace, &r, &err);
    if (st == CLR_OK && fmt == FORMAT_TABLE) cltime_print_table(stdout, &r, &s);
    if (st == CLR_OK && fmt == FORMAT_CSV) cltime_print_csv(stdout, &r, &s);
    if (st == CLR_OK && fmt == FORMAT_JSON) cltime_print_json(stdout, &r, &s);
    if (st != CLR_OK) fprintf(stderr, "cltime: %s\n", err.msg[0] ? err.msg : clr_status_str(st));
    cltime_summary_free(&s);
    cltime_free(&r);
    return st == CLR_OK ? 0 : 1;
}
