/* clrun — rnn (mode LSTM or GRU), the cuDNN-style multi-layer, optionally
 * bidirectional recurrence of paddle.nn.LSTM / GRU, after Paddle-Lite's ARM
 * kernel (kernels/arm/rnn_compute.cc).
 *
 * Input [T, B, I]; PreState: init_h (and init_c for LSTM), each [L*D, B, H]
 * with D = 2 when is_bidirec; Out [T, B, D*H] (forward then backward
 * halves); State: final h (and c), shaped like PreState. WeightList holds
 * all weights first, then all biases, each group ordered layer by layer,
 * direction by direction, input-to-hidden before hidden-to-hidden:
 * [W_ih, W_hh] * L*D, then [b_ih, b_hh] * L*D; W_ih is [G*H, in], W_hh
 * [G*H, H].
 *
 * LSTM gates (G = 4) are ordered i, f, g, o: c = tanh(g)·σ(i) + c'·σ(f),
 * h = σ(o)·tanh(c). GRU gates (G = 3) are r, z, n: n = tanh(x_n + b_in +
 * σ(r)·(W_hn h' + b_hn)), h = (1 - σ(z))·n + σ(z)·h'.
 *
 * The arithmetic is Paddle-Lite's: gate GEMMs by its sgemm (sgemv for one
 * row), biases added one after the other, sigmoid and tanh by its NEON
 * approximations, the cell update c = c' * f + tanh(g) * i as one fma.
 *
 * Paddle-Lite quirk kept: the final h it reports for a backward direction is
 * its output at time T-1 (its first step), not at time 0; the final c is the
 * true last one. SequenceLength is not supported.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "kernels/host/activation.h"
#include "kernels/host/detection.h"
#include "kernels/host/gemm.h"

typedef struct rnn_cfg {
    bool lstm;
    int64_t layers, dirs, hidden, gates, steps, batch, in0;
} rnn_cfg;

typedef struct rnn_weights {
    const float *w_ih, *w_hh, *b_ih, *b_hh;
} rnn_weights;

/* c[m, n] = a[m, :] · w[n, :] (+ bias[n]), as ARM's sgemm with a transposed
 * B; the bias is a separate add (fill_bias_fc). */
static void matmul_nt(const float *a, const float *w, const float *bias, float *c, int64_t m, int64_t n, int64_t k) {
    clr_sgemm_arm(NULL, m, n, k, (clr_gemm_operand){a, k, 1}, (clr_gemm_operand){w, 1, k}, c, n);
    for (int64_t i = 0; bias && i < m; i++)
        for (int64_t j = 0; j < n; j++) c[i * n + j] += bias[j];
}

static void act(clr_act_kind kind, float *x, int64_t n) {
    clr_act a = {.kind = kind};
    clr_act_apply(&a, x, n);
}

/* One LSTM step for the batch: g holds x-part + h'-part of the gates. */
static void lstm_step(const rnn_cfg *c, float *g, float *h, float *cell) {
    int64_t hs = c->hidden;
    for (int64_t b = 0; b < c->batch; b++) {
        float *gi = g + b * 4 * hs, *gf = gi + hs, *gc = gf + hs, *go = gc + hs;
        act(CLR_ACT_SIGMOID, gi, hs);
        act(CLR_ACT_SIGMOID, gf, hs);
        act(CLR_ACT_TANH, gc, hs);
        act(CLR_ACT_SIGMOID, go, hs);
        float *cb = cell + b * hs, *hb = h + b * hs;
        for (int64_t j = 0; j < hs; j++) cb[j] = fmaf(cb[j], gf[j], gc[j] * gi[j]); /* vmlaq, fused */
        memcpy(hb, cb, (size_t)hs * sizeof(float));
        act(CLR_ACT_TANH, hb, hs);
        for (int64_t j = 0; j < hs; j++) hb[j] *= go[j];
    }
}

/* One GRU step: g holds x-part of all gates plus h'-part of r and z; hn is
 * W_hn h' + b_hn. */
