/* clrun — OpenCL matrix products: the launcher of cl_kernels/gemm.cl and the
 * fc, mul, matmul and matmul_v2 kernels on it. Shapes come from the host
 * kernels' own rules (kernels/host/conv_shape.h). */
#include "kernels/opencl/gpu_gemm.h"

#include <stdio.h>
#include <string.h>

#include "kernels/host/conv_common.h"
#include "kernels/host/conv_shape.h"
#include "kernels/opencl/gpu_int8.h"

static const char *const CL_FILE = "gemm.cl";

/* gemm_f32's register block (GEMM_MR rows x GEMM_NV vectors of GEMM_VW
 * columns, cl_kernels/gemm.cl), which must fit in M x N. */
typedef struct gemm_tile {
    int mr, vw, nv;
} gemm_tile;

/* The block for this shape; false for the per-element kernel (B's columns
 * not contiguous, or N < 8). 8 x 16 keeps eight 512-bit accumulators busy
 * on a CPU device (1.4-1.7x the former 4 x 16 on PoCL at MobileNetV2's 1x1
 * shapes). With fewer rows than 8 the block widens to up to 4 vectors of
 * 16 where N allows, keeping about 8 accumulators (1.4x at M = 6); a single
 * row (fc on one image) thus takes 64 columns per work-item, each streaming
 * 256 contiguous bytes of every row of B. */
static bool gemm_tile_for(const clr_gpu_gemm *g, gemm_tile *t) {
    if (g->b_cs != 1 || g->n < 8) return false;
    t->mr = g->m >= 8 ? 8 : g->m >= 4 ? 4 : g->m >= 2 ? 2 : 1;
    t->vw = g->n >= 16 ? 16 : 8;
    t->nv = 1;
    while (t->vw == 16 && t->mr * t->nv < 8 && t->nv < 4 && g->n >= 32 * t->nv) t->nv *= 2;
    return true;
}

clr_status clr_gpu_gemm_run(clr_gpu_node *n, const clr_gpu_gemm *g) {
    gemm_tile tile = {1, 1, 1};
    bool blocked = gemm_tile_for(g, &tile);
    const char *name = blocked ? "gemm_f32" : "gemm_any_f32";
    cl_int8 bdims, a_bs, b_bs;
    size_t batches = 1;
    for (int d = 0; d < 8; d++) {
        int src = d - (8 - g->nb);
        bdims.s[d] = src >= 0 ? (cl_int)g->bdims[src] : 1;
        a_bs.s[d] = src >= 0 ? (cl_int)g->a_bs[src] : 0;
        b_bs.s[d] = src >= 0 ? (cl_int)g->b_bs[src] : 0;
        batches *= (size_t)bdims.s[d];
    }
    if (g->m == 0 || g->n == 0 || batches == 0) return CLR_OK;
    cl_int m = (cl_int)g->m, nn = (cl_int)g->n, k = (cl_int)g->k, a_rs = (cl_int)g->a_rs, a_cs = (cl_int)g->a_cs,
           b_rs = (cl_int)g->b_rs, b_cs = (cl_int)g->b_cs, bias_mode = g->bias_mode, fuse = g->fuse;
    cl_float alpha = g->alpha;
    clr_cl_act act = clr_cl_act_from(&g->act);
    cl_kernel kr = NULL;
    cl_uint i = 0;
    char tile_opts[64], options[160];
    snprintf(tile_opts, sizeof tile_opts, "-DGEMM_MR=%d -DGEMM_VW=%d -DGEMM_NV=%d", tile.mr, tile.vw, tile.nv);
    clr_gpu_spec_options(options, sizeof options, &g->act, g->fuse, blocked ? tile_opts : "");
    clr_status st = clr_gpu_get_kernel(n, CL_FILE, name, options, &kr);
    if (st == CLR_OK) st = clr_gpu_arg(n, kr, i++, sizeof g->a, &g->a);
    if (st == CLR_OK) st = clr_gpu_arg(n, kr, i++, sizeof g->b, &g->b);
    if (st == CLR_OK) st = clr_gpu_arg(n, kr, i++, sizeof g->c, &g->c);
    if (st == CLR_OK) st = clr_gpu_arg(n, kr, i++, sizeof g->bias, &g->bias);
    if (st == CLR_OK) st = clr_gpu_arg(n, kr, i++, sizeof g->s, &g->s);
    if (st == CLR_OK) st = clr_gpu_arg(n, kr, i++, sizeof m, &m);
    if (st == CLR_OK) st = clr_gpu_arg(n, kr, i++, sizeof nn, &nn);
    if (st == CLR_OK) st = clr_gpu_arg(n, kr, i++, sizeof k, &k);
    if (st == CLR_OK) st = clr_gpu_arg(n, kr, i++, sizeof a_rs, &a_rs);
    if (st == CLR_OK) st = clr_gpu_arg(n, kr, i++, sizeof a_cs, &a_cs);
    if (st == CLR_OK) st = clr_gpu_arg(n, kr, i++, sizeof b_rs, &b_rs);
    if (st == CLR_OK && !blocked) st = clr_gpu_arg(n, kr, i++, sizeof b_cs, &b_cs);
    if (st == CLR_OK) st = clr_gpu_arg(n, kr, i++, sizeof bdims, &bdims);
    if (st == CLR_OK) st = clr_gpu_arg(n, kr, i++, sizeof a_bs, &a_bs);
    if (st == CLR_OK) st = clr_gpu_arg(n, kr, i++, sizeof b_bs, &b_bs);
    if (st == CLR_OK) st = clr_gpu_arg(n, kr, i++, sizeof alpha, &alpha);
    if (st == CLR_OK) st = clr_gpu_arg(n, kr, i++, sizeof bias_mode, &bias_mode);
    if (st == CLR_OK) st = clr_gpu_arg(n, kr, i++, sizeof act, &act);
    if (st == CLR_OK) st = clr_gpu_arg(n, kr, i++, sizeof fuse, &fuse);
    const size_t nr = (size_t)(tile.vw * tile.nv);
    size_t gws[3] = {blocked ? ((size_t)nn + nr - 1) / nr : (size_t)nn,
                     blocked ? ((size_t)m + tile.mr - 1) / tile.mr : (size_t)m, batches};
    if (st == CLR_OK) st = clr_gpu_launch(n, kr, name, 3, gws, NULL);
    return st;
}

