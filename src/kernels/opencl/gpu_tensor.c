/* clrun — the OpenCL tensor family table and the helpers its files share
 * (see gpu_tensor.h). */
#include "kernels/opencl/gpu_tensor.h"

#include <stdio.h>

#include "core/error.h"
#include "kernels/opencl/gpu_families.h"

bool gt_attrs_only(const clr_op *op, const char *const *slots, char *why, size_t why_size) {
    for (; *slots; slots++) {
        const clr_slot *s = clr_op_input(op, *slots);
        if (s && s->nargs > 0) {
            snprintf(why, why_size, "%s comes from a tensor (GPU kernels take it from attributes)", *slots);
            return false;
        }
    }
    return true;
}

clr_status gt_require_attrs_only(clr_gpu_node *n, const char *const *slots) {
    char why[128];
    if (gt_attrs_only(n->node.op, slots, why, sizeof why)) return CLR_OK;
    return clr_node_fail(&n->node, CLR_ERR_UNSUPPORTED, "%s", why);
}

clr_status gt_table(clr_gpu_node *n, const void *data, size_t bytes, cl_mem *m) {
    cl_int rc = CL_SUCCESS;
    *m = clCreateBuffer(n->cl->context, CL_MEM_READ_ONLY | CL_MEM_COPY_HOST_PTR, bytes, (void *)data, &rc);
    if (rc == CL_SUCCESS) return CLR_OK;
    *m = NULL;
    clr_cl_check(n->node.err, rc, "clCreateBuffer (kernel table)");
    return clr_error_prefix(n->node.err, CLR_ERR_OPENCL, "op %d (%s)", n->node.index, n->node.op->type);
}

static size_t pow2_at_least(int64_t v, size_t cap) {
    size_t p = 1;
    while (p < cap && (int64_t)p < v) p <<= 1;
    return p;
}

clr_status gt_launch_3d(clr_gpu_node *n, cl_kernel k, const char *name, int64_t d0, int64_t d1, int64_t d2) {
    if (d0 <= 0 || d1 <= 0 || d2 <= 0) return CLR_OK;
    /* Groups of up to 64 work-items; small planes (global pooling: 1x1)
     * fill them with neighbouring planes, so PoCL does not run one
     * work-group per plane. */
    size_t gws[3] = {(size_t)d0, (size_t)d1, (size_t)d2}, lws[3] = {pow2_at_least(d0, 64), 1, 1};
    lws[1] = pow2_at_least(d1, 64 / lws[0]);
    lws[2] = pow2_at_least(d2, 64 / (lws[0] * lws[1]));
    return clr_gpu_launch(n, k, name, 3, gws, lws);
}

/* Right-aligns up to 8 dims into the kernel's int8 arguments. */
static void pack8(int32_t rank, const int64_t *v, int64_t fill, cl_int *out) {
    for (int k = 0; k < 8; k++) out[k] = k < 8 - rank ? (cl_int)fill : (cl_int)v[k - (8 - rank)];
}

