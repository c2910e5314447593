/* clrun — conv2d, depthwise_conv2d (fp32 and ARM-style int8) and
 * conv2d_transpose host kernels.
 *
 * conv2d runs as im2col + GEMM per (batch item, group), skipping im2col for
 * 1x1 stride-1 unpadded filters; groups with one input channel each
 * (depthwise) run as direct loops. conv2d_transpose is GEMM + col2im. Int8
 * inputs and weights are widened to float and multiplied exactly (gemm.h). */
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "kernels/host/conv_common.h"
#include "kernels/host/conv_shape.h"
#include "kernels/host/gemm.h"
#include "kernels/host/registry.h"

/* Outputs o in [*lo, *hi) of `out_len` positions whose source o*stride + off
 * lies inside [0, in_len). */
static void valid_range(int64_t out_len, int64_t in_len, int64_t stride, int64_t off, int64_t *lo, int64_t *hi) {
    int64_t l = off >= 0 ? 0 : (-off + stride - 1) / stride;
    int64_t h = in_len - 1 - off < 0 ? 0 : (in_len - 1 - off) / stride + 1;
    *lo = l < out_len ? l : out_len;
    *hi = h < out_len ? h : out_len;
    if (*hi < *lo) *hi = *lo;
}

/* cols[(c*KH + kh)*KW + kw][oh*OW + ow] = in[c][oh*sh - pt + kh*dh][ow*sw - pl + kw*dw] (0 in the padding). */
static void im2col(const float *in, int64_t channels, const clr_conv_geom *g, float *cols) {
    int64_t np = g->oh * g->ow;
    for (int64_t c = 0; c < channels; c++)
        for (int64_t kh = 0; kh < g->kh; kh++)
            for (int64_t kw = 0; kw < g->kw; kw++) {
                float *row = cols + ((c * g->kh + kh) * g->kw + kw) * np;
                int64_t oh0, oh1, ow0, ow1, offw = kw * g->dw - g->pl;
                valid_range(g->oh, g->h, g->sh, kh * g->dh - g->pt, &oh0, &oh1);
                valid_range(g->ow, g->w, g->sw, offw, &ow0, &ow1);
                for (int64_t oh = 0; oh < g->oh; oh++) {
                    float *dst = row + oh * g->ow;
                    if (oh < oh0 || oh >= oh1) {
                        memset(dst, 0, (size_t)g->ow * sizeof *dst);
                        continue;
                    }
                    const float *src = in + (c * g->h + oh * g->sh + kh * g->dh - g->pt) * g->w + offw;
                    memset(dst, 0, (size_t)ow0 * sizeof *dst);
                    if (g->sw == 1) memcpy(dst + ow0, src + ow0, (size_t)(ow1 - ow0) * sizeof *dst);
                    else
                        for (int64_t ow = ow0; ow < ow1; ow++) dst[ow] = src[ow * g->sw];
                    memset(dst + ow1, 0, (size_t)(g->ow - ow1) * sizeof *dst);
                }
            }
}

/* Direct convolution of one input plane with one KHxKW filter, accumulated
 * into an output plane: the filter taps are the outer loops so the inner loop
 * runs along an output row without bounds checks. */
static void depthwise_plane(const float *in, const float *w, const clr_conv_geom *g, float *out) {
    for (int64_t kh = 0; kh < g->kh; kh++)
        for (int64_t kw = 0; kw < g->kw; kw++) {
            float wv = w[kh * g->kw + kw];
            int64_t oh0, oh1, ow0, ow1, offw = kw * g->dw - g->pl;
            valid_range(g->oh, g->h, g->sh, kh * g->dh - g->pt, &oh0, &oh1);
            valid_range(g->ow, g->w, g->sw, offw, &ow0, &ow1);
            for (int64_t oh = oh0; oh < oh1; oh++) {
                const float *src = in + (oh * g->sh + kh * g->dh - g->pt) * g->w + offw;
                float *dst = out + oh * g->ow;
                if (g->sw == 1)
                    for (int64_t ow = ow0; ow < ow1; ow++) dst[ow] += wv * src[ow];
                else if (g->sw == 2)
                    for (int64_t ow = ow0; ow < ow1; ow++) dst[ow] += wv * src[2 * ow];
                else
                    for (int64_t ow = ow0; ow < ow1; ow++) dst[ow] += wv * src[ow * g->sw];
            }
        }
}

static void widen_s8(const int8_t *src, float *dst, int64_t len) {
    for (int64_t i = 0; i < len; i++) dst[i] = src[i];
}

