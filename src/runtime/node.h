/* clrun — what a CPU kernel sees of the op it runs.
 *
 * The executor resolves each op's slots to tensors once (a variable name is a
 * reusable slot: the optimizer reuses names for values with disjoint
 * lifetimes) and hands the kernel a clr_node. A kernel infers its output
 * shapes from its inputs, resizes the outputs and computes; it never writes
 * an input. Inputs and outputs never alias: the executor gives a kernel a
 * fresh output when the op writes a variable it also reads.
 */
#ifndef CLRUN_RUNTIME_NODE_H
#define CLRUN_RUNTIME_NODE_H

#include <stdbool.h>
#include <stdint.h>

#include "clrun/program.h"
#include "core/thread_pool.h"
#include "runtime/tensor.h"

typedef struct clr_node_slot {
    const char *param;
    int32_t n;
    clr_tensor **tensors; /* n entries; an entry may be NULL for an unbound name */
} clr_node_slot;

typedef struct clr_node {
    const clr_op *op;
    int32_t index; /* position of the op in block 0, for messages */
    int32_t ninputs, noutputs;
    clr_node_slot *inputs, *outputs;
    clr_error *err;
    clr_thread_pool *pool; /* the session's threads for clr_parallel_for; NULL: serial */
    /* What a kernel keeps between runs of this op (weights packed for the
     * CPU GEMM), made on its first run; the executor frees it with
     * cache_free. The kernel checks that it still fits its inputs. */
    void *cache;
    void (*cache_free)(void *cache);
} clr_node;

/* Tensor bound to input/output slot `param`, element `i`; NULL when absent. */
clr_tensor *clr_node_in(const clr_node *n, const char *param, int32_t i);
clr_tensor *clr_node_out(const clr_node *n, const char *param, int32_t i);
/* Number of tensors bound to a slot (0 when the slot is absent). */
int32_t clr_node_in_count(const clr_node *n, const char *param);
int32_t clr_node_out_count(const clr_node *n, const char *param);

/* Attribute readers. Each accepts the types Paddle has used for the
 * attribute's meaning (an integer from INT, LONG or BOOLEAN; a bool from
 * BOOLEAN or INT) and returns `dflt` when the attribute is absent. */
bool clr_node_has_attr(const clr_node *n, const char *name);
int64_t clr_node_attr_int(const clr_node *n, const char *name, int64_t dflt);
float clr_node_attr_float(const clr_node *n, const char *name, float dflt);
bool clr_node_attr_bool(const clr_node *n, const char *name, bool dflt);
const char *clr_node_attr_str(const clr_node *n, const char *name, const char *dflt);
/* List attributes (INTS or LONGS; FLOATS, FLOAT or FLOAT64S): copies up to
 * `max` values into out and returns how many the attribute holds, or -1 when
 * absent. */
int32_t clr_node_attr_ints(const clr_node *n, const char *name, int64_t *out, int32_t max);
int32_t clr_node_attr_floats(const clr_node *n, const char *name, float *out, int32_t max);

/* Records "op <index> (<type>): <message>" and returns `status`. */
clr_status clr_node_fail(const clr_node *n, clr_status status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Fails with CLR_ERR_FORMAT naming the slot when input `param`[0] is absent. */
clr_status clr_node_require_in(const clr_node *n, const char *param, clr_tensor **t);
clr_status clr_node_require_out(const clr_node *n, const char *param, clr_tensor **t);

#endif /* CLRUN_RUNTIME_NODE_H */
