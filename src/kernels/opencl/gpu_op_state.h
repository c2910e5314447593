/* clrun — what the executor keeps per GPU op between runs (see gpu_node.h):
 * the op's own kernel instances with the argument values they hold, and per
 * launch geometry of an instance (a "site") the local size chosen for it
 * and, while tuning, its measurements (gpu_lws.h). */
#ifndef CLRUN_KERNELS_OPENCL_GPU_OP_STATE_H
#define CLRUN_KERNELS_OPENCL_GPU_OP_STATE_H

#include <stdbool.h>
#include <stdint.h>

#include "core/sha256.h"
#include "kernels/opencl/gpu_node.h"

/* Arguments past CLR_GPU_ARG_SLOTS or larger than CLR_GPU_ARG_BYTES are set
 * every time (no kernel has them today). An instance keeps CLR_GPU_SITES
 * launch geometries (an op launching one kernel over more sizes per run,
 * a concat of many inputs, re-derives the oldest one's local size). */
enum { CLR_GPU_ARG_SLOTS = 32, CLR_GPU_ARG_BYTES = 64, CLR_GPU_SITES = 8 };
/* Tuning: candidates per site, launches per candidate (warm-up, then timed). */
enum { CLR_TUNE_MAX_CANDIDATES = 10, CLR_TUNE_WARMUP = 1, CLR_TUNE_RUNS = 3 };

typedef struct clr_gpu_arg_value {
    bool set, local; /* local: __local memory of `size` bytes (value NULL) */
    size_t size;
    unsigned char bytes[CLR_GPU_ARG_BYTES];
} clr_gpu_arg_value;

/* Measurements of one site's candidates; candidate lws[0] = 0: the driver's. */
typedef struct clr_gpu_tuning {
    size_t cand[CLR_TUNE_MAX_CANDIDATES][3];
    int32_t ncand, cur, count; /* count: rounds over all candidates so far, the warm-up included */
    int32_t auto_index;        /* the candidate the auto rule gives */
    double times[CLR_TUNE_MAX_CANDIDATES][CLR_TUNE_RUNS];
    cl_event pending; /* this run's launch, read after the run */
} clr_gpu_tuning;

typedef struct clr_gpu_site {
    cl_uint dims;
    size_t gws[3];    /* as the kernel asked (before rounding up, when flexible) */
    size_t flexible;  /* 0, or the default group size of a clr_gpu_launch_1d site */
    size_t lws[3]; /* lws[0] = 0: NULL to the driver */
    clr_lws_source source;
    uint8_t key[CLR_SHA256_SIZE];
    clr_gpu_tuning *tuning; /* while measuring */
} clr_gpu_site;

typedef struct clr_gpu_instance {
    char *file, *name, *options;
    cl_kernel kernel; /* owned */
    size_t max_wg;    /* CL_KERNEL_WORK_GROUP_SIZE, capped by the device */
    bool fixed_wg;    /* declares reqd_work_group_size: its launches are never re-sized */
    clr_gpu_arg_value args[CLR_GPU_ARG_SLOTS];
    clr_gpu_site sites[CLR_GPU_SITES];
    int32_t nsites, next_site; /* next_site: replaced when all are taken */
} clr_gpu_instance;

struct clr_gpu_op_state {
    clr_gpu_instance **inst;
    int32_t n;
};

/* The instance that owns kernel k, or NULL. */
clr_gpu_instance *clr_gpu_op_state_instance(const clr_gpu_op_state *s, cl_kernel k);
/* Releases kernels, events and memory; leaves an empty state. */
void clr_gpu_op_state_release(clr_gpu_op_state *s);

#endif
