/* clrun — conv-family output shapes (see conv_shape.h). */
#include "kernels/host/conv_shape.h"

#include <string.h>

clr_status clr_conv_geom_read(const clr_node *n, const clr_tensor *x, const clr_tensor *f, bool transpose,
                              clr_conv_geom *g) {
    char buf[2][64];
    if (x->ndims != 4)
        return clr_node_fail(n, CLR_ERR_FORMAT, "input 'Input' has %d dims, expected 4", x->ndims);
    if (f->ndims != 4)
        return clr_node_fail(n, CLR_ERR_FORMAT, "input 'Filter' has %d dims, expected 4", f->ndims);
    int64_t s[4] = {1, 1}, p[4] = {0, 0, 0, 0}, d[4] = {1, 1};
    int32_t ns = clr_node_attr_ints(n, "strides", s, 4);
    int32_t np = clr_node_attr_ints(n, "paddings", p, 4);
    int32_t nd = clr_node_attr_ints(n, "dilations", d, 4);
    if (ns != 2) return clr_node_fail(n, CLR_ERR_FORMAT, "attribute 'strides' has %d values, expected 2", ns);
    if (np != 2 && np != 4)
        return clr_node_fail(n, CLR_ERR_FORMAT, "attribute 'paddings' has %d values, expected 2 or 4", np);
    if (nd != -1 && nd != 2)
        return clr_node_fail(n, CLR_ERR_FORMAT, "attribute 'dilations' has %d values, expected 2", nd);
    if (np == 2) { /* [ph, pw] -> [top, bottom, left, right] */
        p[2] = p[3] = p[1];
        p[1] = p[0];
    }
    *g = (clr_conv_geom){.batch = x->dims[0], .cin = x->dims[1], .h = x->dims[2], .w = x->dims[3],
                     .kh = f->dims[2], .kw = f->dims[3], .groups = clr_node_attr_int(n, "groups", 1),
                     .sh = s[0], .sw = s[1], .dh = d[0], .dw = d[1],
                     .pt = p[0], .pb = p[1], .pl = p[2], .pr = p[3]};
    if (g->sh <= 0 || g->sw <= 0 || g->dh <= 0 || g->dw <= 0 || g->groups <= 0 || p[0] < 0 || p[1] < 0 ||
        p[2] < 0 || p[3] < 0)
        return clr_node_fail(n, CLR_ERR_FORMAT, "non-positive strides/dilations/groups or negative paddings");
    if (g->kh <= 0 || g->kw <= 0)
        return clr_node_fail(n, CLR_ERR_FORMAT, "input 'Filter' has shape %s", clr_tensor_shape_str(f, buf[0], 64));
    if (g->cin % g->groups != 0)
        return clr_node_fail(n, CLR_ERR_FORMAT, "%lld input channels do not split into %lld groups",
                             (long long)g->cin, (long long)g->groups);
    if (transpose) {
        g->cout = f->dims[1] * g->groups;
        if (f->dims[0] != g->cin)
            return clr_node_fail(n, CLR_ERR_FORMAT, "input 'Filter' %s does not match input %s",
                                 clr_tensor_shape_str(f, buf[0], 64), clr_tensor_shape_str(x, buf[1], 64));
    } else {
        g->cout = f->dims[0];
        if (f->dims[1] * g->groups != g->cin || g->cout % g->groups != 0)
            return clr_node_fail(n, CLR_ERR_FORMAT, "input 'Filter' %s does not match input %s with %lld groups",
                                 clr_tensor_shape_str(f, buf[0], 64), clr_tensor_shape_str(x, buf[1], 64),
                                 (long long)g->groups);
    }
    const char *algo = clr_node_attr_str(n, "padding_algorithm", "EXPLICIT");
    if (strcmp(algo, "SAME") == 0) {
        /* Paddle: output ceil(in / stride), padding split with the extra pixel
         * at the end, and dilation reset to 1. */
        int64_t in[2] = {g->h, g->w}, k[2] = {g->kh, g->kw}, st[2] = {g->sh, g->sw}, pad[2][2];
        for (int i = 0; i < 2; i++) {
            int64_t out = (in[i] + st[i] - 1) / st[i];
            int64_t sum = (out - 1) * st[i] + k[i] - in[i];
            if (sum < 0) sum = 0;
            pad[i][0] = sum / 2;
            pad[i][1] = sum - sum / 2;
        }
        g->pt = pad[0][0], g->pb = pad[0][1], g->pl = pad[1][0], g->pr = pad[1][1];
        g->dh = g->dw = 1;
    } else if (strcmp(algo, "VALID") == 0) {
        g->pt = g->pb = g->pl = g->pr = 0;
    } else if (strcmp(algo, "EXPLICIT") != 0) {
        return clr_node_fail(n, CLR_ERR_UNSUPPORTED, "unsupported padding_algorithm '%s'", algo);
    }
    int64_t ekh = g->dh * (g->kh - 1) + 1, ekw = g->dw * (g->kw - 1) + 1;
    if (transpose) {
        g->oh = (g->h - 1) * g->sh - g->pt - g->pb + ekh;
        g->ow = (g->w - 1) * g->sw - g->pl - g->pr + ekw;
    } else {
        g->oh = (g->h + g->pt + g->pb - ekh) / g->sh + 1;
        g->ow = (g->w + g->pl + g->pr - ekw) / g->sw + 1;
        if (g->h + g->pt + g->pb < ekh || g->w + g->pl + g->pr < ekw) g->oh = g->ow = 0;
    }
    if (g->oh <= 0 || g->ow <= 0)
        return clr_node_fail(n, CLR_ERR_FORMAT, "input %s is too small for filter %s", clr_tensor_shape_str(x, buf[0], 64),
                             clr_tensor_shape_str(f, buf[1], 64));
    return CLR_OK;
}

