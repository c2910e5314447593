/* clrun — pad2d: pads the H and W dims of an NCHW tensor with a constant,
 * the mirror image (reflect, edge not repeated) or the edge value. */
#include <inttypes.h>
#include <string.h>

#include "kernels/host/tensor_common.h"
#include "kernels/host/tensor_kernels.h"
#include "kernels/host/tensor_plans.h"

/* Source index for output position i - pad of a dim of size d, or -1 for
 * the constant. */
static int64_t source_index(tk_pad_mode mode, int64_t i, int64_t d) {
    if (i >= 0 && i < d) return i;
    switch (mode) {
    case TK_PAD_REFLECT: return i < 0 ? -i : 2 * (d - 1) - i;
    case TK_PAD_EDGE: return i < 0 ? 0 : d - 1;
    default: return -1;
    }
}

static clr_status parse_mode(const clr_node *n, tk_pad_mode *mode) {
    const char *m = clr_node_attr_str(n, "mode", "constant");
    if (strcmp(m, "constant") == 0)
        *mode = TK_PAD_CONSTANT;
    else if (strcmp(m, "reflect") == 0)
        *mode = TK_PAD_REFLECT;
    else if (strcmp(m, "edge") == 0)
        *mode = TK_PAD_EDGE;
    else
        return clr_node_fail(n, CLR_ERR_UNSUPPORTED, "unsupported mode '%s'", m);
    return CLR_OK;
}

/* Paddings (top, bottom, left, right) from the Paddings tensor > attribute,
 * checked against what the mode can produce. */
static clr_status parse_paddings(const clr_node *n, tk_pad_mode mode, const clr_tensor *x, int64_t *p) {
    int32_t count;
    clr_status st = tk_ints_tensor(n, "Paddings", p, 4, &count);
    if (st == CLR_OK && count < 0) st = tk_ints_attr(n, "paddings", p, 4, &count);
    if (st != CLR_OK) return st;
    if (count != 4) return clr_node_fail(n, CLR_ERR_FORMAT, "%d paddings, expected 4", count < 0 ? 0 : count);
    for (int32_t i = 0; i < 4; i++) {
        int64_t d = x->dims[2 + i / 2];
        if (p[i] < 0) return clr_node_fail(n, CLR_ERR_FORMAT, "padding %" PRId64 " is negative", p[i]);
        if (mode == TK_PAD_REFLECT && p[i] >= d)
            return clr_node_fail(n, CLR_ERR_FORMAT, "reflect padding %" PRId64 " needs a dim larger than %" PRId64,
                                 p[i], d);
        if (mode == TK_PAD_EDGE && p[i] > 0 && d == 0)
            return clr_node_fail(n, CLR_ERR_FORMAT, "edge padding of an empty dim");
    }
    return CLR_OK;
}

clr_status tk_pad2d_plan(const clr_node *n, const clr_tensor *x, tk_pad_mode *mode, int64_t *pads) {
    clr_status st = CLR_OK;
    if (x->ndims != 4) st = clr_node_fail(n, CLR_ERR_FORMAT, "input 'X' has %d dims, expected 4", x->ndims);
    if (st == CLR_OK && strcmp(clr_node_attr_str(n, "data_format", "NCHW"), "NCHW") != 0)
        st = clr_node_fail(n, CLR_ERR_UNSUPPORTED, "unsupported data_format '%s'",
                           clr_node_attr_str(n, "data_format", ""));
    if (st == CLR_OK) st = parse_mode(n, mode);
    if (st == CLR_OK) st = parse_paddings(n, *mode, x, pads);
    return st;
}

clr_status clr_tk_pad2d(clr_node *n) {
    clr_tensor *x, *out;
    size_t esize;
    tk_pad_mode mode = TK_PAD_CONSTANT;
    int64_t p[4];
    clr_status st = tk_in_out(n, "X", "Out", &x, &out);
    if (st == CLR_OK) st = tk_elem_size(n, "input 'X'", x->dtype, &esize);
    if (st == CLR_OK && !tk_dtype_numeric(x->dtype))
        st = clr_node_fail(n, CLR_ERR_UNSUPPORTED, "input 'X' has unsupported type %s", clr_dtype_name(x->dtype));
    if (st == CLR_OK) st = tk_pad2d_plan(n, x, &mode, p);
    if (st != CLR_OK) return st;
    int64_t h = x->dims[2], w = x->dims[3];
    int64_t dims[4] = {x->dims[0], x->dims[1], h + p[0] + p[1], w + p[2] + p[3]};
    if ((st = tk_resize(n, out, x->dtype, 4, dims)) != CLR_OK) return st;
    unsigned char value[8];
    tk_store_f64(value, x->dtype, 0, clr_node_attr_float(n, "pad_value", 0.0f));
    const char *src = x->data;
    char *dst = out->data;
    for (int64_t plane = 0; plane < dims[0] * dims[1]; plane++, src += (size_t)(h * w) * esize) {
        for (int64_t oh = 0; oh < dims[2]; oh++) {
            int64_t ih = source_index(mode, oh - p[0], h);
            for (int64_t ow = 0; ow < dims[3];) {
                /* The unpadded middle of a row is one contiguous copy. */
                if (ih >= 0 && ow == p[2] && w > 0) {
                    memcpy(dst, src + (size_t)(ih * w) * esize, (size_t)w * esize);
                    dst += (size_t)w * esize;
                    ow += w;
                    continue;
                }
                int64_t iw = source_index(mode, ow - p[2], w);
                memcpy(dst, ih >= 0 && iw >= 0 ? src + (size_t)(ih * w + iw) * esize : (const char *)value, esize);
                dst += esize;
                ow++;
            }
        }
    }
    return CLR_OK;
}
