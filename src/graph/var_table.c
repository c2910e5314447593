/* clrun — dense variable index of a block (see var_table.h). */
#include "graph/var_table.h"

#include <stdlib.h>
#include <string.h>

#include "core/error.h"

static int cmp_str(const void *a, const void *b) { return strcmp(*(const char *const *)a, *(const char *const *)b); }

clr_status clr_var_table_build(const clr_block *blk, clr_arena *arena, clr_var_table *out, clr_error *err) {
    size_t cap = (size_t)blk->nvars;
    for (int32_t i = 0; i < blk->nops; i++) {
        const clr_op *op = &blk->ops[i];
        for (int32_t s = 0; s < op->ninputs; s++) cap += (size_t)op->inputs[s].nargs;
        for (int32_t s = 0; s < op->noutputs; s++) cap += (size_t)op->outputs[s].nargs;
    }
    const char **names = clr_arena_array(arena, cap ? cap : 1, sizeof *names, 8);
    if (!names) return clr_error_set(err, CLR_ERR_NOMEM, "out of memory for %zu variable names", cap);
    size_t n = 0;
    for (int32_t i = 0; i < blk->nvars; i++) names[n++] = blk->vars[i].name;
    for (int32_t i = 0; i < blk->nops; i++) {
        const clr_op *op = &blk->ops[i];
        for (int32_t s = 0; s < op->ninputs; s++)
            for (int32_t a = 0; a < op->inputs[s].nargs; a++) names[n++] = op->inputs[s].args[a];
        for (int32_t s = 0; s < op->noutputs; s++)
            for (int32_t a = 0; a < op->outputs[s].nargs; a++) names[n++] = op->outputs[s].args[a];
    }
    qsort(names, n, sizeof *names, cmp_str);
    size_t u = 0;
    for (size_t i = 0; i < n; i++)
        if (u == 0 || strcmp(names[u - 1], names[i]) != 0) names[u++] = names[i];
    out->names = names;
    out->n = (int32_t)u;
    return CLR_OK;
}

int32_t clr_var_table_find(const clr_var_table *t, const char *name) {
    const char **hit = bsearch(&name, t->names, (size_t)t->n, sizeof *t->names, cmp_str);
    return hit ? (int32_t)(hit - t->names) : -1;
}
