/* clrun — GPU kernel helpers (see gpu_node.h). */
#include "kernels/opencl/gpu_node.h"

#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"
#include "kernels/opencl/gpu_lws.h"
#include "kernels/opencl/gpu_op_state.h"

clr_status clr_gpu_output(clr_gpu_node *n, clr_tensor *t, int32_t dtype, int32_t ndims, const int64_t *dims) {
    clr_status st = clr_tensor_set_shape(t, dtype, ndims, dims, n->node.err);
    if (st == CLR_OK) st = clr_cl_tensor_reserve(n->cl, t, n->node.err);
    return st == CLR_OK ? st : clr_error_prefix(n->node.err, st, "op %d (%s)", n->node.index, n->node.op->type);
}

static bool same(const char *a, const char *b) { return a == b || strcmp(a, b) == 0; }

static void instance_free(clr_gpu_instance *inst) {
    if (!inst) return;
    for (int32_t i = 0; i < inst->nsites; i++) clr_gpu_site_release(&inst->sites[i]);
    if (inst->kernel) clReleaseKernel(inst->kernel);
    free(inst->file);
    free(inst);
}

/* A new instance of (file, name, options), appended to the op's state. */
static clr_status instance_add(clr_gpu_node *n, const char *cl_file, const char *name, const char *options,
                               clr_gpu_instance **out) {
    clr_gpu_op_state *s = n->state;
    size_t lf = strlen(cl_file) + 1, ln = strlen(name) + 1, lo = strlen(options) + 1;
    clr_gpu_instance *inst = clr_calloc(1, sizeof *inst);
    clr_gpu_instance **grown = clr_realloc(s->inst, (size_t)(s->n + 1) * sizeof *grown);
    char *text = inst ? clr_malloc(lf + ln + lo) : NULL;
    if (grown) s->inst = grown;
    if (!inst || !grown || !text) {
        free(inst);
        free(text);
        return clr_error_set(n->node.err, CLR_ERR_NOMEM, "out of memory for kernel %s", name);
    }
    inst->file = memcpy(text, cl_file, lf);
    inst->name = memcpy(text + lf, name, ln);
    inst->options = memcpy(text + lf + ln, options, lo);
    clr_status st = clr_cl_kernel_create(n->cl, cl_file, name, options, &inst->kernel, n->node.err);
    size_t wg = 0, reqd[3] = {0, 0, 0};
    if (st == CLR_OK)
        st = clr_cl_check(n->node.err,
                          clGetKernelWorkGroupInfo(inst->kernel, n->cl->device, CL_KERNEL_WORK_GROUP_SIZE, sizeof wg,
                                                   &wg, NULL),
                          "clGetKernelWorkGroupInfo");
    if (st == CLR_OK)
        st = clr_cl_check(n->node.err,
                          clGetKernelWorkGroupInfo(inst->kernel, n->cl->device, CL_KERNEL_COMPILE_WORK_GROUP_SIZE,
                                                   sizeof reqd, reqd, NULL),
                          "clGetKernelWorkGroupInfo");
    if (st != CLR_OK) {
        instance_free(inst);
        return st;
    }
    size_t dev = n->cl->info.max_work_group_size;
    inst->max_wg = wg && wg < dev ? wg : dev;
    inst->fixed_wg = reqd[0] != 0;
    s->inst[s->n++] = inst;
    *out = inst;
    return CLR_OK;
}

clr_status clr_gpu_get_kernel(clr_gpu_node *n, const char *cl_file, const char *name, const char *options, cl_kernel *k) {
    clr_status st = CLR_OK;
    const char *opts = options ? options : "";
    if (!n->state) {
        st = clr_cl_kernel(n->cl, cl_file, name, opts, k, n->node.err);
    } else {
        clr_gpu_instance *inst = NULL;
        for (int32_t i = 0; i < n->state->n && !inst; i++) {
            clr_gpu_instance *c = n->state->inst[i];
            if (same(c->name, name) && same(c->options, opts) && same(c->file, cl_file)) inst = c;
        }
        if (!inst) st = instance_add(n, cl_file, name, opts, &inst);
        if (st == CLR_OK) *k = inst->kernel;
    }
    return st == CLR_OK ? st : clr_error_prefix(n->node.err, st, "op %d (%s)", n->node.index, n->node.op->type);
}

clr_gpu_instance *clr_gpu_op_state_instance(const clr_gpu_op_state *s, cl_kernel k) {
    for (int32_t i = 0; s && i < s->n; i++)
        if (s->inst[i]->kernel == k) return s->inst[i];
    return NULL;
}

void clr_gpu_op_state_release(clr_gpu_op_state *s) {
    for (int32_t i = 0; i < s->n; i++) instance_free(s->inst[i]);
    free(s->inst);
    s->inst = NULL;
    s->n = 0;
}

