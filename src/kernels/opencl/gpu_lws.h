/* clrun — local sizes for launches that pass lws NULL.
 *
 * Each (instance, global size) is a site. On its first launch the site gets
 * its local size, in this order: the tuning file's entry for its key; while
 * tuning (clr_cl.tune), candidates measured one after another over the next
 * runs; clrun's rule where the device profile asks for it (auto_local_size);
 * else NULL, the driver's choice. Every local size chosen here divides the
 * global size in each dimension (the kernel asked for exactly gws) and stays
 * within the kernel's work-group limit, and such kernels compute each output
 * alone, so the choice never changes an answer, only the speed. Launches
 * through clr_gpu_launch_1d are tuned too (their kernels guard bounds): the
 * global size is rounded up to the chosen group size, 64 by default. A
 * kernel that declares reqd_work_group_size is never re-sized.
 *
 * Tuning: a run launches each measuring site once with its current candidate
 * and a profiling event; after the run clr_gpu_tune_collect reads the events
 * and moves each site to its next candidate (candidates take turns, run by
 * run: a warm-up round, then CLR_TUNE_RUNS timed rounds) and finally puts the
 * winner (lowest median, the default unless another is 5 % faster) into the
 * tuning table. The executor repeats the run until no site is left measuring, so
 * each run stays a normal run and kernels need not be rerunnable.
 *
 * Key = SHA-256 of op type, attributes, input slot dtypes and shapes, kernel
 * file, name, build options, dims, global size and the device identity.
 */
#ifndef CLRUN_KERNELS_OPENCL_GPU_LWS_H
#define CLRUN_KERNELS_OPENCL_GPU_LWS_H

#include "kernels/opencl/gpu_op_state.h"

/* What tuning did in a session. */
typedef struct clr_gpu_tune_summary {
    int32_t measured;        /* sites measured */
    int32_t changed;         /* of them: a winner other than the default */
    int32_t runs;            /* model runs the measurement took */
    /* Sums of median device times: the default local size (the driver's, or
     * 64 for clr_gpu_launch_1d), clrun's auto rule, the winners. */
    double default_s, auto_s, best_s;
} clr_gpu_tune_summary;

/* The site of instance `inst` for (dims, gws), created and given its local
 * size on first use. `flexible` > 0: a 1-D launch of a kernel that guards its
 * bounds and ignores its group size (clr_gpu_launch_1d): its default local
 * size is `flexible`, candidates need not divide gws (it is rounded up). */
clr_status clr_gpu_site_get(clr_gpu_node *n, clr_gpu_instance *inst, cl_uint dims, const size_t *gws,
                            size_t flexible, clr_gpu_site **out);

/* The local size of the site's next launch (NULL: the driver's). */
const size_t *clr_gpu_site_lws(const clr_gpu_site *site);

/* clrun's rule: about 8 work-groups per compute unit, each as large as that
 * allows up to max_wg, filled from dimension 0. */
void clr_gpu_lws_auto(size_t compute_units, size_t max_wg, cl_uint dims, const size_t *gws, size_t *lws);

/* After a run (queue finished): reads the sites' pending events of ops
 * [0, n), advances their measurements and stores winners in cl->tuning.
 * *more: some site still measures (run again). */
clr_status clr_gpu_tune_collect(clr_cl *cl, clr_gpu_op_state *states, int32_t n, clr_gpu_tune_summary *sum,
                                bool *more, clr_error *err);

/* Sites of ops [0, n) whose local size came from the tuning table. */
int32_t clr_gpu_count_tuned(const clr_gpu_op_state *states, int32_t n);

/* Frees a site's measurement state (its pending event included). */
void clr_gpu_site_release(clr_gpu_site *site);

#endif
