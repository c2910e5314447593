/* clrun — status names and error formatting. */
#include "core/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

const char *clr_status_str(clr_status status) {
    switch (status) {
    case CLR_OK: return "ok";
    case CLR_ERR_NOMEM: return "out of memory";
    case CLR_ERR_ARG: return "invalid argument";
    case CLR_ERR_IO: return "I/O error";
    case CLR_ERR_FORMAT: return "format error";
    case CLR_ERR_UNSUPPORTED: return "unsupported";
    case CLR_ERR_INTERNAL: return "internal error";
    case CLR_ERR_OPENCL: return "OpenCL error";
    case CLR_ERR_BUILD: return "OpenCL build error";
    }
    return "unknown status";
}

clr_status clr_error_set(clr_error *err, clr_status status, const char *fmt, ...) {
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
        va_end(ap);
    }
    return status;
}

clr_status clr_error_prefix(clr_error *err, clr_status status, const char *fmt, ...) {
    if (err) {
        char prefix[160], old[sizeof err->msg];
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(prefix, sizeof prefix, fmt, ap);
        va_end(ap);
        memcpy(old, err->msg, sizeof old);
        old[sizeof old - 1] = '\0';
        /* Keep the prefix whole and let the old message's tail go. */
        size_t plen = strlen(prefix);
        if (plen > sizeof err->msg - 3) plen = sizeof err->msg - 3;
        memcpy(err->msg, prefix, plen);
        memcpy(err->msg + plen, ": ", 2);
        size_t room = sizeof err->msg - plen - 3, olen = strlen(old);
        if (olen > room) olen = room;
        memcpy(err->msg + plen + 2, old, olen);
        err->msg[plen + 2 + olen] = '\0';
    }
    return status;
}
