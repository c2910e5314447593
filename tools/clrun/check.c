/* clrun --check (see check.h). */
#include "check.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "backend/opencl/cl_runtime.h"
#include "backend/opencl/device_profile.h"
#include "core/error.h"
#include "graph/plan.h"
#include "kernels/host/registry.h"

/* Capabilities from a named profile (no device needed). */
static clr_status caps_from_profile(const char *name, clr_gpu_caps *caps, clr_device_profile_table *table,
                                    clr_error *err) {
    clr_status st = clr_device_profile_table_load(table, err);
    if (st != CLR_OK) return st;
    const clr_device_profile *p = clr_device_profile_find(table, name);
    if (!p) {
        char names[512] = "";
        for (size_t i = 0; i < table->count; i++)
            snprintf(names + strlen(names), sizeof names - strlen(names), "%s%s", i ? ", " : "", table->profiles[i].name);
        return clr_error_set(err, CLR_ERR_ARG, "--profile %s: no such device profile (known: %s)", name, names);
    }
    *caps = (clr_gpu_caps){.available = true, .name = p->name, .fp16 = p->fp16 == CLR_FP16_TRUSTED,
                           .prefer_image = p->storage == CLR_STORAGE_IMAGE,
                           .image_max_w = p->max_image_width ? p->max_image_width : 16384,
                           .image_max_h = p->max_image_width ? p->max_image_width : 16384};
    return CLR_OK;
}

/* Bytes of a variable per run, from its declared dims (-1 batch taken as 1);
 * 0 when the dims are not known statically. */
static uint64_t declared_bytes(const clr_program *prog, const char *name) {
    const clr_var *v = clr_block_var(&prog->blocks[0], name);
    const clr_param *p = clr_program_param(prog, name);
    if (p) return p->nbytes;
    if (!v || v->ndims == 0 || !clr_dtype_size(v->dtype)) return 0;
    uint64_t n = clr_dtype_size(v->dtype);
    for (int32_t d = 0; d < v->ndims; d++) {
        if (v->dims[d] < 0 && d > 0) return 0;
        n *= (uint64_t)(v->dims[d] < 0 ? 1 : v->dims[d]);
    }
    return n;
}

static void print_plan(const clr_program *prog, const clr_plan *plan, const char *device) {
    const clr_block *blk = &prog->blocks[0];
    uint64_t bytes = 0, once_bytes = 0;
    int unknown = 0;
    for (int32_t s = 0; s < plan->nsteps; s++) {
        const clr_plan_step *st = &plan->steps[s];
        if (st->kind == CLR_STEP_TRANSFER) {
            uint64_t b = declared_bytes(prog, st->var);
            unknown += b == 0;
            if (st->once)
                once_bytes += b;
            else
                bytes += b;
            printf("io_copy %-6s %s%s\n", st->place == CLR_PLACE_GPU ? "to-gpu" : "to-cpu", st->var,
                   st->once ? " (once, a parameter)" : "");
            continue;
        }
        const clr_op *op = &blk->ops[st->op];
        printf("op %4d %-34s %s%s%s\n", st->op, op->type, st->place == CLR_PLACE_GPU ? "gpu" : "cpu",
               st->place == CLR_PLACE_HOST && st->why_host[0] ? "  " : "", st->place == CLR_PLACE_HOST ? st->why_host : "");
    }
    int32_t per_run = plan->transfers_to_gpu + plan->transfers_to_host;
    printf("transfers per run: %d (%d to gpu, %d to cpu), %" PRIu64 " bytes%s; parameter uploads once: %d, %" PRIu64
           " bytes\n",
           per_run, plan->transfers_to_gpu, plan->transfers_to_host, bytes,
           unknown ? " (plus transfers of dynamic size)" : "", plan->transfers_once, once_bytes);
    printf("verdict: runs on %s: %d ops on the GPU, %d on the CPU%s\n", device, plan->ops_gpu, plan->ops_host,
           plan->islands_moved ? " (small GPU islands kept on the CPU)" : "");
}

int clr_check_model(const clr_check_options *opt) {
    clr_error err = {{0}};
    clr_program *prog = NULL;
    clr_cl *cl = NULL;
    clr_plan *plan = NULL;
    clr_device_profile_table table;
    clr_gpu_caps caps = {.available = false};
    clr_placement placement = CLR_PLACEMENT_AUTO;
    clr_status st = CLR_OK;
    if (opt->placement && !clr_placement_parse(opt->placement, &placement))
        st = clr_error_set(&err, CLR_ERR_ARG, "--placement %s: not auto, model, cpu or gpu", opt->placement);
    if (st == CLR_OK && opt->profile) {
        st = caps_from_profile(opt->profile, &caps, &table, &err);
    } else if (st == CLR_OK && strcmp(opt->device, "cpu") != 0) {
        clr_cl_options clo = {.device = opt->device, .no_cache = true};
        st = clr_cl_create(&clo, &cl, &err);
        if (st == CLR_ERR_UNSUPPORTED && strcmp(opt->device, "auto") == 0) st = CLR_OK;
        if (cl)
            caps = (clr_gpu_caps){.available = true, .name = cl->info.name,
                                  .image_max_w = cl->info.image2d_max_width, .image_max_h = cl->info.image2d_max_height,
                                  .max_alloc = (size_t)cl->info.max_alloc_size};
    }
    /* The device first: "no OpenCL device" is the answer whatever the model. */
    if (st == CLR_OK) st = clr_program_load(opt->model, &prog, &err);
    /* Every op needs a host kernel (the fallback); without one the model cannot run. */
    for (int32_t i = 0; st == CLR_OK && i < prog->blocks[0].nops; i++) {
        const char *t = prog->blocks[0].ops[i].type;
        if (strcmp(t, "feed") && strcmp(t, "fetch") && !clr_host_kernel_find(t))
            st = clr_error_set(&err, CLR_ERR_UNSUPPORTED, "op %d (%s): clrun has no kernel for this op type", i, t);
    }
    if (st == CLR_OK) st = clr_plan_build(prog, &caps, placement, &plan, &err);
    if (st == CLR_OK) print_plan(prog, plan, caps.available ? caps.name : "the CPU (no OpenCL device)");
    if (st == CLR_OK && opt->dump_plan) st = clr_plan_write_dot(plan, prog, opt->dump_plan, &err);
    if (st != CLR_OK) fprintf(stderr, "clrun: %s\n", err.msg[0] ? err.msg : clr_status_str(st));
    clr_plan_free(plan);
    clr_cl_free(cl);
    clr_program_free(prog);
    return st == CLR_OK ? 0 : 1;
}
