/* clrun — OpenCL device selection, context and queue, device facts. */
#include "backend/opencl/cl_runtime.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend/opencl/cl_program_cache.h"
#include "backend/opencl/cl_tuning.h"
#include "core/alloc.h"
#include "core/error.h"

/* Returned by the ICD loader when no platform is installed (cl_khr_icd). */
#define ICD_NO_PLATFORM (-1001)

typedef struct device_choice {
    bool prefer_gpu; /* "auto" */
    unsigned long index;
} device_choice;

static clr_status parse_device(const char *s, device_choice *c, clr_error *err) {
    c->prefer_gpu = false;
    c->index = 0;
    if (!s || strcmp(s, "auto") == 0) {
        c->prefer_gpu = true;
        return CLR_OK;
    }
    if (strcmp(s, "gpu") == 0) return CLR_OK;
    if (strncmp(s, "gpu:", 4) == 0 && isdigit((unsigned char)s[4])) {
        char *end;
        c->index = strtoul(s + 4, &end, 10);
        if (*end == '\0') return CLR_OK;
    }
    return clr_error_set(err, CLR_ERR_ARG, "bad OpenCL device '%s' (expected gpu, gpu:N or auto)", s);
}

/* Finds the device `choice` names across all platforms, in enumeration order. */
static clr_status pick_device(const device_choice *choice, cl_platform_id *platform, cl_device_id *device,
                              clr_error *err) {
    clr_status status = CLR_OK;
    cl_uint nplat = 0;
    cl_platform_id *plats = NULL;
    cl_device_id *devs = NULL;
    cl_int rc = clGetPlatformIDs(0, NULL, &nplat);
    if (rc == ICD_NO_PLATFORM) nplat = 0;
    else CLR_CL_TRY(err, rc, "clGetPlatformIDs");
    if (nplat > 0) {
        plats = clr_calloc(nplat, sizeof *plats);
        if (!plats) return clr_error_set(err, CLR_ERR_NOMEM, "OpenCL platforms: out of memory");
        CLR_CL_TRY(err, clGetPlatformIDs(nplat, plats, NULL), "clGetPlatformIDs");
    }
    unsigned long seen = 0;
    bool found = false;
    for (cl_uint p = 0; p < nplat; p++) {
        cl_uint ndev = 0;
        rc = clGetDeviceIDs(plats[p], CL_DEVICE_TYPE_ALL, 0, NULL, &ndev);
        if (rc == CL_DEVICE_NOT_FOUND || ndev == 0) continue;
        CLR_CL_TRY(err, rc, "clGetDeviceIDs");
        free(devs);
        devs = clr_calloc(ndev, sizeof *devs);
        if (!devs) {
            status = clr_error_set(err, CLR_ERR_NOMEM, "OpenCL devices: out of memory");
            goto fail;
        }
        CLR_CL_TRY(err, clGetDeviceIDs(plats[p], CL_DEVICE_TYPE_ALL, ndev, devs, NULL), "clGetDeviceIDs");
        for (cl_uint d = 0; d < ndev; d++, seen++) {
            cl_device_type type = 0;
            CLR_CL_TRY(err, clGetDeviceInfo(devs[d], CL_DEVICE_TYPE, sizeof type, &type, NULL), "clGetDeviceInfo");
            bool take = choice->prefer_gpu ? (type & CL_DEVICE_TYPE_GPU) != 0 : seen == choice->index;
            /* "auto" without any GPU falls back to the very first device. */
            if (take || (choice->prefer_gpu && !found && seen == 0)) {
                *platform = plats[p], *device = devs[d];
                found = true;
                if (take) goto done;
            }
        }
    }
done:
    if (!found) {
        if (seen == 0)
            status = clr_error_set(err, CLR_ERR_UNSUPPORTED, "no OpenCL device found (ICD loader found %u platforms)",
                                   (unsigned)nplat);
        else
            status = clr_error_set(err, CLR_ERR_UNSUPPORTED, "no OpenCL device gpu:%lu (%lu devices found)",
                                   choice->index, seen);
    }
fail:
    free(devs);
    free(plats);
    return status;
}

/* Copies a device or platform string query into `buf` (truncated to fit). */
static clr_status info_string(cl_device_id dev, cl_platform_id plat, cl_uint param, char *buf, size_t cap,
                              clr_error *err) {
    size_t size = 0;
    cl_int rc = dev ? clGetDeviceInfo(dev, param, 0, NULL, &size) : clGetPlatformInfo(plat, param, 0, NULL, &size);
    if (rc != CL_SUCCESS) return clr_cl_check(err, rc, dev ? "clGetDeviceInfo" : "clGetPlatformInfo");
    char *tmp = clr_malloc(size + 1);
    if (!tmp) return clr_error_set(err, CLR_ERR_NOMEM, "OpenCL device info: out of memory");
    rc = dev ? clGetDeviceInfo(dev, param, size, tmp, NULL) : clGetPlatformInfo(plat, param, size, tmp, NULL);
    tmp[size] = '\0';
    snprintf(buf, cap, "%s", tmp);
    free(tmp);
    return clr_cl_check(err, rc, dev ? "clGetDeviceInfo" : "clGetPlatformInfo");
}

