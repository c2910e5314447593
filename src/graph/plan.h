/* clrun — the scheduler: which device runs each op, and where data crosses.
 *
 * For every op of block 0 the scheduler asks the GPU kernel registry whether
 * the GPU can run it with these attributes on this device (a live device or
 * a profile from devices/), then applies the placement policy:
 *   auto  – GPU wherever a kernel supports the op, minus small GPU islands
 *           that would cost more in transfers than they save (see plan.c);
 *   model – GPU only where opt recorded an OpenCL kernel place and we can;
 *   gpu   – GPU wherever supported (the rest falls back, reported);
 *   cpu   – everything on the host.
 * Then it walks the ops in order, tracking where each variable's current
 * value lives, and inserts a transfer step (an explicit io_copy) before each
 * op that reads a value on the other side. io_copy / layout ops that opt put
 * into the model become plain copies on the side where their input lives, so
 * they cost a transfer only when their two sides really differ.
 */
#ifndef CLRUN_GRAPH_PLAN_H
#define CLRUN_GRAPH_PLAN_H

#include <stdbool.h>
#include <stddef.h>

#include "clrun/program.h"

typedef enum clr_place { CLR_PLACE_HOST = 0, CLR_PLACE_GPU = 1 } clr_place;

typedef enum clr_placement {
    CLR_PLACEMENT_AUTO,
    CLR_PLACEMENT_MODEL,
    CLR_PLACEMENT_CPU,
    CLR_PLACEMENT_GPU
} clr_placement;

/* Parses "auto" | "model" | "cpu" | "gpu"; false when unknown. */
bool clr_placement_parse(const char *s, clr_placement *out);

/* What GPU kernels may consult when deciding support: filled from a live
 * OpenCL device or from a device profile (for --check --profile). */
typedef struct clr_gpu_caps {
    bool available;       /* false: no GPU, everything runs on the host */
    const char *name;     /* device or profile name, for reports */
    bool fp16;            /* device arithmetic in half precision is usable */
    bool prefer_image;    /* the profile asks for image2d storage */
    size_t image_max_w, image_max_h;
    size_t max_alloc;     /* largest single buffer, bytes */
} clr_gpu_caps;

typedef enum clr_step_kind { CLR_STEP_OP, CLR_STEP_TRANSFER } clr_step_kind;

typedef struct clr_plan_step {
    clr_step_kind kind;
    clr_place place;   /* OP: where it runs; TRANSFER: destination */
    int32_t op;        /* OP: index in block 0; TRANSFER: the op it feeds */
    const char *var;   /* TRANSFER: the variable copied */
    bool once;         /* TRANSFER of a parameter: done on the first run only */
    char why_host[96]; /* OP on the host while a GPU exists: the reason */
} clr_plan_step;

typedef struct clr_plan {
    int32_t nsteps;
    clr_plan_step *steps;
    int32_t ops_gpu, ops_host;
    int32_t transfers_to_gpu, transfers_to_host; /* per run, excluding `once` */
    int32_t transfers_once;
    int32_t islands_moved; /* GPU islands the auto rule moved to the host */
} clr_plan;

/* Builds the plan. `caps` may be NULL (no GPU). */
clr_status clr_plan_build(const clr_program *prog, const clr_gpu_caps *caps, clr_placement policy,
                          clr_plan **out, clr_error *err);
void clr_plan_free(clr_plan *plan);

/* Writes the partitioned graph as Graphviz DOT. */
clr_status clr_plan_write_dot(const clr_plan *plan, const clr_program *prog, const char *path, clr_error *err);

#endif