typedef struct conv_run {
    const clr_conv_geom *g;
    const clr_post *post;
    const float *x, *w; /* fp32 data, or int8 data widened (x per group, w whole) */
    float *yf;          /* fp32 output */
    int8_t *yq;         /* int8 output */
    float *cols;        /* im2col scratch, or NULL for 1x1 */
    float *plane;       /* depthwise: one output plane */
    int32_t *acc;       /* int8: accumulators of one group */
} conv_run;

/* One group of one batch item; x points at the group's input channels and
 * `oc0` is the group's first output channel. */
static void conv_group(const conv_run *r, const float *x, int64_t b, int64_t oc0) {
    const clr_conv_geom *g = r->g;
    int64_t cin_g = g->cin / g->groups, cout_g = g->cout / g->groups;
    int64_t np = g->oh * g->ow, k = cin_g * g->kh * g->kw;
    int64_t obase = (b * g->cout + oc0) * np;
    if (cin_g == 1) {
        for (int64_t c = 0; c < cout_g; c++) {
            float *dst = r->post->int8 ? r->plane : r->yf + obase + c * np;
            memset(dst, 0, (size_t)np * sizeof *dst);
            depthwise_plane(x, r->w + (oc0 + c) * k, g, dst);
            if (!r->post->int8) {
                clr_post_f32(r->post, oc0 + c, dst, np, (oc0 + c) * np);
                continue;
            }
            for (int64_t i = 0; i < np; i++) r->acc[i] = (int32_t)dst[i]; /* exact: integer sums below 2^24 */
            clr_post_i32(r->post, oc0 + c, r->acc, np, r->yf ? r->yf + obase + c * np : NULL,
                         r->yq ? r->yq + obase + c * np : NULL);
        }
        return;
    }
    clr_gemm_operand a = {r->w + oc0 * k, k, 1}, bm = {x, np, 1};
    if (r->cols) {
        im2col(x, cin_g, g, r->cols);
        bm.p = r->cols;
    }
    if (!r->post->int8) {
        float *y = r->yf + obase;
        clr_sgemm(cout_g, np, k, a, bm, y, np);
        for (int64_t c = 0; c < cout_g; c++) clr_post_f32(r->post, oc0 + c, y + c * np, np, (oc0 + c) * np);
        return;
    }
    clr_sgemm_exact_i32(cout_g, np, k, a, bm, r->acc, np);
    for (int64_t c = 0; c < cout_g; c++)
        clr_post_i32(r->post, oc0 + c, r->acc + c * np, np, r->yf ? r->yf + obase + c * np : NULL,
                     r->yq ? r->yq + obase + c * np : NULL);
}

static void *scratch(size_t count, size_t size, bool *failed) {
    void *p = clr_malloc(count ? count * size : 1);
    if (!p) *failed = true;
    return p;
}

static clr_status conv_compute(clr_node *n, const clr_conv_geom *g, const clr_tensor *x, const clr_tensor *f,
                               clr_tensor *y, const clr_post *post) {
    int64_t cin_g = g->cin / g->groups, cout_g = g->cout / g->groups, np = g->oh * g->ow;
    int64_t k = cin_g * g->kh * g->kw, plane_in = g->h * g->w;
    bool one_by_one = g->kh == 1 && g->kw == 1 && g->sh == 1 && g->sw == 1 && !g->pt && !g->pb && !g->pl && !g->pr;
    bool direct = cin_g == 1, failed = false;
    if (post->int8 && direct && g->kh * g->kw > 1024)
        return clr_node_fail(n, CLR_ERR_UNSUPPORTED, "int8 depthwise filter larger than 1024 taps");
    conv_run r = {.g = g, .post = post, .x = x->data, .w = f->data};
    float *xw = NULL, *ww = NULL;
    if (!direct && !one_by_one) r.cols = scratch((size_t)(k * np), sizeof(float), &failed);
    if (post->int8) {
        xw = scratch((size_t)(cin_g * plane_in), sizeof *xw, &failed);
        ww = scratch((size_t)clr_tensor_numel(f), sizeof *ww, &failed);
        r.acc = scratch((size_t)((direct ? 1 : cout_g) * np), sizeof *r.acc, &failed);
        if (direct) r.plane = scratch((size_t)np, sizeof *r.plane, &failed);
        if (ww) widen_s8(f->data, ww, clr_tensor_numel(f));
        r.w = ww;
    }
    if (post->out_int8) r.yq = y->data;
    else r.yf = y->data;
    if (!failed)
        for (int64_t b = 0; b < g->batch; b++)
            for (int64_t grp = 0; grp < g->groups; grp++) {
                int64_t off = (b * g->cin + grp * cin_g) * plane_in;
                const float *xg = r.x + off;
                if (post->int8) {
                    widen_s8((const int8_t *)x->data + off, xw, cin_g * plane_in);
                    xg = xw;
                }
                conv_group(&r, xg, b, grp * cout_g);
            }
    free(r.cols);
    free(xw);
    free(ww);
    free(r.acc);
    free(r.plane);
    return failed ? clr_node_fail(n, CLR_ERR_NOMEM, "out of memory for conv scratch") : CLR_OK;
}

