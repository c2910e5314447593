/* clrun — executor set-up and the run loop (see executor.h). */
#include "runtime/executor.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/alloc.h"
#include "core/error.h"
#include "backend/opencl/cl_tuning.h"
#include "runtime/exec_internal.h"

static int32_t var_index(const clr_exec *e, const char *name) { return clr_var_table_find(&e->table, name); }

static bool is_type(const clr_op *op, const char *type) { return strcmp(op->type, type) == 0; }

static bool is_passthrough(const clr_op *op) {
    return is_type(op, "io_copy") || is_type(op, "io_copy_once") || is_type(op, "layout") || is_type(op, "layout_once");
}

/* One tensor per variable name of block 0. */
static clr_status collect_vars(clr_exec *e, const clr_block *blk, clr_error *err) {
    clr_status st = clr_var_table_build(blk, e->arena, &e->table, err);
    if (st != CLR_OK) return st;
    e->nvars = e->table.n;
    size_t nv = (size_t)(e->nvars ? e->nvars : 1);
    e->vars = clr_calloc(nv, sizeof *e->vars);
    e->where = clr_arena_array(e->arena, nv, 1, 8);
    if (!e->vars || !e->where) return clr_error_set(err, CLR_ERR_NOMEM, "out of memory for %d variables", e->nvars);
    return CLR_OK;
}

static clr_status bind_slots(clr_exec *e, const clr_slot *slots, int32_t n, clr_node_slot **out, clr_error *err) {
    clr_node_slot *ns = clr_arena_array(e->arena, (size_t)(n ? n : 1), sizeof *ns, 8);
    if (!ns) return clr_error_set(err, CLR_ERR_NOMEM, "out of memory binding op slots");
    for (int32_t s = 0; s < n; s++) {
        ns[s].param = slots[s].param;
        ns[s].n = slots[s].nargs;
        ns[s].tensors = clr_arena_array(e->arena, (size_t)(slots[s].nargs ? slots[s].nargs : 1), sizeof(clr_tensor *), 8);
        if (!ns[s].tensors) return clr_error_set(err, CLR_ERR_NOMEM, "out of memory binding op slots");
        for (int32_t a = 0; a < slots[s].nargs; a++) ns[s].tensors[a] = &e->vars[var_index(e, slots[s].args[a])];
    }
    *out = ns;
    return CLR_OK;
}

static int cmp_col(const void *a, const void *b) {
    return ((const io_binding *)a)->col - ((const io_binding *)b)->col;
}

/* feed/fetch ops name the model's inputs and outputs; `col` orders them. */
static clr_status bind_io(clr_exec *e, const clr_block *blk, const char *type, io_binding **out, int32_t *count,
                          clr_tensor **tensors, clr_error *err) {
    int32_t n = 0;
    for (int32_t i = 0; i < blk->nops; i++) n += is_type(&blk->ops[i], type);
    io_binding *b = clr_arena_array(e->arena, (size_t)(n ? n : 1), sizeof *b, 8);
    *tensors = clr_calloc((size_t)(n ? n : 1), sizeof **tensors);
    if (!b || !*tensors) return clr_error_set(err, CLR_ERR_NOMEM, "out of memory binding %s ops", type);
    int32_t k = 0;
    bool is_feed = strcmp(type, "feed") == 0;
    for (int32_t i = 0; i < blk->nops; i++) {
        const clr_op *op = &blk->ops[i];
        if (!is_type(op, type)) continue;
        const clr_slot *s = is_feed ? clr_op_output(op, "Out") : clr_op_input(op, "X");
        if (!s || s->nargs != 1)
            return clr_error_set(err, CLR_ERR_FORMAT, "op %d (%s): needs exactly one %s variable", i, type,
                                 is_feed ? "Out" : "X");
        const clr_attr *col = clr_op_attr(op, "col");
        b[k].name = s->args[0];
        b[k].col = col && col->type == CLR_ATTR_INT ? col->v.i : k;
        b[k].var = var_index(e, s->args[0]);
        k++;
    }
    qsort(b, (size_t)n, sizeof *b, cmp_col);
    for (int32_t i = 1; i < n; i++)
        if (b[i].col == b[i - 1].col)
            return clr_error_set(err, CLR_ERR_FORMAT, "two %s ops use col %d ('%s' and '%s')", type, b[i].col,
                                 b[i - 1].name, b[i].name);
    *out = b;
    *count = n;
    return CLR_OK;
}