/* `output_size`, else the natural size plus `output_padding`, each checked
 * as Paddle-Lite does. */
clr_status clr_conv_transpose_size(const clr_node *n, clr_conv_geom *g) {
    int64_t v[4];
    int64_t *out[2] = {&g->oh, &g->ow}, st[2] = {g->sh, g->sw}, dl[2] = {g->dh, g->dw};
    int32_t cnt = clr_node_attr_ints(n, "output_size", v, 4);
    if (cnt > 0) {
        if (cnt != 2) return clr_node_fail(n, CLR_ERR_FORMAT, "attribute 'output_size' has %d values, expected 2", cnt);
        for (int i = 0; i < 2; i++) {
            if (v[i] < *out[i] || v[i] >= *out[i] + st[i])
                return clr_node_fail(n, CLR_ERR_FORMAT, "output_size %lld outside [%lld, %lld)", (long long)v[i],
                                     (long long)*out[i], (long long)(*out[i] + st[i]));
            *out[i] = v[i];
        }
        return CLR_OK;
    }
    cnt = clr_node_attr_ints(n, "output_padding", v, 4);
    if (cnt <= 0) return CLR_OK;
    if (cnt != 2) return clr_node_fail(n, CLR_ERR_FORMAT, "attribute 'output_padding' has %d values, expected 2", cnt);
    for (int i = 0; i < 2; i++) {
        int64_t lim = st[i] > dl[i] ? st[i] : dl[i];
        if (v[i] < 0 || v[i] >= lim)
            return clr_node_fail(n, CLR_ERR_FORMAT, "output_padding %lld outside [0, %lld)", (long long)v[i],
                                 (long long)lim);
        *out[i] += v[i];
    }
    return CLR_OK;
}


static int64_t prod(const int64_t *d, int32_t from, int32_t to) {
    int64_t p = 1;
    for (int32_t i = from; i < to; i++) p *= d[i];
    return p;
}

clr_status clr_flatten_at(const clr_node *n, const char *slot, const clr_tensor *t, int64_t at, const char *attr,
                          int64_t *rows, int64_t *cols) {
    if (t->ndims < 2 || at < 1 || at >= t->ndims)
        return clr_node_fail(n, CLR_ERR_FORMAT, "%s %lld invalid for input '%s' with %d dims", attr, (long long)at,
                             slot, t->ndims);
    *rows = prod(t->dims, 0, (int32_t)at);
    *cols = prod(t->dims, (int32_t)at, t->ndims);
    return CLR_OK;
}

clr_status clr_fc_shape_of(const clr_node *n, const clr_tensor *x, const clr_tensor *w, clr_flat_shape *s) {
    int64_t at = clr_node_attr_int(n, "in_num_col_dims", 1);
    /* opt (v2.13+) turns a matmul into fc and records it in op_type; Paddle-
     * Lite then multiplies along the input's last dim whatever
     * in_num_col_dims says (FcOpLite::InferShapeImpl). */
    const char *from = clr_node_attr_str(n, "op_type", "");
    bool matmul = strcmp(from, "matmul") == 0 || strcmp(from, "matmul_v2") == 0;
    if (matmul) at = x->ndims - 1;
    clr_status st;
    if (matmul && x->ndims == 1) { /* a row vector: [K] x [K, N] = [N] */
        s->m = 1;
        s->k = x->dims[0];
    } else if ((st = clr_flatten_at(n, "Input", x, at, matmul ? "fc from matmul: rank - 1 =" : "in_num_col_dims",
                                    &s->m, &s->k))) {
        return st;
    }
    if (w->ndims != 2) return clr_node_fail(n, CLR_ERR_FORMAT, "input 'W' has %d dims, expected 2", w->ndims);
    if (w->dims[0] != s->k)
        return clr_node_fail(n, CLR_ERR_FORMAT, "input 'W' has %lld rows, expected %lld", (long long)w->dims[0],
                             (long long)s->k);
    s->n = w->dims[1];
    s->ndims = (int32_t)at + 1;
    memcpy(s->dims, x->dims, (size_t)at * sizeof *s->dims);
    s->dims[at] = s->n;
    return CLR_OK;
}