/* int8 fc and matmul run on gpu_int8_gemm.c, as the host kernels decide (enable_int8 or an int8 input). */
static bool runs_int8(const clr_node *n, const char *x) {
    const clr_tensor *t = clr_node_in(n, x, 0);
    return clr_node_attr_bool(n, "enable_int8", false) || (t && t->dtype == CLR_DTYPE_INT8);
}

bool clr_gpu_supports_fc(const clr_op *op, const clr_program *prog, const clr_gpu_caps *caps, char *why,
                         size_t why_size) {
    const clr_attr *pw = clr_op_attr(op, "padding_weights");
    if (pw && pw->type == CLR_ATTR_BOOLEAN && pw->v.b) {
        snprintf(why, why_size, "padding_weights");
        return false;
    }
    if (clr_gpu_int8_declared(op, prog, "Input", "W")) return clr_gpu_int8_epilogue_ok(op, prog, true, why, why_size);
    /* The host's reader decides; PReLU (slopes from a tensor) is not fused here. */
    clr_post post = {0};
    if (clr_post_fc_act(&(clr_node){.op = op}, &post) != CLR_OK || post.prelu != CLR_PRELU_NONE) {
        const clr_attr *a = clr_op_attr(op, "activation_type");
        snprintf(why, why_size, "activation_type '%s'", a && a->type == CLR_ATTR_STRING ? a->v.s : "?");
        return false;
    }
    return clr_gpu_declared_f32(op, prog, "Input", why, why_size) && clr_gpu_declared_f32(op, prog, "W", why, why_size) &&
           clr_gpu_declared_f32(op, prog, "Bias", why, why_size);
}

clr_status clr_gpu_run_fc(clr_gpu_node *n) {
    clr_node *node = &n->node;
    if (runs_int8(node, "Input")) return clr_gpu_run_fc_int8(n);
    clr_tensor *x, *w, *y;
    clr_status st = clr_node_require_in(node, "Input", &x);
    if (st == CLR_OK) st = clr_node_require_in(node, "W", &w);
    if (st == CLR_OK) st = clr_node_require_out(node, "Out", &y);
    if (st == CLR_OK) st = clr_gpu_require_f32(n, "Input", x);
    if (st == CLR_OK) st = clr_gpu_require_f32(n, "W", w);
    clr_flat_shape s;
    clr_post post = {0};
    if (st == CLR_OK) st = clr_fc_shape_of(node, x, w, &s);
    if (st == CLR_OK) st = clr_post_fc_act(node, &post);
    if (st == CLR_OK) st = clr_post_bind(node, &post, "Bias", s.n, s.n);
    if (st == CLR_OK && post.prelu != CLR_PRELU_NONE) st = clr_node_fail(node, CLR_ERR_UNSUPPORTED, "fused prelu");
    if (st == CLR_OK) st = clr_gpu_output(n, y, CLR_DTYPE_FP32, s.ndims, s.dims);
    if (st != CLR_OK) return st;
    const clr_tensor *bias = clr_node_in(node, "Bias", 0);
    clr_gpu_gemm g = {.a = clr_cl_mem(x), .b = clr_cl_mem(w), .c = clr_cl_mem(y), .bias = bias ? clr_cl_mem(bias) : NULL,
                      .m = s.m, .n = s.n, .k = s.k, .a_rs = s.k, .a_cs = 1, .b_rs = s.n, .b_cs = 1, .alpha = 1.0f,
                      .bias_mode = bias ? 2 : 0, .act = post.act};
    return clr_gpu_gemm_run(n, &g);
}

