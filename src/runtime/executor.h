/* clrun — the executor: runs block 0 of a program, step by step, following
 * the scheduler's plan (graph/plan.h) on the host and, when given an OpenCL
 * device, on the GPU.
 *
 * Created once per run context from a loaded program (which it does not own
 * and which must outlive it). Variables are named slots: every name used by
 * an op gets one tensor that keeps its memory between runs, so a second run
 * with the same input shapes allocates nothing. Parameters are borrowed from
 * the program, so several executors share one program's weights (their
 * device copies are per executor, uploaded on the first run).
 * `feed` ops copy the caller's inputs in (by `col`), `fetch` ops copy results
 * out; every other op runs its host or GPU kernel. A GPU kernel that turns
 * an op down at run time (CLR_ERR_UNSUPPORTED) falls back to the host kernel,
 * counted and explained in the stats; with `strict` that is an error.
 */
#ifndef CLRUN_RUNTIME_EXECUTOR_H
#define CLRUN_RUNTIME_EXECUTOR_H

#include "backend/opencl/cl_runtime.h"
#include "clrun/program.h"
#include "graph/plan.h"
#include "runtime/node.h"
#include "runtime/tensor.h"

typedef struct clr_exec clr_exec;

typedef struct clr_exec_options {
    clr_cl *cl;             /* NULL: host only */
    clr_placement placement;
    bool strict;            /* a run-time fallback to the host is an error */
    bool profiling;         /* record GPU kernel launches with events */
    clr_thread_pool *pool;  /* host kernel threads (borrowed; NULL: serial) */
} clr_exec_options;

/* What the last run did. */
typedef struct clr_exec_stats {
    int32_t ops_gpu, ops_host;     /* as planned */
    int32_t fallbacks;             /* GPU ops that ran on the host instead */
    char fallback_reason[160];     /* the first one's reason */
    int32_t transfers;             /* io_copy steps executed (both directions) */
    uint64_t transfer_bytes;
    int32_t unplanned_transfers;   /* copies the plan did not foresee (after fallbacks) */
} clr_exec_stats;

/* Fails (naming the op) when an op type has no host kernel. `opt` may be NULL
 * (host only). */
clr_status clr_exec_create(const clr_program *prog, const clr_exec_options *opt, clr_exec **out, clr_error *err);
void clr_exec_free(clr_exec *exec);

int32_t clr_exec_num_inputs(const clr_exec *exec);
int32_t clr_exec_num_outputs(const clr_exec *exec);
/* Name of input/output i (ordered by feed/fetch `col`). */
const char *clr_exec_input_name(const clr_exec *exec, int32_t i);
const char *clr_exec_output_name(const clr_exec *exec, int32_t i);
/* The declaration of input i in the program (dims may hold -1 or be empty). */
const clr_var *clr_exec_input_decl(const clr_exec *exec, int32_t i);
/* Index of the input named `name`, or -1. */
int32_t clr_exec_find_input(const clr_exec *exec, const char *name);

/* The tensor the caller fills for input i before clr_exec_run. */
clr_tensor *clr_exec_input(clr_exec *exec, int32_t i);
/* Output i after a successful run. */
const clr_tensor *clr_exec_output(const clr_exec *exec, int32_t i);

/* The plan being followed, and the last run's statistics. */
const clr_plan *clr_exec_plan(const clr_exec *exec);
const clr_exec_stats *clr_exec_last_stats(const clr_exec *exec);

/* Per-step observer, called after each plan step with the step index and its
 * host wall time in seconds (for the timing tool); NULL to disable. */
typedef void (*clr_exec_observer)(void *user, int32_t step, double seconds);
void clr_exec_set_observer(clr_exec *exec, clr_exec_observer fn, void *user);

/* Op dump (clrun --dump-ops): with a folder, every later run writes each
 * op's outputs right after the op ran (GPU values are downloaded for it) as
 * DIR/op<NNNN>_<slot>.npy (op index in block 0, as `clrun --info` counts;
 * the k-th variable of a slot, k > 0, gets ".k" before ".npy") and
 * DIR/index.json, one record per value: op, op_type, device (cpu or gpu),
 * slot, var, dtype (NumPy's name), shape, sha256 of the raw C-order bytes,
 * file. fetch ops are left out (their value is an output). The folder is
 * created when missing; NULL turns the dump off. */
clr_status clr_exec_set_dump_dir(clr_exec *exec, const char *dir, clr_error *err);

clr_status clr_exec_run(clr_exec *exec, clr_error *err);

/* For the timing tool. The node of op i: its tensors hold the shapes of the
 * step that last ran it (read them from the observer, as later ops may reuse
 * a variable). The last run's GPU launches (kernels/opencl/gpu_node.h), empty
 * unless created with profiling. */
const clr_node *clr_exec_node(const clr_exec *exec, int32_t op);
typedef struct clr_gpu_trace clr_gpu_trace;
const clr_gpu_trace *clr_exec_trace(const clr_exec *exec);
/* What work-group tuning measured in this executor (kernels/opencl/gpu_lws.h). */
typedef struct clr_gpu_tune_summary clr_gpu_tune_summary;
const clr_gpu_tune_summary *clr_exec_tune_summary(const clr_exec *exec);
/* Launch sites (kernel, global size) using a local size from the tuning file. */
int32_t clr_exec_tuned_launches(const clr_exec *exec);

/* Memory held for tensors: host buffers (pooled ones included) and device
 * buffers (capacities, so the high-water mark since creation). Borrowed
 * parameters count only with their device copies. */
typedef struct clr_exec_memory {
    size_t host_bytes, device_bytes;
} clr_exec_memory;
clr_exec_memory clr_exec_memory_use(const clr_exec *exec);

#endif
