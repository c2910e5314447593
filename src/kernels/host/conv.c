/* clrun — conv2d, depthwise_conv2d (fp32 and ARM-style int8) and
 * conv2d_transpose host kernels.
 *
 * conv2d runs as a GEMM per (batch item, group) on the weights (packed once
 * per op) and the im2col matrix, which is never stored: the GEMM makes each
 * row of it as it packs (im2col_row); a 1x1 stride-1 unpadded filter reads
 * the activation itself. Groups with one input channel each (depthwise) run
 * as direct loops. conv2d_transpose is GEMM + col2im. Int8
 * inputs and weights are widened to float and multiplied exactly (gemm.h). */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "kernels/host/conv_common.h"
#include "kernels/host/conv_shape.h"
#include "kernels/host/depthwise.h"
#include "kernels/host/gemm.h"
#include "kernels/host/registry.h"

static void widen_s8(const int8_t *src, float *dst, int64_t len) {
    for (int64_t i = 0; i < len; i++) dst[i] = src[i];
}

typedef struct conv_run {
    const clr_conv_geom *g;
    const clr_post *post;
    clr_thread_pool *pool;
    const float *x;     /* fp32 input, or NULL */
    const int8_t *xq;   /* int8 input, or NULL */
    const float *w;     /* fp32 weights, or int8 ones widened */
    float *yf;          /* fp32 output */
    int8_t *yq;         /* int8 output */
    /* GEMM path (groups run one after the other, each spread over threads) */
    const float *xg;    /* the group's input channels (fp32, or int8 widened into xw) */
    float *xw;          /* int8: widened input of one group */
    bool one_by_one;    /* B is the input itself, else the im2col matrix */
    int32_t *acc;       /* int8: accumulators of one group */
    const clr_gemm_packed *const *packed; /* per group: the weights packed (conv_cache), or NULL */
    int64_t in_off;     /* the group's input channels' offset */
    int64_t oc0, obase; /* the group's first output channel and its offset in the output */
    atomic_bool failed; /* depthwise: a range ran out of scratch memory */
} conv_run;

/* Depthwise: one group (one input channel) of one batch item; x is that
 * channel, `plane` and `acc` int8 scratch of one output plane, `pad` the
 * padded-plane scratch (or NULL). */
static void depthwise_group(const conv_run *r, const float *x, int64_t b, int64_t oc0, float *plane, int32_t *acc,
                            float *pad) {
    const clr_conv_geom *g = r->g;
    int64_t cout_g = g->cout / g->groups, np = g->oh * g->ow, k = g->kh * g->kw;
    int64_t obase = (b * g->cout + oc0) * np;
    for (int64_t c = 0; c < cout_g; c++) {
        float *dst = r->post->int8 ? plane : r->yf + obase + c * np;
        clr_depthwise_plane(x, r->w + (oc0 + c) * k, g, dst, pad);
        if (!r->post->int8) {
            clr_post_f32(r->post, oc0 + c, dst, np, (oc0 + c) * np);
            continue;
        }
        for (int64_t i = 0; i < np; i++) acc[i] = (int32_t)dst[i]; /* exact: integer sums below 2^24 */
        clr_post_i32(r->post, oc0 + c, acc, np, r->yf ? r->yf + obase + c * np : NULL,
                     r->yq ? r->yq + obase + c * np : NULL);
    }
}