static clr_status bind_nodes(clr_exec *e, const clr_block *blk, clr_error *err) {
    e->nnodes = blk->nops;
    size_t nn = (size_t)(blk->nops ? blk->nops : 1);
    e->nodes = clr_arena_array(e->arena, nn, sizeof *e->nodes, 8);
    e->kernels = clr_arena_array(e->arena, nn, sizeof *e->kernels, 8);
    e->gpu = clr_arena_array(e->arena, nn, sizeof *e->gpu, 8);
    e->scratch = clr_calloc(nn, sizeof *e->scratch);
    e->gpu_state = clr_calloc(nn, sizeof *e->gpu_state);
    if (!e->nodes || !e->kernels || !e->gpu || !e->scratch || !e->gpu_state) return clr_error_set(err, CLR_ERR_NOMEM, "out of memory");
    for (int32_t i = 0; i < blk->nops; i++) {
        const clr_op *op = &blk->ops[i];
        clr_node *n = &e->nodes[i];
        *n = (clr_node){.op = op, .index = i, .ninputs = op->ninputs, .noutputs = op->noutputs, .pool = e->opt.pool};
        clr_status st = bind_slots(e, op->inputs, op->ninputs, &n->inputs, err);
        if (st == CLR_OK) st = bind_slots(e, op->outputs, op->noutputs, &n->outputs, err);
        if (st != CLR_OK) return st;
        if (is_type(op, "feed") || is_type(op, "fetch")) continue;
        /* Every op needs a host kernel: it is the fallback of the GPU one. */
        e->kernels[i] = clr_host_kernel_find(op->type);
        if (!e->kernels[i])
            return clr_error_set(err, CLR_ERR_UNSUPPORTED, "op %d (%s): clrun has no kernel for this op type", i,
                                 op->type);
    }
    return CLR_OK;
}

/* Parameters are borrowed, never copied: run contexts share the weights. */
static clr_status bind_params(clr_exec *e, clr_error *err) {
    for (int32_t p = 0; p < e->prog->nparams; p++) {
        const clr_param *param = &e->prog->params[p];
        int32_t v = var_index(e, param->name);
        if (v < 0) continue; /* stored but used by no op */
        if (param->ndims > CLR_MAX_DIMS)
            return clr_error_set(err, CLR_ERR_UNSUPPORTED, "parameter '%s' has %d dims (at most %d)", param->name,
                                 param->ndims, CLR_MAX_DIMS);
        clr_tensor_borrow(&e->vars[v], param->dtype, param->ndims, param->dims, param->data);
        e->where[v] = ON_HOST;
    }
    return CLR_OK;
}

/* The scheduler's plan, and the GPU kernel of each op it puts on the GPU. */
static clr_status make_plan(clr_exec *e, clr_error *err) {
    clr_gpu_caps caps = {.available = false};
    if (e->opt.cl) {
        const clr_cl_device_info *d = &e->opt.cl->info;
        caps = (clr_gpu_caps){.available = true, .name = d->name, .fp16 = false,
                              .prefer_image = e->opt.cl->profile.storage == CLR_STORAGE_IMAGE,
                              .image_max_w = d->image2d_max_width, .image_max_h = d->image2d_max_height,
                              .max_alloc = (size_t)d->max_alloc_size};
    }
    clr_status st = clr_plan_build(e->prog, &caps, e->opt.placement, &e->plan, err);
    if (st != CLR_OK) return st;
    e->step_var = clr_arena_array(e->arena, (size_t)(e->plan->nsteps ? e->plan->nsteps : 1), sizeof *e->step_var, 8);
    if (!e->step_var) return clr_error_set(err, CLR_ERR_NOMEM, "out of memory");
    for (int32_t s = 0; s < e->plan->nsteps; s++) {
        const clr_plan_step *step = &e->plan->steps[s];
        e->step_var[s] = step->kind == CLR_STEP_TRANSFER ? var_index(e, step->var) : -1;
        if (step->kind == CLR_STEP_OP && step->place == CLR_PLACE_GPU && !is_passthrough(&e->nodes[step->op].op[0]))
            e->gpu[step->op] = clr_gpu_kernel_find(e->nodes[step->op].op->type);
    }
    e->stats.ops_gpu = e->plan->ops_gpu;
    e->stats.ops_host = e->plan->ops_host;
    return CLR_OK;
}

clr_status clr_exec_create(const clr_program *prog, const clr_exec_options *opt, clr_exec **out, clr_error *err) {
    if (!prog || !out) return clr_error_set(err, CLR_ERR_ARG, "clr_exec_create: NULL argument");
    clr_exec *e = clr_calloc(1, sizeof *e);
    if (!e) return clr_error_set(err, CLR_ERR_NOMEM, "out of memory");
    e->prog = prog;
    if (opt) e->opt = *opt;
    e->arena = clr_arena_create();
    clr_status st = e->arena ? CLR_OK : clr_error_set(err, CLR_ERR_NOMEM, "out of memory");
    const clr_block *blk = &prog->blocks[0];
    if (st == CLR_OK) st = collect_vars(e, blk, err);
    if (st == CLR_OK) st = bind_nodes(e, blk, err);
    if (st == CLR_OK) st = bind_params(e, err);
    if (st == CLR_OK) st = clr_exec_plan_memory(e, err);
    if (st == CLR_OK) st = bind_io(e, blk, "feed", &e->in_bind, &e->ninputs, &e->inputs, err);
    if (st == CLR_OK) st = bind_io(e, blk, "fetch", &e->out_bind, &e->noutputs, &e->outputs, err);
    if (st == CLR_OK) st = make_plan(e, err);
    if (st != CLR_OK) {
        clr_exec_free(e);
        return st;
    }
    *out = e;
    return CLR_OK;
}

