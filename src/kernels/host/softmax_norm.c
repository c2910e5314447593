/* clrun — softmax, log_softmax and the normalisations (layer_norm,
 * batch_norm in its inference form, instance_norm). Softmax along the last
 * axis computes what Paddle-Lite's ARM kernel does, in float; the other
 * sums use double so the reference stays accurate on long rows. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "kernels/host/arm_math.h"
#include "kernels/host/math_kernels.h"
#include "kernels/host/tensor_common.h"

/* Softmax of one contiguous row as ARM computes it (softmax_inner1_large_axis
 * for rows longer than 4, softmax_inner1_small_axis otherwise): exp_ps on
 * NEON lanes summed per lane, the lanes added as (2 + 0) + (3 + 1), expf on
 * the tail, then every value times 1 / sum. */
static void arm_softmax_row(const float *x, float *y, int64_t len) {
    int64_t lanes = len > 4 ? len / 4 * 4 : 0;
    float mx = x[0], sum = 0.0f, lane_sum[4] = {0.0f, 0.0f, 0.0f, 0.0f};
    for (int64_t i = 1; i < len; i++) mx = clr_fmaxf(mx, x[i]);
    for (int64_t i = 0; i < lanes; i++) {
        y[i] = clr_arm_exp(x[i] - mx);
        lane_sum[i % 4] = i < 4 ? y[i] : lane_sum[i % 4] + y[i];
    }
    if (lanes) sum = (lane_sum[2] + lane_sum[0]) + (lane_sum[3] + lane_sum[1]);
    for (int64_t i = lanes; i < len; i++) {
        y[i] = expf(x[i] - mx);
        sum = i == 0 ? y[i] : sum + y[i];
    }
    float inv = 1.0f / sum;
    for (int64_t i = 0; i < len; i++) y[i] *= inv;
}

typedef struct rows_job {
    const float *x;
    float *y;
    int64_t len;
} rows_job;

static void softmax_rows(void *ctx, int64_t r0, int64_t r1) {
    const rows_job *j = ctx;
    for (int64_t r = r0; r < r1; r++) arm_softmax_row(j->x + r * j->len, j->y + r * j->len, j->len);
}

/* Softmax over `axis`, viewed as [outer, len, inner]. For each outer block
 * the running max and sum of all `inner` columns advance together row by
 * row, which keeps the memory walk sequential. Subtracting the max keeps
 * exp from overflowing. */
static clr_status softmax_common(clr_node *n, bool log_form) {
    clr_tensor *x, *out;
    int32_t axis;
    clr_status st = mk_f32_unary(n, "X", "Out", &x, &out);
    if (st != CLR_OK) return st;
    if (x->ndims == 0) return clr_node_fail(n, CLR_ERR_FORMAT, "input 'X' has no dims");
    st = tk_axis(n, "axis", clr_node_attr_int(n, "axis", -1), x->ndims, &axis);
    if (st != CLR_OK) return st;
    int64_t outer = tk_prod(x->dims, 0, axis), len = x->dims[axis], inner = tk_prod(x->dims, axis + 1, x->ndims);
    if (outer * len * inner == 0) return CLR_OK;
    if (inner == 1 && !log_form) { /* rows are independent: spread over threads */
        rows_job j = {x->data, out->data, len};
        clr_parallel_for(n->pool, outer, clr_parallel_grain(n->pool, outer, 1 + 4096 / len, 1), softmax_rows, &j);
        return CLR_OK;
    }
    float *mx = clr_malloc((size_t)inner * sizeof *mx);
    double *sum = clr_malloc((size_t)inner * sizeof *sum);
    if (!mx || !sum) {
        free(mx);
        free(sum);
        return clr_node_fail(n, CLR_ERR_NOMEM, "out of memory for %lld softmax columns", (long long)inner);
    }
    for (int64_t o = 0; o < outer; o++) {
        const float *px = (const float *)x->data + o * len * inner;
        float *po = (float *)out->data + o * len * inner;
        memcpy(mx, px, (size_t)inner * sizeof *mx);
        for (int64_t k = 1; k < len; k++)
            for (int64_t j = 0; j < inner; j++) mx[j] = fmaxf(mx[j], px[k * inner + j]);
        for (int64_t j = 0; j < inner; j++) sum[j] = 0.0;
        for (int64_t k = 0; k < len; k++)
            for (int64_t j = 0; j < inner; j++) {
                float e = expf(px[k * inner + j] - mx[j]);
                sum[j] += e;
                po[k * inner + j] = e;
            }
        for (int64_t k = 0; k < len; k++)
            for (int64_t j = 0; j < inner; j++)
                po[k * inner + j] = log_form ? px[k * inner + j] - mx[j] - (float)log(sum[j])
                                             : (float)(po[k * inner + j] / sum[j]);
    }
    free(mx);
    free(sum);
    return CLR_OK;
}

