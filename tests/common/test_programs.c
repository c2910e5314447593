/* clrun tests — small in-memory models (see test_programs.h). */
#include "test_programs.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>

#include <cmocka.h>

#include "model/program_builder.h"

enum { FC_K = 4, FC_N = 5 };

float tp_fc_weight(int64_t k, int64_t n) { return (float)((k * 7 + n * 3) % 11 - 5) / 8.0f; }
float tp_fc_bias(int64_t n) { return (float)n / 4.0f - 0.5f; }

/* Writes the program as a meta_version 2 .nb image and reads it back. */
static clr_program *through_nb(clr_program *p) {
    void *data = NULL;
    size_t size = 0;
    clr_program *q = NULL;
    clr_error err = {{0}};
    if (clr_program_serialize(p, 2, &data, &size, &err) != CLR_OK) fail_msg("serialize: %s", err.msg);
    if (clr_program_load_buffer(data, size, "test.nb", &q, &err) != CLR_OK) fail_msg("load: %s", err.msg);
    free(data);
    clr_program_free(p);
    return q;
}

void tp_feed(clr_builder *b, const char *x) {
    const char *feed[] = {"feed"}, *out[] = {x};
    clr_builder_var_typed(b, "feed", CLR_VARTYPE_FEED_MINIBATCH, CLR_DTYPE_BOOL, 0, NULL, true);
    clr_builder_var_typed(b, "fetch", CLR_VARTYPE_FETCH_LIST, CLR_DTYPE_BOOL, 0, NULL, true);
    clr_builder_op(b, "feed");
    clr_builder_op_input(b, "X", 1, feed);
    clr_builder_op_output(b, "Out", 1, out);
    clr_builder_attr_int(b, "col", 0);
}

clr_program *tp_fetch_finish(clr_builder *b, const char *y) {
    const char *in[] = {y}, *fetch[] = {"fetch"};
    clr_builder_op(b, "fetch");
    clr_builder_op_input(b, "X", 1, in);
    clr_builder_op_output(b, "Out", 1, fetch);
    clr_builder_attr_int(b, "col", 0);
    clr_program *p = NULL;
    clr_error err = {{0}};
    if (clr_builder_finish(b, &p, &err) != CLR_OK) fail_msg("builder: %s", err.msg);
    return through_nb(p);
}

clr_program *tp_fc_program(const char *op_type, int32_t in_num_col_dims) {
    clr_builder *b = clr_builder_create("v2.13");
    int64_t xd[3] = {-1, 3, FC_K}, wd[2] = {FC_K, FC_N}, bd[1] = {FC_N}, yd[3] = {-1, 3, FC_N};
    float w[FC_K * FC_N], bias[FC_N];
    for (int64_t k = 0; k < FC_K; k++)
        for (int64_t n = 0; n < FC_N; n++) w[k * FC_N + n] = tp_fc_weight(k, n);
    for (int64_t n = 0; n < FC_N; n++) bias[n] = tp_fc_bias(n);
    const char *x[] = {"x"}, *y[] = {"y"}, *wn[] = {"w"}, *bn[] = {"b"};
    clr_builder_var(b, "x", CLR_DTYPE_FP32, 3, xd, false);
    clr_builder_var(b, "y", CLR_DTYPE_FP32, 3, yd, false);
    clr_builder_var(b, "w", CLR_DTYPE_FP32, 2, wd, true);
    clr_builder_var(b, "b", CLR_DTYPE_FP32, 1, bd, true);
    tp_feed(b, "x");
    clr_builder_op(b, "fc");
    clr_builder_op_input(b, "Input", 1, x);
    clr_builder_op_input(b, "W", 1, wn);
    clr_builder_op_input(b, "Bias", 1, bn);
    clr_builder_op_output(b, "Out", 1, y);
    clr_builder_attr_int(b, "in_num_col_dims", in_num_col_dims);
    if (op_type) clr_builder_attr_string(b, "op_type", op_type);
    clr_builder_param(b, "w", CLR_DTYPE_FP32, 2, wd, w, sizeof w);
    clr_builder_param(b, "b", CLR_DTYPE_FP32, 1, bd, bias, sizeof bias);
    return tp_fetch_finish(b, "y");
}