static clr_status query_info(cl_platform_id plat, cl_device_id dev, clr_cl_device_info *info, clr_error *err) {
    clr_status status = CLR_OK;
    char extensions[8192];
    const struct {
        cl_uint param;
        char *buf;
        size_t cap;
    } strings[] = {
        {CL_DEVICE_NAME, info->name, sizeof info->name},
        {CL_DEVICE_VENDOR, info->vendor, sizeof info->vendor},
        {CL_DEVICE_VERSION, info->device_version, sizeof info->device_version},
        {CL_DRIVER_VERSION, info->driver_version, sizeof info->driver_version},
        {CL_DEVICE_EXTENSIONS, extensions, sizeof extensions},
    };
    for (size_t i = 0; i < sizeof strings / sizeof strings[0] && status == CLR_OK; i++)
        status = info_string(dev, NULL, strings[i].param, strings[i].buf, strings[i].cap, err);
    if (status == CLR_OK)
        status = info_string(NULL, plat, CL_PLATFORM_NAME, info->platform_name, sizeof info->platform_name, err);
    if (status == CLR_OK)
        status = info_string(NULL, plat, CL_PLATFORM_VERSION, info->platform_version, sizeof info->platform_version,
                             err);
    if (status != CLR_OK) return status;
    cl_bool images = CL_FALSE;
    const struct {
        cl_uint param;
        void *dst;
        size_t size;
    } numbers[] = {
        {CL_DEVICE_TYPE, &info->type, sizeof info->type},
        {CL_DEVICE_GLOBAL_MEM_SIZE, &info->global_mem_size, sizeof info->global_mem_size},
        {CL_DEVICE_LOCAL_MEM_SIZE, &info->local_mem_size, sizeof info->local_mem_size},
        {CL_DEVICE_MAX_MEM_ALLOC_SIZE, &info->max_alloc_size, sizeof info->max_alloc_size},
        {CL_DEVICE_MAX_WORK_GROUP_SIZE, &info->max_work_group_size, sizeof info->max_work_group_size},
        {CL_DEVICE_MAX_COMPUTE_UNITS, &info->compute_units, sizeof info->compute_units},
        {CL_DEVICE_IMAGE_SUPPORT, &images, sizeof images},
        /* 0 on devices without image support. */
        {CL_DEVICE_IMAGE2D_MAX_WIDTH, &info->image2d_max_width, sizeof info->image2d_max_width},
        {CL_DEVICE_IMAGE2D_MAX_HEIGHT, &info->image2d_max_height, sizeof info->image2d_max_height},
    };
    for (size_t i = 0; i < sizeof numbers / sizeof numbers[0]; i++)
        CLR_CL_TRY(err, clGetDeviceInfo(dev, numbers[i].param, numbers[i].size, numbers[i].dst, NULL),
                   "clGetDeviceInfo");
    info->image_support = images == CL_TRUE;
    info->fp16 = strstr(extensions, "cl_khr_fp16") != NULL;
fail:
    return status;
}

/* "OpenCL 1.2 ..." → 12; 0 when unparsable. */
static int cl_version(const char *device_version) {
    int major = 0, minor = 0;
    if (sscanf(device_version, "OpenCL %d.%d", &major, &minor) != 2) return 0;
    return major * 10 + minor;
}

/* The disk cache folder per clr_cl_options.cache_dir, into `buf`; false when
 * none can be derived (no HOME). */
static bool cache_folder(const char *given, char *buf, size_t cap) {
    const char *env;
    int n;
    if (given) n = snprintf(buf, cap, "%s", given);
    else if ((env = getenv("CLRUN_CACHE_DIR")) && *env) n = snprintf(buf, cap, "%s", env);
    else if ((env = getenv("XDG_CACHE_HOME")) && *env) n = snprintf(buf, cap, "%s/clrun", env);
    else if ((env = getenv("HOME")) && *env) n = snprintf(buf, cap, "%s/.cache/clrun", env);
    else return false;
    return n > 0 && (size_t)n < cap;
}

static clr_status match_profile(clr_cl *cl, clr_error *err) {
    clr_device_profile_table *table = clr_malloc(sizeof *table);
    if (!table) return clr_error_set(err, CLR_ERR_NOMEM, "device profiles: out of memory");
    clr_status status = clr_device_profile_table_load(table, err);
    if (status == CLR_OK)
        cl->profile = *clr_device_profile_match(table, cl->info.name, cl->info.vendor, cl->info.device_version);
    free(table);
    return status;
}

