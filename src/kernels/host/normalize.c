/* clrun — softmax, layer_norm and batch_norm (inference form). */
#include <math.h>

#include "kernels/host/math_kernels.h"
#include "kernels/host/tensor_common.h"

static clr_status fp32_in_out(clr_node *n, const char *in, const char *outp, clr_tensor **x, clr_tensor **out) {
    clr_status st = tk_in_out(n, in, outp, x, out);
    if (st != CLR_OK) return st;
    if ((*x)->dtype != CLR_DTYPE_FP32)
        return clr_node_fail(n, CLR_ERR_UNSUPPORTED, "%s is %s, expected FP32", in,
                             clr_dtype_name((*x)->dtype) ? clr_dtype_name((*x)->dtype) : "?");
    return tk_resize(n, *out, CLR_DTYPE_FP32, (*x)->ndims, (*x)->dims);
}

/* softmax over `axis` (default -1), shifted by the maximum for stability. */
clr_status clr_host_softmax(clr_node *n) {
    clr_tensor *x, *out;
    clr_status st = fp32_in_out(n, "X", "Out", &x, &out);
    if (st != CLR_OK) return st;
    int32_t axis = 0;
    if (x->ndims == 0) return clr_node_fail(n, CLR_ERR_FORMAT, "X has no dims");
    if ((st = tk_axis(n, "axis", clr_node_attr_int(n, "axis", -1), x->ndims, &axis)) != CLR_OK) return st;
    int64_t outer = tk_prod(x->dims, 0, axis), len = x->dims[axis], inner = tk_prod(x->dims, axis + 1, x->ndims);
    const float *px = x->data;
    float *po = out->data;
    for (int64_t o = 0; o < outer; o++)
        for (int64_t i = 0; i < inner; i++) {
            const float *src = px + o * len * inner + i;
            float *dst = po + o * len * inner + i;
            float m = -INFINITY;
            for (int64_t k = 0; k < len; k++) m = fmaxf(m, src[k * inner]);
            float sum = 0.0f;
            for (int64_t k = 0; k < len; k++) sum += dst[k * inner] = expf(src[k * inner] - m);
            float inv = 1.0f / sum;
            for (int64_t k = 0; k < len; k++) dst[k * inner] *= inv;
        }
    return CLR_OK;
}

/* layer_norm over dims [begin_norm_axis, rank): y = (x - mean) / sqrt(var + eps)
 * * Scale + Bias; optional Mean and Variance outputs have the leading shape. */
clr_status clr_host_layer_norm(clr_node *n) {
    clr_tensor *x, *out;
    clr_status st = fp32_in_out(n, "X", "Y", &x, &out);
    if (st != CLR_OK) return st;
    int32_t begin = 0;
    if ((st = tk_axis(n, "begin_norm_axis", clr_node_attr_int(n, "begin_norm_axis", 1), x->ndims, &begin)) != CLR_OK)
        return st;
    float eps = clr_node_attr_float(n, "epsilon", 1e-5f);
    int64_t rows = tk_prod(x->dims, 0, begin), cols = tk_prod(x->dims, begin, x->ndims);
    clr_tensor *scale = clr_node_in(n, "Scale", 0), *bias = clr_node_in(n, "Bias", 0);
    if ((scale && clr_tensor_numel(scale) != cols) || (bias && clr_tensor_numel(bias) != cols))
        return clr_node_fail(n, CLR_ERR_FORMAT, "Scale/Bias must hold %lld values", (long long)cols);
    clr_tensor *mean_out = clr_node_out(n, "Mean", 0), *var_out = clr_node_out(n, "Variance", 0);
    int64_t lead[1] = {rows};
    if (mean_out && (st = tk_resize(n, mean_out, CLR_DTYPE_FP32, 1, lead)) != CLR_OK) return st;
    if (var_out && (st = tk_resize(n, var_out, CLR_DTYPE_FP32, 1, lead)) != CLR_OK) return st;
    const float *px = x->data, *ps = scale ? scale->data : NULL, *pb = bias ? bias->data : NULL;
    float *po = out->data;
    for (int64_t r = 0; r < rows; r++) {
        const float *row = px + r * cols;
        double sum = 0, sq = 0;
        for (int64_t c = 0; c < cols; c++) sum += row[c];
        double mean = cols ? sum / (double)cols : 0;
        for (int64_t c = 0; c < cols; c++) sq += (row[c] - mean) * (row[c] - mean);
        double var = cols ? sq / (double)cols : 0;
        float inv = (float)(1.0 / sqrt(var + eps));
        for (int64_t c = 0; c < cols; c++) {
            float v = (float)(row[c] - mean) * inv;
            po[r * cols + c] = v * (ps ? ps[c] : 1.0f) + (pb ? pb[c] : 0.0f);
        }
        if (mean_out) ((float *)mean_out->data)[r] = (float)mean;
        if (var_out) ((float *)var_out->data)[r] = (float)var;
    }
    return CLR_OK;
}

/* batch_norm with stored statistics: per channel (dim 1) affine transform. */
clr_status clr_host_batch_norm(clr_node *n) {
    clr_tensor *x, *out, *scale, *bias, *mean, *var;
    clr_status st = fp32_in_out(n, "X", "Y", &x, &out);
    if (st == CLR_OK) st = clr_node_require_in(n, "Scale", &scale);
    if (st == CLR_OK) st = clr_node_require_in(n, "Bias", &bias);
    if (st == CLR_OK) st = clr_node_require_in(n, "Mean", &mean);
    if (st == CLR_OK) st = clr_node_require_in(n, "Variance", &var);
    if (st != CLR_OK) return st;
    if (x->ndims < 2) return clr_node_fail(n, CLR_ERR_FORMAT, "X needs at least 2 dims");
    int64_t c = x->dims[1], outer = x->dims[0], inner = tk_prod(x->dims, 2, x->ndims);
    if (clr_tensor_numel(scale) != c || clr_tensor_numel(bias) != c || clr_tensor_numel(mean) != c ||
        clr_tensor_numel(var) != c)
        return clr_node_fail(n, CLR_ERR_FORMAT, "Scale, Bias, Mean and Variance must hold %lld values", (long long)c);
    float eps = clr_node_attr_float(n, "epsilon", 1e-5f);
    const float *px = x->data, *ps = scale->data, *pb = bias->data, *pm = mean->data, *pv = var->data;
    float *po = out->data;
    for (int64_t o = 0; o < outer; o++)
        for (int64_t ch = 0; ch < c; ch++) {
            float a = ps[ch] / sqrtf(pv[ch] + eps), b = pb[ch] - pm[ch] * a;
            const float *src = px + (o * c + ch) * inner;
            float *dst = po + (o * c + ch) * inner;
            for (int64_t i = 0; i < inner; i++) dst[i] = src[i] * a + b;
        }
    return CLR_OK;
}
