/* nbgen — the tiny_convnet recipe, shaped like what opt writes for ARM:
 *
 *   feed → conv2d 3→8 3x3 pad 1 (+Bias, fused relu) → pool2d max 2x2/2
 *        → conv2d 8→16 3x3 pad 1 → relu → pool2d global avg
 *        → flatten_contiguous_range → fc 16→10 → softmax → fetch
 *
 * Weights come from a fixed-seed LCG, uniform in ±0.5/sqrt(fan_in), so the
 * file is identical on every run and host. */
#include <math.h>
#include <stdio.h>

#include "core/error.h"
#include "model/program_builder.h"
#include "nbgen.h"

enum { MAX_WEIGHTS = 16 * 8 * 3 * 3 };

/* Numerical Recipes LCG: same sequence everywhere, no libc rand(). */
static float next_uniform(uint32_t *state) {
    *state = *state * 1664525u + 1013904223u;
    return (float)(*state >> 8) / 16777216.0f * 2.0f - 1.0f; /* [-1, 1) */
}

/* A persistable FP32 weight: its var and its parameter record. */
static void weight(clr_builder *b, uint32_t *rng, const char *name, int32_t ndims, const int64_t *dims,
                   int32_t fan_in) {
    static float data[MAX_WEIGHTS];
    int64_t numel = 1;
    for (int32_t i = 0; i < ndims; i++) numel *= dims[i];
    /* A weight too big for the buffer is a recipe bug: passing 0 bytes makes the builder reject it. */
    uint64_t nbytes = numel <= MAX_WEIGHTS ? (uint64_t)numel * sizeof(float) : 0;
    float scale = 0.5f / sqrtf((float)fan_in);
    for (int64_t i = 0; i < numel && i < MAX_WEIGHTS; i++) data[i] = next_uniform(rng) * scale;
    clr_builder_var(b, name, CLR_DTYPE_FP32, ndims, dims, true);
    clr_builder_param(b, name, CLR_DTYPE_FP32, ndims, dims, data, nbytes);
}

/* Starts an op with its kernel place attribute "<type>/def/<place>". */
static void op(clr_builder *b, const char *type, const char *place) {
    char kernel[64];
    snprintf(kernel, sizeof kernel, "%s/def/%s", type, place);
    clr_builder_op(b, type);
    clr_builder_attr_string(b, CLR_KERNEL_PLACE_ATTR, kernel);
}

static void in(clr_builder *b, const char *param, const char *arg) { clr_builder_op_input(b, param, 1, &arg); }
static void out(clr_builder *b, const char *param, const char *arg) { clr_builder_op_output(b, param, 1, &arg); }

static const char *const ARM_FLOAT_NCHW = "4/1/1", *const HOST_ANY = "1/4/2";

static void ints2(clr_builder *b, const char *name, int32_t x, int32_t y) {
    clr_builder_attr_ints(b, name, 2, (const int32_t[]){x, y});
}

/* conv2d 3x3, stride 1, pad 1; an empty ResidualData slot as Paddle exports it. */
static void conv3x3(clr_builder *b, const char *x, const char *filter, const char *bias, const char *y) {
    op(b, "conv2d", ARM_FLOAT_NCHW);
    in(b, "Input", x);
    in(b, "Filter", filter);
    if (bias) in(b, "Bias", bias);
    clr_builder_op_input(b, "ResidualData", 0, NULL);
    out(b, "Output", y);
    ints2(b, "strides", 1, 1);
    ints2(b, "paddings", 1, 1);
    ints2(b, "dilations", 1, 1);
    clr_builder_attr_int(b, "groups", 1);
}

static void pool2d(clr_builder *b, const char *x, const char *y, const char *type, bool global, int32_t k) {
    op(b, "pool2d", ARM_FLOAT_NCHW);
    in(b, "X", x);
    out(b, "Out", y);
    clr_builder_attr_string(b, "pooling_type", type);
    clr_builder_attr_bool(b, "global_pooling", global);
    ints2(b, "ksize", k, k);
    ints2(b, "strides", k, k);
    ints2(b, "paddings", 0, 0);
    clr_builder_attr_bool(b, "exclusive", true);
    clr_builder_attr_bool(b, "adaptive", false);
    clr_builder_attr_bool(b, "ceil_mode", false);
}