static void release_all(clr_tensor *t, int32_t n) {
    for (int32_t i = 0; t && i < n; i++) {
        clr_cl_tensor_release(&t[i]);
        clr_tensor_release(&t[i]);
    }
    free(t);
}

void clr_exec_free(clr_exec *e) {
    if (!e) return;
    for (int32_t i = 0; e->nodes && i < e->nnodes; i++)
        if (e->nodes[i].cache_free) e->nodes[i].cache_free(e->nodes[i].cache);
    clr_exec_free_pool(e);
    release_all(e->vars, e->nvars);
    release_all(e->scratch, e->nnodes);
    release_all(e->inputs, e->ninputs);
    release_all(e->outputs, e->noutputs);
    clr_gpu_trace_clear(&e->trace);
    free(e->trace.records);
    clr_exec_free_gpu_state(e); /* before the session releases the device */
    clr_plan_free(e->plan);
    clr_arena_free(e->arena);
    free(e);
}

int32_t clr_exec_num_inputs(const clr_exec *e) { return e->ninputs; }
int32_t clr_exec_num_outputs(const clr_exec *e) { return e->noutputs; }
const char *clr_exec_input_name(const clr_exec *e, int32_t i) { return i >= 0 && i < e->ninputs ? e->in_bind[i].name : NULL; }
const char *clr_exec_output_name(const clr_exec *e, int32_t i) { return i >= 0 && i < e->noutputs ? e->out_bind[i].name : NULL; }
clr_tensor *clr_exec_input(clr_exec *e, int32_t i) { return i >= 0 && i < e->ninputs ? &e->inputs[i] : NULL; }
const clr_tensor *clr_exec_output(const clr_exec *e, int32_t i) { return i >= 0 && i < e->noutputs ? &e->outputs[i] : NULL; }
const clr_plan *clr_exec_plan(const clr_exec *e) { return e->plan; }
const clr_exec_stats *clr_exec_last_stats(const clr_exec *e) { return &e->stats; }
const clr_node *clr_exec_node(const clr_exec *e, int32_t op) { return op >= 0 && op < e->nnodes ? &e->nodes[op] : NULL; }
const clr_gpu_trace *clr_exec_trace(const clr_exec *e) { return &e->trace; }
const clr_gpu_tune_summary *clr_exec_tune_summary(const clr_exec *e) { return &e->tune; }
int32_t clr_exec_tuned_launches(const clr_exec *e) { return clr_gpu_count_tuned(e->gpu_state, e->nnodes); }

const clr_var *clr_exec_input_decl(const clr_exec *e, int32_t i) {
    return i >= 0 && i < e->ninputs ? clr_block_var(&e->prog->blocks[0], e->in_bind[i].name) : NULL;
}

int32_t clr_exec_find_input(const clr_exec *e, const char *name) {
    for (int32_t i = 0; i < e->ninputs; i++)
        if (strcmp(e->in_bind[i].name, name) == 0) return i;
    return -1;
}

void clr_exec_set_observer(clr_exec *e, clr_exec_observer fn, void *user) {
    e->observer = fn;
    e->observer_user = user;
}

static int32_t binding_for(const io_binding *b, int32_t n, const char *name) {
    for (int32_t i = 0; i < n; i++)
        if (strcmp(b[i].name, name) == 0) return i;
    return -1;
}

/* The first output slot entry of node n that is also one of its inputs. */
static clr_tensor **aliased_output(clr_node *n) {
    for (int32_t o = 0; o < n->noutputs; o++)
        for (int32_t a = 0; a < n->outputs[o].n; a++)
            for (int32_t k = 0; k < n->ninputs; k++)
                for (int32_t b = 0; b < n->inputs[k].n; b++)
                    if (n->outputs[o].tensors[a] == n->inputs[k].tensors[b]) return &n->outputs[o].tensors[a];
    return NULL;
}

/* Runs op i on `place`. An op that writes a variable it also reads gets a
 * scratch tensor as that output, swapped into the variable afterwards, so
 * kernels never see aliased inputs and outputs. */
