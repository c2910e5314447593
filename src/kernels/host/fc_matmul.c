/* clrun — fc, mul, matmul and matmul_v2 host kernels, all on the shared GEMM. */
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "kernels/host/conv_common.h"
#include "kernels/host/conv_shape.h"
#include "kernels/host/gemm.h"

/* Int8 fc as ARM runs it: int8 Input and W, int32 accumulation, per-column
 * dequantization (W0_scale), fp32 or requantized int8 output. */
static clr_status fc_int8(clr_node *n, const clr_tensor *x, const clr_tensor *w, clr_tensor *y, clr_post *post,
                          int32_t nd, const int64_t *dims, int64_t m, int64_t k, int64_t nn) {
    clr_status st;
    if ((st = clr_expect_dtype(n, "Input", x, CLR_DTYPE_INT8)) || (st = clr_expect_dtype(n, "W", w, CLR_DTYPE_INT8)) ||
        (st = clr_post_int8(n, post, "Input0_scale", "W0_scale", "Out0_scale")) ||
        (st = clr_tensor_resize(y, post->out_int8 ? CLR_DTYPE_INT8 : CLR_DTYPE_FP32, nd, dims, n->err)))
        return st;
    float *xw = clr_malloc((size_t)(m * k > 0 ? m * k : 1) * sizeof *xw);
    float *ww = clr_malloc((size_t)(k * nn > 0 ? k * nn : 1) * sizeof *ww);
    int32_t *acc = clr_malloc((size_t)(m * nn > 0 ? m * nn : 1) * sizeof *acc);
    if (xw && ww && acc) {
        const int8_t *xs = x->data, *ws = w->data;
        for (int64_t i = 0; i < m * k; i++) xw[i] = xs[i];
        for (int64_t i = 0; i < k * nn; i++) ww[i] = ws[i];
        clr_sgemm_exact_i32(n->pool, m, nn, k, (clr_gemm_operand){xw, k, 1}, (clr_gemm_operand){ww, nn, 1}, acc, nn);
        for (int64_t i = 0; i < m; i++)
            for (int64_t j = 0; j < nn; j++) {
                int64_t e = i * nn + j;
                clr_post_i32(post, j, acc + e, 1, post->out_int8 ? NULL : (float *)y->data + e,
                             post->out_int8 ? (int8_t *)y->data + e : NULL);
            }
    }
    bool ok = xw && ww && acc;
    free(xw);
    free(ww);
    free(acc);
    return ok ? CLR_OK : clr_node_fail(n, CLR_ERR_NOMEM, "out of memory for int8 fc scratch");
}

clr_status clr_kernel_fc(clr_node *n) {
    clr_tensor *x, *w, *y;
    clr_status st;
    if ((st = clr_node_require_in(n, "Input", &x)) || (st = clr_node_require_in(n, "W", &w)) ||
        (st = clr_node_require_out(n, "Out", &y)))
        return st;
    if (clr_node_attr_bool(n, "padding_weights", false))
        return clr_node_fail(n, CLR_ERR_UNSUPPORTED, "fc with padding_weights is not supported");
    clr_flat_shape s;
    if ((st = clr_fc_shape_of(n, x, w, &s))) return st;
    int64_t m = s.m, k = s.k, nn = s.n;
    clr_post post = {0};
    if ((st = clr_post_fc_act(n, &post)) || (st = clr_post_bind(n, &post, "Bias", nn, nn))) return st;
    if (clr_node_attr_bool(n, "enable_int8", false) || x->dtype == CLR_DTYPE_INT8) {
        st = fc_int8(n, x, w, y, &post, s.ndims, s.dims, m, k, nn);
        clr_post_release(&post);
        return st;
    }
    if ((st = clr_expect_dtype(n, "Input", x, CLR_DTYPE_FP32)) || (st = clr_expect_dtype(n, "W", w, CLR_DTYPE_FP32)) ||
        (st = clr_tensor_resize(y, CLR_DTYPE_FP32, s.ndims, s.dims, n->err)))
        return st;
    float *yd = y->data;
    clr_sgemm(n->pool, m, nn, k, (clr_gemm_operand){x->data, k, 1}, (clr_gemm_operand){w->data, nn, 1}, yd, nn);
    for (int64_t i = 0; i < m; i++) clr_post_row_f32(&post, yd + i * nn, nn);
    return CLR_OK;
}

