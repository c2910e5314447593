/* clrun — command-line front end.
 *
 *   clrun --info MODEL        summary of a model (format, I/O, ops, kernel places, params)
 *   clrun [options] MODEL     run the model once and print its outputs
 *   clrun --version
 *
 * MODEL is a .nb file of any meta_version or a pre-v2.3 model directory.
 * Errors are one line on stderr; the exit status is 0 on success, 1 when the
 * model cannot be loaded or run, 2 for a usage error.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clrun/program.h"
#include "check.h"
#include "kernels/host/registry.h"
#include "kernels/opencl/gpu_registry.h"
#include "info.h"
#include "run.h"

static void usage(FILE *out) {
    fprintf(out,
            "usage: clrun [options] MODEL      run MODEL once and print its outputs\n"
            "       clrun --info MODEL         describe MODEL\n"
            "       clrun --ops                which op types this build runs (CPU, GPU)\n"
            "       clrun --version\n"
            "MODEL: a Paddle-Lite .nb file (meta_version 0, 1 or 2) or a pre-v2.3 model directory\n"
            "options:\n"
            "  --input NAME=FILE         .npy file, or an image (JPEG/PNG/BMP…) made into [1,3,H,W]\n"
            "  --input-shape NAME=D,D,…  shape of a random input (dynamic dims, old formats)\n"
            "  --seed N                  seed of random inputs (default 1)\n"
            "  --crop X,Y,W,H            image: crop before resizing\n"
            "  --resize HxW              image: resize (bilinear)\n"
            "  --scale S                 image: pixel * S first (default 1/255)\n"
            "  --mean A,B,C --std A,B,C  image: then (v - mean) / std per channel\n"
            "  --bgr                     image: channel order B,G,R\n"
            "  --output-dir DIR          write each output as DIR/<name>.npy\n"
            "  --device D                cpu | gpu | gpu:N | auto (default: a GPU if any, else any\n"
            "                            OpenCL device, else the CPU)\n"
            "  --placement P             auto (default) | model (follow opt's targets) | cpu | gpu\n"
            "  --strict                  an op falling back to the CPU at run time is an error\n"
            "  --no-cache                do not use the on-disk kernel cache (CLRUN_CACHE_DIR)\n"
            "  --check                   only report which ops would run where, and the transfers\n"
            "  --profile NAME            with --check: answer for a device profile from devices/\n"
            "  --dump-plan FILE          with --check: write the partitioned graph as Graphviz DOT\n");
}

static int bad(const char *what, const char *value) {
    fprintf(stderr, "clrun: bad %s '%s'\n", what, value);
    usage(stderr);
    return 2;
}

/* Parses up to max numbers separated by `sep`; returns the count or -1. */
static int parse_list(const char *s, char sep, double *out, int max) {
    int n = 0;
    while (*s) {
        char *end;
        errno = 0;
        double v = strtod(s, &end);
        if (end == s || errno || n == max) return -1;
        out[n++] = v;
        if (*end == '\0') break;
        if (*end != sep) return -1;
        s = end + 1;
    }
    return n;
}

/* Splits NAME=VALUE at the last '=' (names may contain '='-free '@' and '/'). */
static const char *split_binding(char *arg) {
    char *eq = strrchr(arg, '=');
    if (!eq || eq == arg) return NULL;
    *eq = '\0';
    return eq + 1;
}

