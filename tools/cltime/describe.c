/* cltime — step descriptions (see describe.h). */
#include "describe.h"

#include <stdio.h>
#include <string.h>

#include "kernels/opencl/gpu_node.h"
#include "runtime/flops.h"

/* Appends text to buf at *at, truncating when it is full. */
static void append(char *buf, size_t size, size_t *at, const char *text) {
    if (*at >= size) return;
    int n = snprintf(buf + *at, size - *at, "%s", text);
    *at += n > 0 ? (size_t)n : 0;
}

/* "[d,…],[d,…]" of the slots' tensors (data_only: parameters left out). */
static void append_shapes(char *buf, size_t size, size_t *at, const clr_node_slot *slots, int32_t n, bool data_only) {
    bool first = true;
    for (int32_t s = 0; s < n; s++)
        for (int32_t a = 0; a < slots[s].n; a++) {
            const clr_tensor *t = slots[s].tensors[a];
            if (!t || (data_only && t->borrowed)) continue;
            char dims[96];
            if (!first) append(buf, size, at, ",");
            append(buf, size, at, clr_tensor_shape_str(t, dims, sizeof dims));
            first = false;
        }
}

/* The tensor a transfer moved: the input of the op it feeds with that name. */
static const clr_tensor *transferred(const clr_node *n, const char *var) {
    for (int32_t s = 0; s < n->ninputs; s++)
        for (int32_t a = 0; a < n->inputs[s].n; a++)
            if (strcmp(n->op->inputs[s].args[a], var) == 0) return n->inputs[s].tensors[a];
    return NULL;
}

static bool is_passthrough(const char *type) {
    return strncmp(type, "io_copy", 7) == 0 || strncmp(type, "layout", 6) == 0;
}

/* Bytes of the slots' tensors, parameters included. */
static uint64_t slot_bytes(const clr_node_slot *slots, int32_t n) {
    uint64_t bytes = 0;
    for (int32_t s = 0; s < n; s++)
        for (int32_t a = 0; a < slots[s].n; a++)
            if (slots[s].tensors[a]) bytes += clr_tensor_nbytes(slots[s].tensors[a]);
    return bytes;
}

void cltime_describe_step(const clr_exec *exec, cltime_step *step) {
    const clr_node *n = clr_exec_node(exec, step->plan->op);
    size_t at = 0;
    step->shapes[0] = '\0';
    if (step->plan->kind == CLR_STEP_TRANSFER) {
        const clr_tensor *t = transferred(n, step->plan->var);
        if (t) clr_tensor_shape_str(t, step->shapes, sizeof step->shapes);
        return;
    }
    append_shapes(step->shapes, sizeof step->shapes, &at, n->inputs, n->ninputs, true);
    append(step->shapes, sizeof step->shapes, &at, "->");
    append_shapes(step->shapes, sizeof step->shapes, &at, n->outputs, n->noutputs, false);
    step->flops = clr_node_flops(n);
    step->mem_bytes = slot_bytes(n->inputs, n->ninputs) + slot_bytes(n->outputs, n->noutputs);
    /* A pass-through whose output is its input copies nothing (the executor's device copy skips it). */
    step->aliased = is_passthrough(step->type) && n->ninputs && n->noutputs && n->inputs[0].n && n->outputs[0].n &&
                    n->inputs[0].tensors[0] == n->outputs[0].tensors[0];
}

/* Kernel column and device of a step that launched no GPU kernel. */
static void describe_no_launch(cltime_step *s) {
    const clr_plan_step *p = s->plan;
    bool gpu = p->place == CLR_PLACE_GPU;
    const char *how = p->kind == CLR_STEP_TRANSFER ? (gpu ? "upload" : "download")
                      : !gpu                        ? "host"
                      : is_passthrough(s->type)     ? "device copy"
                                                    : "host (fallback)";
    snprintf(s->kernel, sizeof s->kernel, "%s", how);
    s->device = gpu && strcmp(how, "host (fallback)") != 0 ? "gpu" : "cpu";
}

static void add_launch(cltime_step *s, const clr_gpu_launch_record *rec) {
    if (s->launches++ == 0) {
        s->kernel[0] = '\0';
        s->dims = rec->dims;
        memcpy(s->gws, rec->gws, sizeof s->gws);
        memcpy(s->lws, rec->lws, sizeof s->lws);
        s->lws_tuned = rec->lws_source == CLR_LWS_TUNED;
        s->device = "gpu";
    }
    size_t len = strlen(s->kernel), klen = strlen(rec->kernel);
    const char *seen = strstr(s->kernel, rec->kernel); /* one name per kernel, however often launched */
    if (seen && (seen[klen] == '\0' || seen[klen] == '+')) return;
    snprintf(s->kernel + len, sizeof s->kernel - len, "%s%s", len ? "+" : "", rec->kernel);
}

void cltime_describe_kernels(const clr_exec *exec, cltime_result *r) {
    for (int32_t s = 0; s < r->nsteps; s++) {
        r->steps[s].launches = 0;
        describe_no_launch(&r->steps[s]);
    }
    const clr_gpu_trace *t = clr_exec_trace(exec);
    for (int32_t i = 0; i < t->n; i++) {
        int32_t s = r->op_step[t->records[i].op];
        if (s >= 0) add_launch(&r->steps[s], &t->records[i]);
    }
}
