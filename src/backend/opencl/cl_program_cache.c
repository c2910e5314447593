/* clrun — OpenCL program cache (design notes in cl_program_cache.h). */
#include "backend/opencl/cl_program_cache.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "backend/opencl/cl_cache_file.h"
#include "backend/opencl/cl_sources.h"
#include "core/alloc.h"
#include "core/error.h"
#include "core/sha256.h"

/* Source of shared macros, prepended to every program as its own string. */
#define COMMON_SOURCE "common.h"
/* Every program is OpenCL C 1.2, whatever the driver's default. */
#define STD_OPTION "-cl-std=CL1.2"

typedef struct kernel_entry {
    char *name;
    cl_kernel kernel;
} kernel_entry;

typedef struct program_entry {
    char *file;
    char *options; /* as the caller gave them ("" for NULL) */
    cl_program program;
    kernel_entry *kernels;
    size_t kernel_count;
} program_entry;

struct clr_cl_program_cache {
    cl_context context;
    cl_device_id device;
    char *identity;
    char *dir; /* NULL: no disk cache (off, or disabled after a write failure) */
    program_entry *programs;
    size_t program_count;
    clr_cl_cache_stats stats;
    char warning[600]; /* room for "program cache off: " + a 512-byte reason */
};

static char *dup_string(const char *s) {
    size_t len = strlen(s) + 1;
    char *d = clr_malloc(len);
    if (d) memcpy(d, s, len);
    return d;
}

static double now_seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

clr_status clr_cl_program_cache_create(cl_context context, cl_device_id device, const char *identity,
                                       const char *dir, clr_cl_program_cache **out, clr_error *err) {
    clr_cl_program_cache *c = clr_calloc(1, sizeof *c);
    if (!c) return clr_error_set(err, CLR_ERR_NOMEM, "program cache: out of memory");
    c->context = context;
    c->device = device;
    c->identity = dup_string(identity);
    c->dir = dir ? dup_string(dir) : NULL;
    if (!c->identity || (dir && !c->dir)) {
        clr_cl_program_cache_free(c);
        return clr_error_set(err, CLR_ERR_NOMEM, "program cache: out of memory");
    }
    *out = c;
    return CLR_OK;
}

void clr_cl_program_cache_free(clr_cl_program_cache *c) {
    if (!c) return;
    for (size_t i = 0; i < c->program_count; i++) {
        program_entry *p = &c->programs[i];
        for (size_t k = 0; k < p->kernel_count; k++) {
            clReleaseKernel(p->kernels[k].kernel);
            free(p->kernels[k].name);
        }
        free(p->kernels);
        clReleaseProgram(p->program);
        free(p->file);
        free(p->options);
    }
    free(c->programs);
    free(c->identity);
    free(c->dir);
    free(c);
}

clr_cl_cache_stats clr_cl_program_cache_stats(const clr_cl_program_cache *c) { return c->stats; }
const char *clr_cl_program_cache_dir(const clr_cl_program_cache *c) { return c->dir; }
const char *clr_cl_program_cache_warning(const clr_cl_program_cache *c) { return c->warning[0] ? c->warning : NULL; }

/* Records the first warning and turns the disk cache off for this run. */
static void disable_disk(clr_cl_program_cache *c, const char *why) {
    if (!c->warning[0]) snprintf(c->warning, sizeof c->warning, "program cache off: %s", why);
    free(c->dir);
    c->dir = NULL;
}

/* Hashes one length-prefixed field, so ("ab","c") and ("a","bc") differ. */
static void hash_field(clr_sha256_ctx *h, const char *data, size_t size) {
    uint8_t len[8];
    for (int i = 0; i < 8; i++) len[i] = (uint8_t)((uint64_t)size >> (8 * i));
    clr_sha256_update(h, len, sizeof len);
    clr_sha256_update(h, data, size);
}

static void disk_key(const clr_cl_program_cache *c, const clr_cl_source *common, const clr_cl_source *src,
                     const char *full_options, uint8_t key[CLR_SHA256_SIZE]) {
    char format[48];
    int format_len = snprintf(format, sizeof format, "clrun program cache format %d", CLR_CL_CACHE_FORMAT);
    clr_sha256_ctx h;
    clr_sha256_init(&h);
    hash_field(&h, format, (size_t)format_len);
    hash_field(&h, c->identity, strlen(c->identity));
    hash_field(&h, full_options, strlen(full_options));
    hash_field(&h, common->data, common->size);
    hash_field(&h, src->data, src->size);
    clr_sha256_final(&h, key);
}

