/* clrun — command-line front end.
 *
 *   clrun --info MODEL     summary of a model (format, I/O, ops, kernel places, params)
 *   clrun --version
 *
 * MODEL is a .nb file of any meta_version or a pre-v2.3 model directory.
 * Errors are one line on stderr; the exit status is 0 on success, 1 when the
 * model cannot be used, 2 for a usage error.
 */
#include <stdio.h>
#include <string.h>

#include "clrun/program.h"
#include "info.h"

static void usage(FILE *out) {
    fprintf(out,
            "usage: clrun --info MODEL\n"
            "       clrun --version\n"
            "MODEL: a Paddle-Lite .nb file (meta_version 0, 1 or 2) or a pre-v2.3 model directory\n");
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
    usage(stderr);
    return 2;
}
