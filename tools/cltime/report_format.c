/* cltime — formatting helpers of the writers (see report.h). */
#include "report.h"

const char *cltime_fmt_ws(const size_t *ws, cl_uint dims, bool local, char *buf, size_t size) {
    if (dims == 0) return "-";
    if (local && ws[0] == 0) return "auto";
    size_t at = 0;
    buf[0] = '\0';
    for (cl_uint d = 0; d < dims && at < size; d++) {
        int n = snprintf(buf + at, size - at, "%s%zu", d ? "x" : "", ws[d]);
        at += n > 0 ? (size_t)n : 0;
    }
    return buf;
}
