/* clrun tests — build one op by hand and run its host kernel on tensors the
 * test owns, without a model file. Slots and attributes are appended in call
 * order; capacity is fixed (ample for any single op). */
#ifndef CLRUN_TEST_NODE_H
#define CLRUN_TEST_NODE_H

#include <stdint.h>

#include "runtime/node.h"
#include "runtime/tensor.h"

enum { TN_SLOTS = 8, TN_ARGS = 16, TN_ATTRS = 48, TN_LIST = 64 };

typedef struct clr_test_node {
    clr_op op;
    clr_node node;
    clr_slot in[TN_SLOTS], out[TN_SLOTS];
    const char *in_args[TN_SLOTS][TN_ARGS], *out_args[TN_SLOTS][TN_ARGS];
    clr_node_slot nin[TN_SLOTS], nout[TN_SLOTS];
    clr_tensor *tin[TN_SLOTS][TN_ARGS], *tout[TN_SLOTS][TN_ARGS];
    clr_attr attrs[TN_ATTRS];
    int32_t ints[TN_ATTRS][TN_LIST];
    float floats[TN_ATTRS][TN_LIST];
    clr_error err;
} clr_test_node;

void tn_init(clr_test_node *t, const char *op_type);
/* Binds tensor `x` as the next argument of input/output slot `param`. */
void tn_input(clr_test_node *t, const char *param, clr_tensor *x);
void tn_output(clr_test_node *t, const char *param, clr_tensor *x);
void tn_attr_int(clr_test_node *t, const char *name, int32_t v);
void tn_attr_long(clr_test_node *t, const char *name, int64_t v);
void tn_attr_float(clr_test_node *t, const char *name, float v);
void tn_attr_bool(clr_test_node *t, const char *name, bool v);
void tn_attr_str(clr_test_node *t, const char *name, const char *v);
void tn_attr_ints(clr_test_node *t, const char *name, int32_t n, const int32_t *v);
void tn_attr_floats(clr_test_node *t, const char *name, int32_t n, const float *v);
/* Runs the registered host kernel for the op type; the message is in t->err. */
clr_status tn_run(clr_test_node *t);

/* Test tensors: a float32 tensor of the given shape filled with uniform
 * values in [lo, hi) from a seeded generator (caller releases it). */
void tn_tensor_f32(clr_tensor *x, int32_t ndims, const int64_t *dims);
void tn_fill_uniform(clr_tensor *x, unsigned long long seed, float lo, float hi);
/* Largest |a-b| / max(1, max|b|) over all elements (shapes must match). */
double tn_max_rel_diff(const clr_tensor *a, const clr_tensor *b);

#endif
