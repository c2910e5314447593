/* clrun — text files compiled into the library: OpenCL kernel sources
 * (cl_kernels/) and device profiles (devices/).
 *
 * cl_kernels/embed_cl.cmake generates the tables at build time, sorted by path.
 * For kernel development, CLRUN_CL_DIR=<folder> makes clr_cl_source_load read
 * kernel sources from that folder instead, so edits need no rebuild.
 */
#ifndef CLRUN_BACKEND_OPENCL_CL_SOURCES_H
#define CLRUN_BACKEND_OPENCL_CL_SOURCES_H

#include <stdbool.h>
#include <stddef.h>

#include "clrun/status.h"

typedef struct clr_embedded_file {
    const char *path; /* relative to its root, e.g. "elementwise.cl" */
    const char *data; /* NUL-terminated */
    size_t size;      /* bytes, without the NUL */
} clr_embedded_file;

/* Generated tables (sorted by path). */
extern const clr_embedded_file clr_cl_sources[];
extern const size_t clr_cl_sources_count;
extern const clr_embedded_file clr_device_confs[];
extern const size_t clr_device_confs_count;

/* Binary search of a generated table; NULL when `path` is not in it. */
const clr_embedded_file *clr_embedded_find(const clr_embedded_file *table, size_t count, const char *path);

/* The embedded kernel source `path` (ignores CLRUN_CL_DIR). False when absent. */
bool clr_cl_source_find(const char *path, const char **data, size_t *size);

/* A kernel source ready for clCreateProgramWithSource. */
typedef struct clr_cl_source {
    const char *data; /* NUL-terminated */
    size_t size;
    char *owned; /* heap copy when read from CLRUN_CL_DIR, else NULL */
} clr_cl_source;

/* Loads kernel source `path`: from $CLRUN_CL_DIR/<path> when that variable is
 * set (CLR_ERR_IO naming the file when unreadable), else the embedded copy
 * (CLR_ERR_ARG when there is none). Release with clr_cl_source_release. */
clr_status clr_cl_source_load(const char *path, clr_cl_source *out, clr_error *err);
/* NULL-safe; leaves `src` empty. */
void clr_cl_source_release(clr_cl_source *src);

#endif /* CLRUN_BACKEND_OPENCL_CL_SOURCES_H */
