/* clrun — one program-cache file on disk (layout in cl_program_cache.h). */
#ifndef CLRUN_BACKEND_OPENCL_CL_CACHE_FILE_H
#define CLRUN_BACKEND_OPENCL_CL_CACHE_FILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/sha256.h"

/* The binary stored in `path` for `key`, in a clr_malloc'ed buffer (*binary,
 * *size); false when the file is absent, unreadable, not ours, for another
 * key or format, truncated or fails its checksum. */
bool clr_cl_cache_file_read(const char *path, const uint8_t key[CLR_SHA256_SIZE], unsigned char **binary,
                            size_t *size);

/* Writes `binary` for `key` to `path` via "<path>.tmp.<pid>" and rename,
 * creating `dir` (and parents) first. False with a reason in `why` on any
 * failure; no partial file is left under `path`. */
bool clr_cl_cache_file_write(const char *dir, const char *path, const uint8_t key[CLR_SHA256_SIZE],
                             const unsigned char *binary, size_t size, char *why, size_t why_size);

#endif /* CLRUN_BACKEND_OPENCL_CL_CACHE_FILE_H */
