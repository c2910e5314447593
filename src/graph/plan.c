/* clrun — the scheduler (see plan.h). */
#include "graph/plan.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/arena.h"
#include "core/error.h"
#include "graph/var_table.h"
#include "kernels/opencl/gpu_registry.h"

bool clr_placement_parse(const char *s, clr_placement *out) {
    static const char *const names[] = {"auto", "model", "cpu", "gpu"};
    for (int i = 0; i < 4; i++)
        if (strcmp(s, names[i]) == 0) {
            *out = (clr_placement)i;
            return true;
        }
    return false;
}

/* Ops whose value is the identity: the transfers and layout changes opt
 * inserted. They run on whichever side holds their input. */
static bool is_passthrough(const char *type) {
    return strcmp(type, "io_copy") == 0 || strcmp(type, "io_copy_once") == 0 || strcmp(type, "layout") == 0 ||
           strcmp(type, "layout_once") == 0;
}

static bool is_io(const char *type) { return strcmp(type, "feed") == 0 || strcmp(type, "fetch") == 0; }

/* Ops that carry most of a network's arithmetic. */
static bool is_heavy(const char *type) {
    static const char *const heavy[] = {"conv2d", "depthwise_conv2d", "conv2d_transpose", "fc", "mul", "matmul",
                                        "matmul_v2"};
    for (size_t i = 0; i < sizeof heavy / sizeof heavy[0]; i++)
        if (strcmp(type, heavy[i]) == 0) return true;
    return false;
}

/* Step 1: where each op would like to run, by policy and kernel support. */
static clr_place choose(const clr_program *prog, const clr_op *op, const clr_gpu_caps *caps, clr_placement policy,
                        char *why, size_t why_size) {
    if (is_io(op->type)) return CLR_PLACE_HOST;
    if (!caps || !caps->available) {
        snprintf(why, why_size, "no GPU device");
        return CLR_PLACE_HOST;
    }
    if (policy == CLR_PLACEMENT_CPU) {
        snprintf(why, why_size, "--placement cpu");
        return CLR_PLACE_HOST;
    }
    const clr_gpu_kernel *k = clr_gpu_kernel_find(op->type);
    if (!k) {
        snprintf(why, why_size, "no GPU kernel for %s", op->type);
        return CLR_PLACE_HOST;
    }
    if (!k->supports(op, prog, caps, why, why_size)) return CLR_PLACE_HOST;
    if (policy == CLR_PLACEMENT_MODEL && op->place.present && op->place.target != CLR_TARGET_OPENCL) {
        const char *t = clr_target_repr(op->place.target);
        snprintf(why, why_size, "opt placed it on %s", t ? t : "the host");
        return CLR_PLACE_HOST;
    }
    return CLR_PLACE_GPU;
}

/* Step 2 (auto only), the ping-pong rule: a run of at most two consecutive
 * GPU ops with no heavy op, whose nearest non-passthrough neighbours on both
 * sides run on the host, moves to the host. Such an island computes little
 * (elementwise, reshape-like work), while running it on the GPU costs one
 * transfer in and one out: on every device we know, copying a tensor over
 * costs at least as much as one pass of light arithmetic over it on the CPU. */
enum { MAX_ISLAND = 2 };

static int32_t move_small_islands(const clr_block *blk, clr_place *place, char (*why)[96]) {
    int32_t moved = 0, i = 0;
    while (i < blk->nops) {
        if (place[i] != CLR_PLACE_GPU || is_passthrough(blk->ops[i].type)) {
            i++;
            continue;
        }
        int32_t end = i, count = 0;
        bool heavy = false;
        for (; end < blk->nops; end++) {
            const char *t = blk->ops[end].type;
            if (is_passthrough(t)) continue;
            if (place[end] != CLR_PLACE_GPU) break;
            count++;
            heavy |= is_heavy(t);
        }
        int32_t before = i - 1;
        while (before >= 0 && is_passthrough(blk->ops[before].type)) before--;
        bool host_before = before < 0 || place[before] == CLR_PLACE_HOST;
        bool host_after = end >= blk->nops || place[end] == CLR_PLACE_HOST;
        if (count <= MAX_ISLAND && !heavy && host_before && host_after) {
            for (int32_t k = i; k < end; k++)
                if (!is_passthrough(blk->ops[k].type) && place[k] == CLR_PLACE_GPU) {
                    place[k] = CLR_PLACE_HOST;
                    snprintf(why[k], sizeof why[k], "auto: small GPU island between host ops (transfers would cost more)");
                }
            moved++;
        }
        i = end;
    }
    return moved;
}

