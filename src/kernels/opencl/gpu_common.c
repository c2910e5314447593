/* clrun — shared helpers of the OpenCL kernel families (see gpu_common.h). */
#include "kernels/opencl/gpu_common.h"

#include <stdio.h>
#include <string.h>

clr_cl_act clr_cl_act_from(const clr_act *a) {
    return (clr_cl_act){.kind = (cl_int)a->kind, .threshold = a->threshold, .alpha = a->alpha, .slope = a->slope,
                        .offset = a->offset, .scale = a->scale, .beta = a->beta, .approximate = a->approximate};
}

void clr_gpu_spec_options(char *buf, size_t size, const clr_act *act, int fuse, const char *extra) {
    snprintf(buf, size, "-DCLR_ACT_KIND=%d -DCLR_FUSE_OP=%d %s", (int)act->kind, fuse, extra);
}

int32_t clr_gpu_declared_dtype(const clr_op *op, const clr_program *prog, const char *param) {
    if (prog->format != CLR_FORMAT_META1 && prog->format != CLR_FORMAT_META2) return CLR_DTYPE_FP32;
    const clr_slot *s = clr_op_input(op, param);
    for (int32_t a = 0; s && a < s->nargs; a++) {
        const clr_param *p = clr_program_param(prog, s->args[a]);
        const clr_var *v = clr_block_var(&prog->blocks[0], s->args[a]);
        int32_t dtype = p ? p->dtype : v ? v->dtype : CLR_DTYPE_FP32;
        if (dtype != CLR_DTYPE_FP32) return dtype;
    }
    return CLR_DTYPE_FP32;
}

bool clr_gpu_declared_f32(const clr_op *op, const clr_program *prog, const char *param, char *why, size_t why_size) {
    int32_t dtype = clr_gpu_declared_dtype(op, prog, param);
    if (dtype == CLR_DTYPE_FP32) return true;
    const char *name = clr_dtype_name(dtype);
    snprintf(why, why_size, "input %s is %s (GPU kernels take FP32)", param, name ? name : "not FP32");
    return false;
}

clr_status clr_gpu_require_f32(clr_gpu_node *n, const char *what, const clr_tensor *t) {
    return clr_gpu_require_dtype(n, what, t, CLR_DTYPE_FP32);
}

clr_status clr_gpu_require_dtype(clr_gpu_node *n, const char *what, const clr_tensor *t, int32_t dtype) {
    if (t->dtype != dtype)
        return clr_node_fail(&n->node, CLR_ERR_UNSUPPORTED, "%s is %s; the GPU kernel takes %s", what,
                             clr_dtype_name(t->dtype) ? clr_dtype_name(t->dtype) : "?",
                             clr_dtype_name(dtype) ? clr_dtype_name(dtype) : "?");
    if (clr_tensor_numel(t) >= (int64_t)1 << 31)
        return clr_node_fail(&n->node, CLR_ERR_UNSUPPORTED, "%s has 2^31 or more elements", what);
    return CLR_OK;
}

clr_status clr_gpu_launch_1d(clr_gpu_node *n, cl_kernel k, const char *name, size_t count) {
    size_t lws = 64;
    return clr_gpu_launch(n, k, name, 1, &count, &lws);
}
