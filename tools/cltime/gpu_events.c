/* cltime — reading profiling events (see gpu_events.h). */
#include "gpu_events.h"

#include <math.h>

#include "core/alloc.h"
#include "core/error.h"
#include "kernels/opencl/gpu_node.h"
#include "roof.h"

clr_status cltime_read_gpu(const clr_exec *exec, cltime_result *r, int32_t k, clr_error *err) {
    const clr_gpu_trace *t = clr_exec_trace(exec);
    cltime_run *run = &r->runs[k];
    run->spans = clr_calloc((size_t)(t->n ? t->n : 1), sizeof *run->spans);
    if (!run->spans) return clr_error_set(err, CLR_ERR_NOMEM, "out of memory for %d kernel events", t->n);
    /* Device timestamps use the device's clock. Each kernel ran inside its
     * step's host interval, so the clocks differ by at least
     * max(step start - kernel start): the earliest offset consistent with
     * every kernel, used to put the device timeline beside the host one. */
    double offset = -INFINITY;
    for (int32_t i = 0; i < t->n; i++) {
        const clr_gpu_launch_record *rec = &t->records[i];
        int32_t s = r->op_step[rec->op];
        double start, end;
        if (s < 0 || !rec->event) continue;
        clr_status st = clr_roof_event_times(rec->event, &start, &end, err);
        if (st != CLR_OK) return clr_error_prefix(err, st, "kernel %s of op %d", rec->kernel, rec->op);
        r->steps[s].gpu_s[k] += end - start;
        run->spans[run->nspans++] = (cltime_span){.step = s, .kernel = rec->kernel, .start = start, .end = end};
        offset = fmax(offset, run->step_start[s] - start);
    }
    for (int32_t i = 0; i < run->nspans; i++) run->spans[i].start += offset, run->spans[i].end += offset;
    return CLR_OK;
}
