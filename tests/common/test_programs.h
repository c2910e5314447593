/* clrun tests — small models built in memory with clrun's program builder
 * and passed through its .nb writer and reader, so a test runs exactly what a
 * file would hold. */
#ifndef CLRUN_TEST_PROGRAMS_H
#define CLRUN_TEST_PROGRAMS_H

#include <stdint.h>

#include "clrun/program.h"
#include "model/program_builder.h"

/* feed "x" FP32 [2, 3, 4] → fc (W [4, 5], Bias [5], in_num_col_dims as
 * given, attribute op_type unless NULL) → "y" → fetch: the fc `opt` (v2.13+)
 * makes of a matmul. Weights and bias are fixed small numbers
 * (tp_fc_weight, tp_fc_bias). Fails the test on any error. */
/* Declares the "feed" and "fetch" variables and adds the feed op of `x` (col 0). */
void tp_feed(clr_builder *b, const char *x);

/* Adds the fetch op of `y` (col 0), finishes the program and passes it
 * through the .nb writer and reader. Fails the test on any error. */
clr_program *tp_fetch_finish(clr_builder *b, const char *y);

clr_program *tp_fc_program(const char *op_type, int32_t in_num_col_dims);
float tp_fc_weight(int64_t k, int64_t n);
float tp_fc_bias(int64_t n);

#endif
