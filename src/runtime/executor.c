/* clrun — host executor (see executor.h). */
#include "runtime/executor.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/alloc.h"
#include "core/arena.h"
#include "core/error.h"
#include "graph/var_table.h"
#include "kernels/host/registry.h"
#include "runtime/node.h"

typedef struct io_binding {
    const char *name;
    int32_t col;
    int32_t var; /* index into exec->vars */
} io_binding;

/* A buffer whose value is dead, kept for the next tensor that needs one. */
typedef struct pooled {
    void *data;
    size_t capacity;
} pooled;

struct clr_exec {
    const clr_program *prog;
    clr_arena *arena;
    clr_var_table table;
    int32_t nvars;
    clr_tensor *vars; /* one per table entry */
    int32_t nnodes;
    clr_node *nodes;
    const clr_host_kernel **kernels; /* NULL for feed/fetch */
    clr_tensor *scratch;              /* per node: output stand-in when an op writes what it reads */
    int32_t ninputs, noutputs;
    io_binding *in_bind, *out_bind;
    clr_tensor *inputs, *outputs;
    clr_exec_observer observer;
    void *observer_user;
    /* Memory plan: a variable's buffer goes to the pool right after its last
     * use in block 0 and is handed to a later output that fits; the sizes
     * seen in the previous run guide the choice. */
    int32_t *release_order; /* variable indices sorted by last use */
    int32_t *last_use;      /* per variable: last op index that touches it, -1 if none */
    size_t *last_bytes;     /* per variable: capacity it had when released */
    pooled *pool;
    int32_t npool;
};

static int32_t var_index(const clr_exec *e, const char *name) { return clr_var_table_find(&e->table, name); }

