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

static bool alias_is(const clr_op *op, const char *alias) {
    return op->place.present && op->place.alias && strcmp(op->place.alias, alias) == 0;
}

/* The last op before ops[before] of block 0 that writes variable `name`
 * (opt reuses names), or NULL. */
static const clr_op *producer(const clr_block *b, int32_t before, const char *name) {
    for (int32_t i = before - 1; i >= 0; i--)
        for (int32_t s = 0; s < b->ops[i].noutputs; s++)
            for (int32_t a = 0; a < b->ops[i].outputs[s].nargs; a++)
                if (strcmp(b->ops[i].outputs[s].args[a], name) == 0) return &b->ops[i];
    return NULL;
}

/* The element type variable `name` has when ops[at] reads it. opt declares
 * the outputs of int8 kernels and of the float ops after them INT8 also
 * where they are FP32, so a declared INT8 is checked against what its
 * producer writes (the host kernels' rules): calib by its alias, an int8
 * conv or fc INT8 only as int8_out, a float kernel FP32, a kAny kernel
 * (reshape, concat, …) the type of its first input. */
static int32_t var_dtype(const clr_program *prog, int32_t at, const char *name, int depth) {
    const clr_block *b = &prog->blocks[0];
    const clr_param *p = clr_program_param(prog, name);
    const clr_var *v = clr_block_var(b, name);
    int32_t dtype = p ? p->dtype : v ? v->dtype : CLR_DTYPE_FP32;
    const clr_op *src = p || dtype != CLR_DTYPE_INT8 || depth > 64 ? NULL : producer(b, at, name);
    if (!src || !src->place.present) return dtype;
    if (strcmp(src->type, "calib") == 0 || strcmp(src->type, "calib_once") == 0)
        return alias_is(src, "fp32_to_int8") ? CLR_DTYPE_INT8 : alias_is(src, "int8_to_fp32") ? CLR_DTYPE_FP32 : dtype;
    if (src->place.precision == CLR_PRECISION_FLOAT) return CLR_DTYPE_FP32;
    if (src->place.precision == CLR_PRECISION_INT8)
        return alias_is(src, "int8_out") || alias_is(src, "int8out") ? CLR_DTYPE_INT8 : CLR_DTYPE_FP32;
    if (src->place.precision == CLR_PRECISION_ANY) {
        const clr_slot *x = clr_op_input(src, "X");
        if (!x || !x->nargs) x = clr_op_input(src, "Input");
        if (x && x->nargs) return var_dtype(prog, (int32_t)(src - b->ops), x->args[0], depth + 1);
    }
    return dtype;
}

int32_t clr_gpu_declared_dtype(const clr_op *op, const clr_program *prog, const char *param) {
    if (prog->format != CLR_FORMAT_META1 && prog->format != CLR_FORMAT_META2) return CLR_DTYPE_FP32;
    const clr_block *b = &prog->blocks[0];
    int32_t at = op >= b->ops && op < b->ops + b->nops ? (int32_t)(op - b->ops) : 0;
    const clr_slot *s = clr_op_input(op, param);
    for (int32_t a = 0; s && a < s->nargs; a++) {
        int32_t dtype = var_dtype(prog, at, s->args[a], 0);
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
    return clr_gpu_launch_flexible(n, k, name, count, 64);
}
