/* clrun — status codes and the error record every fallible call fills in.
 *
 * Every function that can fail returns a clr_status and, when given a non-NULL
 * clr_error, writes one human-readable line into it saying what went wrong and
 * where (file, byte offset, op). Out-parameters are left untouched on failure.
 */
#ifndef CLRUN_STATUS_H
#define CLRUN_STATUS_H

#include "clrun/export.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum clr_status {
    CLR_OK = 0,
    CLR_ERR_NOMEM = -1,       /* an allocation failed */
    CLR_ERR_ARG = -2,         /* the caller passed something invalid */
    CLR_ERR_IO = -3,          /* a file could not be opened, read or written */
    CLR_ERR_FORMAT = -4,      /* a model file is malformed (message names the byte offset) */
    CLR_ERR_UNSUPPORTED = -5, /* well-formed, but something clrun does not handle */
    CLR_ERR_INTERNAL = -6,    /* a bug in clrun */
    CLR_ERR_OPENCL = -7,      /* an OpenCL call failed (message names the call and CL error) */
    CLR_ERR_BUILD = -8        /* an OpenCL program failed to compile (message holds the log head) */
} clr_status;

/* One line of text describing the last failure; empty when none. */
typedef struct clr_error {
    char msg[512];
} clr_error;

/* Static name of a status code, e.g. "format error". Never NULL. */
CLR_API const char *clr_status_str(clr_status status);

#ifdef __cplusplus
}
#endif

#endif /* CLRUN_STATUS_H */
