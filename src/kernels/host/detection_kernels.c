/* clrun — the detection kernel family table. The kernels live in
 * prior_box.c, box_coder.c, nms.c, yolo_box.c and rnn.c. */
#include "kernels/host/detection.h"

#include <stdio.h>

#include "clrun/program.h"

const clr_host_kernel clr_host_kernels_detection[] = {
    {"prior_box", clr_k_prior_box},
    {"density_prior_box", clr_k_density_prior_box},
    {"box_coder", clr_k_box_coder},
    {"multiclass_nms", clr_k_multiclass_nms},
    {"multiclass_nms2", clr_k_multiclass_nms},
    {"multiclass_nms3", clr_k_multiclass_nms},
    {"yolo_box", clr_k_yolo_box},
    {"rnn", clr_k_rnn},
    {NULL, NULL},
};

clr_status clr_det_check_f32(const clr_node *n, const clr_tensor *t, const char *what, int32_t ndims) {
    if (t->dtype != CLR_DTYPE_FP32) {
        const char *name = clr_dtype_name(t->dtype);
        return clr_node_fail(n, CLR_ERR_UNSUPPORTED, "%s has type %s, expected FP32", what, name ? name : "?");
    }
    if (ndims >= 0 && t->ndims != ndims)
        return clr_node_fail(n, CLR_ERR_FORMAT, "%s has %d dims, expected %d", what, t->ndims, ndims);
    return CLR_OK;
}

clr_status clr_det_input_f32(const clr_node *n, const char *param, int32_t ndims, clr_tensor **t) {
    clr_status st = clr_node_require_in(n, param, t);
    if (st != CLR_OK) return st;
    char what[64];
    snprintf(what, sizeof what, "input '%s'", param);
    return clr_det_check_f32(n, *t, what, ndims);
}