/* The instance's record of argument `index`, when it can hold this value. */
static clr_gpu_arg_value *arg_slot(const clr_gpu_node *n, cl_kernel k, cl_uint index, size_t size) {
    clr_gpu_instance *inst = index < CLR_GPU_ARG_SLOTS && size <= CLR_GPU_ARG_BYTES
                                 ? clr_gpu_op_state_instance(n->state, k) : NULL;
    return inst ? &inst->args[index] : NULL;
}

clr_status clr_gpu_arg(clr_gpu_node *n, cl_kernel k, cl_uint index, size_t size, const void *value) {
    clr_gpu_arg_value *a = arg_slot(n, k, index, size);
    bool local = value == NULL;
    if (a && a->set && a->size == size && a->local == local && (local || memcmp(a->bytes, value, size) == 0))
        return CLR_OK; /* the kernel object holds this value already */
    cl_int rc = clSetKernelArg(k, index, size, value);
    if (rc == CL_SUCCESS) {
        if (a) {
            *a = (clr_gpu_arg_value){.set = true, .local = local, .size = size};
            if (!local) memcpy(a->bytes, value, size);
        }
        return CLR_OK;
    }
    if (a) a->set = false;
    clr_cl_check(n->node.err, rc, "clSetKernelArg");
    return clr_error_prefix(n->node.err, CLR_ERR_OPENCL, "op %d (%s) argument %u", n->node.index, n->node.op->type,
                            index);
}

static clr_status record(clr_gpu_node *n, const char *name, cl_uint dims, const size_t *gws, const size_t *lws,
                         clr_lws_source source, cl_event ev) {
    clr_gpu_trace *t = n->trace;
    if (t->n == t->cap) {
        int32_t cap = t->cap ? t->cap * 2 : 256;
        clr_gpu_launch_record *r = clr_realloc(t->records, (size_t)cap * sizeof *r);
        if (!r) {
            clReleaseEvent(ev);
            return clr_error_set(n->node.err, CLR_ERR_NOMEM, "out of memory recording kernel launches");
        }
        t->records = r;
        t->cap = cap;
    }
    clr_gpu_launch_record *r = &t->records[t->n++];
    *r = (clr_gpu_launch_record){.op = n->node.index, .kernel = name, .dims = dims, .lws_source = source, .event = ev};
    for (cl_uint d = 0; d < dims && d < 3; d++) r->gws[d] = gws[d], r->lws[d] = lws ? lws[d] : 0;
    return CLR_OK;
}

/* clr_gpu_launch, and with `flexible` > 0 clr_gpu_launch_flexible. */
static clr_status launch(clr_gpu_node *n, cl_kernel k, const char *name, cl_uint dims, const size_t *gws,
                         const size_t *lws, size_t flexible) {
    size_t g[3];
    for (cl_uint d = 0; d < dims; d++) g[d] = gws[d] ? gws[d] : 1;
    clr_lws_source source = lws ? CLR_LWS_KERNEL : CLR_LWS_DRIVER;
    clr_gpu_site *site = NULL;
    clr_gpu_instance *inst = (!lws || flexible) && dims <= 3 ? clr_gpu_op_state_instance(n->state, k) : NULL;
    if (inst && !inst->fixed_wg) {
        clr_status st = clr_gpu_site_get(n, inst, dims, g, flexible, &site);
        if (st != CLR_OK) return st;
        lws = clr_gpu_site_lws(site);
        source = site->source;
    }
    for (cl_uint d = 0; d < dims; d++)
        if (lws && lws[d]) g[d] = (g[d] + lws[d] - 1) / lws[d] * lws[d];
    /* A measuring site times its first launch of each run. */
    bool measure = site && site->tuning && !site->tuning->pending;
    cl_event ev = NULL;
    cl_int rc = clEnqueueNDRangeKernel(n->cl->queue, k, dims, NULL, g, lws, 0, NULL, n->trace || measure ? &ev : NULL);
    if (rc != CL_SUCCESS) {
        clr_cl_check(n->node.err, rc, "clEnqueueNDRangeKernel");
        return clr_error_prefix(n->node.err, CLR_ERR_OPENCL, "op %d (%s) kernel %s", n->node.index, n->node.op->type,
                                name);
    }
    if (measure) {
        site->tuning->pending = ev;
        if (n->trace) clRetainEvent(ev); /* one reference each for the trace and the tuning */
    }
    return n->trace ? record(n, name, dims, g, lws, source, ev) : CLR_OK;
}

clr_status clr_gpu_launch(clr_gpu_node *n, cl_kernel k, const char *name, cl_uint dims, const size_t *gws,
                          const size_t *lws) {
    return launch(n, k, name, dims, gws, lws, 0);
}

clr_status clr_gpu_launch_flexible(clr_gpu_node *n, cl_kernel k, const char *name, size_t count, size_t lws) {
    return launch(n, k, name, 1, &count, &lws, lws);
}

void clr_gpu_trace_clear(clr_gpu_trace *trace) {
    for (int32_t i = 0; i < trace->n; i++)
        if (trace->records[i].event) clReleaseEvent(trace->records[i].event);
    trace->n = 0;
}
