/* clrun tools — input binding (see inputs.h). */
#include "inputs.h"

#include <string.h>

#include "core/error.h"

static bool ends_with(const char *s, const char *suffix) {
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* Shape for a random input: --input-shape wins; else the declared dims with a
 * dynamic batch taken as 1; other dynamic or missing dims need the user. */
static clr_status random_shape(const clr_tool_options *opt, const clr_session *s, int32_t i, int32_t *ndims,
                               int64_t *dims, clr_error *err) {
    const char *name = clr_session_input_name(s, i);
    for (int k = 0; k < opt->nshapes; k++)
        if (strcmp(opt->shape_names[k], name) == 0) {
            *ndims = opt->shape_ndims[k];
            memcpy(dims, opt->shape_dims[k], sizeof(int64_t) * (size_t)*ndims);
            return CLR_OK;
        }
    int32_t nd;
    const int64_t *decl = clr_session_input_dims(s, i, &nd);
    if (nd == 0)
        return clr_error_set(err, CLR_ERR_ARG,
                             "input '%s': this model format stores no input dims; give --input-shape %s=1,3,H,W", name, name);
    for (int32_t d = 0; d < nd; d++) {
        dims[d] = decl[d] < 0 && d == 0 ? 1 : decl[d];
        if (dims[d] < 0)
            return clr_error_set(err, CLR_ERR_ARG, "input '%s': dim %d is dynamic; give --input-shape %s=…", name, d, name);
    }
    *ndims = nd;
    return CLR_OK;
}

clr_status clr_tool_bind_inputs(const clr_tool_options *opt, clr_session *s, clr_error *err) {
    for (int k = 0; k < opt->ninputs; k++)
        if (clr_session_find_input(s, opt->input_names[k]) < 0)
            return clr_error_set(err, CLR_ERR_ARG, "--input %s: the model has no input called '%s' (inputs: %s%s)",
                                 opt->input_names[k], opt->input_names[k], clr_session_input_name(s, 0),
                                 clr_session_num_inputs(s) > 1 ? ", …" : "");
    for (int k = 0; k < opt->nshapes; k++)
        if (clr_session_find_input(s, opt->shape_names[k]) < 0)
            return clr_error_set(err, CLR_ERR_ARG, "--input-shape: the model has no input called '%s'", opt->shape_names[k]);
    clr_status st = CLR_OK;
    for (int32_t i = 0; st == CLR_OK && i < clr_session_num_inputs(s); i++) {
        const char *name = clr_session_input_name(s, i), *file = NULL;
        for (int k = 0; k < opt->ninputs; k++)
            if (strcmp(opt->input_names[k], name) == 0) file = opt->input_files[k];
        if (file && ends_with(file, ".npy")) {
            st = clr_session_set_input_npy(s, i, file, err);
        } else if (file) {
            st = clr_session_set_input_image(s, i, file, &opt->prep, err);
        } else {
            clr_tensor t = {0};
            int32_t nd = 0;
            int64_t dims[CLR_MAX_DIMS];
            st = random_shape(opt, s, i, &nd, dims, err);
            if (st == CLR_OK) st = clr_tensor_resize(&t, CLR_DTYPE_FP32, nd, dims, err);
            unsigned long long x = opt->seed * 0x9E3779B97F4A7C15ull + (unsigned long long)i + 1;
            for (int64_t e = 0; st == CLR_OK && e < clr_tensor_numel(&t); e++) {
                x ^= x << 13, x ^= x >> 7, x ^= x << 17;
                ((float *)t.data)[e] = (float)((double)(x >> 11) / 9007199254740992.0 * 2.0 - 1.0);
            }
            if (st == CLR_OK)
                st = clr_session_set_input_sized(s, i, t.dtype, t.ndims, t.dims, t.data, clr_tensor_nbytes(&t), err);
            clr_tensor_release(&t);
        }
    }
    return st;
}
