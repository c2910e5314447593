/* clrun tests — GPU vs host comparison of one op (see test_gpu.h). */
#include "test_gpu.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend/opencl/cl_tensor.h"
#include "kernels/host/registry.h"
#include "kernels/opencl/gpu_node.h"
#include "kernels/opencl/gpu_registry.h"

static clr_cl *device;

clr_cl *tg_device(void) {
    if (device) return device;
    clr_error err = {{0}};
    clr_cl_options opt = {.device = "gpu"};
    if (clr_cl_create(&opt, &device, &err) != CLR_OK) {
        fprintf(stderr, "no OpenCL device: %s\n", err.msg);
        device = NULL;
    }
    return device;
}

int tg_teardown(void **state) {
    (void)state;
    clr_cl_free(device);
    device = NULL;
    return 0;
}

static double compare(const clr_tensor *gpu, const clr_tensor *host) {
    if (gpu->ndims != host->ndims || memcmp(gpu->dims, host->dims, sizeof(int64_t) * (size_t)host->ndims) != 0)
        return INFINITY;
    if (host->dtype != CLR_DTYPE_FP32)
        return memcmp(gpu->data, host->data, clr_tensor_nbytes(host)) == 0 ? 0.0 : INFINITY;
    return tn_max_rel_diff(gpu, host);
}

clr_status tg_compare(clr_test_node *t, double *max_rel) {
    clr_cl *cl = tg_device();
    const clr_host_kernel *hk = clr_host_kernel_find(t->op.type);
    const clr_gpu_kernel *gk = clr_gpu_kernel_find(t->op.type);
    if (!cl || !hk || !gk) return CLR_ERR_UNSUPPORTED;
    clr_status st = hk->run(&t->node);
    if (st != CLR_OK) return st;
    /* Keep the host results, then give the outputs a clean slate. */
    clr_tensor host[TN_SLOTS][TN_ARGS];
    memset(host, 0, sizeof host);
    for (int32_t s = 0; s < t->op.noutputs; s++)
        for (int32_t a = 0; a < t->out[s].nargs; a++) clr_tensor_copy(&host[s][a], t->tout[s][a], NULL);
    for (int32_t s = 0; st == CLR_OK && s < t->op.ninputs; s++)
        for (int32_t a = 0; st == CLR_OK && a < t->in[s].nargs; a++)
            if (t->tin[s][a] && t->tin[s][a]->data) st = clr_cl_tensor_upload(cl, t->tin[s][a], &t->err);
    clr_gpu_node g = {.node = t->node, .cl = cl};
    if (st == CLR_OK) st = gk->run(&g);
    if (st == CLR_OK) clFinish(cl->queue);
    double worst = 0;
    for (int32_t s = 0; s < t->op.noutputs; s++)
        for (int32_t a = 0; a < t->out[s].nargs; a++) {
            if (st == CLR_OK && t->tout[s][a]->dev) st = clr_cl_tensor_download(cl, t->tout[s][a], &t->err);
            if (st == CLR_OK && t->tout[s][a]->dev) worst = fmax(worst, compare(t->tout[s][a], &host[s][a]));
            clr_tensor_release(&host[s][a]);
        }
    if (max_rel) *max_rel = worst;
    return st;
}

void tg_release(clr_test_node *t) {
    for (int32_t s = 0; s < t->op.ninputs; s++)
        for (int32_t a = 0; a < t->in[s].nargs; a++)
            if (t->tin[s][a]) clr_cl_tensor_release(t->tin[s][a]);
    for (int32_t s = 0; s < t->op.noutputs; s++)
        for (int32_t a = 0; a < t->out[s].nargs; a++)
            if (t->tout[s][a]) clr_cl_tensor_release(t->tout[s][a]);
}