/* Depthwise units u = b * groups + group, each with its own int8 scratch. */
static void depthwise_range(void *ctx, int64_t u0, int64_t u1) {
    conv_run *r = ctx;
    const clr_conv_geom *g = r->g;
    int64_t plane_in = g->h * g->w, np = g->oh * g->ow;
    float *xw = NULL, *plane = NULL, *pad = clr_malloc((size_t)clr_depthwise_scratch(g) * sizeof *pad);
    int32_t *acc = NULL; /* without `pad` the plane takes its slower path */
    if (r->post->int8) {
        xw = clr_malloc((size_t)(plane_in > 0 ? plane_in : 1) * sizeof *xw);
        plane = clr_malloc((size_t)(np > 0 ? np : 1) * sizeof *plane);
        acc = clr_malloc((size_t)(np > 0 ? np : 1) * sizeof *acc);
        if (!xw || !plane || !acc) {
            atomic_store(&r->failed, true);
            u1 = u0;
        }
    }
    for (int64_t u = u0; u < u1; u++) {
        int64_t b = u / g->groups, grp = u % g->groups, off = (b * g->cin + grp) * plane_in;
        const float *xg = r->x ? r->x + off : xw;
        if (!r->x) widen_s8(r->xq + off, xw, plane_in);
        depthwise_group(r, xg, b, grp * (g->cout / g->groups), plane, acc, pad);
    }
    free(pad);
    free(xw);
    free(plane);
    free(acc);
}

/* Row k = (c*KH + kh)*KW + kw of the group's im2col matrix, columns
 * j = oh*OW + ow in [j0, j0 + len): in[c][oh*sh - pt + kh*dh][ow*sw - pl +
 * kw*dw], 0 in the padding (a clr_gemm_bsource). */
static void im2col_row(const void *ctx, int64_t k, int64_t j0, int64_t len, float *dst) {
    const conv_run *r = ctx;
    const clr_conv_geom *g = r->g;
    int64_t kw = k % g->kw, kh = k / g->kw % g->kh, c = k / (g->kw * g->kh), offw = kw * g->dw - g->pl, ow0, ow1;
    clr_conv_valid_range(g->ow, g->w, g->sw, offw, &ow0, &ow1);
    const float *plane = r->xg + c * g->h * g->w;
    for (int64_t oh = j0 / g->ow, ow = j0 % g->ow; len > 0; oh++, ow = 0) {
        int64_t end = ow + len < g->ow ? ow + len : g->ow, ih = oh * g->sh - g->pt + kh * g->dh;
        int64_t lo = ow0 < ow ? ow : ow0 > end ? end : ow0, hi = ow1 > end ? end : ow1 < lo ? lo : ow1;
        if (ih < 0 || ih >= g->h) lo = hi = end; /* a padding row */
        const float *row = plane + (ih < 0 || ih >= g->h ? 0 : ih) * g->w;
        for (int64_t i = ow; i < lo; i++) *dst++ = 0.0f;
        if (g->sw == 1)
            for (int64_t i = lo; i < hi; i++) *dst++ = row[i + offw];
        else
            for (int64_t i = lo; i < hi; i++) *dst++ = row[i * g->sw + offw];
        for (int64_t i = hi; i < end; i++) *dst++ = 0.0f;
        len -= end - ow;
    }
}

static void widen_range(void *ctx, int64_t i0, int64_t i1) {
    const conv_run *r = ctx;
    widen_s8(r->xq + r->in_off + i0, r->xw + i0, i1 - i0);
}

/* The epilogue of output channels [c0, c1) of the current group. */
/* The fp32 epilogue as the GEMM's (on parts of rows): only for activations
 * that treat every value alike (sigmoid and tanh keep their scalar tail at
 * the end of the whole plane, as ARM's do). */
static bool post_by_parts(const clr_post *p) {
    return !p->int8 && p->act.kind != CLR_ACT_SIGMOID && p->act.kind != CLR_ACT_TANH;
}

static void post_part(void *ctx, int64_t row, int64_t col, float *c, int64_t len) {
    const conv_run *r = ctx;
    int64_t oc = r->oc0 + row;
    clr_post_f32(r->post, oc, c, len, oc * r->g->oh * r->g->ow + col);
}