static void activations(clr_builder *b) {
    static const struct {
        const char *name;
        int32_t ndims;
        int64_t dims[4];
    } acts[] = {{"image", 4, {1, 3, 32, 32}},    {"conv1.out", 4, {1, 8, 32, 32}},
                {"pool1.out", 4, {1, 8, 16, 16}}, {"conv2.out", 4, {1, 16, 16, 16}},
                {"relu2.out", 4, {1, 16, 16, 16}}, {"pool2.out", 4, {1, 16, 1, 1}},
                {"flatten.out", 2, {1, 16}},      {"fc.out", 2, {1, 10}},
                {"softmax.out", 2, {1, 10}}};
    for (size_t i = 0; i < sizeof acts / sizeof acts[0]; i++)
        clr_builder_var(b, acts[i].name, CLR_DTYPE_FP32, acts[i].ndims, acts[i].dims, false);
}

static void weights(clr_builder *b) {
    uint32_t rng = 20240601u;
    weight(b, &rng, "conv1.w", 4, (const int64_t[]){8, 3, 3, 3}, 3 * 3 * 3);
    weight(b, &rng, "conv1.b", 1, (const int64_t[]){8}, 3 * 3 * 3);
    weight(b, &rng, "conv2.w", 4, (const int64_t[]){16, 8, 3, 3}, 8 * 3 * 3);
    weight(b, &rng, "fc.w", 2, (const int64_t[]){16, 10}, 16);
    weight(b, &rng, "fc.b", 1, (const int64_t[]){10}, 16);
}

static void ops(clr_builder *b) {
    op(b, "feed", HOST_ANY);
    in(b, "X", "feed");
    out(b, "Out", "image");
    clr_builder_attr_int(b, "col", 0);

    conv3x3(b, "image", "conv1.w", "conv1.b", "conv1.out");
    clr_builder_attr_bool(b, "with_act", true);
    clr_builder_attr_string(b, "act_type", "relu");
    clr_builder_attr_bool(b, "fuse_relu", true);

    pool2d(b, "conv1.out", "pool1.out", "max", false, 2);
    conv3x3(b, "pool1.out", "conv2.w", NULL, "conv2.out");

    op(b, "relu", ARM_FLOAT_NCHW);
    in(b, "X", "conv2.out");
    out(b, "Out", "relu2.out");

    pool2d(b, "relu2.out", "pool2.out", "avg", true, 1);

    op(b, "flatten_contiguous_range", ARM_FLOAT_NCHW);
    in(b, "X", "pool2.out");
    out(b, "Out", "flatten.out");
    clr_builder_attr_int(b, "start_axis", 1);
    clr_builder_attr_int(b, "stop_axis", 3);

    op(b, "fc", ARM_FLOAT_NCHW);
    in(b, "Input", "flatten.out");
    in(b, "W", "fc.w");
    in(b, "Bias", "fc.b");
    out(b, "Out", "fc.out");
    clr_builder_attr_int(b, "in_num_col_dims", 1);
    clr_builder_attr_string(b, "op_type", "mul");
    clr_builder_attr_string(b, "activation_type", "");

    op(b, "softmax", ARM_FLOAT_NCHW);
    in(b, "X", "fc.out");
    out(b, "Out", "softmax.out");
    clr_builder_attr_int(b, "axis", -1);

    op(b, "fetch", HOST_ANY);
    in(b, "X", "softmax.out");
    out(b, "Out", "fetch");
    clr_builder_attr_int(b, "col", 0);
}

clr_status nbgen_tiny_convnet(clr_program **out_prog, clr_error *err) {
    clr_builder *b = clr_builder_create("v2.13-clrun");
    if (!b) return clr_error_set(err, CLR_ERR_NOMEM, "tiny_convnet: out of memory");
    /* Builder errors are sticky: clr_builder_finish reports the first one. */
    clr_builder_var_typed(b, "feed", CLR_VARTYPE_FEED_MINIBATCH, CLR_DTYPE_BOOL, 0, NULL, true);
    clr_builder_var_typed(b, "fetch", CLR_VARTYPE_FETCH_LIST, CLR_DTYPE_BOOL, 0, NULL, true);
    activations(b);
    weights(b);
    ops(b);
    return clr_builder_finish(b, out_prog, err);
}
