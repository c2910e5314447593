/* clrun — OpenCL program cache: in memory, and on disk as device binaries.
 *
 * Design (after ggml's cl-program-cache and Paddle-Lite's in-memory map):
 * - Memory: one entry per (source path, build options), each holding its
 *   cl_program and the cl_kernels created from it so far.
 * - Disk: one file per program, named by the hex SHA-256 of everything that
 *   makes a binary valid (source text incl. common.h, full build options,
 *   device identity: name, driver, device and platform versions, clrun's
 *   version, file format version). Content: "CLRUNBIN", u32 format version,
 *   32-byte key hash, u64 binary length, binary, SHA-256 of all before it.
 *   Written to "<name>.tmp.<pid>" and renamed into place right after the
 *   build, so a crash never leaves a half-written entry under the real name.
 * - Anything wrong with a cached file (stale, truncated, foreign, corrupt, or
 *   refused by clCreateProgramWithBinary/clBuildProgram) is a miss: the
 *   program is rebuilt from source and the file overwritten. Mobile drivers
 *   have crashed on reloaded binaries (MACE #329, TNN #878), hence the
 *   checksum before any binary reaches the driver.
 * - A folder that cannot be created or written only disables the disk cache
 *   for this run and records a warning (clr_cl_program_cache_warning).
 */
#ifndef CLRUN_BACKEND_OPENCL_CL_PROGRAM_CACHE_H
#define CLRUN_BACKEND_OPENCL_CL_PROGRAM_CACHE_H

#include "backend/opencl/cl_runtime.h"

/* Bump when the file layout or the key's composition changes. */
#define CLR_CL_CACHE_FORMAT 1

typedef struct clr_cl_cache_stats {
    unsigned long memory_hits; /* program found in memory */
    unsigned long disk_hits;   /* program loaded from a cached binary */
    unsigned long misses;      /* program compiled from source */
    double compile_seconds;    /* clBuildProgram from source, total */
    double load_seconds;       /* reading + clBuildProgram of cached binaries, total */
} clr_cl_cache_stats;

/* `identity` describes the device and driver (it is part of the disk key);
 * `dir` is the disk cache folder, created on first write, or NULL for a
 * memory-only cache. The context and device must outlive the cache. */
clr_status clr_cl_program_cache_create(cl_context context, cl_device_id device, const char *identity,
                                       const char *dir, clr_cl_program_cache **out, clr_error *err);
/* Releases every program and kernel; NULL is a no-op. */
void clr_cl_program_cache_free(clr_cl_program_cache *cache);

/* See clr_cl_kernel (cl_runtime.h); `options` may be NULL. */
clr_status clr_cl_program_cache_kernel(clr_cl_program_cache *cache, const char *cl_file, const char *options,
                                       const char *kernel_name, cl_kernel *out, clr_error *err);

clr_cl_cache_stats clr_cl_program_cache_stats(const clr_cl_program_cache *cache);
/* The disk folder in use; NULL when disk caching is off or was disabled. */
const char *clr_cl_program_cache_dir(const clr_cl_program_cache *cache);
/* First non-fatal problem (e.g. "cannot write /x: Permission denied"), or NULL. */
const char *clr_cl_program_cache_warning(const clr_cl_program_cache *cache);

#endif /* CLRUN_BACKEND_OPENCL_CL_PROGRAM_CACHE_H */