typedef struct plan_builder {
    clr_plan *plan;
    int32_t cap;
    clr_error *err;
} plan_builder;

static clr_status push(plan_builder *b, clr_plan_step step) {
    if (b->plan->nsteps == b->cap) {
        int32_t ncap = b->cap ? b->cap * 2 : 64;
        clr_plan_step *s = clr_realloc(b->plan->steps, (size_t)ncap * sizeof *s);
        if (!s) return clr_error_set(b->err, CLR_ERR_NOMEM, "out of memory building the plan");
        b->plan->steps = s;
        b->cap = ncap;
    }
    b->plan->steps[b->plan->nsteps++] = step;
    return CLR_OK;
}

enum { ON_HOST = 1, ON_GPU = 2 };

static int place_bit(clr_place p) { return p == CLR_PLACE_GPU ? ON_GPU : ON_HOST; }

/* Step 3: walk the ops, insert a transfer wherever a value is read on the
 * side where it does not live, and track where each value lives. */
static clr_status insert_transfers(plan_builder *b, const clr_program *prog, const clr_var_table *vt,
                                   const clr_place *place, char (*why)[96], unsigned char *loc, bool *is_param) {
    const clr_block *blk = &prog->blocks[0];
    clr_plan *plan = b->plan;
    for (int32_t i = 0; i < blk->nops; i++) {
        const clr_op *op = &blk->ops[i];
        clr_place p = place[i];
        if (is_passthrough(op->type)) {
            /* Runs where its input lives; on the GPU if the value is there. */
            const clr_slot *in = op->ninputs ? &op->inputs[0] : NULL;
            int32_t v = in && in->nargs ? clr_var_table_find(vt, in->args[0]) : -1;
            p = v >= 0 && (loc[v] & ON_GPU) ? CLR_PLACE_GPU : CLR_PLACE_HOST;
        }
        for (int32_t s = 0; s < op->ninputs; s++)
            for (int32_t a = 0; a < op->inputs[s].nargs; a++) {
                int32_t v = clr_var_table_find(vt, op->inputs[s].args[a]);
                if (v < 0 || !loc[v] || (loc[v] & place_bit(p))) continue;
                clr_plan_step t = {.kind = CLR_STEP_TRANSFER, .place = p, .op = i, .var = vt->names[v],
                                   .once = is_param[v]};
                clr_status st = push(b, t);
                if (st != CLR_OK) return st;
                loc[v] |= (unsigned char)place_bit(p);
                if (t.once)
                    plan->transfers_once++;
                else if (p == CLR_PLACE_GPU)
                    plan->transfers_to_gpu++;
                else
                    plan->transfers_to_host++;
            }
        clr_plan_step step = {.kind = CLR_STEP_OP, .place = p, .op = i};
        if (p == CLR_PLACE_HOST) memcpy(step.why_host, why[i], sizeof step.why_host);
        clr_status st = push(b, step);
        if (st != CLR_OK) return st;
        if (!is_io(op->type) && !is_passthrough(op->type)) {
            if (p == CLR_PLACE_GPU)
                plan->ops_gpu++;
            else
                plan->ops_host++;
        }
        for (int32_t s = 0; s < op->noutputs; s++)
            for (int32_t a = 0; a < op->outputs[s].nargs; a++) {
                int32_t v = clr_var_table_find(vt, op->outputs[s].args[a]);
                if (v >= 0) loc[v] = (unsigned char)place_bit(p);
            }
    }
    return CLR_OK;
}

