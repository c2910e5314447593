/* cltime — Chrome trace of the timed repeats (see report.h): thread 1 is the
 * host timeline (runs and their steps), thread 2 the device timeline (each
 * kernel, from its profiling event, moved onto the host clock). Times are
 * microseconds since cltime started. */
#include <errno.h>
#include <string.h>

#include "core/error.h"
#include "report.h"

/* Opens a complete ("X") event; the caller adds its args, if any, and the closing brace. */
static void event(FILE *out, bool *first, const char *name, int tid, double start, double end) {
    fprintf(out, "%s\n{\"ph\": \"X\", \"pid\": 1, \"tid\": %d, \"ts\": %.3f, \"dur\": %.3f, \"name\": ", *first ? "" : ",",
            tid, start * 1e6, (end - start) * 1e6);
    clr_json_str(out, name);
    *first = false;
}

static void thread_name(FILE *out, int tid, const char *name) {
    fprintf(out, ",\n{\"ph\": \"M\", \"pid\": 1, \"tid\": %d, \"name\": \"thread_name\", \"args\": {\"name\": ", tid);
    clr_json_str(out, name);
    fprintf(out, "}}");
}

static void write_run(FILE *out, const cltime_result *r, int32_t k, bool *first) {
    const cltime_run *run = &r->runs[k];
    char name[32];
    snprintf(name, sizeof name, "run %d", k);
    event(out, first, name, 1, run->start, run->end);
    fprintf(out, "}");
    for (int32_t s = 0; s < r->nsteps; s++) {
        const cltime_step *st = &r->steps[s];
        double start = run->step_start[s];
        event(out, first, st->type, 1, start, start + st->host_s[k]);
        fprintf(out, ", \"args\": {\"step\": %d, \"op\": %d, \"device\": \"%s\", \"kernel\": ", s, st->plan->op,
                st->device);
        clr_json_str(out, st->kernel);
        fprintf(out, ", \"shapes\": ");
        clr_json_str(out, st->shapes);
        fprintf(out, "}}");
    }
    for (int32_t i = 0; i < run->nspans; i++) {
        const cltime_span *sp = &run->spans[i];
        event(out, first, sp->kernel, 2, sp->start, sp->end);
        fprintf(out, ", \"args\": {\"step\": %d, \"type\": ", sp->step);
        clr_json_str(out, r->steps[sp->step].type);
        fprintf(out, "}}");
    }
}

clr_status cltime_write_trace(const char *path, const cltime_result *r, clr_error *err) {
    FILE *out = fopen(path, "w");
    if (!out) return clr_error_set(err, CLR_ERR_IO, "cannot write trace '%s': %s", path, strerror(errno));
    bool first = true;
    fprintf(out, "{\"displayTimeUnit\": \"ms\", \"traceEvents\": [");
    event(out, &first, "model load", 1, 0, r->load_s);
    fprintf(out, "}");
    event(out, &first, "session create", 1, r->load_s, r->load_s + r->session_s);
    fprintf(out, "}");
    for (int32_t k = 0; k < r->opt->repeats; k++) write_run(out, r, k, &first);
    thread_name(out, 1, "host");
    char dev[300];
    snprintf(dev, sizeof dev, "device: %s", r->device);
    thread_name(out, 2, dev);
    fprintf(out, "\n]}\n");
    bool failed = ferror(out) != 0;
    if (fclose(out) != 0 || failed) return clr_error_set(err, CLR_ERR_IO, "cannot write trace '%s'", path);
    return CLR_OK;
}
