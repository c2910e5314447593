/* clrun — device profiles: per-GPU-family defaults and quirks (devices/<family>.conf).
 *
 * Each profile is a small `key = value` text file compiled into the library.
 * Keys: name, match_vendor, match_device, match_version (case-insensitive
 * substrings, `|` between alternatives, tested against CL_DEVICE_VENDOR,
 * CL_DEVICE_NAME and CL_DEVICE_VERSION), storage = buffer|image,
 * fp16 = trusted|untrusted|none, preferred_local_size (caps clrun's own
 * local sizes), auto_local_size = yes|no (launches that leave the local size
 * to the driver get clrun's rule instead, kernels/opencl/gpu_lws.h; default
 * no), max_image_width (0 = the device's limit) and quirks (free-text tokens). A profile with no match_*
 * key is the fallback ("generic").
 *
 * Matching: a profile matches when every match_* key it has matches; among
 * matches the most specific wins (longest total matched pattern text), so
 * "Mali-G710" picks mali-g710 (valhall) over mali-g71 (bifrost); ties go to
 * the first file in name order. No match → the generic profile.
 */
#ifndef CLRUN_BACKEND_OPENCL_DEVICE_PROFILE_H
#define CLRUN_BACKEND_OPENCL_DEVICE_PROFILE_H

#include <stdbool.h>
#include <stddef.h>

#include "clrun/status.h"

typedef enum clr_storage { CLR_STORAGE_BUFFER, CLR_STORAGE_IMAGE } clr_storage;

/* trusted: fp16 is the default where cl_khr_fp16 exists; untrusted: only when
 * asked for (peers report wrong results); none: never. */
typedef enum clr_fp16_trust { CLR_FP16_TRUSTED, CLR_FP16_UNTRUSTED, CLR_FP16_NONE } clr_fp16_trust;

#define CLR_PROFILE_TEXT 256

typedef struct clr_device_profile {
    char name[64];
    char file[64]; /* e.g. "adreno-6xx.conf", for messages */
    char match_vendor[CLR_PROFILE_TEXT];
    char match_device[CLR_PROFILE_TEXT];
    char match_version[CLR_PROFILE_TEXT];
    clr_storage storage;
    clr_fp16_trust fp16;
    unsigned preferred_local_size; /* 0: no preference */
    bool auto_local_size;          /* clrun's rule instead of the driver's for lws NULL */
    unsigned max_image_width;      /* 0: the device's CL_DEVICE_IMAGE2D_MAX_WIDTH */
    char quirks[CLR_PROFILE_TEXT];
} clr_device_profile;

#define CLR_PROFILE_MAX 32

/* All embedded profiles, parsed; a plain value (no heap). */
typedef struct clr_device_profile_table {
    clr_device_profile profiles[CLR_PROFILE_MAX];
    size_t count;
    size_t generic; /* index of the fallback profile */
} clr_device_profile_table;

/* Parses one profile file. `file` names it in errors ("file:line: ..."):
 * CLR_ERR_FORMAT for a line without '=', an unknown key, a bad value, a value
 * too long or a missing `name`. */
clr_status clr_device_profile_parse(const char *file, const char *text, size_t size, clr_device_profile *out,
                                    clr_error *err);

/* Parses every embedded devices/<family>.conf. CLR_ERR_INTERNAL if one is broken or
 * none is a fallback (a bug in the shipped files). */
clr_status clr_device_profile_table_load(clr_device_profile_table *table, clr_error *err);

/* The profile for a device (see matching above); never NULL. */
const clr_device_profile *clr_device_profile_match(const clr_device_profile_table *table, const char *name,
                                                   const char *vendor, const char *version);

/* The profile called `profile_name`, or NULL (for `--profile NAME`). */
const clr_device_profile *clr_device_profile_find(const clr_device_profile_table *table,
                                                  const char *profile_name);

/* Static names: "buffer"/"image", "trusted"/"untrusted"/"none". */
const char *clr_storage_name(clr_storage storage);
const char *clr_fp16_trust_name(clr_fp16_trust fp16);

#endif /* CLRUN_BACKEND_OPENCL_DEVICE_PROFILE_H */
