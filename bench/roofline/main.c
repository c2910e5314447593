/* roofline — how close clrun's GEMM comes to this OpenCL device's limits.
 *
 *   roofline [--device gpu|gpu:N] [--warmup N] [--repeats N] [--quick]
 *            [--shape MxNxK|fc:MxK]... [--model FILE] [--no-clblast]
 *            [--format table|json]
 *
 * In one run: the FMA peak and the copy bandwidth (bench/common/roof.cl),
 * then for each GEMM shape (MobileNetV2's 1x1 convs and fc unless --shape
 * or --model give others) clrun's time through its public API on a one-op model and
 * CLBlast's SGEMM, as GFLOP/s and % of the measured peak side by side.
 * Exit status 0 on success, 1 when a measurement fails, 2 for a usage error.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gemm_clblast.h"
#include "options.h"
#include "roofline.h"

typedef struct options {
    const char *device;
    int warmup, repeats;
    bool quick, clblast, json;
    const char *model;
    int32_t nshapes, skipped;
    roofline_shape shapes[ROOFLINE_MAX_SHAPES];
} options;

static void usage(FILE *out) {
    fprintf(out, "usage: roofline [options]\noptions:\n"
                 "  --device gpu|gpu:N   the OpenCL device (default gpu: the first one)\n"
                 "  --warmup N           untimed runs of each GEMM (default 2)\n"
                 "  --repeats N          timed runs of each GEMM and roof kernel (default 10)\n"
                 "  --quick              the roofs from a few milliseconds of measurement, as cltime does\n"
                 "  --shape MxNxK        a GEMM shape as a 1x1 conv (repeatable; default MobileNetV2's 1x1 convs and fc)\n"
                 "  --shape fc:MxK       the same as an fc layer on one row (N = 1)\n"
                 "  --model FILE         the GEMMs of a .nb model instead (its 1x1 convs and fc, dims as recorded)\n"
                 "  --no-clblast         leave CLBlast out\n"
                 "  --format table|json  output (default table)\n");
}

static int bad(const char *what, const char *value) {
    fprintf(stderr, "roofline: bad %s '%s'\n", what, value);
    usage(stderr);
    return 2;
}

static bool parse_count(const char *s, int min, int *out) { return clr_tool_parse_int(s, min, 10000, out); }

static int parse_value(const char *a, const char *v, options *o) {
    if (strcmp(a, "--device") == 0) o->device = v;
    else if (strcmp(a, "--model") == 0) o->model = v;
    else if (strcmp(a, "--warmup") == 0) return parse_count(v, 0, &o->warmup) ? 0 : bad(a, v);
    else if (strcmp(a, "--repeats") == 0) return parse_count(v, 1, &o->repeats) ? 0 : bad(a, v);
    else if (strcmp(a, "--format") == 0 && (strcmp(v, "json") == 0 || strcmp(v, "table") == 0)) o->json = v[0] == 'j';
    else if (strcmp(a, "--shape") == 0 && o->nshapes < ROOFLINE_MAX_SHAPES &&
             roofline_parse_shape(v, &o->shapes[o->nshapes]))
        o->nshapes++;
    else return bad(a, v);
    return 0;
}

static int parse_args(int argc, char **argv, options *o) {
    *o = (options){.device = "gpu", .warmup = 2, .repeats = 10, .clblast = true};
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--quick") == 0) o->quick = true;
        else if (strcmp(a, "--no-clblast") == 0) o->clblast = false;
        else if (strncmp(a, "--", 2) != 0) return bad("argument", a);
        else if (i + 1 >= argc) return bad("option without a value", a);
        else if (parse_value(a, argv[++i], o)) return 2;
    }
    clr_error err = {{0}};
    if (o->model && roofline_model_shapes(o->model, o->shapes, ROOFLINE_MAX_SHAPES, &o->nshapes, &o->skipped, &err)) {
        fprintf(stderr, "roofline: %s\n", err.msg);
        return 1;
    }
    if (o->model && o->nshapes == 0) {
        fprintf(stderr, "roofline: %s: no GEMM with recorded dims (%d skipped)\n", o->model, o->skipped);
        return 1;
    }
    if (o->nshapes == 0) o->nshapes = roofline_mobilenet_v2(o->shapes, ROOFLINE_MAX_SHAPES);
    return 0;
}

static clr_status measure(const options *o, const clr_cl *cl, roofline_result *r, clr_error *err) {
    clr_roof_options ro = o->quick ? CLR_ROOF_QUICK : CLR_ROOF_FULL;
    if (!o->quick) ro.repeats = o->repeats;
    clr_status st = clr_roof_measure(cl->context, cl->device, &ro, &r->roof, err);
    for (int32_t i = 0; st == CLR_OK && i < o->nshapes; i++) {
        roofline_row *row = &r->rows[r->nrows++];
        row->shape = o->shapes[i];
        fprintf(stderr, "roofline: %s\n", row->shape.name);
        st = roofline_time_clrun(&row->shape, o->device, o->warmup, o->repeats, &row->clrun, err);
        if (st == CLR_OK && o->clblast)
            st = roofline_time_clblast(cl, &row->shape, o->warmup, o->repeats, &row->clblast_s, err);
    }
    return st;
}

int main(int argc, char **argv) {
    if (argc == 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
        usage(stdout);
        return 0;
    }
    static options o;
    static roofline_result r;
    int rc = parse_args(argc, argv, &o);
    if (rc) return rc;
    clr_error err = {{0}};
    clr_cl *cl = NULL;
    clr_cl_options co = {.device = o.device};
    clr_status st = clr_cl_create(&co, &cl, &err);
    if (st == CLR_OK) {
        r = (roofline_result){.device = cl->info.name, .model = o.model, .skipped = o.skipped, .warmup = o.warmup,
                              .repeats = o.repeats};
        st = measure(&o, cl, &r, &err);
    }
    if (st == CLR_OK && o.json) roofline_print_json(stdout, &r);
    if (st == CLR_OK && !o.json) roofline_print_table(stdout, &r);
    if (st != CLR_OK) fprintf(stderr, "roofline: %s\n", err.msg[0] ? err.msg : clr_status_str(st));
    if (o.clblast) roofline_clblast_release();
    clr_cl_free(cl);
    return st == CLR_OK ? 0 : 1;
}
