/* clrun — the variables of block 0 as a dense index: every name the block
 * declares or any op mentions, sorted and unique, so the scheduler and the
 * executor can keep per-variable arrays and find a name by binary search. */
#ifndef CLRUN_GRAPH_VAR_TABLE_H
#define CLRUN_GRAPH_VAR_TABLE_H

#include <stdint.h>

#include "clrun/program.h"
#include "core/arena.h"

typedef struct clr_var_table {
    int32_t n;
    const char **names; /* sorted, unique; memory from the arena given at build */
} clr_var_table;

clr_status clr_var_table_build(const clr_block *blk, clr_arena *arena, clr_var_table *out, clr_error *err);
/* Index of `name`, or -1. */
int32_t clr_var_table_find(const clr_var_table *t, const char *name);

#endif