/* opt's conv_elementwise_tree fusion folded `Out = elementwise(X, conv)` into
 * the conv: X became SecondInput, the conv result is the elementwise Y. */
static clr_status apply_second_input(const clr_node *n, const char *op, const clr_tensor *x, clr_tensor *y) {
    if (x->dtype != CLR_DTYPE_FP32 || y->dtype != CLR_DTYPE_FP32 || clr_tensor_numel(x) != clr_tensor_numel(y))
        return clr_node_fail(n, CLR_ERR_FORMAT, "SecondInput must be FP32 with the output's %lld elements",
                             (long long)clr_tensor_numel(y));
    const float *px = x->data;
    float *py = y->data;
    int64_t total = clr_tensor_numel(y);
    if (strcmp(op, "elementwise_add") == 0)
        for (int64_t i = 0; i < total; i++) py[i] = px[i] + py[i];
    else if (strcmp(op, "elementwise_sub") == 0)
        for (int64_t i = 0; i < total; i++) py[i] = px[i] - py[i];
    else if (strcmp(op, "elementwise_mul") == 0)
        for (int64_t i = 0; i < total; i++) py[i] = px[i] * py[i];
    else
        return clr_node_fail(n, CLR_ERR_UNSUPPORTED, "fused elementwise op '%s'", op);
    return CLR_OK;
}

/* The int8 kernel Paddle-Lite's ARM conv picks for this geometry
 * (ConvCompute<kInt8, …>::PrepareForRun, on a CPU without dot-product
 * instructions, one thread), as far as the output arithmetic depends on it. */
clr_arm_int8_kernel clr_arm_int8_kernel_of(const clr_conv_geom *g) {
    bool pads_equal = g->pt == g->pb && g->pl == g->pr;
    bool ks_equal = g->sh == g->sw && g->kh == g->kw;
    bool no_dilation = g->dh == 1 && g->dw == 1;
    bool dw_shape = (g->kh == 3 || g->kh == 5) && (g->sh == 1 || g->sh == 2);
    if (g->groups == g->cin && g->cin == g->cout && g->pt == g->pl && ks_equal && pads_equal && no_dilation &&
        dw_shape)
        return CLR_ARM_DEPTHWISE;
    if (g->groups != 1 || g->kw != 3 || !no_dilation || !pads_equal || !ks_equal) return CLR_ARM_GEMM;
    if (g->sh == 2) return CLR_ARM_DIRECT;
    if (g->sh != 1) return CLR_ARM_GEMM;
    /* WinogradConv takes 4x4 output tiles once a plane has 16 blocks of 8 tiles' worth of outputs. */
    return g->oh * g->ow / 8 < 16 ? CLR_ARM_WINO_F23 : CLR_ARM_WINO_F43;
}

clr_status clr_kernel_conv2d(clr_node *n) {
    clr_tensor *x, *f, *y;
    clr_status st;
    if ((st = clr_node_require_in(n, "Input", &x)) || (st = clr_node_require_in(n, "Filter", &f)) ||
        (st = clr_node_require_out(n, "Output", &y)))
        return st;
    const char *tree = clr_node_attr_str(n, "fuse_elementwise_op_type", "");
    clr_tensor *second = tree[0] ? clr_node_in(n, "SecondInput", 0) : NULL;
    if (tree[0] && !second) return clr_node_fail(n, CLR_ERR_FORMAT, "fused %s without a SecondInput", tree);
    clr_conv_geom g;
    if ((st = clr_conv_geom_read(n, x, f, false, &g))) return st;
    bool int8 = clr_node_attr_bool(n, "enable_int8", false) || x->dtype == CLR_DTYPE_INT8;
    int32_t dt = int8 ? CLR_DTYPE_INT8 : CLR_DTYPE_FP32;
    if ((st = clr_expect_dtype(n, "Input", x, dt)) || (st = clr_expect_dtype(n, "Filter", f, dt))) return st;
    clr_post post = {0};
    if ((st = clr_post_conv_act(n, &post)) ||
        (st = clr_post_bind(n, &post, "Bias", g.cout, g.cout * g.oh * g.ow)))
        return st;
    post.kernel = clr_arm_int8_kernel_of(&g);
    if (int8 && (st = clr_post_int8(n, &post, "Input0_scale", "Filter0_scale", "Output0_scale"))) {
        clr_post_release(&post);
        return st;
    }
    /* ARM's int8 conv epilogues (GEMM_TRANS_INT32_TO_FP32 in
     * lite/backends/arm/math/gemm_prepacked_int8.cc for the gemm-like and 1x1
     * convs, INT32_NCHWC8_TO_NCHW_FP32 in conv_block_utils.h for the depthwise
     * and direct ones) start from the bias and add float(acc) * scale with one
     * fmla: a single rounding, which decides ties of the int8 requantization. */
    post.fused = int8;
    int64_t dims[4] = {g.batch, g.cout, g.oh, g.ow};
    st = clr_tensor_resize(y, post.out_int8 ? CLR_DTYPE_INT8 : CLR_DTYPE_FP32, 4, dims, n->err);
    if (st == CLR_OK) st = conv_compute(n, &g, x, f, y, &post);
    clr_post_release(&post);
    if (st == CLR_OK && second) st = apply_second_input(n, tree, second, y);
    return st;
}