static clr_status require_fp32_pair(clr_node *n, clr_tensor **x, clr_tensor **yv, clr_tensor **out) {
    clr_status st;
    if ((st = clr_node_require_in(n, "X", x)) || (st = clr_node_require_in(n, "Y", yv)) ||
        (st = clr_node_require_out(n, "Out", out)) || (st = clr_expect_dtype(n, "X", *x, CLR_DTYPE_FP32)) ||
        (st = clr_expect_dtype(n, "Y", *yv, CLR_DTYPE_FP32)))
        return st;
    return CLR_OK;
}

clr_status clr_kernel_mul(clr_node *n) {
    clr_tensor *x, *yv, *out;
    clr_status st;
    if ((st = require_fp32_pair(n, &x, &yv, &out))) return st;
    clr_flat_shape s;
    if ((st = clr_mul_shape_of(n, x, yv, &s)) || (st = clr_tensor_resize(out, CLR_DTYPE_FP32, s.ndims, s.dims, n->err)))
        return st;
    clr_sgemm(n->pool, s.m, s.n, s.k, (clr_gemm_operand){x->data, s.k, 1}, (clr_gemm_operand){yv->data, s.n, 1}, out->data, s.n);
    return CLR_OK;
}

/* Int8 matmul as ARM runs it (enable_int8, kernel precision int8): int8 X and
 * Y, int32 sums, fp32 output acc * alpha * X0_scale * Y0_scale[j], the Y scale
 * being one value or one per output column. */
typedef struct matmul_q {
    bool on;
    float *scale; /* [n] combined scales, owned */
    float *xw, *yw; /* operands widened to float, owned */
    int32_t *acc;   /* one output matrix */
} matmul_q;

static void matmul_q_release(matmul_q *q) {
    free(q->scale);
    free(q->xw);
    free(q->yw);
    free(q->acc);
}

static clr_status matmul_q_prepare(clr_node *n, const clr_tensor *x, const clr_tensor *yv, int64_t nn, int64_t mn,
                                   float alpha, matmul_q *q) {
    clr_status st;
    if ((st = clr_expect_dtype(n, "X", x, CLR_DTYPE_INT8)) || (st = clr_expect_dtype(n, "Y", yv, CLR_DTYPE_INT8)))
        return st;
    float sx = 0.0f;
    if (clr_node_attr_floats(n, "X0_scale", &sx, 1) < 1)
        return clr_node_fail(n, CLR_ERR_FORMAT, "int8 matmul without attribute 'X0_scale'");
    int64_t nx = clr_tensor_numel(x), ny = clr_tensor_numel(yv);
    q->scale = clr_malloc((size_t)(nn > 0 ? nn : 1) * sizeof *q->scale);
    q->xw = clr_malloc((size_t)(nx > 0 ? nx : 1) * sizeof *q->xw);
    q->yw = clr_malloc((size_t)(ny > 0 ? ny : 1) * sizeof *q->yw);
    q->acc = clr_malloc((size_t)(mn > 0 ? mn : 1) * sizeof *q->acc);
    if (!q->scale || !q->xw || !q->yw || !q->acc) return clr_node_fail(n, CLR_ERR_NOMEM, "out of memory");
    int32_t ns = clr_node_attr_floats(n, "Y0_scale", q->scale, (int32_t)(nn < INT32_MAX ? nn : INT32_MAX));
    if (ns != 1 && ns != nn)
        return clr_node_fail(n, CLR_ERR_FORMAT, "attribute 'Y0_scale' has %d values, expected 1 or %lld", ns,
                             (long long)nn);
    for (int64_t j = nn - 1; j >= 0; j--) q->scale[j] = (ns == 1 ? q->scale[0] : q->scale[j]) * sx * alpha;
    const int8_t *xs = x->data, *ys = yv->data;
    for (int64_t i = 0; i < nx; i++) q->xw[i] = xs[i];
    for (int64_t i = 0; i < ny; i++) q->yw[i] = ys[i];
    q->on = true;
    return CLR_OK;
}