clr_status clr_mk_softmax(clr_node *n) { return softmax_common(n, false); }
clr_status clr_mk_log_softmax(clr_node *n) { return softmax_common(n, true); }

/* Mean and population variance of len values. */
static void moments(const float *x, int64_t len, double *mean, double *var) {
    double s = 0.0, ss = 0.0;
    for (int64_t i = 0; i < len; i++) s += x[i];
    *mean = s / (double)len;
    for (int64_t i = 0; i < len; i++) ss += (x[i] - *mean) * (x[i] - *mean);
    *var = ss / (double)len;
}

/* Optional FP32 parameter vector of exactly `need` values (NULL when absent). */
static clr_status param_vec(const clr_node *n, const char *slot, int64_t need, bool required, const float **v) {
    const clr_tensor *t = clr_node_in(n, slot, 0);
    *v = NULL;
    if (!t || !t->data) return required ? clr_node_fail(n, CLR_ERR_FORMAT, "input '%s' is missing", slot) : CLR_OK;
    clr_status st = mk_require_f32(n, slot, t);
    if (st != CLR_OK) return st;
    if (clr_tensor_numel(t) != need)
        return clr_node_fail(n, CLR_ERR_FORMAT, "input '%s' has %lld values, expected %lld", slot,
                             (long long)clr_tensor_numel(t), (long long)need);
    *v = t->data;
    return CLR_OK;
}

/* An optional statistics output of `count` values, shape [count]. */
static clr_status stat_out(const clr_node *n, const char *slot, int64_t count, float **v) {
    clr_tensor *t = clr_node_out(n, slot, 0);
    *v = NULL;
    if (!t) return CLR_OK;
    clr_status st = tk_resize(n, t, CLR_DTYPE_FP32, 1, &count);
    if (st == CLR_OK) *v = t->data;
    return st;
}

/* layer_norm: each of the prod(dims[:begin_norm_axis]) rows is normalised
 * over its prod(dims[begin_norm_axis:]) values, then y = Scale * x̂ + Bias
 * elementwise along the row. Mean / Variance (population) per row. */
clr_status clr_mk_layer_norm(clr_node *n) {
    clr_tensor *x, *y;
    const float *scale, *bias;
    float *mean_out, *var_out;
    clr_status st = mk_f32_unary(n, "X", "Y", &x, &y);
    if (st != CLR_OK) return st;
    int64_t axis = clr_node_attr_int(n, "begin_norm_axis", 1);
    if (axis < 1 || axis > x->ndims)
        return clr_node_fail(n, CLR_ERR_FORMAT, "begin_norm_axis %lld is out of range for %d dims", (long long)axis,
                             x->ndims);
    int64_t rows = tk_prod(x->dims, 0, (int32_t)axis), len = tk_prod(x->dims, (int32_t)axis, x->ndims);
    float eps = clr_node_attr_float(n, "epsilon", 1e-5f);
    st = param_vec(n, "Scale", len, false, &scale);
    if (st == CLR_OK) st = param_vec(n, "Bias", len, false, &bias);
    if (st == CLR_OK) st = stat_out(n, "Mean", rows, &mean_out);
    if (st == CLR_OK) st = stat_out(n, "Variance", rows, &var_out);
    if (st != CLR_OK || len == 0) return st;
    for (int64_t r = 0; r < rows; r++) {
        const float *px = (const float *)x->data + r * len;
        float *py = (float *)y->data + r * len;
        double mean, var;
        moments(px, len, &mean, &var);
        float m = (float)mean, inv = (float)(1.0 / sqrt(var + eps));
        for (int64_t i = 0; i < len; i++)
            py[i] = (px[i] - m) * inv * (scale ? scale[i] : 1.0f) + (bias ? bias[i] : 0.0f);
        if (mean_out) mean_out[r] = m;
        if (var_out) var_out[r] = (float)var;
    }
    return CLR_OK;
}

