/* clrun — OpenCL int8 fc and matmul / matmul_v2 on int8.cl's gemm_int8: the
 * int32 sums of the host's clr_sgemm_exact_i32 and the host's epilogues (fc:
 * acc * scale + bias unfused, then the activation and any requantization;
 * matmul: acc * (Y0_scale * X0_scale * alpha), fp32 out). */
#include <stdlib.h>

#include "core/alloc.h"
#include "kernels/host/conv_shape.h"
#include "kernels/opencl/gpu_int8.h"

typedef struct q_gemm {
    cl_mem a, b, c;
    int64_t m, n, k, a_rs, a_cs, b_rs, b_cs, a_bs, b_bs, batches;
} q_gemm;

static clr_status run_gemm(clr_gpu_node *n, const q_gemm *q, const clr_gpu_q_epi *e) {
    cl_int v[9] = {(cl_int)q->m,    (cl_int)q->n,    (cl_int)q->k,    (cl_int)q->a_rs, (cl_int)q->a_cs, (cl_int)q->b_rs,
                    (cl_int)q->b_cs, (cl_int)q->a_bs, (cl_int)q->b_bs};
    cl_kernel k = NULL;
    clr_status st = clr_gpu_get_kernel(n, "int8.cl", "gemm_int8", e->options, &k);
    if (st == CLR_OK) st = clr_gpu_arg(n, k, 0, sizeof q->a, &q->a);
    if (st == CLR_OK) st = clr_gpu_arg(n, k, 1, sizeof q->b, &q->b);
    if (st == CLR_OK) st = clr_gpu_arg(n, k, 3, sizeof q->c, &q->c);
    for (cl_uint i = 0; st == CLR_OK && i < 9; i++) st = clr_gpu_arg(n, k, 4 + i, sizeof v[i], &v[i]);
    if (st == CLR_OK) st = clr_gpu_q_epi_args(n, k, 2, 13, e);
    size_t gws[3] = {(size_t)(q->n + 7) / 8, (size_t)(q->m + 3) / 4, (size_t)q->batches};
    if (st == CLR_OK && q->m && q->n && q->batches) st = clr_gpu_launch(n, k, "gemm_int8", 3, gws, NULL);
    return st;
}

clr_status clr_gpu_run_fc_int8(clr_gpu_node *n) {
    clr_node *node = &n->node;
    clr_tensor *x, *w, *y;
    clr_flat_shape s;
    clr_post post = {0};
    clr_status st = clr_node_require_in(node, "Input", &x);
    if (st == CLR_OK) st = clr_node_require_in(node, "W", &w);
    if (st == CLR_OK) st = clr_node_require_out(node, "Out", &y);
    if (st == CLR_OK) st = clr_gpu_require_s8(n, "Input", x);
    if (st == CLR_OK) st = clr_gpu_require_s8(n, "W", w);
    if (st == CLR_OK && clr_node_attr_bool(node, "padding_weights", false))
        st = clr_node_fail(node, CLR_ERR_UNSUPPORTED, "padding_weights");
    if (st == CLR_OK) st = clr_fc_shape_of(node, x, w, &s);
    if (st == CLR_OK) st = clr_post_fc_act(node, &post);
    if (st == CLR_OK) st = clr_post_bind(node, &post, "Bias", s.n, s.n);
    if (st != CLR_OK) return st;
    clr_gpu_q_epi e = {0};
    st = clr_post_int8(node, &post, "Input0_scale", "W0_scale", "Out0_scale");
    if (st == CLR_OK) st = clr_gpu_output(n, y, post.out_int8 ? CLR_DTYPE_INT8 : CLR_DTYPE_FP32, s.ndims, s.dims);
    if (st == CLR_OK) st = clr_gpu_q_epi_init(n, &post, CLR_GPU_Q_MUL_ADD, "", &e);
    q_gemm q = {clr_cl_mem(x), clr_cl_mem(w), clr_cl_mem(y), s.m, s.n, s.k, s.k, 1, s.n, 1, 0, 0, 1};
    if (st == CLR_OK) st = run_gemm(n, &q, &e);
    clr_gpu_q_epi_release(&e);
    clr_post_release(&post);
    return st;
}

clr_status clr_gpu_run_matmul_int8(clr_gpu_node *n, bool tx, bool ty, float alpha) {
    clr_node *node = &n->node;
    clr_tensor *x, *yv, *out;
    clr_matmul_shape s;
    clr_status st = clr_node_require_in(node, "X", &x);
    if (st == CLR_OK) st = clr_node_require_in(node, "Y", &yv);
    if (st == CLR_OK) st = clr_node_require_out(node, "Out", &out);
    if (st == CLR_OK) st = clr_gpu_require_s8(n, "X", x);
    if (st == CLR_OK) st = clr_gpu_require_s8(n, "Y", yv);
    if (st == CLR_OK) st = clr_matmul_shape_of(node, x, yv, tx, ty, &s);
    if (st == CLR_OK && s.nb > 1)
        st = clr_node_fail(node, CLR_ERR_UNSUPPORTED, "int8 matmul with %d batch dims", (int)s.nb);
    float sx = 0.0f;
    if (st == CLR_OK && clr_node_attr_floats(node, "X0_scale", &sx, 1) < 1)
        st = clr_node_fail(node, CLR_ERR_UNSUPPORTED, "int8 matmul without attribute 'X0_scale'");
    if (st != CLR_OK) return st;
    /* matmul_q_prepare's scales: Y0_scale (one, or one per column) * X0_scale * alpha. */
    clr_post post = {.channels = s.n, .acc_mul = 1};
    clr_act_from_name("", &post.act);
    post.scale = clr_malloc((size_t)(s.n > 0 ? s.n : 1) * sizeof *post.scale);
    if (!post.scale) return clr_node_fail(node, CLR_ERR_NOMEM, "out of memory for int8 matmul scales");
    int32_t ns = clr_node_attr_floats(node, "Y0_scale", post.scale, (int32_t)(s.n < INT32_MAX ? s.n : INT32_MAX));
    if (ns != 1 && ns != s.n)
        st = clr_node_fail(node, CLR_ERR_UNSUPPORTED, "attribute 'Y0_scale' has %d values", ns);
    for (int64_t j = s.n - 1; st == CLR_OK && j >= 0; j--)
        post.scale[j] = (ns == 1 ? post.scale[0] : post.scale[j]) * sx * alpha;
    clr_gpu_q_epi e = {0};
    if (st == CLR_OK) st = clr_gpu_output(n, out, CLR_DTYPE_FP32, s.ndims, s.dims);
    if (st == CLR_OK) st = clr_gpu_q_epi_init(n, &post, CLR_GPU_Q_SCALE, "", &e);
    q_gemm q = {clr_cl_mem(x), clr_cl_mem(yv), clr_cl_mem(out), s.m, s.n, s.k, s.tx ? 1 : s.k, s.tx ? s.m : 1,
                s.ty ? 1 : s.n, s.ty ? s.k : 1, s.nb ? s.xbs[0] : 0, s.nb ? s.ybs[0] : 0, s.batches};
    if (st == CLR_OK) st = run_gemm(n, &q, &e);
    clr_gpu_q_epi_release(&e);
    clr_post_release(&post);
    return st;
}
