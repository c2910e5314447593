/* clrun — OpenCL calib / calib_once for the two scaled casts around int8
 * regions (fp32_to_int8, int8_to_fp32; calib.c has the arithmetic), and the
 * table of the int8 family. The other casts stay on the host. */
#include <stdio.h>
#include <string.h>

#include "kernels/opencl/gpu_families.h"
#include "kernels/opencl/gpu_int8.h"

static bool quantizes(const clr_op *op) {
    return op->place.present && op->place.alias && strcmp(op->place.alias, "fp32_to_int8") == 0;
}

static bool dequantizes(const clr_op *op) {
    return op->place.present && op->place.alias && strcmp(op->place.alias, "int8_to_fp32") == 0;
}

static bool supports_calib(const clr_op *op, const clr_program *prog, const clr_gpu_caps *caps, char *why,
                           size_t why_size) {
    (void)prog;
    (void)caps;
    if (quantizes(op) || dequantizes(op)) return true;
    snprintf(why, why_size, "calib kernel '%s'", op->place.present && op->place.alias ? op->place.alias : "");
    return false;
}

static clr_status run_calib(clr_gpu_node *n) {
    clr_node *node = &n->node;
    clr_tensor *x, *y;
    bool q = quantizes(node->op);
    clr_status st = clr_node_require_in(node, "Input", &x);
    if (st == CLR_OK) st = clr_node_require_out(node, "Out", &y);
    if (st == CLR_OK && !q && !dequantizes(node->op)) st = clr_node_fail(node, CLR_ERR_UNSUPPORTED, "calib kind");
    if (st == CLR_OK) st = q ? clr_gpu_require_f32(n, "Input", x) : clr_gpu_require_s8(n, "Input", x);
    float scale = clr_node_attr_float(node, "scale", 0.0f);
    /* The host reports a bad scale. */
    if (st == CLR_OK && !(scale > 0.0f)) st = clr_node_fail(node, CLR_ERR_UNSUPPORTED, "calib scale");
    if (st == CLR_OK) st = clr_gpu_output(n, y, q ? CLR_DTYPE_INT8 : CLR_DTYPE_FP32, x->ndims, x->dims);
    if (st == CLR_OK && x->nlod) st = clr_tensor_set_lod(y, x->nlod, x->lod, node->err);
    if (st != CLR_OK) return st;
    const char *name = q ? "quantize_s8" : "dequantize_s8";
    cl_float factor = q ? 1.0f / scale : scale; /* ARM multiplies by the reciprocal */
    cl_int count = (cl_int)clr_tensor_numel(x);
    cl_mem mx = clr_cl_mem(x), my = clr_cl_mem(y);
    cl_kernel k = NULL;
    st = clr_gpu_get_kernel(n, "int8.cl", name, "", &k);
    if (st == CLR_OK) st = clr_gpu_arg(n, k, 0, sizeof mx, &mx);
    if (st == CLR_OK) st = clr_gpu_arg(n, k, 1, sizeof my, &my);
    if (st == CLR_OK) st = clr_gpu_arg(n, k, 2, sizeof factor, &factor);
    if (st == CLR_OK) st = clr_gpu_arg(n, k, 3, sizeof count, &count);
    if (st == CLR_OK && count) st = clr_gpu_launch_1d(n, k, name, (size_t)count);
    return st;
}

const clr_gpu_kernel clr_gpu_kernels_int8[] = {
    {"calib", supports_calib, run_calib},
    {"calib_once", supports_calib, run_calib},
    {NULL, NULL, NULL},
};
