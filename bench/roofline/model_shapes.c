/* roofline — the GEMM shapes of a model file (see shapes.h): its 1x1
 * convolutions and one-row fc layers, from the dims `opt` recorded. */
#include <stdio.h>
#include <string.h>

#include "clrun/program.h"
#include "core/error.h"
#include "shapes.h"

/* The dims of an op's first variable in a slot; NULL when unrecorded. */
static const clr_var *slot_var(const clr_block *b, const clr_slot *slot) {
    return slot && slot->nargs > 0 ? clr_block_var(b, slot->args[0]) : NULL;
}

static int32_t attr_int(const clr_op *op, const char *name, int32_t absent) {
    const clr_attr *a = clr_op_attr(op, name);
    return a && a->type == CLR_ATTR_INT ? a->v.i : absent;
}

typedef enum { NOT_GEMM, GEMM, GEMM_UNSHAPED } gemm_kind;

/* A 1x1 conv2d, groups 1: a GEMM, shaped when its output dims are known. */
static gemm_kind conv_shape(const clr_program *p, const clr_block *b, const clr_op *op, roofline_shape *s) {
    const clr_slot *f = clr_op_input(op, "Filter");
    const clr_param *w = f && f->nargs > 0 ? clr_program_param(p, f->args[0]) : NULL;
    const clr_var *y = slot_var(b, clr_op_output(op, "Output"));
    if (!w || w->ndims != 4 || w->dims[2] != 1 || w->dims[3] != 1 || attr_int(op, "groups", 1) != 1) return NOT_GEMM;
    if (!y || y->ndims != 4 || y->dims[2] < 1 || y->dims[3] < 1) return GEMM_UNSHAPED;
    *s = (roofline_shape){.m = w->dims[0], .k = w->dims[1], .h = y->dims[2], .w = y->dims[3]};
    snprintf(s->name, sizeof s->name, "conv1x1 %lldx%lld", (long long)s->h, (long long)s->w);
    return GEMM;
}

/* An fc: W [K, M]; shaped when it is on one row, every input dim before
 * in_num_col_dims 1 (or the batch, -1). */
static gemm_kind fc_shape(const clr_program *p, const clr_block *b, const clr_op *op, roofline_shape *s) {
    const clr_slot *ws = clr_op_input(op, "W");
    const clr_param *w = ws && ws->nargs > 0 ? clr_program_param(p, ws->args[0]) : NULL;
    const clr_var *x = slot_var(b, clr_op_input(op, "Input"));
    int32_t cols = attr_int(op, "in_num_col_dims", 1);
    if (!w || w->ndims != 2 || !x || cols < 1 || cols > x->ndims) return GEMM_UNSHAPED;
    for (int32_t d = 0; d < cols; d++)
        if (x->dims[d] != 1 && !(d == 0 && x->dims[d] == -1)) return GEMM_UNSHAPED;
    *s = (roofline_shape){.name = "fc", .fc = true, .m = w->dims[1], .k = w->dims[0], .h = 1, .w = 1};
    return GEMM;
}

static bool seen(const roofline_shape *shapes, int32_t n, const roofline_shape *s) {
    for (int32_t i = 0; i < n; i++)
        if (shapes[i].fc == s->fc && shapes[i].m == s->m && shapes[i].k == s->k && shapes[i].h == s->h &&
            shapes[i].w == s->w)
            return true;
    return false;
}

clr_status roofline_model_shapes(const char *path, roofline_shape *out, int32_t max, int32_t *n, int32_t *skipped,
                                 clr_error *err) {
    clr_program *p = NULL;
    clr_status st = clr_program_load(path, &p, err);
    if (st != CLR_OK) return st;
    const clr_block *b = &p->blocks[0];
    for (int32_t i = 0; i < b->nops; i++) {
        const clr_op *op = &b->ops[i];
        bool conv = strcmp(op->type, "conv2d") == 0, fc = strcmp(op->type, "fc") == 0;
        roofline_shape s;
        if (!conv && !fc) continue;
        gemm_kind kind = conv ? conv_shape(p, b, op, &s) : fc_shape(p, b, op, &s);
        *skipped += kind == GEMM_UNSHAPED;
        if (kind != GEMM || seen(out, *n, &s)) continue;
        if (*n == max) {
            st = clr_error_set(err, CLR_ERR_ARG, "%s: more than %d GEMM shapes", path, max);
            break;
        }
        out[(*n)++] = s;
    }
    clr_program_free(p);
    return st;
}
