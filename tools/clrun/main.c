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
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "clrun/program.h"
#include "clrun/version.h"
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
            "options:\n");
    clr_tool_usage_options(out);
    fprintf(out,
            "  --output-dir DIR          write each output as DIR/<name>.npy (DIR created when missing)\n"
            "  --format text|json        result summary as text lines (default) or one JSON document\n"
            "  --dump-ops DIR            write every op's outputs as DIR/op<NNNN>_<slot>.npy + DIR/index.json\n"
            "  --check                   only report which ops would run where, and the transfers\n"
            "  --profile NAME            with --check: answer for a device profile from devices/\n"
            "  --dump-plan FILE          with --check: write the partitioned graph as Graphviz DOT\n");
}

static int bad(const char *what, const char *value) {
    fprintf(stderr, "clrun: bad %s '%s'\n", what, value);
    usage(stderr);
    return 2;
}

/* clrun's own options, after the shared ones (tools/common/options.h). */
static int parse_own(int argc, char **argv, int *i, clr_run_options *o, clr_check_options *c, bool *check) {
    const char *a = argv[*i];
    if (strcmp(a, "--check") == 0) {
        *check = true;
        return 0;
    }
    if (strcmp(a, "--format") == 0) {
        if (*i + 1 >= argc) return bad("option without a value", a);
        const char *v = argv[++*i];
        if (strcmp(v, "json") != 0 && strcmp(v, "text") != 0) return bad("--format", v);
        o->json = strcmp(v, "json") == 0;
        return 0;
    }
    const char **dst = strcmp(a, "--output-dir") == 0 ? &o->output_dir
                       : strcmp(a, "--dump-ops") == 0 ? &o->dump_ops_dir
                       : strcmp(a, "--profile") == 0  ? &c->profile
                       : strcmp(a, "--dump-plan") == 0 ? &c->dump_plan
                                                       : NULL;
    if (!dst) return bad("option", a);
    if (*i + 1 >= argc) return bad("option without a value", a);
    *dst = argv[++*i];
    return 0;
}

static int parse_args(int argc, char **argv, clr_run_options *o, clr_check_options *c, bool *check) {
    memset(o, 0, sizeof *o);
    memset(c, 0, sizeof *c);
    clr_tool_options_init(&o->tool);
    *check = false;
    for (int i = 1; i < argc; i++) {
        clr_tool_parsed p = clr_tool_parse_option("clrun", argc, argv, &i, &o->tool);
        if (p == CLR_TOOL_BAD) {
            usage(stderr);
            return 2;
        }
        int rc = p == CLR_TOOL_UNKNOWN ? parse_own(argc, argv, &i, o, c, check) : 0;
        if (rc) return rc;
    }
    if (!o->tool.model) {
        usage(stderr);
        return 2;
    }
    if ((c->profile || c->dump_plan) && !*check) return bad("option without --check", c->profile ? "--profile" : "--dump-plan");
    if (*check && (o->output_dir || o->dump_ops_dir || o->json))
        return bad("option with --check (it runs nothing)",
                   o->output_dir ? "--output-dir" : o->dump_ops_dir ? "--dump-ops" : "--format json");
    c->model = o->tool.model;
    c->device = o->tool.device ? o->tool.device : "auto";
    c->placement = o->tool.placement;
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
        printf("clrun %s\n", clr_version());
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