/* Per-channel affine y = x * k[c] + d[c] over an [N, C, inner] view. */
static void channel_affine(const float *x, float *y, int64_t batch, int64_t channels, int64_t inner, const float *k,
                           const float *d) {
    for (int64_t b = 0; b < batch; b++)
        for (int64_t c = 0; c < channels; c++) {
            const float *px = x + (b * channels + c) * inner;
            float *py = y + (b * channels + c) * inner;
            for (int64_t i = 0; i < inner; i++) py[i] = px[i] * k[c] + d[c];
        }
}

/* batch_norm (NCHW, inference): y = (x - Mean[c]) / sqrt(Variance[c] + eps)
 * * Scale[c] + Bias[c] with the stored running statistics, which is what
 * Paddle-Lite computes whatever is_test says. */
clr_status clr_mk_batch_norm(clr_node *n) {
    clr_tensor *x, *y;
    const float *scale, *bias, *mean, *var;
    clr_status st = mk_f32_unary(n, "X", "Y", &x, &y);
    if (st != CLR_OK) return st;
    const char *layout = clr_node_attr_str(n, "data_layout", "NCHW");
    if (strcmp(layout, "NCHW") != 0 && strcmp(layout, "AnyLayout") != 0)
        return clr_node_fail(n, CLR_ERR_UNSUPPORTED, "unsupported data_layout '%s'", layout);
    if (x->ndims < 2) return clr_node_fail(n, CLR_ERR_FORMAT, "input 'X' has %d dims, expected at least 2", x->ndims);
    int64_t c = x->dims[1], inner = tk_prod(x->dims, 2, x->ndims);
    st = param_vec(n, "Scale", c, true, &scale);
    if (st == CLR_OK) st = param_vec(n, "Bias", c, true, &bias);
    if (st == CLR_OK) st = param_vec(n, "Mean", c, true, &mean);
    if (st == CLR_OK) st = param_vec(n, "Variance", c, true, &var);
    if (st != CLR_OK || c == 0) return st;
    float *k = clr_malloc((size_t)c * 2 * sizeof *k);
    if (!k) return clr_node_fail(n, CLR_ERR_NOMEM, "out of memory for %lld channels", (long long)c);
    float eps = clr_node_attr_float(n, "epsilon", 1e-5f);
    for (int64_t i = 0; i < c; i++) {
        k[i] = scale[i] / sqrtf(var[i] + eps);
        k[c + i] = bias[i] - mean[i] * k[i];
    }
    channel_affine(x->data, y->data, x->dims[0], c, inner, k, k + c);
    free(k);
    return CLR_OK;
}

/* instance_norm: each (n, c) plane normalised over its H*W values, then
 * Scale[c], Bias[c]; SavedMean / SavedVariance (1/std, as Paddle saves it)
 * per plane. */
clr_status clr_mk_instance_norm(clr_node *n) {
    clr_tensor *x, *y;
    const float *scale, *bias;
    float *mean_out, *var_out;
    clr_status st = mk_f32_unary(n, "X", "Y", &x, &y);
    if (st != CLR_OK) return st;
    if (x->ndims < 2) return clr_node_fail(n, CLR_ERR_FORMAT, "input 'X' has %d dims, expected at least 2", x->ndims);
    int64_t c = x->dims[1], planes = x->dims[0] * c, inner = tk_prod(x->dims, 2, x->ndims);
    float eps = clr_node_attr_float(n, "epsilon", 1e-5f);
    st = param_vec(n, "Scale", c, false, &scale);
    if (st == CLR_OK) st = param_vec(n, "Bias", c, false, &bias);
    if (st == CLR_OK) st = stat_out(n, "SavedMean", planes, &mean_out);
    if (st == CLR_OK) st = stat_out(n, "SavedVariance", planes, &var_out);
    if (st != CLR_OK || inner == 0) return st;
    for (int64_t p = 0; p < planes; p++) {
        const float *px = (const float *)x->data + p * inner;
        float *py = (float *)y->data + p * inner;
        double mean, var;
        moments(px, inner, &mean, &var);
        float m = (float)mean, inv = (float)(1.0 / sqrt(var + eps));
        float k = inv * (scale ? scale[p % c] : 1.0f), d = (bias ? bias[p % c] : 0.0f) - m * k;
        for (int64_t i = 0; i < inner; i++) py[i] = px[i] * k + d;
        if (mean_out) mean_out[p] = m;
        if (var_out) var_out[p] = inv;
    }
    return CLR_OK;
}