static clr_status run_op(clr_exec *e, int32_t i, clr_place place, clr_error *err) {
    clr_node *n = &e->nodes[i];
    const clr_op *op = n->op;
    if (is_type(op, "feed")) {
        int32_t k = binding_for(e->in_bind, e->ninputs, clr_op_output(op, "Out")->args[0]);
        clr_exec_acquire_outputs(e, n);
        clr_status st = clr_tensor_copy(&e->vars[e->in_bind[k].var], &e->inputs[k], err);
        e->where[e->in_bind[k].var] = ON_HOST;
        return st;
    }
    if (is_type(op, "fetch")) {
        int32_t k = binding_for(e->out_bind, e->noutputs, clr_op_input(op, "X")->args[0]);
        clr_status st = clr_exec_inputs_to(e, n, ON_HOST, err);
        return st == CLR_OK ? clr_tensor_copy(&e->outputs[k], &e->vars[e->out_bind[k].var], err) : st;
    }
    clr_tensor **slot = aliased_output(n), *var = slot ? *slot : NULL;
    if (slot) *slot = &e->scratch[i];
    clr_status st;
    if (place == CLR_PLACE_GPU && is_passthrough(op)) {
        st = clr_exec_passthrough_device(e, i, err);
    } else if (place == CLR_PLACE_GPU) {
        st = clr_exec_run_gpu_op(e, i, err);
    } else {
        clr_exec_acquire_outputs(e, n);
        st = clr_exec_inputs_to(e, n, ON_HOST, err);
        if (st == CLR_OK) st = e->kernels[i]->run(n);
        if (st == CLR_OK) clr_exec_outputs_at(e, n, ON_HOST);
    }
    if (slot) {
        *slot = var;
        if (st == CLR_OK) {
            clr_tensor tmp = *var;
            *var = e->scratch[i];
            e->scratch[i] = tmp; /* keeps the old buffers for the next run */
        }
    }
    return st;
}

static double now_seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static clr_status run_steps(clr_exec *e, clr_error *err) {
    e->stats.fallbacks = e->stats.transfers = e->stats.unplanned_transfers = 0;
    e->stats.transfer_bytes = 0;
    e->stats.fallback_reason[0] = '\0';
    clr_gpu_trace_clear(&e->trace);
    int32_t cursor = 0;
    for (int32_t s = 0; s < e->plan->nsteps; s++) {
        const clr_plan_step *step = &e->plan->steps[s];
        double t0 = e->observer ? now_seconds() : 0;
        clr_status st;
        if (step->kind == CLR_STEP_TRANSFER) {
            st = clr_exec_transfer(e, e->step_var[s], step->place == CLR_PLACE_GPU ? ON_DEVICE : ON_HOST,
                                   step->once, err);
        } else {
            e->nodes[step->op].err = err;
            st = run_op(e, step->op, step->place, err);
            if (st == CLR_OK && e->dump_index) st = clr_exec_dump_op(e, step->op, err);
            if (st == CLR_OK) clr_exec_release_dead(e, step->op, &cursor);
        }
        if (st != CLR_OK) return st;
        if (e->observer) {
            if (e->opt.cl) clFinish(e->opt.cl->queue); /* per-step host time includes the device work */
            e->observer(e->observer_user, s, now_seconds() - t0);
        }
    }
    return CLR_OK;
}

/* One pass over the plan, writing the op dump when one is asked for. */
static clr_status run_once(clr_exec *e, clr_error *err) {
    if (!e->dump_dir) return run_steps(e, err);
    clr_status st = clr_exec_dump_begin(e, err);
    if (st != CLR_OK) return st;
    st = run_steps(e, err);
    /* The index is closed after a failure too: it then lists the ops up to it. */
    clr_error close_err = {{0}};
    clr_status cst = clr_exec_dump_end(e, &close_err);
    if (st != CLR_OK || cst == CLR_OK) return st;
    if (err) *err = close_err;
    return cst;
}

/* In a tuning session the run repeats while launches are still measured
 * (each repetition a whole normal run: the last one's outputs and dump
 * stay), then the winners are saved. */
clr_status clr_exec_run(clr_exec *e, clr_error *err) {
    for (int32_t i = 0; i < e->ninputs; i++)
        if (!e->inputs[i].data)
            return clr_error_set(err, CLR_ERR_ARG, "input %d ('%s') has not been set", i, e->in_bind[i].name);
    bool more = true;
    clr_status st = CLR_OK;
    while (st == CLR_OK && more) {
        st = run_once(e, err);
        if (st == CLR_OK) st = clr_exec_tune_collect(e, &more, err);
    }
    if (st == CLR_OK && e->opt.cl && e->opt.cl->tune) {
        char why[512];
        clr_cl_tuning_save(e->opt.cl->tuning, why, sizeof why); /* a failure is kept as the table's warning */
    }
    return st;
}