clr_status gt_view_copy(clr_gpu_node *n, cl_mem src, int64_t src_off, const int64_t *src_strides, cl_mem dst,
                        int64_t dst_off, const int64_t *dst_strides, int32_t rank, const int64_t *dims, size_t esize) {
    if (esize != 4 && esize != 8)
        return clr_node_fail(&n->node, CLR_ERR_UNSUPPORTED, "%zu-byte elements (the GPU copies 4 or 8)", esize);
    int64_t words = (int64_t)(esize / 4), d[CLR_MAX_DIMS + 1], ss[CLR_MAX_DIMS + 1], ds[CLR_MAX_DIMS + 1];
    int64_t count = 1;
    int32_t r = 0;
    /* Drop size-1 dims and merge each dim into the previous one where both
     * sides stay contiguous across them: fewer index steps per element. */
    for (int32_t i = 0; i < rank; i++) {
        count *= dims[i];
        if (dims[i] == 1) continue;
        if (r > 0 && ss[r - 1] == src_strides[i] * words * dims[i] && ds[r - 1] == dst_strides[i] * words * dims[i]) {
            d[r - 1] *= dims[i];
            ss[r - 1] = src_strides[i] * words;
            ds[r - 1] = dst_strides[i] * words;
            continue;
        }
        d[r] = dims[i], ss[r] = src_strides[i] * words, ds[r] = dst_strides[i] * words, r++;
    }
    if (count == 0) return CLR_OK;
    if (words == 2) { /* an 8-byte element is two words */
        if (r > 0 && ss[r - 1] == 1 && ds[r - 1] == 1) {
            d[r - 1] *= 2;
        } else {
            d[r] = 2, ss[r] = 1, ds[r] = 1, r++;
        }
    }
    count *= words;
    if (r > 8 || count >= (int64_t)1 << 31)
        return clr_node_fail(&n->node, CLR_ERR_UNSUPPORTED, "view too large or deep for the GPU copy");
    cl_uint so = (cl_uint)(src_off * words), doff = (cl_uint)(dst_off * words), cnt = (cl_uint)count;
    bool small = r <= 4;
    const char *name = small ? "view_copy4_u32" : "view_copy8_u32";
    cl_int d8[8], s8[8], t8[8];
    pack8(r, d, 1, d8);
    pack8(r, ss, 0, s8);
    pack8(r, ds, 0, t8);
    cl_kernel k = NULL;
    clr_status st = clr_gpu_get_kernel(n, "layout.cl", name, "", &k);
    if (st == CLR_OK) st = clr_gpu_arg(n, k, 0, sizeof src, &src);
    if (st == CLR_OK) st = clr_gpu_arg(n, k, 1, sizeof so, &so);
    if (st == CLR_OK) st = clr_gpu_arg(n, k, 2, sizeof dst, &dst);
    if (st == CLR_OK) st = clr_gpu_arg(n, k, 3, sizeof doff, &doff);
    if (small) { /* the last four of the packed eight: int4 arguments */
        if (st == CLR_OK) st = clr_gpu_arg(n, k, 4, 4 * sizeof(cl_int), d8 + 4);
        if (st == CLR_OK) st = clr_gpu_arg(n, k, 5, 4 * sizeof(cl_int), s8 + 4);
        if (st == CLR_OK) st = clr_gpu_arg(n, k, 6, 4 * sizeof(cl_int), t8 + 4);
        if (st == CLR_OK) st = gt_launch_3d(n, k, name, d8[7], d8[6], (int64_t)d8[4] * d8[5]);
        return st;
    }
    if (st == CLR_OK) st = clr_gpu_arg(n, k, 4, sizeof cnt, &cnt);
    if (st == CLR_OK) st = clr_gpu_arg(n, k, 5, sizeof d8, d8);
    if (st == CLR_OK) st = clr_gpu_arg(n, k, 6, sizeof s8, s8);
    if (st == CLR_OK) st = clr_gpu_arg(n, k, 7, sizeof t8, t8);
    if (st == CLR_OK) st = clr_gpu_launch_1d(n, k, name, (size_t)count);
    return st;
}

const clr_gpu_kernel clr_gpu_kernels_tensor[] = {
    {"pool2d", gt_supports_pool2d, gt_run_pool2d},
    {"nearest_interp", gt_supports_interp, gt_run_interp},
    {"bilinear_interp", gt_supports_interp, gt_run_interp},
    {"nearest_interp_v2", gt_supports_interp, gt_run_interp},
    {"bilinear_interp_v2", gt_supports_interp, gt_run_interp},
    {"softmax", gt_supports_softmax, gt_run_softmax},
    {"layer_norm", gt_supports_layer_norm, gt_run_layer_norm},
    {"batch_norm", gt_supports_batch_norm, gt_run_batch_norm},
    {"arg_max", gt_supports_arg_max, gt_run_arg_max},
    {"transpose", gt_supports_x, gt_run_transpose},
    {"transpose2", gt_supports_x, gt_run_transpose},
    {"shuffle_channel", gt_supports_x, gt_run_shuffle_channel},
    {"slice", gt_supports_slice, gt_run_slice},
    {"concat", gt_supports_concat, gt_run_concat},
    {"split", gt_supports_split, gt_run_split},
    {"pad2d", gt_supports_pad2d, gt_run_pad2d},
    {"reshape", gt_supports_reshape, gt_run_reshape},
    {"reshape2", gt_supports_reshape, gt_run_reshape},
    {"flatten", gt_supports_x, gt_run_flatten},
    {"flatten2", gt_supports_x, gt_run_flatten},
    {"flatten_contiguous_range", gt_supports_x, gt_run_flatten_contiguous_range},
    {"squeeze", gt_supports_x, gt_run_squeeze},
    {"squeeze2", gt_supports_x, gt_run_squeeze},
    {"unsqueeze", gt_supports_unsqueeze, gt_run_unsqueeze},
    {"unsqueeze2", gt_supports_unsqueeze, gt_run_unsqueeze},
    {"dropout", gt_supports_dropout, gt_run_dropout},
    {NULL, NULL, NULL},
};