clr_status clr_cl_create(const clr_cl_options *opt, clr_cl **out, clr_error *err) {
    static const clr_cl_options defaults = {0};
    if (!opt) opt = &defaults;
    device_choice choice;
    clr_status status = parse_device(opt->device, &choice, err);
    if (status != CLR_OK) return status;
    clr_cl *cl = clr_calloc(1, sizeof *cl);
    if (!cl) return clr_error_set(err, CLR_ERR_NOMEM, "OpenCL runtime: out of memory");
    cl_int rc;
    status = pick_device(&choice, &cl->platform, &cl->device, err);
    if (status == CLR_OK) status = query_info(cl->platform, cl->device, &cl->info, err);
    if (status != CLR_OK) goto fail;
    if (cl_version(cl->info.device_version) < 12) {
        status = clr_error_set(err, CLR_ERR_UNSUPPORTED, "%s: '%s' is older than OpenCL 1.2", cl->info.name,
                               cl->info.device_version);
        goto fail;
    }
    if ((status = match_profile(cl, err)) != CLR_OK) goto fail;

    cl_context_properties props[] = {CL_CONTEXT_PLATFORM, (cl_context_properties)cl->platform, 0};
    cl->context = clCreateContext(props, 1, &cl->device, NULL, NULL, &rc);
    CLR_CL_TRY(err, rc, "clCreateContext");
    /* Tuning times candidates with profiling events. */
    cl->profiling = opt->profiling || opt->tune;
    cl->tune = opt->tune;
    cl->queue = clCreateCommandQueue(cl->context, cl->device, cl->profiling ? CL_QUEUE_PROFILING_ENABLE : 0, &rc);
    CLR_CL_TRY(err, rc, "clCreateCommandQueue");

    char identity[2048], dir[4096];
    snprintf(identity, sizeof identity,
             "device=%s\nvendor=%s\ndriver=%s\ndevice_version=%s\nplatform=%s\nplatform_version=%s\nclrun=%s",
             cl->info.name, cl->info.vendor, cl->info.driver_version, cl->info.device_version,
             cl->info.platform_name, cl->info.platform_version, CLR_VERSION_STRING);
    bool disk = !opt->no_cache && cache_folder(opt->cache_dir, dir, sizeof dir);
    status = clr_cl_program_cache_create(cl->context, cl->device, identity, disk ? dir : NULL, &cl->programs, err);
    if (status == CLR_OK) status = clr_cl_tuning_create(disk ? dir : NULL, identity, &cl->tuning, err);
    if (status != CLR_OK) goto fail;
    *out = cl;
    return CLR_OK;
fail:
    clr_cl_free(cl);
    return status;
}

void clr_cl_free(clr_cl *cl) {
    if (!cl) return;
    /* Kernels and programs first: they hold references to the context. */
    clr_cl_program_cache_free(cl->programs);
    clr_cl_tuning_free(cl->tuning);
    if (cl->queue) clReleaseCommandQueue(cl->queue);
    if (cl->context) clReleaseContext(cl->context);
    free(cl);
}

clr_status clr_cl_kernel(clr_cl *cl, const char *cl_file, const char *kernel_name, const char *build_options,
                         cl_kernel *out, clr_error *err) {
    if (!cl || !cl_file || !kernel_name || !out)
        return clr_error_set(err, CLR_ERR_ARG, "clr_cl_kernel: NULL argument");
    return clr_cl_program_cache_kernel(cl->programs, cl_file, build_options, kernel_name, out, err);
}

clr_status clr_cl_kernel_create(clr_cl *cl, const char *cl_file, const char *kernel_name, const char *build_options,
                                cl_kernel *out, clr_error *err) {
    cl_kernel shared;
    clr_status status = clr_cl_kernel(cl, cl_file, kernel_name, build_options, &shared, err);
    if (status != CLR_OK) return status;
    cl_program program;
    cl_int rc = clGetKernelInfo(shared, CL_KERNEL_PROGRAM, sizeof program, &program, NULL);
    if (rc != CL_SUCCESS) return clr_cl_check(err, rc, "clGetKernelInfo(CL_KERNEL_PROGRAM)");
    cl_kernel k = clCreateKernel(program, kernel_name, &rc);
    if (rc != CL_SUCCESS)
        return clr_error_set(err, CLR_ERR_OPENCL, "clCreateKernel(%s, %s): %s (%d)", cl_file, kernel_name,
                             clr_cl_error_name(rc), (int)rc);
    *out = k;
    return CLR_OK;
}