static void gru_step(const rnn_cfg *c, float *g, const float *hn, float *h) {
    int64_t hs = c->hidden;
    for (int64_t b = 0; b < c->batch; b++) {
        float *gr = g + b * 3 * hs, *gz = gr + hs, *gn = gz + hs;
        act(CLR_ACT_SIGMOID, gr, 2 * hs);
        for (int64_t j = 0; j < hs; j++) gn[j] += hn[b * hs + j] * gr[j];
        act(CLR_ACT_TANH, gn, hs);
        float *hb = h + b * hs;
        for (int64_t j = 0; j < hs; j++) hb[j] = (1.f - gz[j]) * gn[j] + gz[j] * hb[j];
    }
}

typedef struct rnn_scratch {
    float *gx;   /* [T, B, G*H] input part of the gates */
    float *g;    /* [B, G*H] one step's gates */
    float *hn;   /* [B, H] GRU hidden part of the new gate */
    float *rec;  /* [B, G*H] h' W_hh^T */
    float *h, *cell; /* [B, H] running state */
} rnn_scratch;

/* One direction of one layer: x [T, B, in] → columns [dir*H, (dir+1)*H) of
 * y [T, B, D*H]; h0/c0 in, final h/c out. */
static void run_direction(const rnn_cfg *c, const rnn_weights *w, const float *x, int64_t in, int64_t dir, float *y,
                          const float *h0, const float *c0, float *h_last, float *c_last, rnn_scratch *s) {
    int64_t hs = c->hidden, gh = c->gates * hs, tb = c->steps * c->batch, bh = c->batch * hs;
    matmul_nt(x, w->w_ih, w->b_ih, s->gx, tb, gh, in);
    /* GRU adds b_hn inside the reset product, not here. */
    int64_t nbias = c->lstm ? gh : 2 * hs;
    for (int64_t r = 0; r < tb; r++)
        for (int64_t j = 0; j < nbias; j++) s->gx[r * gh + j] += w->b_hh[j];
    memcpy(s->h, h0, (size_t)bh * sizeof(float));
    if (c->lstm) memcpy(s->cell, c0, (size_t)bh * sizeof(float));
    int64_t ystride = c->dirs * hs;
    for (int64_t step = 0; step < c->steps; step++) {
        int64_t t = dir == 0 ? step : c->steps - 1 - step;
        int64_t nrec = c->lstm ? gh : 2 * hs; /* rows of W_hh feeding the gate sum */
        /* gates = h' W_hh^T + the input part, as ARM's sgemm then an add */
        clr_sgemm_arm(NULL, c->batch, nrec, hs, (clr_gemm_operand){s->h, hs, 1}, (clr_gemm_operand){w->w_hh, 1, hs}, s->rec,
                      nrec);
        for (int64_t b = 0; b < c->batch; b++) {
            float *gb = s->g + b * gh;
            memcpy(gb, s->gx + (t * c->batch + b) * gh, (size_t)gh * sizeof(float));
            for (int64_t j = 0; j < nrec; j++) gb[j] += s->rec[b * nrec + j];
        }
        if (c->lstm) {
            lstm_step(c, s->g, s->h, s->cell);
        } else {
            matmul_nt(s->h, w->w_hh + 2 * hs * hs, w->b_hh + 2 * hs, s->hn, c->batch, hs, hs);
            gru_step(c, s->g, s->hn, s->h);
        }
        for (int64_t b = 0; b < c->batch; b++)
            memcpy(y + (t * c->batch + b) * ystride + dir * hs, s->h + b * hs, (size_t)hs * sizeof(float));
        if (step == 0 && dir == 1) memcpy(h_last, s->h, (size_t)bh * sizeof(float));
    }
    if (dir == 0) memcpy(h_last, s->h, (size_t)bh * sizeof(float));
    if (c->lstm) memcpy(c_last, s->cell, (size_t)bh * sizeof(float));
}

