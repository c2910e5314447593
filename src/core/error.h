/* clrun — filling in a clr_error. */
#ifndef CLRUN_CORE_ERROR_H
#define CLRUN_CORE_ERROR_H

#include "clrun/status.h"

/* Formats one line into `err` (if not NULL) and returns `status`, so callers
 * write `return clr_error_set(err, CLR_ERR_FORMAT, "...", ...);`. */
clr_status clr_error_set(clr_error *err, clr_status status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Prepends "prefix: " to the message already in `err`. Returns `status`. */
clr_status clr_error_prefix(clr_error *err, clr_status status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif /* CLRUN_CORE_ERROR_H */
