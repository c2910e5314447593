/* clrun — the executor's GPU steps: io_copy transfers, GPU ops, run-time
 * fallback to the host (see exec_internal.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "runtime/exec_internal.h"

static int32_t var_of(const clr_exec *e, const clr_tensor *t) {
    return t >= e->vars && t < e->vars + e->nvars ? (int32_t)(t - e->vars) : -1;
}

clr_status clr_exec_transfer(clr_exec *e, int32_t v, int where, bool once, clr_error *err) {
    clr_tensor *t = &e->vars[v];
    if (!e->where[v] || (e->where[v] & where)) return CLR_OK; /* nothing to move, or already there */
    if (once && t->dev && where == ON_DEVICE) {
        e->where[v] |= ON_DEVICE; /* a parameter uploaded on an earlier run */
        return CLR_OK;
    }
    clr_status st = where == ON_DEVICE ? clr_cl_tensor_upload(e->opt.cl, t, err)
                                       : clr_cl_tensor_download(e->opt.cl, t, err);
    if (st != CLR_OK) return clr_error_prefix(err, st, "io_copy of '%s'", e->table.names[v]);
    e->where[v] |= (unsigned char)where;
    e->stats.transfers++;
    e->stats.transfer_bytes += clr_tensor_nbytes(t);
    return CLR_OK;
}

clr_status clr_exec_inputs_to(clr_exec *e, const clr_node *n, int where, clr_error *err) {
    for (int32_t s = 0; s < n->ninputs; s++)
        for (int32_t a = 0; a < n->inputs[s].n; a++) {
            int32_t v = var_of(e, n->inputs[s].tensors[a]);
            if (v < 0 || !e->where[v] || (e->where[v] & where)) continue;
            clr_status st = clr_exec_transfer(e, v, where, false, err);
            if (st != CLR_OK) return st;
            e->stats.unplanned_transfers++;
        }
    return CLR_OK;
}

void clr_exec_outputs_at(clr_exec *e, const clr_node *n, int where) {
    for (int32_t s = 0; s < n->noutputs; s++)
        for (int32_t a = 0; a < n->outputs[s].n; a++) {
            int32_t v = var_of(e, n->outputs[s].tensors[a]);
            if (v >= 0) e->where[v] = (unsigned char)where;
        }
}

clr_status clr_exec_passthrough_device(clr_exec *e, int32_t i, clr_error *err) {
    clr_node *n = &e->nodes[i];
    clr_tensor *in = n->ninputs && n->inputs[0].n ? n->inputs[0].tensors[0] : NULL;
    clr_tensor *out = n->noutputs && n->outputs[0].n ? n->outputs[0].tensors[0] : NULL;
    if (!in || !out) return clr_error_set(err, CLR_ERR_FORMAT, "op %d (%s): needs one input and one output", i, n->op->type);
    if (in == out) return CLR_OK;
    /* The input is on the host when its producer fell back to the CPU. */
    clr_status st = clr_exec_inputs_to(e, n, ON_DEVICE, err);
    if (st == CLR_OK) st = clr_cl_tensor_copy(e->opt.cl, out, in, err);
    if (st == CLR_OK) clr_exec_outputs_at(e, n, ON_DEVICE);
    return st;
}

/* The host kernel instead of the GPU one: inputs come back to the host. */
static clr_status fall_back(clr_exec *e, int32_t i, clr_error *err) {
    clr_node *n = &e->nodes[i];
    if (e->stats.fallbacks++ == 0)
        snprintf(e->stats.fallback_reason, sizeof e->stats.fallback_reason, "op %d (%s): %.100s", i, n->op->type,
                 err->msg);
    if (e->opt.strict)
        return clr_error_prefix(err, CLR_ERR_UNSUPPORTED, "--strict: op %d (%s) would fall back to the CPU", i,
                                n->op->type);
    clr_status st = clr_exec_inputs_to(e, n, ON_HOST, err);
    if (st == CLR_OK) st = e->kernels[i]->run(n);
    if (st == CLR_OK) clr_exec_outputs_at(e, n, ON_HOST);
    return st;
}

clr_status clr_exec_run_gpu_op(clr_exec *e, int32_t i, clr_error *err) {
    clr_node *n = &e->nodes[i];
    clr_status st = clr_exec_inputs_to(e, n, ON_DEVICE, err);
    if (st != CLR_OK) return st;
    clr_gpu_node g = {.node = *n, .cl = e->opt.cl, .trace = e->opt.profiling ? &e->trace : NULL,
                      .state = &e->gpu_state[i]};
    st = e->gpu[i]->run(&g);
    if (st == CLR_ERR_UNSUPPORTED) return fall_back(e, i, err);
    if (st == CLR_OK) clr_exec_outputs_at(e, n, ON_DEVICE);
    return st;
}

clr_status clr_exec_tune_collect(clr_exec *e, bool *more, clr_error *err) {
    *more = false;
    if (!e->opt.cl || !e->opt.cl->tune) return CLR_OK;
    clr_status st = clr_cl_check(err, clFinish(e->opt.cl->queue), "clFinish (tuning)");
    if (st == CLR_OK) st = clr_gpu_tune_collect(e->opt.cl, e->gpu_state, e->nnodes, &e->tune, more, err);
    return st;
}

void clr_exec_free_gpu_state(clr_exec *e) {
    for (int32_t i = 0; e->gpu_state && i < e->nnodes; i++) clr_gpu_op_state_release(&e->gpu_state[i]);
    free(e->gpu_state);
}
