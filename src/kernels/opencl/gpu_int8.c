/* clrun — what the OpenCL int8 launchers share (see gpu_int8.h). */
#include "kernels/opencl/gpu_int8.h"

#include <stdio.h>
#include <stdlib.h>

#include "core/alloc.h"
#include "core/error.h"

clr_status clr_gpu_q_epi_init(clr_gpu_node *n, const clr_post *p, clr_gpu_q_form form, const char *extra,
                              clr_gpu_q_epi *e) {
    e->sb = NULL;
    e->act = clr_cl_act_from(&p->act);
    /* clr_act_one's hard_swish multiplies by a reciprocal taken in double. */
    e->hs_recip = p->act.kind == CLR_ACT_HARD_SWISH ? (float)(1.0 / p->act.scale) : 1.0f;
    e->requant = p->requant;
    char q[128];
    snprintf(q, sizeof q, "-DQ_OUT=%d -DQ_EPI=%d -DQ_ACC_MUL=%d -DQ_REQUANT=%d %s", p->out_int8 ? 1 : 0, (int)form,
             (int)(p->acc_mul ? p->acc_mul : 1), p->requant != 0.0f ? 1 : 0, extra);
    clr_gpu_spec_options(e->options, sizeof e->options, &p->act, 0, q);
    size_t c = (size_t)(p->channels > 0 ? p->channels : 1);
    float *host = clr_malloc(2 * c * sizeof *host);
    if (!host) return clr_node_fail(&n->node, CLR_ERR_NOMEM, "out of memory for int8 scales");
    for (size_t i = 0; i < c; i++) {
        host[i] = (int64_t)i < p->channels ? p->scale[i] : 0.0f;
        host[c + i] = p->qbias && (int64_t)i < p->channels ? p->qbias[i] : 0.0f;
    }
    cl_int rc = CL_SUCCESS;
    e->sb = clCreateBuffer(n->cl->context, CL_MEM_READ_ONLY | CL_MEM_COPY_HOST_PTR, 2 * c * sizeof *host, host, &rc);
    free(host);
    if (rc == CL_SUCCESS) return CLR_OK;
    e->sb = NULL;
    clr_cl_check(n->node.err, rc, "clCreateBuffer(int8 scales)");
    return clr_error_prefix(n->node.err, CLR_ERR_OPENCL, "op %d (%s)", n->node.index, n->node.op->type);
}

clr_status clr_gpu_q_epi_args(clr_gpu_node *n, cl_kernel k, cl_uint sb_index, cl_uint act_index,
                              const clr_gpu_q_epi *e) {
    clr_status st = clr_gpu_arg(n, k, sb_index, sizeof e->sb, &e->sb);
    if (st == CLR_OK) st = clr_gpu_arg(n, k, act_index, sizeof e->act, &e->act);
    if (st == CLR_OK) st = clr_gpu_arg(n, k, act_index + 1, sizeof e->hs_recip, &e->hs_recip);
    if (st == CLR_OK) st = clr_gpu_arg(n, k, act_index + 2, sizeof e->requant, &e->requant);
    return st;
}

void clr_gpu_q_epi_release(clr_gpu_q_epi *e) {
    /* The queue keeps the buffer alive until the kernels using it are done. */
    if (e->sb) clReleaseMemObject(e->sb);
    e->sb = NULL;
}

bool clr_gpu_int8_declared(const clr_op *op, const clr_program *prog, const char *x, const char *w) {
    const clr_attr *a = clr_op_attr(op, "enable_int8");
    return (a && a->type == CLR_ATTR_BOOLEAN && a->v.b) || clr_gpu_declared_dtype(op, prog, x) == CLR_DTYPE_INT8 ||
           clr_gpu_declared_dtype(op, prog, w) == CLR_DTYPE_INT8;
}

/* The activations int8.cl computes as the host does: its own formulas and
 * those of common.h that follow the host bit for bit. */
static bool act_ok(const clr_act *a) {
    switch (a->kind) {
    case CLR_ACT_NONE: case CLR_ACT_RELU: case CLR_ACT_RELU6: case CLR_ACT_LEAKY_RELU: case CLR_ACT_HARD_SWISH:
    case CLR_ACT_HARD_SIGMOID: case CLR_ACT_SIGMOID: case CLR_ACT_TANH: case CLR_ACT_ABS:
        return true;
    default:
        return false;
    }
}

bool clr_gpu_int8_epilogue_ok(const clr_op *op, const clr_program *prog, bool fc_style, char *why, size_t why_size) {
    clr_post post = {0};
    clr_node node = {.op = op};
    clr_status st = fc_style ? clr_post_fc_act(&node, &post) : clr_post_conv_act(&node, &post);
    if (st != CLR_OK || post.prelu != CLR_PRELU_NONE || !act_ok(&post.act)) {
        snprintf(why, why_size, "fused activation of an int8 kernel");
        return false;
    }
    return clr_gpu_declared_f32(op, prog, "Bias", why, why_size);
}