clr_status clr_plan_build(const clr_program *prog, const clr_gpu_caps *caps, clr_placement policy, clr_plan **out,
                          clr_error *err) {
    const clr_block *blk = &prog->blocks[0];
    clr_arena *arena = clr_arena_create();
    clr_plan *plan = clr_calloc(1, sizeof *plan);
    if (!arena || !plan) {
        clr_arena_free(arena);
        free(plan);
        return clr_error_set(err, CLR_ERR_NOMEM, "out of memory building the plan");
    }
    clr_var_table vt;
    clr_status st = clr_var_table_build(blk, arena, &vt, err);
    size_t nops = (size_t)(blk->nops ? blk->nops : 1), nvars = (size_t)(vt.n > 0 ? vt.n : 1);
    clr_place *place = st == CLR_OK ? clr_arena_array(arena, nops, sizeof *place, 8) : NULL;
    char(*why)[96] = st == CLR_OK ? clr_arena_array(arena, nops, sizeof *why, 8) : NULL;
    unsigned char *loc = st == CLR_OK ? clr_arena_array(arena, nvars, 1, 8) : NULL;
    bool *is_param = st == CLR_OK ? clr_arena_array(arena, nvars, sizeof *is_param, 8) : NULL;
    if (st == CLR_OK && (!place || !why || !loc || !is_param))
        st = clr_error_set(err, CLR_ERR_NOMEM, "out of memory building the plan");
    if (st == CLR_OK) {
        for (int32_t i = 0; i < blk->nops; i++)
            place[i] = choose(prog, &blk->ops[i], caps, policy, why[i], sizeof why[i]);
        if (policy == CLR_PLACEMENT_AUTO) plan->islands_moved = move_small_islands(blk, place, why);
        for (int32_t p = 0; p < prog->nparams; p++) {
            int32_t v = clr_var_table_find(&vt, prog->params[p].name);
            if (v >= 0) loc[v] = ON_HOST, is_param[v] = true;
        }
        plan_builder b = {.plan = plan, .err = err};
        st = insert_transfers(&b, prog, &vt, place, why, loc, is_param);
    }
    clr_arena_free(arena);
    if (st != CLR_OK) {
        clr_plan_free(plan);
        return st;
    }
    *out = plan;
    return CLR_OK;
}

void clr_plan_free(clr_plan *plan) {
    if (!plan) return;
    free(plan->steps);
    free(plan);
}

/* DOT output: one node per op step, coloured by device, transfers as boxes. */
clr_status clr_plan_write_dot(const clr_plan *plan, const clr_program *prog, const char *path, clr_error *err) {
    FILE *f = fopen(path, "w");
    if (!f) return clr_error_set(err, CLR_ERR_IO, "%s: cannot create", path);
    const clr_block *blk = &prog->blocks[0];
    fprintf(f, "digraph clrun_plan {\n  rankdir=TB;\n  node [style=filled, fontname=\"Helvetica\"];\n");
    int32_t prev = -1;
    for (int32_t s = 0; s < plan->nsteps; s++) {
        const clr_plan_step *st = &plan->steps[s];
        if (st->kind == CLR_STEP_OP)
            fprintf(f, "  s%d [label=\"%d %s\\n%s\", fillcolor=\"%s\"];\n", s, st->op, blk->ops[st->op].type,
                    st->place == CLR_PLACE_GPU ? "gpu" : "cpu", st->place == CLR_PLACE_GPU ? "#9fd59f" : "#a9c8f0");
        else
            fprintf(f, "  s%d [shape=box, label=\"io_copy %s\\n%s%s\", fillcolor=\"#f5d28a\"];\n", s, st->var,
                    st->place == CLR_PLACE_GPU ? "host -> gpu" : "gpu -> host", st->once ? " (once)" : "");
        if (prev >= 0) fprintf(f, "  s%d -> s%d;\n", prev, s);
        prev = s;
    }
    fprintf(f, "}\n");
    return fclose(f) == 0 ? CLR_OK : clr_error_set(err, CLR_ERR_IO, "%s: write failed", path);
}