static int parse_args(int argc, char **argv, clr_run_options *o, clr_check_options *c, bool *check) {
    memset(o, 0, sizeof *o);
    memset(c, 0, sizeof *c);
    *check = false;
    clr_image_prep_default(&o->prep);
    o->seed = 1;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        double nums[CLR_MAX_DIMS];
        if (a[0] != '-') {
            if (o->model) return bad("extra argument", a);
            o->model = a;
            continue;
        }
        if (strcmp(a, "--bgr") == 0 || strcmp(a, "--strict") == 0 || strcmp(a, "--no-cache") == 0 ||
            strcmp(a, "--check") == 0) {
            if (strcmp(a, "--bgr") == 0) o->prep.bgr = true;
            if (strcmp(a, "--strict") == 0) o->strict = true;
            if (strcmp(a, "--no-cache") == 0) o->no_cache = true;
            if (strcmp(a, "--check") == 0) *check = true;
            continue;
        }
        if (!v) return bad("option without a value", a);
        i++;
        if (strcmp(a, "--input") == 0 || strcmp(a, "--input-shape") == 0) {
            bool shape = strcmp(a, "--input-shape") == 0;
            int *count = shape ? &o->nshapes : &o->ninputs;
            const char *value = split_binding(argv[i]);
            if (!value || *count == CLR_RUN_MAX_BINDINGS) return bad(a, v);
            if (shape) {
                int n = parse_list(value, ',', nums, CLR_MAX_DIMS);
                if (n <= 0) return bad(a, value);
                o->shape_names[*count] = argv[i];
                o->shape_ndims[*count] = n;
                for (int d = 0; d < n; d++) {
                    if (nums[d] < 0 || nums[d] != (double)(int64_t)nums[d]) return bad(a, value);
                    o->shape_dims[*count][d] = (int64_t)nums[d];
                }
            } else {
                o->input_names[*count] = argv[i];
                o->input_files[*count] = value;
            }
            (*count)++;
        } else if (strcmp(a, "--seed") == 0) {
            char *end;
            o->seed = strtoull(v, &end, 10);
            if (*end) return bad(a, v);
        } else if (strcmp(a, "--crop") == 0) {
            if (parse_list(v, ',', nums, 4) != 4) return bad(a, v);
            for (int k = 0; k < 4; k++) o->prep.crop[k] = (int)nums[k];
        } else if (strcmp(a, "--resize") == 0) {
            if (parse_list(v, 'x', nums, 2) != 2 || nums[0] < 1 || nums[1] < 1) return bad(a, v);
            o->prep.resize_h = (int)nums[0], o->prep.resize_w = (int)nums[1];
        } else if (strcmp(a, "--scale") == 0) {
            if (parse_list(v, ',', nums, 1) != 1) return bad(a, v);
            o->prep.scale = (float)nums[0];
        } else if (strcmp(a, "--mean") == 0 || strcmp(a, "--std") == 0) {
            float *dst = strcmp(a, "--mean") == 0 ? o->prep.mean : o->prep.std;
            if (parse_list(v, ',', nums, 3) != 3) return bad(a, v);
            for (int k = 0; k < 3; k++) dst[k] = (float)nums[k];
            if (dst == o->prep.std && (nums[0] == 0 || nums[1] == 0 || nums[2] == 0)) return bad(a, v);
        } else if (strcmp(a, "--output-dir") == 0) {
            o->output_dir = v;
        } else if (strcmp(a, "--device") == 0) {
            o->device = v;
        } else if (strcmp(a, "--placement") == 0) {
            o->placement = v;
        } else if (strcmp(a, "--profile") == 0) {
            c->profile = v;
        } else if (strcmp(a, "--dump-plan") == 0) {
            c->dump_plan = v;
        } else {
            return bad("option", a);
        }
    }
    if (!o->model) {
        usage(stderr);
        return 2;
    }
    if ((c->profile || c->dump_plan) && !*check) return bad("option without --check", c->profile ? "--profile" : "--dump-plan");
    c->model = o->model;
    c->device = o->device ? o->device : "auto";
    c->placement = o->placement;
    return 0;
}

static void print_op(const char *op_type, void *label) { printf("%s %s\n", (const char *)label, op_type); }

/* One line per kernel: "cpu <op>" for every op (each has a host kernel), "gpu <op>" where OpenCL has one too. */
static int cmd_ops(void) {
    clr_host_kernel_each(print_op, "cpu");
    clr_gpu_kernel_each(print_op, "gpu");
    return 0;
}

static int cmd_info(const char *path) {
    clr_program *prog = NULL;
    clr_error err = {{0}};
    clr_status st = clr_program_load(path, &prog, &err);
    if (st != CLR_OK) {
        fprintf(stderr, "clrun: %s\n", err.msg[0] ? err.msg : clr_status_str(st));
        return 1;
    }
    clr_info_print(stdout, path, prog);
    clr_program_free(prog);
    return 0;
}

int main(int argc, char **argv) {
    if (argc == 2 && strcmp(argv[1], "--version") == 0) {
        printf("clrun %s\n", CLR_TOOL_VERSION);
        return 0;
    }
    if (argc == 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
        usage(stdout);
        return 0;
    }
    if (argc == 3 && strcmp(argv[1], "--info") == 0) return cmd_info(argv[2]);
    if (argc == 2 && strcmp(argv[1], "--ops") == 0) return cmd_ops();
    clr_run_options opt;
    clr_check_options check_opt;
    bool check;
    int rc = parse_args(argc, argv, &opt, &check_opt, &check);
    if (rc) return rc;
    return check ? clr_check_model(&check_opt) : clr_run_model(&opt);
}
