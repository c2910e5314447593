/* clrun — the work-group tuning file: measured local sizes per launch, kept
 * beside the program binaries in the disk cache.
 *
 * A launch is named by a 32-byte key (the SHA-256 of op type, attributes,
 * input dtypes and shapes, kernel, build options, global size and the
 * device: kernels/opencl/gpu_lws.h makes it); the table maps it to the
 * local size that won (lws[0] = 0: the driver's choice won).
 * One file per device identity, "<cache dir>/<hex>.tune", in the program
 * cache's checksummed file format (cl_program_cache.h) whose key is the
 * SHA-256 of the device identity and this file's format. Payload: "CLRTUNE1",
 * u32 count, then per entry the 32-byte key and three u32 local sizes, all
 * little-endian. A file that exists but is damaged (bad checksum, truncated,
 * foreign, bad payload) is ignored with a warning: tuning starts empty and a
 * later save replaces it. Nothing here is fatal to a session.
 */
#ifndef CLRUN_BACKEND_OPENCL_CL_TUNING_H
#define CLRUN_BACKEND_OPENCL_CL_TUNING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "clrun/status.h"
#include "core/sha256.h"

typedef struct clr_cl_tuning clr_cl_tuning;

/* A table for the device `identity`, loaded from `dir` when a file is there;
 * `dir` NULL: memory only. CLR_ERR_NOMEM is the only failure. */
clr_status clr_cl_tuning_create(const char *dir, const char *identity, clr_cl_tuning **out, clr_error *err);
/* NULL is a no-op. */
void clr_cl_tuning_free(clr_cl_tuning *t);

/* SHA-256 of the device identity, for launch keys. */
const uint8_t *clr_cl_tuning_device_digest(const clr_cl_tuning *t);

/* The local size stored for `key`; false when there is none. */
bool clr_cl_tuning_find(const clr_cl_tuning *t, const uint8_t key[CLR_SHA256_SIZE], size_t lws[3]);
/* Adds or replaces an entry (in memory; clr_cl_tuning_save writes it). */
clr_status clr_cl_tuning_put(clr_cl_tuning *t, const uint8_t key[CLR_SHA256_SIZE], const size_t lws[3],
                             clr_error *err);
/* Writes the table when it changed and there is a folder, first adding the
 * entries another session saved meanwhile (this table's win on a clash);
 * false with a reason otherwise (a failed write also becomes the warning). */
bool clr_cl_tuning_save(clr_cl_tuning *t, char *why, size_t why_size);

size_t clr_cl_tuning_count(const clr_cl_tuning *t);
/* The file's path; NULL for a memory-only table. */
const char *clr_cl_tuning_path(const clr_cl_tuning *t);
/* The first problem met ("tuning file X is damaged; ignored"), or NULL. */
const char *clr_cl_tuning_warning(const clr_cl_tuning *t);

#endif /* CLRUN_BACKEND_OPENCL_CL_TUNING_H */
