/* clrun — the executor's host memory plan and its memory accounting (see exec_internal.h). */
#include "core/error.h"
#include "runtime/exec_internal.h"

#include <stdlib.h>

static void note_use(clr_exec *e, const clr_node_slot *slots, int32_t n, int32_t op) {
    for (int32_t s = 0; s < n; s++)
        for (int32_t a = 0; a < slots[s].n; a++) e->last_use[slots[s].tensors[a] - e->vars] = op;
}

clr_status clr_exec_plan_memory(clr_exec *e, clr_error *err) {
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

void clr_exec_acquire_outputs(clr_exec *e, const clr_node *n) {
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

void clr_exec_release_dead(clr_exec *e, int32_t op, int32_t *cursor) {
    while (*cursor < e->nvars && e->last_use[e->release_order[*cursor]] <= op) {
        int32_t v = e->release_order[(*cursor)++];
        clr_tensor *t = &e->vars[v];
        if (e->last_use[v] < 0 || t->borrowed) continue;
        e->where[v] = 0; /* the value is dead on both sides */
        if (!t->data) continue;
        e->last_bytes[v] = t->capacity;
        /* Buffers allocated outside the pool (feed copies, downloads) enter
         * it every run too: once it holds one per variable, free instead. */
        if (e->npool == e->nvars) free(t->data);
        else e->pool[e->npool++] = (pooled){t->data, t->capacity};
        t->data = NULL;
        t->capacity = 0;
        clr_tensor_set_lod(t, 0, NULL, NULL);
    }
}

void clr_exec_free_pool(clr_exec *e) {
    for (int32_t k = 0; k < e->npool; k++) free(e->pool[k].data);
    e->npool = 0;
}

static void add_tensors(clr_exec_memory *m, const clr_tensor *t, int32_t n) {
    for (int32_t i = 0; t && i < n; i++) {
        m->host_bytes += t[i].capacity;
        m->device_bytes += t[i].dev ? t[i].dev_capacity : 0;
    }
}

clr_exec_memory clr_exec_memory_use(const clr_exec *e) {
    clr_exec_memory m = {0, 0};
    add_tensors(&m, e->vars, e->nvars);
    add_tensors(&m, e->scratch, e->nnodes);
    add_tensors(&m, e->inputs, e->ninputs);
    add_tensors(&m, e->outputs, e->noutputs);
    for (int32_t k = 0; k < e->npool; k++) m.host_bytes += e->pool[k].capacity;
    return m;
}
