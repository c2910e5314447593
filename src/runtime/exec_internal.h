/* clrun — the executor's state, shared by executor.c (set-up, the run loop),
 * exec_memory.c (host buffer reuse) and exec_device.c (GPU steps). */
#ifndef CLRUN_RUNTIME_EXEC_INTERNAL_H
#define CLRUN_RUNTIME_EXEC_INTERNAL_H

#include <stdio.h>

#include "core/arena.h"
#include "graph/var_table.h"
#include "kernels/host/registry.h"
#include "kernels/opencl/gpu_lws.h"
#include "kernels/opencl/gpu_node.h"
#include "kernels/opencl/gpu_registry.h"
#include "runtime/executor.h"
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

/* Where a variable's current value lives (bits). */
enum { ON_HOST = 1, ON_DEVICE = 2 };

struct clr_exec {
    const clr_program *prog;
    clr_exec_options opt;
    clr_arena *arena;
    clr_var_table table;
    int32_t nvars;
    clr_tensor *vars;      /* one per table entry */
    unsigned char *where;  /* per variable: ON_HOST | ON_DEVICE */
    int32_t nnodes;
    clr_node *nodes;
    const clr_host_kernel **kernels; /* NULL for feed/fetch */
    const clr_gpu_kernel **gpu;      /* per op, when the plan puts it on the GPU */
    clr_gpu_op_state *gpu_state;     /* per op: its kernel instances and launch sites */
    clr_tensor *scratch;             /* per node: output stand-in when an op writes what it reads */
    int32_t ninputs, noutputs;
    io_binding *in_bind, *out_bind;
    clr_tensor *inputs, *outputs;
    clr_plan *plan;
    int32_t *step_var; /* per plan step: the variable a transfer moves (looked up once) */
    clr_exec_stats stats;
    clr_gpu_trace trace;
    clr_gpu_tune_summary tune; /* what tuning measured so far */
    clr_exec_observer observer;
    void *observer_user;
    char *dump_dir;   /* op dump folder (arena), NULL when off */
    FILE *dump_index; /* its index.json while a run writes it */
    int32_t dump_records;
    /* Memory plan: a variable's host buffer goes to the pool right after its
     * last use in block 0 and is handed to a later output that fits; the sizes
     * seen in the previous run guide the choice. */
    int32_t *release_order; /* variable indices sorted by last use */
    int32_t *last_use;      /* per variable: last op index that touches it, -1 if none */
    size_t *last_bytes;     /* per variable: capacity it had when released */
    pooled *pool;
    int32_t npool;
};

/* exec_memory.c */
clr_status clr_exec_plan_memory(clr_exec *e, clr_error *err);
void clr_exec_acquire_outputs(clr_exec *e, const clr_node *n);
void clr_exec_release_dead(clr_exec *e, int32_t op, int32_t *cursor);
void clr_exec_free_pool(clr_exec *e);

/* exec_dump.c: the op dump's index is open from begin to end of a run; each
 * op's outputs are dumped right after it ran. */
clr_status clr_exec_dump_begin(clr_exec *e, clr_error *err);
clr_status clr_exec_dump_op(clr_exec *e, int32_t op, clr_error *err);
clr_status clr_exec_dump_end(clr_exec *e, clr_error *err);

/* exec_device.c */
/* Makes every input of node n valid on the host (from_device: the node was
 * meant for the GPU) or on the device; copies made here are unplanned. */
clr_status clr_exec_inputs_to(clr_exec *e, const clr_node *n, int where, clr_error *err);
/* A plan transfer step: variable v to `where`. */
clr_status clr_exec_transfer(clr_exec *e, int32_t v, int where, bool once, clr_error *err);
/* Runs op i on the GPU, falling back to the host kernel when the GPU kernel
 * declines at run time. */
clr_status clr_exec_run_gpu_op(clr_exec *e, int32_t i, clr_error *err);
/* After a run of a tuning session: reads the measured launches; *more when
 * some launch still needs runs (gpu_lws.h). */
clr_status clr_exec_tune_collect(clr_exec *e, bool *more, clr_error *err);
/* Releases every op's kernel instances. */
void clr_exec_free_gpu_state(clr_exec *e);
/* io_copy / layout on the device: a device-side copy. */
clr_status clr_exec_passthrough_device(clr_exec *e, int32_t i, clr_error *err);
/* Marks every output of node n as living only `where`. */
void clr_exec_outputs_at(clr_exec *e, const clr_node *n, int where);

#endif
