/* The ten lines a user writes: load a model, run it on a .npy input, print
 * the first output. Built in the tree (build/clrun_example, linked with
 * libclrun.so) and by the outside-project test (tests/install/) against an
 * installed clrun, once with pkg-config and once with find_package(clrun):
 *   clrun_example MODEL INPUT.npy */
#include <stdio.h>

#include "clrun/clrun.h"

int main(int argc, char **argv) {
    clr_model *model = NULL;
    clr_session *session = NULL;
    clr_error err = {{0}};
    clr_output out;
    if (argc != 3 || clr_model_load(argv[1], &model, &err) != CLR_OK ||
        clr_session_create(model, &session, &err) != CLR_OK ||
        clr_session_set_input_npy(session, 0, argv[2], &err) != CLR_OK || clr_session_run(session, &err) != CLR_OK ||
        clr_session_output(session, 0, &out, &err) != CLR_OK || out.dtype != CLR_DTYPE_FP32) {
        fprintf(stderr, "error: %s\n", argc != 3 ? "usage: clrun_example MODEL INPUT.npy" : err.msg[0] ? err.msg : "not FP32");
        clr_session_free(session);
        clr_model_free(model);
        return 1;
    }
    int64_t n = 1;
    for (int32_t d = 0; d < out.ndims; d++) n *= out.dims[d];
    printf("clrun %s (headers %d.%d.%d)\n%s", clr_version(), CLRUN_VERSION_MAJOR, CLRUN_VERSION_MINOR,
           CLRUN_VERSION_PATCH, out.name);
    for (int64_t i = 0; i < n; i++) printf(" %.9g", ((const float *)out.data)[i]);
    printf("\n");
    clr_session_free(session);
    clr_model_free(model);
    return 0;
}