/* The first lines of the build log, newlines folded, into `out`. */
static void build_log_head(cl_program program, cl_device_id device, char *out, size_t out_size) {
    size_t size = 0;
    out[0] = '\0';
    if (clGetProgramBuildInfo(program, device, CL_PROGRAM_BUILD_LOG, 0, NULL, &size) != CL_SUCCESS || size == 0)
        return;
    char *log = clr_malloc(size + 1);
    if (!log) return;
    if (clGetProgramBuildInfo(program, device, CL_PROGRAM_BUILD_LOG, size, log, NULL) == CL_SUCCESS) {
        log[size] = '\0';
        size_t n = 0;
        for (const char *p = log; *p && n + 1 < out_size; p++) {
            if (*p == '\n' && (n == 0 || out[n - 1] == ' ')) continue;
            out[n++] = (*p == '\n' || *p == '\r') ? ' ' : *p;
        }
        out[n] = '\0';
    }
    free(log);
}

static clr_status build_from_source(clr_cl_program_cache *c, const char *file, const clr_cl_source *common,
                                    const clr_cl_source *src, const char *full_options, cl_program *out,
                                    clr_error *err) {
    const char *strings[2] = {common->data, src->data};
    size_t lengths[2] = {common->size, src->size};
    cl_int rc;
    cl_program program = clCreateProgramWithSource(c->context, 2, strings, lengths, &rc);
    if (rc != CL_SUCCESS) {
        char what[256];
        snprintf(what, sizeof what, "clCreateProgramWithSource(%s)", file);
        return clr_cl_check(err, rc, what);
    }
    double t0 = now_seconds();
    rc = clBuildProgram(program, 1, &c->device, full_options, NULL, NULL);
    c->stats.compile_seconds += now_seconds() - t0;
    c->stats.misses++;
    if (rc != CL_SUCCESS) {
        char log[400];
        build_log_head(program, c->device, log, sizeof log);
        clReleaseProgram(program);
        return clr_error_set(err, rc == CL_BUILD_PROGRAM_FAILURE ? CLR_ERR_BUILD : CLR_ERR_OPENCL,
                             "clBuildProgram(%s): %s (%d): %s", file, clr_cl_error_name(rc), (int)rc, log);
    }
    *out = program;
    return CLR_OK;
}

/* A program from the disk cache file `path`, or NULL on any problem (a miss). */
static cl_program load_from_disk(clr_cl_program_cache *c, const char *path, const uint8_t key[CLR_SHA256_SIZE],
                                 const char *full_options) {
    double t0 = now_seconds();
    unsigned char *binary;
    size_t size;
    if (!clr_cl_cache_file_read(path, key, &binary, &size)) return NULL;
    cl_int rc, binary_status;
    const unsigned char *bins[1] = {binary};
    cl_program program = clCreateProgramWithBinary(c->context, 1, &c->device, &size, bins, &binary_status, &rc);
    free(binary);
    if (rc != CL_SUCCESS) return NULL;
    if (binary_status != CL_SUCCESS || clBuildProgram(program, 1, &c->device, full_options, NULL, NULL) != CL_SUCCESS) {
        clReleaseProgram(program);
        return NULL;
    }
    c->stats.load_seconds += now_seconds() - t0;
    c->stats.disk_hits++;
    return program;
}

/* Stores the device binary of `program`; failures only disable the disk cache. */
static void save_to_disk(clr_cl_program_cache *c, const char *path, const uint8_t key[CLR_SHA256_SIZE],
                         cl_program program) {
    size_t size = 0;
    cl_int rc = clGetProgramInfo(program, CL_PROGRAM_BINARY_SIZES, sizeof size, &size, NULL);
    if (rc != CL_SUCCESS || size == 0) {
        char why[128];
        snprintf(why, sizeof why, "clGetProgramInfo(CL_PROGRAM_BINARY_SIZES): %s", clr_cl_error_name(rc));
        disable_disk(c, why);
        return;
    }
    unsigned char *binary = clr_malloc(size);
    if (!binary) {
        disable_disk(c, "out of memory for a program binary");
        return;
    }
    unsigned char *bins[1] = {binary};
    rc = clGetProgramInfo(program, CL_PROGRAM_BINARIES, sizeof bins, bins, NULL);
    char why[512];
    if (rc != CL_SUCCESS) {
        snprintf(why, sizeof why, "clGetProgramInfo(CL_PROGRAM_BINARIES): %s", clr_cl_error_name(rc));
        disable_disk(c, why);
    } else if (!clr_cl_cache_file_write(c->dir, path, key, binary, size, why, sizeof why)) {
        disable_disk(c, why);
    }
    free(binary);
}

