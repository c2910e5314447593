/* clrun — lookup of embedded text files and the CLRUN_CL_DIR override. */
#include "backend/opencl/cl_sources.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"

static int compare_path(const void *key, const void *entry) {
    return strcmp(key, ((const clr_embedded_file *)entry)->path);
}

const clr_embedded_file *clr_embedded_find(const clr_embedded_file *table, size_t count, const char *path) {
    return bsearch(path, table, count, sizeof *table, compare_path);
}

bool clr_cl_source_find(const char *path, const char **data, size_t *size) {
    const clr_embedded_file *f = clr_embedded_find(clr_cl_sources, clr_cl_sources_count, path);
    if (!f) return false;
    *data = f->data;
    *size = f->size;
    return true;
}

/* Reads the whole of `file` into a NUL-terminated heap buffer. */
static clr_status read_text_file(const char *file, clr_cl_source *out, clr_error *err) {
    FILE *fp = fopen(file, "rb");
    if (!fp) return clr_error_set(err, CLR_ERR_IO, "%s: %s (CLRUN_CL_DIR is set)", file, strerror(errno));
    clr_status status = CLR_OK;
    char *buf = NULL;
    size_t size = 0, cap = 0;
    for (;;) {
        if (cap - size < 4096) {
            char *grown = clr_realloc(buf, cap + 65536);
            if (!grown) {
                status = clr_error_set(err, CLR_ERR_NOMEM, "%s: out of memory", file);
                break;
            }
            buf = grown, cap += 65536;
        }
        size_t got = fread(buf + size, 1, cap - size - 1, fp);
        size += got;
        if (got == 0) {
            if (ferror(fp)) status = clr_error_set(err, CLR_ERR_IO, "%s: read error", file);
            break;
        }
    }
    fclose(fp);
    if (status != CLR_OK) {
        free(buf);
        return status;
    }
    buf[size] = '\0';
    out->data = out->owned = buf;
    out->size = size;
    return CLR_OK;
}

clr_status clr_cl_source_load(const char *path, clr_cl_source *out, clr_error *err) {
    const char *dir = getenv("CLRUN_CL_DIR");
    if (dir && *dir) {
        char file[4096];
        if ((size_t)snprintf(file, sizeof file, "%s/%s", dir, path) >= sizeof file)
            return clr_error_set(err, CLR_ERR_ARG, "CLRUN_CL_DIR path too long for %s", path);
        return read_text_file(file, out, err);
    }
    const char *data;
    size_t size;
    if (!clr_cl_source_find(path, &data, &size))
        return clr_error_set(err, CLR_ERR_ARG, "no embedded OpenCL source '%s'", path);
    out->data = data;
    out->size = size;
    out->owned = NULL;
    return CLR_OK;
}

void clr_cl_source_release(clr_cl_source *src) {
    if (!src) return;
    free(src->owned);
    src->data = src->owned = NULL;
    src->size = 0;
}