/* C[m,n] = A B for one batch item, in fp32 or through int8 sums. */
static void matmul_one(clr_thread_pool *pool, const matmul_q *q, int64_t m, int64_t nn, int64_t k, clr_gemm_operand a,
                       clr_gemm_operand b, float alpha, float *c) {
    if (!q->on) {
        clr_sgemm_arm(pool, m, nn, k, a, b, c, nn);
        if (alpha != 1.0f)
            for (int64_t i = 0; i < m * nn; i++) c[i] *= alpha;
        return;
    }
    clr_sgemm_exact_i32(pool, m, nn, k, a, b, q->acc, nn);
    for (int64_t i = 0; i < m; i++)
        for (int64_t j = 0; j < nn; j++) c[i * nn + j] = (float)q->acc[i * nn + j] * q->scale[j];
}

/* Batched matrix product with numpy broadcasting of the batch dims (see
 * clr_matmul_shape_of), in fp32 or, for int8 kernels, through int8 sums. */
static clr_status matmul_common(clr_node *n, bool tx, bool ty, float alpha) {
    clr_tensor *x, *yv, *out;
    clr_status st;
    if ((st = clr_node_require_in(n, "X", &x)) || (st = clr_node_require_in(n, "Y", &yv)) ||
        (st = clr_node_require_out(n, "Out", &out)))
        return st;
    bool int8 = clr_node_attr_bool(n, "enable_int8", false) || x->dtype == CLR_DTYPE_INT8;
    if (!int8 && ((st = clr_expect_dtype(n, "X", x, CLR_DTYPE_FP32)) || (st = clr_expect_dtype(n, "Y", yv, CLR_DTYPE_FP32))))
        return st;
    clr_matmul_shape s;
    if ((st = clr_matmul_shape_of(n, x, yv, tx, ty, &s)) ||
        (st = clr_tensor_resize(out, CLR_DTYPE_FP32, s.ndims, s.dims, n->err)))
        return st;
    int64_t m = s.m, k = s.k, nn = s.n;
    matmul_q q = {0};
    if (int8 && (st = matmul_q_prepare(n, x, yv, nn, m * nn, alpha, &q))) {
        matmul_q_release(&q);
        return st;
    }
    const float *xp = q.on ? q.xw : x->data, *yp = q.on ? q.yw : yv->data;
    float *op = out->data;
    for (int64_t bi = 0; bi < s.batches; bi++) {
        /* Unravel the output batch index into the operands' (broadcast) offsets. */
        int64_t rem = bi, xo = 0, yo = 0;
        for (int32_t i = s.nb - 1; i >= 0; i--) {
            int64_t idx = rem % s.bdims[i];
            rem /= s.bdims[i];
            xo += idx * s.xbs[i];
            yo += idx * s.ybs[i];
        }
        clr_gemm_operand a = {xp + xo, s.tx ? 1 : k, s.tx ? m : 1};
        clr_gemm_operand b = {yp + yo, s.ty ? 1 : nn, s.ty ? k : 1};
        matmul_one(n->pool, &q, m, nn, k, a, b, alpha, op + bi * m * nn);
    }
    matmul_q_release(&q);
    return CLR_OK;
}

clr_status clr_kernel_matmul(clr_node *n) {
    return matmul_common(n, clr_node_attr_bool(n, "transpose_X", false), clr_node_attr_bool(n, "transpose_Y", false),
                         clr_node_attr_float(n, "alpha", 1.0f));
}

clr_status clr_kernel_matmul_v2(clr_node *n) {
    return matmul_common(n, clr_node_attr_bool(n, "trans_x", false), clr_node_attr_bool(n, "trans_y", false),
                         clr_node_attr_float(n, "alpha", 1.0f));
}
