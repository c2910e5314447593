/* clrun — pool2d (nb-format.md 6.5): max or average over NCHW windows,
 * global, adaptive, ceil mode, SAME/VALID padding. Average pooling divides as
 * Paddle-Lite's ARM kernels do: exclusive counts only input elements; not
 * exclusive counts the window clipped to the padded input. */
#include <float.h>
#include <string.h>

#include "kernels/host/math_kernels.h"
#include "kernels/host/tensor_common.h"

typedef struct pool_geom {
    int64_t in, out, k, s, p0, p1;
    bool adaptive;
} pool_geom;

/* Output size and paddings along one dim. */
static clr_status plan_dim(const clr_node *n, pool_geom *g, const char *algo, bool ceil_mode) {
    if (g->adaptive) return CLR_OK; /* out = ksize, set by the caller */
    if (strcmp(algo, "SAME") == 0) {
        g->out = (g->in + g->s - 1) / g->s;
        int64_t pad = (g->out - 1) * g->s + g->k - g->in;
        if (pad < 0) pad = 0;
        g->p0 = pad / 2;
        g->p1 = pad - g->p0;
        return CLR_OK;
    }
    if (strcmp(algo, "VALID") == 0) g->p0 = g->p1 = 0;
    if (g->s <= 0) return clr_node_fail(n, CLR_ERR_FORMAT, "stride %lld is not positive", (long long)g->s);
    /* C division truncates toward zero, so a window one element larger than
     * the (padded) input still yields one output, as in Paddle-Lite. */
    int64_t span = g->in - g->k + g->p0 + g->p1 + (ceil_mode ? g->s - 1 : 0);
    g->out = span / g->s + 1;
    if (g->out <= 0)
        return clr_node_fail(n, CLR_ERR_FORMAT, "window %lld with stride %lld does not fit input %lld", (long long)g->k,
                             (long long)g->s, (long long)g->in);
    return CLR_OK;
}

/* Window [start, end) of output index i, clipped to the input, and the
 * element count an average divides by. */
static void window(const pool_geom *g, int64_t i, bool exclusive, int64_t *start, int64_t *end, int64_t *count) {
    if (g->adaptive) {
        *start = i * g->in / g->out;
        *end = ((i + 1) * g->in + g->out - 1) / g->out;
        *count = *end - *start;
        return;
    }
    int64_t s = i * g->s - g->p0, e = s + g->k;
    if (e > g->in + g->p1) e = g->in + g->p1;
    int64_t padded = e - s;
    if (s < 0) s = 0;
    if (e > g->in) e = g->in;
    *start = s;
    *end = e;
    *count = exclusive ? e - s : padded;
}

clr_status clr_host_pool2d(clr_node *n) {
    clr_tensor *x, *out;
    clr_status st = tk_in_out(n, "X", "Out", &x, &out);
    if (st != CLR_OK) return st;
    if (x->ndims != 4 || x->dtype != CLR_DTYPE_FP32)
        return clr_node_fail(n, CLR_ERR_UNSUPPORTED, "X must be 4-D FP32 (NCHW)");
    const char *type = clr_node_attr_str(n, "pooling_type", "max");
    bool is_max = strcmp(type, "max") == 0;
    if (!is_max && strcmp(type, "avg") != 0) return clr_node_fail(n, CLR_ERR_UNSUPPORTED, "pooling_type '%s'", type);
    int64_t k[2] = {1, 1}, s[2] = {1, 1}, p[4] = {0, 0, 0, 0};
    int32_t nk = clr_node_attr_ints(n, "ksize", k, 2), ns = clr_node_attr_ints(n, "strides", s, 2);
    int32_t np = clr_node_attr_ints(n, "paddings", p, 4);
    if (nk != 2) return clr_node_fail(n, CLR_ERR_FORMAT, "ksize needs 2 values");
    if (ns == 1) s[1] = s[0];
    if (np == 2) p[3] = p[2] = p[1], p[1] = p[0]; /* [ph, pw] → top, bottom, left, right */
    bool global = clr_node_attr_bool(n, "global_pooling", false), adaptive = clr_node_attr_bool(n, "adaptive", false);
    bool exclusive = clr_node_attr_bool(n, "exclusive", true), ceil_mode = clr_node_attr_bool(n, "ceil_mode", false);
    const char *algo = clr_node_attr_str(n, "padding_algorithm", "EXPLICIT");
    pool_geom g[2];
    for (int d = 0; d < 2; d++) {
        g[d] = (pool_geom){.in = x->dims[2 + d], .k = k[d], .s = s[d], .p0 = p[2 * d], .p1 = p[2 * d + 1],
                           .adaptive = adaptive && !global};
        if (global) g[d].k = g[d].in, g[d].s = 1, g[d].p0 = g[d].p1 = 0;
        if (g[d].adaptive) g[d].out = k[d];
        if (g[d].k <= 0 || (g[d].adaptive && g[d].out <= 0))
            return clr_node_fail(n, CLR_ERR_FORMAT, "ksize %lld must be positive", (long long)k[d]);
        if ((st = plan_dim(n, &g[d], global ? "EXPLICIT" : algo, ceil_mode)) != CLR_OK) return st;
    }
    int64_t dims[4] = {x->dims[0], x->dims[1], g[0].out, g[1].out};
    if ((st = tk_resize(n, out, CLR_DTYPE_FP32, 4, dims)) != CLR_OK) return st;
    const float *px = x->data;
    float *po = out->data;
    int64_t planes = x->dims[0] * x->dims[1], ih = g[0].in, iw = g[1].in;
    for (int64_t pl = 0; pl < planes; pl++) {
        const float *src = px + pl * ih * iw;
        for (int64_t oy = 0; oy < g[0].out; oy++) {
            int64_t y0, y1, cy;
            window(&g[0], oy, exclusive, &y0, &y1, &cy);
            for (int64_t ox = 0; ox < g[1].out; ox++) {
                int64_t x0, x1, cx;
                window(&g[1], ox, exclusive, &x0, &x1, &cx);
                float acc = is_max ? -FLT_MAX : 0.0f;
                for (int64_t yy = y0; yy < y1; yy++)
                    for (int64_t xx = x0; xx < x1; xx++) {
                        float v = src[yy * iw + xx];
                        acc = is_max ? (v > acc ? v : acc) : acc + v;
                    }
                int64_t count = cy * cx;
                po[(pl * g[0].out + oy) * g[1].out + ox] = is_max ? acc : (count > 0 ? acc / (float)count : 0.0f);
            }
        }
    }
    return CLR_OK;
}
