/* nbgen — writes a bundled synthetic model: `nbgen tiny_convnet OUT.nb`. */
#include <stdio.h>
#include <string.h>

#include "nbgen.h"

typedef clr_status (*model_fn)(clr_program **out, clr_error *err);

static const struct {
    const char *name;
    model_fn build;
} models[] = {{"tiny_convnet", nbgen_tiny_convnet}};

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: nbgen tiny_convnet OUT.nb\n");
        return 2;
    }
    for (size_t i = 0; i < sizeof models / sizeof models[0]; i++) {
        if (strcmp(argv[1], models[i].name) != 0) continue;
        clr_error err = {{0}};
        clr_program *prog = NULL;
        clr_status st = models[i].build(&prog, &err);
        if (st == CLR_OK) st = clr_program_save(prog, argv[2], 2, &err);
        clr_program_free(prog);
        if (st != CLR_OK) {
            fprintf(stderr, "nbgen: %s: %s\n", models[i].name, err.msg);
            return 1;
        }
        return 0;
    }
    fprintf(stderr, "nbgen: unknown model '%s' (known: tiny_convnet)\n", argv[1]);
    return 2;
}