/* Builds the program for (file, options): from the disk cache when possible,
 * else from source (then saved to disk). */
static clr_status build_program(clr_cl_program_cache *c, const char *file, const char *options, cl_program *out,
                                clr_error *err) {
    clr_cl_source common = {0}, src = {0};
    clr_status status = clr_cl_source_load(COMMON_SOURCE, &common, err);
    if (status == CLR_OK) status = clr_cl_source_load(file, &src, err);
    char *full_options = NULL;
    if (status == CLR_OK) {
        size_t len = sizeof STD_OPTION + 1 + strlen(options);
        full_options = clr_malloc(len);
        if (!full_options) status = clr_error_set(err, CLR_ERR_NOMEM, "%s: out of memory", file);
        else snprintf(full_options, len, "%s%s%s", STD_OPTION, options[0] ? " " : "", options);
    }
    if (status != CLR_OK) goto done;

    uint8_t key[CLR_SHA256_SIZE];
    char path[4200] = "";
    cl_program program = NULL;
    if (c->dir) {
        char hex[2 * CLR_SHA256_SIZE + 1];
        disk_key(c, &common, &src, full_options, key);
        clr_sha256_hex(key, hex);
        snprintf(path, sizeof path, "%s/%s.bin", c->dir, hex);
        program = load_from_disk(c, path, key, full_options);
    }
    if (!program) {
        status = build_from_source(c, file, &common, &src, full_options, &program, err);
        if (status == CLR_OK && c->dir) save_to_disk(c, path, key, program);
    }
    if (status == CLR_OK) *out = program;
done:
    free(full_options);
    clr_cl_source_release(&src);
    clr_cl_source_release(&common);
    return status;
}

static clr_status find_program(clr_cl_program_cache *c, const char *file, const char *options,
                               program_entry **out, clr_error *err) {
    for (size_t i = 0; i < c->program_count; i++) {
        program_entry *p = &c->programs[i];
        if (strcmp(p->file, file) == 0 && strcmp(p->options, options) == 0) {
            c->stats.memory_hits++;
            *out = p;
            return CLR_OK;
        }
    }
    program_entry *grown = clr_realloc(c->programs, (c->program_count + 1) * sizeof *grown);
    if (!grown) return clr_error_set(err, CLR_ERR_NOMEM, "%s: out of memory", file);
    c->programs = grown;
    program_entry e = {dup_string(file), dup_string(options), NULL, NULL, 0};
    clr_status status = e.file && e.options ? build_program(c, file, options, &e.program, err)
                                            : clr_error_set(err, CLR_ERR_NOMEM, "%s: out of memory", file);
    if (status != CLR_OK) {
        free(e.file);
        free(e.options);
        return status;
    }
    c->programs[c->program_count] = e;
    *out = &c->programs[c->program_count++];
    return CLR_OK;
}

clr_status clr_cl_program_cache_kernel(clr_cl_program_cache *c, const char *cl_file, const char *options,
                                       const char *kernel_name, cl_kernel *out, clr_error *err) {
    program_entry *p = NULL;
    clr_status status = find_program(c, cl_file, options ? options : "", &p, err);
    if (status != CLR_OK) return status;
    for (size_t k = 0; k < p->kernel_count; k++) {
        if (strcmp(p->kernels[k].name, kernel_name) == 0) {
            *out = p->kernels[k].kernel;
            return CLR_OK;
        }
    }
    kernel_entry *grown = clr_realloc(p->kernels, (p->kernel_count + 1) * sizeof *grown);
    if (!grown) return clr_error_set(err, CLR_ERR_NOMEM, "%s: out of memory", cl_file);
    p->kernels = grown;
    kernel_entry e = {dup_string(kernel_name), NULL};
    if (!e.name) return clr_error_set(err, CLR_ERR_NOMEM, "%s: out of memory", cl_file);
    cl_int rc;
    e.kernel = clCreateKernel(p->program, kernel_name, &rc);
    if (rc != CL_SUCCESS) {
        free(e.name);
        return clr_error_set(err, CLR_ERR_OPENCL, "clCreateKernel(%s, %s): %s (%d)", cl_file, kernel_name,
                             clr_cl_error_name(rc), (int)rc);
    }
    p->kernels[p->kernel_count++] = e;
    *out = e.kernel;
    return CLR_OK;
}