bool clr_gpu_supports_matmul(const clr_op *op, const clr_program *prog, const clr_gpu_caps *caps, char *why,
                             size_t why_size) {
    if (clr_gpu_int8_declared(op, prog, "X", "Y")) return true; /* clr_gpu_run_matmul_int8 */
    return clr_gpu_declared_f32(op, prog, "X", why, why_size) && clr_gpu_declared_f32(op, prog, "Y", why, why_size);
}

static clr_status require_pair(clr_gpu_node *n, clr_tensor **x, clr_tensor **y, clr_tensor **out) {
    clr_status st = clr_node_require_in(&n->node, "X", x);
    if (st == CLR_OK) st = clr_node_require_in(&n->node, "Y", y);
    if (st == CLR_OK) st = clr_node_require_out(&n->node, "Out", out);
    if (st == CLR_OK) st = clr_gpu_require_f32(n, "X", *x);
    if (st == CLR_OK) st = clr_gpu_require_f32(n, "Y", *y);
    return st;
}

clr_status clr_gpu_run_mul(clr_gpu_node *n) {
    clr_tensor *x, *y, *out;
    clr_flat_shape s;
    clr_status st = require_pair(n, &x, &y, &out);
    if (st == CLR_OK) st = clr_mul_shape_of(&n->node, x, y, &s);
    if (st == CLR_OK) st = clr_gpu_output(n, out, CLR_DTYPE_FP32, s.ndims, s.dims);
    if (st != CLR_OK) return st;
    clr_gpu_gemm g = {.a = clr_cl_mem(x), .b = clr_cl_mem(y), .c = clr_cl_mem(out), .m = s.m, .n = s.n, .k = s.k,
                      .a_rs = s.k, .a_cs = 1, .b_rs = s.n, .b_cs = 1, .alpha = 1.0f};
    clr_act_from_name("", &g.act);
    return clr_gpu_gemm_run(n, &g);
}

/* A one-column product, as the host and ARM's sgemv sum it. */
static clr_status run_sgemv(clr_gpu_node *n, cl_mem a, cl_mem x, cl_mem y, const clr_matmul_shape *s) {
    cl_int m = (cl_int)s->m, k = (cl_int)s->k, a_rs = (cl_int)s->k; /* B's one column is contiguous */
    cl_kernel kr = NULL;
    clr_status st = clr_gpu_get_kernel(n, CL_FILE, "sgemv_f32", "", &kr);
    const void *values[] = {&a, &x, &y, &m, &k, &a_rs};
    const size_t sizes[] = {sizeof a, sizeof x, sizeof y, sizeof m, sizeof k, sizeof a_rs};
    for (cl_uint i = 0; st == CLR_OK && i < 6; i++) st = clr_gpu_arg(n, kr, i, sizes[i], values[i]);
    return st == CLR_OK && m ? clr_gpu_launch_1d(n, kr, "sgemv_f32", (size_t)m) : st;
}

static clr_status run_matmul(clr_gpu_node *n, bool tx, bool ty, float alpha) {
    if (runs_int8(&n->node, "X")) return clr_gpu_run_matmul_int8(n, tx, ty, alpha);
    clr_tensor *x, *y, *out;
    clr_matmul_shape s;
    clr_status st = require_pair(n, &x, &y, &out);
    if (st == CLR_OK) st = clr_matmul_shape_of(&n->node, x, y, tx, ty, &s);
    if (st == CLR_OK) st = clr_gpu_output(n, out, CLR_DTYPE_FP32, s.ndims, s.dims);
    if (st != CLR_OK) return st;
    if (s.n == 1 && alpha == 1.0f && !s.tx && s.nb == 0)
        return run_sgemv(n, clr_cl_mem(x), clr_cl_mem(y), clr_cl_mem(out), &s);
    clr_gpu_gemm g = {.a = clr_cl_mem(x), .b = clr_cl_mem(y), .c = clr_cl_mem(out), .m = s.m, .n = s.n, .k = s.k,
                      .a_rs = s.tx ? 1 : s.k, .a_cs = s.tx ? s.m : 1, .b_rs = s.ty ? 1 : s.n, .b_cs = s.ty ? s.k : 1,
                      .nb = s.nb, .alpha = alpha};
    memcpy(g.bdims, s.bdims, (size_t)s.nb * sizeof *g.bdims);
    memcpy(g.a_bs, s.xbs, (size_t)s.nb * sizeof *g.a_bs);
    memcpy(g.b_bs, s.ybs, (size_t)s.nb * sizeof *g.b_bs);
    clr_act_from_name("", &g.act);
    return clr_gpu_gemm_run(n, &g);
}

clr_status clr_gpu_run_matmul(clr_gpu_node *n) {
    const clr_node *node = &n->node;
    return run_matmul(n, clr_node_attr_bool(node, "transpose_X", false), clr_node_attr_bool(node, "transpose_Y", false),
                      clr_node_attr_float(node, "alpha", 1.0f));
}

clr_status clr_gpu_run_matmul_v2(clr_gpu_node *n) {
    const clr_node *node = &n->node;
    return run_matmul(n, clr_node_attr_bool(node, "trans_x", false), clr_node_attr_bool(node, "trans_y", false),
                      clr_node_attr_float(node, "alpha", 1.0f));
}