clr_status clr_mul_shape_of(const clr_node *n, const clr_tensor *x, const clr_tensor *y, clr_flat_shape *s) {
    int64_t xn = clr_node_attr_int(n, "x_num_col_dims", 1), yn = clr_node_attr_int(n, "y_num_col_dims", 1), k2 = 0;
    clr_status st;
    if ((st = clr_flatten_at(n, "X", x, xn, "x_num_col_dims", &s->m, &s->k)) ||
        (st = clr_flatten_at(n, "Y", y, yn, "y_num_col_dims", &k2, &s->n)))
        return st;
    if (s->k != k2)
        return clr_node_fail(n, CLR_ERR_FORMAT, "inner sizes differ: X gives %lld, Y gives %lld", (long long)s->k,
                             (long long)k2);
    int64_t nd = xn + y->ndims - yn;
    if (nd > CLR_MAX_DIMS) return clr_node_fail(n, CLR_ERR_UNSUPPORTED, "output would have %d dims", (int)nd);
    s->ndims = (int32_t)nd;
    memcpy(s->dims, x->dims, (size_t)xn * sizeof *s->dims);
    memcpy(s->dims + xn, y->dims + yn, (size_t)(y->ndims - yn) * sizeof *s->dims);
    return CLR_OK;
}

clr_status clr_matmul_shape_of(const clr_node *n, const clr_tensor *x, const clr_tensor *y, bool tx, bool ty,
                               clr_matmul_shape *s) {
    if (x->ndims < 1 || y->ndims < 1) return clr_node_fail(n, CLR_ERR_FORMAT, "matmul operand with 0 dims");
    int32_t xr = x->ndims, yr = y->ndims;
    const int64_t *xd = x->dims, *yd = y->dims;
    int64_t k2;
    s->m = s->n = 1;
    if (xr == 1) s->k = xd[0];
    else {
        s->m = tx ? xd[xr - 1] : xd[xr - 2];
        s->k = tx ? xd[xr - 2] : xd[xr - 1];
    }
    if (yr == 1) k2 = yd[0];
    else {
        k2 = ty ? yd[yr - 1] : yd[yr - 2];
        s->n = ty ? yd[yr - 2] : yd[yr - 1];
    }
    s->tx = xr > 1 && tx;
    s->ty = yr > 1 && ty;
    if (s->k != k2)
        return clr_node_fail(n, CLR_ERR_FORMAT, "inner sizes differ: X gives %lld, Y gives %lld", (long long)s->k,
                             (long long)k2);
    /* Batch dims, right-aligned; strides run from the innermost batch dim. */
    int32_t xb = xr > 2 ? xr - 2 : 0, yb = yr > 2 ? yr - 2 : 0, nb = xb > yb ? xb : yb;
    int64_t xs = s->m * s->k, ys = s->k * s->n;
    s->nb = nb;
    for (int32_t i = nb - 1; i >= 0; i--) {
        int32_t xi = i - (nb - xb), yi = i - (nb - yb);
        int64_t a = xi >= 0 ? xd[xi] : 1, b = yi >= 0 ? yd[yi] : 1;
        if (a != b && a != 1 && b != 1)
            return clr_node_fail(n, CLR_ERR_FORMAT, "batch dims %lld and %lld do not broadcast", (long long)a,
                                 (long long)b);
        s->bdims[i] = a == 1 ? b : a;
        s->xbs[i] = a == 1 ? 0 : xs;
        s->ybs[i] = b == 1 ? 0 : ys;
        xs *= a;
        ys *= b;
    }
    s->batches = prod(s->bdims, 0, nb);
    int32_t nd = nb;
    memcpy(s->dims, s->bdims, (size_t)nb * sizeof *s->dims);
    if (xr >= 2) s->dims[nd++] = s->m;
    if (yr >= 2) s->dims[nd++] = s->n;
    if (nd == 0) s->dims[nd++] = 1;
    if (nd > CLR_MAX_DIMS) return clr_node_fail(n, CLR_ERR_UNSUPPORTED, "output would have %d dims", nd);
    s->ndims = nd;
    return CLR_OK;
}
