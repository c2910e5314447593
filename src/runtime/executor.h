/* clrun — the host executor: runs block 0 of a program op by op.
 *
 * Created once per run context from a loaded program (which it does not own
 * and which must outlive it). Variables are named slots: every name used by
 * an op gets one tensor that keeps its memory between runs, so a second run
 * with the same input shapes allocates nothing. Parameters are borrowed from
 * the program, so several executors share one program's weights.
 * `feed` ops copy the caller's inputs in (by `col`), `fetch` ops copy results
 * out; every other op runs its host kernel.
 */
#ifndef CLRUN_RUNTIME_EXECUTOR_H
#define CLRUN_RUNTIME_EXECUTOR_H

#include "clrun/program.h"
#include "runtime/tensor.h"

typedef struct clr_exec clr_exec;

/* Fails (naming the op) when an op type has no host kernel. */
clr_status clr_exec_create(const clr_program *prog, clr_exec **out, clr_error *err);
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

/* Per-op observer, called after each op with its index and elapsed seconds
 * (for the timing tool); NULL to disable. */
typedef void (*clr_exec_observer)(void *user, int32_t op_index, double seconds);
void clr_exec_set_observer(clr_exec *exec, clr_exec_observer fn, void *user);

clr_status clr_exec_run(clr_exec *exec, clr_error *err);

#endif
