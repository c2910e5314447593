/* clrun --info (see info.h). */
#include "info.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

/* A small name → count table kept in first-seen order; names are copied. */
typedef struct tally {
    char names[256][64];
    int counts[256];
    int n;
} tally;

static void tally_add(tally *t, const char *name) {
    for (int i = 0; i < t->n; i++)
        if (strcmp(t->names[i], name) == 0) {
            t->counts[i]++;
            return;
        }
    if (t->n == 256) return; /* more than 256 kinds: the summary drops the rest */
    snprintf(t->names[t->n], sizeof t->names[0], "%s", name);
    t->counts[t->n++] = 1;
}

static void place_repr(const clr_kernel_place *pl, char *buf, size_t size) {
    if (!pl->present) {
        snprintf(buf, size, "(none)");
        return;
    }
    const char *t = clr_target_repr(pl->target), *p = clr_precision_repr(pl->precision),
               *l = clr_layout_repr(pl->layout);
    char tb[16], pb[16], lb[16];
    if (!t) snprintf(tb, sizeof tb, "target%d", pl->target), t = tb;
    if (!p) snprintf(pb, sizeof pb, "precision%d", pl->precision), p = pb;
    if (!l) snprintf(lb, sizeof lb, "layout%d", pl->layout), l = lb;
    snprintf(buf, size, "%s/%s/%s", t, p, l);
}

static void print_dims(FILE *out, const clr_var *v) {
    if (!v) {
        fprintf(out, "-");
        return;
    }
    fputc('[', out);
    for (int32_t i = 0; i < v->ndims; i++) fprintf(out, "%s%" PRId64, i ? "," : "", v->dims[i]);
    fputc(']', out);
}

/* Feed and fetch ops name the model's inputs and outputs; `col` orders them. */
static void print_io(FILE *out, const clr_program *prog, const char *op_type, const char *slot_param,
                     const char *label) {
    const clr_block *blk = &prog->blocks[0];
    /* The naive-buffer formats store no tensor description for feed/fetch variables. */
    bool described = prog->format == CLR_FORMAT_META1 || prog->format == CLR_FORMAT_META2;
    for (int32_t i = 0; i < blk->nops; i++) {
        const clr_op *op = &blk->ops[i];
        if (strcmp(op->type, op_type) != 0) continue;
        const clr_slot *s = strcmp(op_type, "feed") == 0 ? clr_op_output(op, slot_param) : clr_op_input(op, slot_param);
        const clr_attr *col = clr_op_attr(op, "col");
        if (!s || s->nargs < 1) continue;
        const clr_var *v = described ? clr_block_var(blk, s->args[0]) : NULL;
        const char *dtype = v ? clr_dtype_name(v->dtype) : NULL;
        fprintf(out, "%s %d %s %s ", label, col && col->type == CLR_ATTR_INT ? col->v.i : 0, s->args[0],
                dtype ? dtype : "-");
        print_dims(out, v);
        fputc('\n', out);
    }
}

void clr_info_print(FILE *out, const char *path, const clr_program *prog) {
    int32_t nops = 0;
    for (int32_t b = 0; b < prog->nblocks; b++) nops += prog->blocks[b].nops;

    fprintf(out, "model %s\n", path);
    fprintf(out, "format %s\n", clr_format_name(prog->format));
    fprintf(out, "opt_version %s\n", prog->opt_version[0] ? prog->opt_version : "-");
    fprintf(out, "program_version %" PRId64 "\n", prog->version);
    print_io(out, prog, "feed", "Out", "input");
    print_io(out, prog, "fetch", "X", "output");

    static tally types, places, per, dtypes; /* ~66 KiB each: kept off the stack */
    types.n = places.n = dtypes.n = 0;
    for (int32_t b = 0; b < prog->nblocks; b++)
        for (int32_t i = 0; i < prog->blocks[b].nops; i++) tally_add(&types, prog->blocks[b].ops[i].type);
    fprintf(out, "ops %d in %d block%s, %d types\n", nops, prog->nblocks, prog->nblocks == 1 ? "" : "s", types.n);
    /* One line per op type: its count, then the kernel places opt chose for it. */
    for (int t = 0; t < types.n; t++) {
        per.n = 0;
        for (int32_t b = 0; b < prog->nblocks; b++)
            for (int32_t i = 0; i < prog->blocks[b].nops; i++) {
                const clr_op *op = &prog->blocks[b].ops[i];
                if (strcmp(op->type, types.names[t]) != 0) continue;
                char place[64];
                place_repr(&op->place, place, sizeof place);
                tally_add(&per, place);
                tally_add(&places, place);
            }
        fprintf(out, "op %-28s %5d ", types.names[t], types.counts[t]);
        for (int k = 0; k < per.n; k++) fprintf(out, " %s:%d", per.names[k], per.counts[k]);
        fputc('\n', out);
    }
    for (int k = 0; k < places.n; k++) fprintf(out, "place %-28s %5d\n", places.names[k], places.counts[k]);

    /* Parameter totals by stored element type. */
    uint64_t total_bytes = 0, total_values = 0;
    for (int32_t i = 0; i < prog->nparams; i++) {
        const char *name = clr_dtype_name(prog->params[i].dtype);
        tally_add(&dtypes, name ? name : "?");
        total_bytes += prog->params[i].nbytes;
        size_t es = clr_dtype_size(prog->params[i].dtype);
        total_values += es ? prog->params[i].nbytes / es : 0;
    }
    fprintf(out, "params %d tensors, %" PRIu64 " values, %" PRIu64 " bytes\n", prog->nparams, total_values, total_bytes);
    for (int k = 0; k < dtypes.n; k++) {
        uint64_t bytes = 0, values = 0;
        for (int32_t i = 0; i < prog->nparams; i++) {
            const char *name = clr_dtype_name(prog->params[i].dtype);
            if (strcmp(name ? name : "?", dtypes.names[k]) != 0) continue;
            bytes += prog->params[i].nbytes;
            values += prog->params[i].nbytes / clr_dtype_size(prog->params[i].dtype);
        }
        fprintf(out, "param %-6s %5d tensors %12" PRIu64 " values %12" PRIu64 " bytes\n", dtypes.names[k],
                dtypes.counts[k], values, bytes);
    }
}
