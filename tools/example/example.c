/* The ten lines a user writes: load a model, run it on one input, read the
 * first output. Build: part of the tree (build/clrun_example); run:
 *   build/clrun_example build/models/tiny_convnet.nb */
#include <stdio.h>
#include <stdlib.h>

#include "clrun/clrun.h"

int main(int argc, char **argv) {
    clr_model *model = NULL;
    clr_session *session = NULL;
    clr_error err = {{0}};
    static float pixels[1 * 3 * 32 * 32]; /* your image, NCHW */
    int64_t dims[4] = {1, 3, 32, 32};
    clr_output out;
    if (argc < 2 || clr_model_load(argv[1], &model, &err) != CLR_OK ||
        clr_session_create(model, &session, &err) != CLR_OK ||
        clr_session_set_input(session, 0, CLR_DTYPE_FP32, 4, dims, pixels, &err) != CLR_OK ||
        clr_session_run(session, &err) != CLR_OK || clr_session_output(session, 0, &out, &err) != CLR_OK) {
        fprintf(stderr, "error: %s\n", argc < 2 ? "usage: clrun_example MODEL" : err.msg);
        clr_session_free(session);
        clr_model_free(model);
        return 1;
    }
    printf("%s: %lld values, first %g\n", out.name, (long long)out.dims[out.ndims - 1], ((const float *)out.data)[0]);
    clr_session_free(session);
    clr_model_free(model);
    return 0;
}