/* Scatter-adds cols[(c*KH + kh)*KW + kw][ih*W + iw] into
 * out[c][ih*sh - pt + kh*dh][iw*sw - pl + kw*dw] (the adjoint of im2col). */
static void col2im(const float *cols, int64_t channels, const clr_conv_geom *g, float *out) {
    int64_t np = g->h * g->w;
    for (int64_t c = 0; c < channels; c++)
        for (int64_t kh = 0; kh < g->kh; kh++)
            for (int64_t kw = 0; kw < g->kw; kw++) {
                const float *row = cols + ((c * g->kh + kh) * g->kw + kw) * np;
                int64_t ih0, ih1, iw0, iw1, offw = kw * g->dw - g->pl;
                valid_range(g->h, g->oh, g->sh, kh * g->dh - g->pt, &ih0, &ih1);
                valid_range(g->w, g->ow, g->sw, offw, &iw0, &iw1);
                for (int64_t ih = ih0; ih < ih1; ih++) {
                    float *dst = out + (c * g->oh + ih * g->sh + kh * g->dh - g->pt) * g->ow + offw;
                    const float *src = row + ih * g->w;
                    for (int64_t iw = iw0; iw < iw1; iw++) dst[iw * g->sw] += src[iw];
                }
            }
}

clr_status clr_kernel_conv2d_transpose(clr_node *n) {
    clr_tensor *x, *f, *y;
    clr_status st;
    if ((st = clr_node_require_in(n, "Input", &x)) || (st = clr_node_require_in(n, "Filter", &f)) ||
        (st = clr_node_require_out(n, "Output", &y)))
        return st;
    if ((st = clr_expect_dtype(n, "Input", x, CLR_DTYPE_FP32)) || (st = clr_expect_dtype(n, "Filter", f, CLR_DTYPE_FP32)))
        return st;
    clr_conv_geom g;
    if ((st = clr_conv_geom_read(n, x, f, true, &g)) || (st = clr_conv_transpose_size(n, &g))) return st;
    clr_post post = {0};
    if ((st = clr_post_conv_act(n, &post)) || (st = clr_post_bind(n, &post, "Bias", g.cout, g.cout * g.oh * g.ow)))
        return st;
    int64_t dims[4] = {g.batch, g.cout, g.oh, g.ow};
    if ((st = clr_tensor_resize(y, CLR_DTYPE_FP32, 4, dims, n->err))) return st;
    int64_t cin_g = g.cin / g.groups, cout_g = g.cout / g.groups, np = g.h * g.w, op = g.oh * g.ow;
    int64_t k = cout_g * g.kh * g.kw;
    float *cols = clr_malloc((size_t)(k * np > 0 ? k * np : 1) * sizeof *cols);
    if (!cols) return clr_node_fail(n, CLR_ERR_NOMEM, "out of memory for conv2d_transpose scratch");
    const float *xd = x->data, *fd = f->data;
    float *yd = y->data;
    memset(yd, 0, (size_t)clr_tensor_numel(y) * sizeof *yd);
    for (int64_t b = 0; b < g.batch; b++)
        for (int64_t grp = 0; grp < g.groups; grp++) {
            /* cols = W_g^T x_g: W_g is [cin_g, k] row-major, read transposed through strides. */
            clr_gemm_operand a = {fd + grp * cin_g * k, 1, k}, bm = {xd + (b * g.cin + grp * cin_g) * np, np, 1};
            clr_sgemm(k, np, cin_g, a, bm, cols, np);
            col2im(cols, cout_g, &g, yd + (b * g.cout + grp * cout_g) * op);
        }
    for (int64_t b = 0; b < g.batch; b++)
        for (int64_t c = 0; c < g.cout; c++) clr_post_f32(&post, c, yd + (b * g.cout + c) * op, op, c * op);
    free(cols);
    return CLR_OK;
}