static void post_range(void *ctx, int64_t c0, int64_t c1) {
    const conv_run *r = ctx;
    int64_t np = r->g->oh * r->g->ow;
    for (int64_t c = c0; c < c1; c++) {
        int64_t oc = r->oc0 + c, o = r->obase + c * np;
        if (!r->post->int8) clr_post_f32(r->post, oc, r->yf + o, np, oc * np);
        else clr_post_i32(r->post, oc, r->acc + c * np, np, r->yf ? r->yf + o : NULL, r->yq ? r->yq + o : NULL);
    }
}

/* GEMM path: one group of one batch item, `in_off` the offset of its input
 * channels: GEMM on the packed weights (packed here when the op keeps none)
 * and the input or its im2col rows, then the epilogue. */
static void gemm_group(conv_run *r, int64_t in_off, int64_t b, int64_t oc0) {
    const clr_conv_geom *g = r->g;
    int64_t cin_g = g->cin / g->groups, cout_g = g->cout / g->groups;
    int64_t np = g->oh * g->ow, k = cin_g * g->kh * g->kw, plane_in = g->h * g->w;
    r->oc0 = oc0;
    r->in_off = in_off;
    if (r->x) {
        r->xg = r->x + in_off;
    } else {
        clr_parallel_for(r->pool, cin_g * plane_in, clr_parallel_grain(r->pool, cin_g * plane_in, 4096, 64),
                         widen_range, r);
        r->xg = r->xw;
    }
    r->obase = (b * g->cout + oc0) * np;
    clr_gemm_packed *own = r->packed ? NULL : clr_gemm_pack(r->pool, cout_g, k, (clr_gemm_operand){r->w + oc0 * k, k, 1});
    const clr_gemm_packed *pa = r->packed ? r->packed[oc0 / cout_g] : own;
    if (!pa) {
        atomic_store(&r->failed, true);
        return;
    }
    clr_gemm_operand bm = {r->xg, np, 1};
    clr_gemm_bsource cols = {im2col_row, r};
    clr_gemm_epilogue epi = {post_part, r};
    bool fused = post_by_parts(r->post);
    clr_sgemm_packed(r->pool, pa, np, bm, r->one_by_one ? NULL : &cols, r->post->int8 ? NULL : r->yf + r->obase,
                     r->post->int8 ? r->acc : NULL, np, fused ? &epi : NULL);
    clr_gemm_packed_free(own);
    if (!fused) clr_parallel_for(r->pool, cout_g, clr_parallel_grain(r->pool, cout_g, 1, 1), post_range, r);
}

/* The GEMM path's weights packed once per op (node cache), per group; kept
 * while the op's Filter is the same parameter. */
typedef struct conv_cache {
    const void *filter;
    int64_t groups, m, k;
    clr_gemm_packed *g[]; /* groups entries */
} conv_cache;

static void conv_cache_free(void *p) {
    conv_cache *c = p;
    for (int64_t i = 0; c && i < c->groups; i++) clr_gemm_packed_free(c->g[i]);
    free(c);
}

/* The packed weights for this op, made on its first run: NULL when the
 * filter is not a parameter or memory is short (the GEMM then packs as it
 * goes: same bits). Int8 filters are widened to float while packing. */
static const conv_cache *conv_packed(clr_node *n, const clr_conv_geom *g, const clr_tensor *f, bool int8) {
    int64_t m = g->cout / g->groups, k = g->cin / g->groups * g->kh * g->kw;
    conv_cache *c = n->cache_free == conv_cache_free ? n->cache : NULL;
    if (c && c->filter == f->data && c->groups == g->groups && c->m == m && c->k == k) return c;
    if (!f->borrowed) return NULL;
    if (n->cache_free) n->cache_free(n->cache);
    n->cache = NULL;
    n->cache_free = NULL;
    c = clr_calloc(1, sizeof *c + (size_t)g->groups * sizeof c->g[0]);
    float *ww = int8 ? clr_malloc((size_t)(clr_tensor_numel(f) ? clr_tensor_numel(f) : 1) * sizeof *ww) : NULL;
    bool ok = c && (!int8 || ww);
    if (ok && int8) widen_s8(f->data, ww, clr_tensor_numel(f));
    const float *w = int8 ? ww : f->data;
    for (int64_t i = 0; ok && i < g->groups; i++) {
        c->groups = i + 1;
        ok = (c->g[i] = clr_gemm_pack(n->pool, m, k, (clr_gemm_operand){w + i * m * k, k, 1})) != NULL;
    }
    free(ww);
    if (!ok) {
        conv_cache_free(c);
        return NULL;
    }
    c->filter = f->data;
    c->m = m;
    c->k = k;
    n->cache = c;
    n->cache_free = conv_cache_free;
    return c;
}