static clr_status read_cfg(clr_node *n, const clr_tensor *x, rnn_cfg *c) {
    const char *mode = clr_node_attr_str(n, "mode", "LSTM");
    if (strcmp(mode, "LSTM") == 0) c->lstm = true;
    else if (strcmp(mode, "GRU") == 0) c->lstm = false;
    else return clr_node_fail(n, CLR_ERR_UNSUPPORTED, "unsupported rnn mode '%s'", mode);
    c->gates = c->lstm ? 4 : 3;
    c->layers = clr_node_attr_int(n, "num_layers", 1);
    c->dirs = clr_node_attr_bool(n, "is_bidirec", false) ? 2 : 1;
    c->hidden = clr_node_attr_int(n, "hidden_size", 0);
    c->steps = x->dims[0];
    c->batch = x->dims[1];
    c->in0 = x->dims[2];
    if (c->layers <= 0 || c->hidden <= 0)
        return clr_node_fail(n, CLR_ERR_FORMAT, "num_layers %lld / hidden_size %lld not positive", (long long)c->layers,
                             (long long)c->hidden);
    if (clr_node_in(n, "SequenceLength", 0)) return clr_node_fail(n, CLR_ERR_UNSUPPORTED, "rnn with SequenceLength");
    return CLR_OK;
}

/* Checks one weight against its expected shape ([rows, cols], or [rows]
 * when cols is 0). */
static clr_status check_weight(clr_node *n, int32_t i, int64_t rows, int64_t cols, const float **data) {
    clr_tensor *t = clr_node_in(n, "WeightList", i);
    if (!t) return clr_node_fail(n, CLR_ERR_FORMAT, "WeightList[%d] is not bound", i);
    char what[40];
    snprintf(what, sizeof what, "WeightList[%d]", i);
    clr_status st = clr_det_check_f32(n, t, what, -1);
    if (st != CLR_OK) return st;
    bool ok = cols ? t->ndims == 2 && t->dims[0] == rows && t->dims[1] == cols : clr_tensor_numel(t) == rows;
    if (!ok) return clr_node_fail(n, CLR_ERR_FORMAT, "WeightList[%d] has the wrong shape (expected %lld x %lld)", i,
                                  (long long)rows, (long long)cols);
    *data = t->data;
    return CLR_OK;
}

static clr_status gather_weights(clr_node *n, const rnn_cfg *c, rnn_weights *w) {
    int64_t per = c->layers * c->dirs, gh = c->gates * c->hidden;
    if (clr_node_in_count(n, "WeightList") != 4 * per)
        return clr_node_fail(n, CLR_ERR_FORMAT, "WeightList has %d tensors, expected %lld", clr_node_in_count(n, "WeightList"),
                             (long long)(4 * per));
    for (int64_t l = 0; l < c->layers; l++) {
        for (int64_t d = 0; d < c->dirs; d++) {
            int32_t k = (int32_t)(l * c->dirs + d), wi = 2 * k, bi = (int32_t)(2 * per) + 2 * k;
            int64_t in = l == 0 ? c->in0 : c->dirs * c->hidden;
            rnn_weights *x = &w[k];
            clr_status st = check_weight(n, wi, gh, in, &x->w_ih);
            if (st == CLR_OK) st = check_weight(n, wi + 1, gh, c->hidden, &x->w_hh);
            if (st == CLR_OK) st = check_weight(n, bi, gh, 0, &x->b_ih);
            if (st == CLR_OK) st = check_weight(n, bi + 1, gh, 0, &x->b_hh);
            if (st != CLR_OK) return st;
        }
    }
    return CLR_OK;
}

