/* cltime — writing the results: a human table, CSV rows, one JSON document,
 * or a Chrome trace (chrome://tracing, Perfetto). */
#ifndef CLRUN_CLTIME_REPORT_H
#define CLRUN_CLTIME_REPORT_H

#include <stdio.h>

#include "io/json.h"
#include "summary.h"

void cltime_print_table(FILE *out, const cltime_result *r, const cltime_summary *s);
/* The per-op rows, then the per-type rows, under one header (the `row`
 * column says which). */
void cltime_print_csv(FILE *out, const cltime_result *r, const cltime_summary *s);
void cltime_print_json(FILE *out, const cltime_result *r, const cltime_summary *s);
clr_status cltime_write_trace(const char *path, const cltime_result *r, clr_error *err);

/* Helpers shared by the writers (report_format.c). */
/* "640x320" of a work size; "-" when there is none, "auto" for a driver-chosen lws. */
const char *cltime_fmt_ws(const size_t *ws, cl_uint dims, bool local, char *buf, size_t size);

#endif