static void *scratch(size_t count, size_t size, bool *failed) {
    void *p = clr_malloc(count ? count * size : 1);
    if (!p) *failed = true;
    return p;
}

static clr_status conv_compute(clr_node *n, const clr_conv_geom *g, const clr_tensor *x, const clr_tensor *f,
                               clr_tensor *y, const clr_post *post) {
    int64_t cin_g = g->cin / g->groups, cout_g = g->cout / g->groups, np = g->oh * g->ow;
    int64_t plane_in = g->h * g->w;
    bool one_by_one = g->kh == 1 && g->kw == 1 && g->sh == 1 && g->sw == 1 && !g->pt && !g->pb && !g->pl && !g->pr;
    bool direct = cin_g == 1, failed = false;
    if (post->int8 && direct && g->kh * g->kw > 1024)
        return clr_node_fail(n, CLR_ERR_UNSUPPORTED, "int8 depthwise filter larger than 1024 taps");
    conv_run r = {.g = g, .post = post, .pool = n->pool, .w = f->data};
    atomic_init(&r.failed, false);
    const conv_cache *cc = direct ? NULL : conv_packed(n, g, f, post->int8);
    r.packed = cc ? (const clr_gemm_packed *const *)cc->g : NULL;
    float *ww = NULL;
    r.one_by_one = one_by_one;
    if (post->int8) {
        r.xq = x->data;
        if (!cc) ww = scratch((size_t)clr_tensor_numel(f), sizeof *ww, &failed);
        if (!direct) {
            r.xw = scratch((size_t)(cin_g * plane_in), sizeof *r.xw, &failed);
            r.acc = scratch((size_t)(cout_g * np), sizeof *r.acc, &failed);
        }
        if (ww) widen_s8(f->data, ww, clr_tensor_numel(f));
        r.w = ww;
    } else {
        r.x = x->data;
    }
    if (post->out_int8) r.yq = y->data;
    else r.yf = y->data;
    if (!failed && direct)
        clr_parallel_for(n->pool, g->batch * g->groups, clr_parallel_grain(n->pool, g->batch * g->groups, 1, 1),
                         depthwise_range, &r);
    else if (!failed)
        for (int64_t b = 0; b < g->batch; b++)
            for (int64_t grp = 0; grp < g->groups; grp++)
                gemm_group(&r, (b * g->cin + grp * cin_g) * plane_in, b, grp * cout_g);
    free(r.xw);
    free(ww);
    free(r.acc);
    failed |= atomic_load(&r.failed);
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
                clr_conv_valid_range(g->h, g->oh, g->sh, kh * g->dh - g->pt, &ih0, &ih1);
                clr_conv_valid_range(g->w, g->ow, g->sw, offw, &iw0, &iw1);
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
            clr_sgemm(n->pool, k, np, cin_g, a, bm, cols, np);
            col2im(cols, cout_g, &g, yd + (b * g.cout + grp * cout_g) * op);
        }
    for (int64_t b = 0; b < g.batch; b++)
        for (int64_t c = 0; c < g.cout; c++) clr_post_f32(&post, c, yd + (b * g.cout + c) * op, op, c * op);
    free(cols);
    return CLR_OK;
}