/* PreState[i] must be FP32 [L*D, B, H]; State[i] gets the same shape. */
static clr_status states(clr_node *n, const rnn_cfg *c, int32_t i, const float **pre, float **post) {
    clr_tensor *p = clr_node_in(n, "PreState", i), *s = clr_node_out(n, "State", i);
    if (!p || !s) return clr_node_fail(n, CLR_ERR_FORMAT, "PreState[%d] or State[%d] is not bound", i, i);
    char what[32];
    snprintf(what, sizeof what, "PreState[%d]", i);
    clr_status st = clr_det_check_f32(n, p, what, 3);
    if (st != CLR_OK) return st;
    if (p->dims[0] != c->layers * c->dirs || p->dims[1] != c->batch || p->dims[2] != c->hidden)
        return clr_node_fail(n, CLR_ERR_FORMAT, "PreState[%d] is not [%lld, %lld, %lld]", i, (long long)(c->layers * c->dirs),
                             (long long)c->batch, (long long)c->hidden);
    st = clr_tensor_resize_like(s, p, n->err);
    *pre = p->data;
    *post = s->data;
    return st;
}

clr_status clr_k_rnn(clr_node *n) {
    clr_tensor *x, *out;
    rnn_cfg c;
    clr_status st = clr_det_input_f32(n, "Input", 3, &x);
    if (st == CLR_OK) st = clr_node_require_out(n, "Out", &out);
    if (st == CLR_OK) st = read_cfg(n, x, &c);
    if (st != CLR_OK) return st;
    rnn_weights *w = clr_calloc((size_t)(c.layers * c.dirs), sizeof *w);
    if (!w) return clr_node_fail(n, CLR_ERR_NOMEM, "out of memory");
    const float *h0 = NULL, *c0 = NULL;
    float *hT = NULL, *cT = NULL;
    st = gather_weights(n, &c, w);
    if (st == CLR_OK) st = states(n, &c, 0, &h0, &hT);
    if (st == CLR_OK && c.lstm) st = states(n, &c, 1, &c0, &cT);
    int64_t hs = c.hidden, bh = c.batch * hs, tbo = c.steps * c.batch * c.dirs * hs;
    int64_t dims[3] = {c.steps, c.batch, c.dirs * hs};
    if (st == CLR_OK) st = clr_tensor_resize(out, CLR_DTYPE_FP32, 3, dims, n->err);
    rnn_scratch s = {0};
    float *bufs[2] = {NULL, NULL};
    if (st == CLR_OK) {
        s.gx = clr_malloc((size_t)(c.steps * c.batch * c.gates * hs) * sizeof(float) + 1);
        s.g = clr_malloc((size_t)(c.batch * c.gates * hs) * sizeof(float) + 1);
        s.hn = clr_malloc((size_t)bh * sizeof(float) + 1);
        s.rec = clr_malloc((size_t)(c.batch * c.gates * hs) * sizeof(float) + 1);
        s.h = clr_malloc((size_t)bh * sizeof(float) + 1);
        s.cell = clr_malloc((size_t)bh * sizeof(float) + 1);
        for (int i = 0; i < 2 && i + 1 < c.layers; i++) bufs[i] = clr_malloc((size_t)tbo * sizeof(float) + 1);
        bool missing = c.layers > 1 && (!bufs[0] || (c.layers > 2 && !bufs[1]));
        if (!s.gx || !s.g || !s.hn || !s.rec || !s.h || !s.cell || missing) st = clr_node_fail(n, CLR_ERR_NOMEM, "out of memory");
    }
    for (int64_t l = 0; st == CLR_OK && l < c.layers; l++) {
        const float *in = l == 0 ? (const float *)x->data : bufs[(l - 1) % 2];
        float *y = l == c.layers - 1 ? (float *)out->data : bufs[l % 2];
        int64_t in_size = l == 0 ? c.in0 : c.dirs * hs;
        for (int64_t d = 0; d < c.dirs; d++) {
            int64_t k = l * c.dirs + d;
            run_direction(&c, &w[k], in, in_size, d, y, h0 + k * bh, c.lstm ? c0 + k * bh : NULL, hT + k * bh,
                          c.lstm ? cT + k * bh : NULL, &s);
        }
    }
    free(w);
    free(s.gx);
    free(s.g);
    free(s.hn);
    free(s.rec);
    free(s.h);
    free(s.cell);
    free(bufs[0]);
    free(bufs[1]);
    return st;
}
