/* clrun — the math kernel family table and the helpers its files share. */
#include "kernels/host/math_kernels.h"

#include "core/error.h"
#include "kernels/host/registry.h"
#include "kernels/host/tensor_common.h"

const clr_host_kernel clr_host_kernels_math[] = {
    {"elementwise_add", clr_mk_elementwise},
    {"elementwise_sub", clr_mk_elementwise},
    {"elementwise_mul", clr_mk_elementwise},
    {"elementwise_div", clr_mk_elementwise},
    {"elementwise_max", clr_mk_elementwise},
    {"elementwise_min", clr_mk_elementwise},
    {"elementwise_pow", clr_mk_elementwise},
    {"elementwise_mod", clr_mk_elementwise},
    {"elementwise_floordiv", clr_mk_elementwise},
    {"fusion_elementwise_add_activation", clr_mk_fusion_elementwise},
    {"fusion_elementwise_sub_activation", clr_mk_fusion_elementwise},
    {"fusion_elementwise_mul_activation", clr_mk_fusion_elementwise},
    {"fusion_elementwise_div_activation", clr_mk_fusion_elementwise},
    {"fusion_elementwise_max_activation", clr_mk_fusion_elementwise},
    {"fusion_elementwise_min_activation", clr_mk_fusion_elementwise},
    {"relu", clr_mk_activation},
    {"relu6", clr_mk_activation},
    {"leaky_relu", clr_mk_activation},
    {"sigmoid", clr_mk_activation},
    {"tanh", clr_mk_activation},
    {"exp", clr_mk_activation},
    {"abs", clr_mk_activation},
    {"sqrt", clr_mk_activation},
    {"rsqrt", clr_mk_activation},
    {"log", clr_mk_activation},
    {"square", clr_mk_activation},
    {"hard_sigmoid", clr_mk_activation},
    {"hard_swish", clr_mk_activation},
    {"swish", clr_mk_activation},
    {"silu", clr_mk_activation},
    {"gelu", clr_mk_activation},
    {"prelu", clr_mk_prelu},
    {"clip", clr_mk_clip},
    {"scale", clr_mk_scale},
    {"softmax", clr_mk_softmax},
    {"log_softmax", clr_mk_log_softmax},
    {"layer_norm", clr_mk_layer_norm},
    {"batch_norm", clr_mk_batch_norm},
    {"instance_norm", clr_mk_instance_norm},
    {"pool2d", clr_mk_pool2d},
    {"nearest_interp", clr_mk_interp},
    {"bilinear_interp", clr_mk_interp},
    {"nearest_interp_v2", clr_mk_interp},
    {"bilinear_interp_v2", clr_mk_interp},
    {"reduce_mean", clr_mk_reduce},
    {"reduce_sum", clr_mk_reduce},
    {"reduce_max", clr_mk_reduce},
    {"reduce_min", clr_mk_reduce},
    {"reduce_prod", clr_mk_reduce},
    {"mean", clr_mk_mean},
    {NULL, NULL},
};

clr_status mk_require_f32(const clr_node *n, const char *slot, const clr_tensor *t) {
    if (t->dtype == CLR_DTYPE_FP32) return CLR_OK;
    const char *name = clr_dtype_name(t->dtype);
    return clr_node_fail(n, CLR_ERR_UNSUPPORTED, "input '%s' is %s, expected FP32", slot, name ? name : "?");
}

clr_status mk_share_lod(const clr_node *n, clr_tensor *out, const clr_tensor *x) {
    clr_status st = clr_tensor_set_lod(out, x->nlod, x->lod, n->err);
    return st == CLR_OK ? st : clr_error_prefix(n->err, st, "op %d (%s)", n->index, n->op->type);
}

clr_status mk_f32_unary(const clr_node *n, const char *in_slot, const char *out_slot, clr_tensor **x,
                        clr_tensor **out) {
    clr_status st = tk_in_out(n, in_slot, out_slot, x, out);
    if (st == CLR_OK) st = mk_require_f32(n, in_slot, *x);
    if (st == CLR_OK) st = tk_resize(n, *out, CLR_DTYPE_FP32, (*x)->ndims, (*x)->dims);
    if (st == CLR_OK) st = mk_share_lod(n, *out, *x);
    return st;
}

clr_status mk_act_from_attrs(const clr_node *n, const char *name, clr_act *act) {
    if (!clr_act_from_name(name, act))
        return clr_node_fail(n, CLR_ERR_UNSUPPORTED, "unsupported activation '%s'", name);
    switch (act->kind) {
    case CLR_ACT_RELU6: act->threshold = clr_node_attr_float(n, "threshold", act->threshold); break;
    case CLR_ACT_LEAKY_RELU: act->alpha = clr_node_attr_float(n, "alpha", act->alpha); break;
    case CLR_ACT_HARD_SIGMOID:
        act->slope = clr_node_attr_float(n, "slope", act->slope);
        act->offset = clr_node_attr_float(n, "offset", act->offset);
        break;
    case CLR_ACT_HARD_SWISH:
        act->threshold = clr_node_attr_float(n, "threshold", act->threshold);
        act->scale = clr_node_attr_float(n, "scale", act->scale);
        act->offset = clr_node_attr_float(n, "offset", act->offset);
        break;
    case CLR_ACT_SWISH: act->beta = clr_node_attr_float(n, "beta", act->beta); break;
    case CLR_ACT_GELU: act->approximate = clr_node_attr_bool(n, "approximate", false); break;
    default: break;
    }
    return CLR_OK;
}