/* One tensor per variable name of block 0. */
static clr_status collect_vars(clr_exec *e, const clr_block *blk, clr_error *err) {
    clr_status st = clr_var_table_build(blk, e->arena, &e->table, err);
    if (st != CLR_OK) return st;
    e->nvars = e->table.n;
    e->vars = clr_calloc((size_t)(e->nvars ? e->nvars : 1), sizeof *e->vars);
    if (!e->vars) return clr_error_set(err, CLR_ERR_NOMEM, "out of memory for %d variables", e->nvars);
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
    for (int32_t i = 0; i < blk->nops; i++) n += strcmp(blk->ops[i].type, type) == 0;
    io_binding *b = clr_arena_array(e->arena, (size_t)(n ? n : 1), sizeof *b, 8);
    *tensors = clr_calloc((size_t)(n ? n : 1), sizeof **tensors);
    if (!b || !*tensors) return clr_error_set(err, CLR_ERR_NOMEM, "out of memory binding %s ops", type);
    int32_t k = 0;
    bool is_feed = strcmp(type, "feed") == 0;
    for (int32_t i = 0; i < blk->nops; i++) {
        const clr_op *op = &blk->ops[i];
        if (strcmp(op->type, type) != 0) continue;
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

static void note_use(clr_exec *e, const clr_node_slot *slots, int32_t n, int32_t op) {
    for (int32_t s = 0; s < n; s++)
        for (int32_t a = 0; a < slots[s].n; a++) e->last_use[slots[s].tensors[a] - e->vars] = op;
}

static clr_status plan_memory(clr_exec *e, clr_error *err) {
    size_t nv = (size_t)(e->nvars ? e->nvars : 1);
    e->last_use = clr_arena_array(e->arena, nv, sizeof *e->last_use, 8);
    e->release_order = clr_arena_array(e->arena, nv, sizeof *e->release_order, 8);
    int32_t *start = clr_arena_array(e->arena, (size_t)e->nnodes + 2, sizeof *start, 8);
    e->last_bytes = clr_arena_array(e->arena, nv, sizeof *e->last_bytes, 8);
    e->pool = clr_arena_array(e->arena, nv, sizeof *e->pool, 8);
    if (!e->last_use || !e->release_order || !start || !e->last_bytes || !e->pool)
        return clr_error_set(err, CLR_ERR_NOMEM, "out of memory planning buffers");
    for (int32_t v = 0; v < e->nvars; v++) e->last_use[v] = -1;
    for (int32_t i = 0; i < e->nnodes; i++) {
        note_use(e, e->nodes[i].inputs, e->nodes[i].ninputs, i);
        note_use(e, e->nodes[i].outputs, e->nodes[i].noutputs, i);
    }
    /* Counting sort by last use (bucket 0 holds the unused, last_use -1). */
    for (int32_t v = 0; v < e->nvars; v++) start[e->last_use[v] + 2]++;
    for (int32_t k = 1; k < e->nnodes + 2; k++) start[k] += start[k - 1];
    for (int32_t v = 0; v < e->nvars; v++) e->release_order[start[e->last_use[v] + 1]++] = v;
    return CLR_OK;
}

/* Gives each output without memory the smallest pooled buffer that held its
 * value last run. */
static void acquire_outputs(clr_exec *e, const clr_node *n) {
    for (int32_t s = 0; s < n->noutputs; s++)
        for (int32_t a = 0; a < n->outputs[s].n; a++) {
            clr_tensor *t = n->outputs[s].tensors[a];
            if (t < e->vars || t >= e->vars + e->nvars || t->data || t->borrowed) continue;
            size_t want = e->last_bytes[t - e->vars];
            int32_t best = -1;
            for (int32_t k = 0; k < e->npool; k++)
                if (e->pool[k].capacity >= want && (best < 0 || e->pool[k].capacity < e->pool[best].capacity)) best = k;
            if (best < 0 || want == 0) continue;
            t->data = e->pool[best].data;
            t->capacity = e->pool[best].capacity;
            e->pool[best] = e->pool[--e->npool];
        }
}

/* Moves the buffers of variables whose last use was op i into the pool;
 * *cursor walks release_order. */
static void release_dead(clr_exec *e, int32_t i, int32_t *cursor) {
    while (*cursor < e->nvars && e->last_use[e->release_order[*cursor]] <= i) {
        int32_t v = e->release_order[(*cursor)++];
        clr_tensor *t = &e->vars[v];
        if (e->last_use[v] < 0 || t->borrowed || !t->data) continue;
        e->last_bytes[v] = t->capacity;
        e->pool[e->npool++] = (pooled){t->data, t->capacity};
        t->data = NULL;
        t->capacity = 0;
        clr_tensor_set_lod(t, 0, NULL, NULL);
    }
}

clr_status clr_exec_create(const clr_program *prog, clr_exec **out, clr_error *err) {
    if (!prog || !out) return clr_error_set(err, CLR_ERR_ARG, "clr_exec_create: NULL argument");
    clr_exec *e = clr_calloc(1, sizeof *e);
    if (!e) return clr_error_set(err, CLR_ERR_NOMEM, "out of memory");
    e->prog = prog;
    e->arena = clr_arena_create();
    clr_status st = e->arena ? CLR_OK : clr_error_set(err, CLR_ERR_NOMEM, "out of memory");
    const clr_block *blk = &prog->blocks[0];
    if (st == CLR_OK) st = collect_vars(e, blk, err);
    if (st == CLR_OK) {
        e->nnodes = blk->nops;
        size_t nn = (size_t)(blk->nops ? blk->nops : 1);
        e->nodes = clr_arena_array(e->arena, nn, sizeof *e->nodes, 8);
        e->kernels = clr_arena_array(e->arena, nn, sizeof *e->kernels, 8);
        e->scratch = clr_calloc(nn, sizeof *e->scratch);
        if (!e->nodes || !e->kernels || !e->scratch) st = clr_error_set(err, CLR_ERR_NOMEM, "out of memory");
    }
    for (int32_t i = 0; st == CLR_OK && i < blk->nops; i++) {
        const clr_op *op = &blk->ops[i];
        clr_node *n = &e->nodes[i];
        n->op = op;
        n->index = i;
        n->ninputs = op->ninputs;
        n->noutputs = op->noutputs;
        st = bind_slots(e, op->inputs, op->ninputs, &n->inputs, err);
        if (st == CLR_OK) st = bind_slots(e, op->outputs, op->noutputs, &n->outputs, err);
        if (st != CLR_OK || strcmp(op->type, "feed") == 0 || strcmp(op->type, "fetch") == 0) continue;
        e->kernels[i] = clr_host_kernel_find(op->type);
        if (!e->kernels[i])
            st = clr_error_set(err, CLR_ERR_UNSUPPORTED, "op %d (%s): clrun has no kernel for this op type", i, op->type);
    }
    /* Parameters are borrowed, never copied: run contexts share the weights. */
    for (int32_t p = 0; st == CLR_OK && p < prog->nparams; p++) {
        const clr_param *param = &prog->params[p];
        int32_t v = var_index(e, param->name);
        if (v < 0) continue; /* stored but used by no op */
        if (param->ndims > CLR_MAX_DIMS)
            st = clr_error_set(err, CLR_ERR_UNSUPPORTED, "parameter '%s' has %d dims (at most %d)", param->name,
                               param->ndims, CLR_MAX_DIMS);
        else
            clr_tensor_borrow(&e->vars[v], param->dtype, param->ndims, param->dims, param->data);
    }
    if (st == CLR_OK) st = plan_memory(e, err);
    if (st == CLR_OK) st = bind_io(e, blk, "feed", &e->in_bind, &e->ninputs, &e->inputs, err);
    if (st == CLR_OK) st = bind_io(e, blk, "fetch", &e->out_bind, &e->noutputs, &e->outputs, err);
    if (st != CLR_OK) {
        clr_exec_free(e);
        return st;
    }
    *out = e;
    return CLR_OK;
}

static void release_all(clr_tensor *t, int32_t n) {
    for (int32_t i = 0; t && i < n; i++) clr_tensor_release(&t[i]);
    free(t);
}

void clr_exec_free(clr_exec *e) {
    if (!e) return;
    for (int32_t k = 0; k < e->npool; k++) free(e->pool[k].data);
    release_all(e->vars, e->nvars);
    release_all(e->scratch, e->nnodes);
    release_all(e->inputs, e->ninputs);
    release_all(e->outputs, e->noutputs);
    clr_arena_free(e->arena);
    free(e);
}

int32_t clr_exec_num_inputs(const clr_exec *e) { return e->ninputs; }
int32_t clr_exec_num_outputs(const clr_exec *e) { return e->noutputs; }
const char *clr_exec_input_name(const clr_exec *e, int32_t i) { return i >= 0 && i < e->ninputs ? e->in_bind[i].name : NULL; }
const char *clr_exec_output_name(const clr_exec *e, int32_t i) { return i >= 0 && i < e->noutputs ? e->out_bind[i].name : NULL; }
clr_tensor *clr_exec_input(clr_exec *e, int32_t i) { return i >= 0 && i < e->ninputs ? &e->inputs[i] : NULL; }
const clr_tensor *clr_exec_output(const clr_exec *e, int32_t i) { return i >= 0 && i < e->noutputs ? &e->outputs[i] : NULL; }

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

static int32_t binding_for_op(const io_binding *b, int32_t n, const char *name) {
    for (int32_t i = 0; i < n; i++)
        if (strcmp(b[i].name, name) == 0) return i;
    return -1;
}

/* True when some output tensor of the node is also one of its inputs. */
static bool writes_its_input(const clr_node *n) {
    for (int32_t o = 0; o < n->noutputs; o++)
        for (int32_t a = 0; a < n->outputs[o].n; a++)
            for (int32_t i = 0; i < n->ninputs; i++)
                for (int32_t b = 0; b < n->inputs[i].n; b++)
                    if (n->outputs[o].tensors[a] == n->inputs[i].tensors[b]) return true;
    return false;
}

/* Runs a kernel whose op writes a variable it also reads: the (first such)
 * output is redirected to a scratch tensor, then swapped into the variable. */
static clr_status run_aliased(clr_exec *e, int32_t i, clr_error *err) {
    clr_node *n = &e->nodes[i];
    clr_tensor **slot = NULL;
    for (int32_t o = 0; o < n->noutputs && !slot; o++)
        for (int32_t a = 0; a < n->outputs[o].n && !slot; a++)
            for (int32_t k = 0; k < n->ninputs && !slot; k++)
                for (int32_t b = 0; b < n->inputs[k].n; b++)
                    if (n->outputs[o].tensors[a] == n->inputs[k].tensors[b]) {
                        slot = &n->outputs[o].tensors[a];
                        break;
                    }
    clr_tensor *var = *slot;
    *slot = &e->scratch[i];
    clr_status st = e->kernels[i]->run(n);
    *slot = var;
    if (st == CLR_OK) {
        clr_tensor tmp = *var;
        *var = e->scratch[i];
        e->scratch[i] = tmp; /* keeps the old buffer for the next run */
    }
    return st;
}

static double now_seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

clr_status clr_exec_run(clr_exec *e, clr_error *err) {
    for (int32_t i = 0; i < e->ninputs; i++)
        if (!e->inputs[i].data)
            return clr_error_set(err, CLR_ERR_ARG, "input %d ('%s') has not been set", i, e->in_bind[i].name);
    int32_t cursor = 0;
    for (int32_t i = 0; i < e->nnodes; i++) {
        clr_node *n = &e->nodes[i];
        const clr_op *op = n->op;
        double t0 = e->observer ? now_seconds() : 0;
        n->err = err;
        acquire_outputs(e, n);
        clr_status st;
        if (strcmp(op->type, "feed") == 0) {
            int32_t k = binding_for_op(e->in_bind, e->ninputs, clr_op_output(op, "Out")->args[0]);
            st = clr_tensor_copy(&e->vars[e->in_bind[k].var], &e->inputs[k], err);
        } else if (strcmp(op->type, "fetch") == 0) {
            int32_t k = binding_for_op(e->out_bind, e->noutputs, clr_op_input(op, "X")->args[0]);
            st = clr_tensor_copy(&e->outputs[k], &e->vars[e->out_bind[k].var], err);
        } else if (writes_its_input(n)) {
            st = run_aliased(e, i, err);
        } else {
            st = e->kernels[i]->run(n);
        }
        if (st != CLR_OK) return st;
        release_dead(e, i, &cursor);
        if (e->observer) e->observer(e->observer_user, i, now_seconds() - t0);
    }
    return CLR_OK;
}
