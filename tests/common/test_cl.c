/* clrun tests — OpenCL device probe and temporary folders (see test_cl.h). */
#include "test_cl.h"

#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "test_models.h"

int clr_test_cl_require(void) {
    cl_uint nplat = 0, total = 0;
    cl_platform_id plats[16];
    if (clGetPlatformIDs(16, plats, &nplat) == CL_SUCCESS) {
        if (nplat > 16) nplat = 16;
        for (cl_uint p = 0; p < nplat; p++) {
            cl_uint n = 0;
            if (clGetDeviceIDs(plats[p], CL_DEVICE_TYPE_ALL, 0, NULL, &n) == CL_SUCCESS) total += n;
        }
    }
    if (total > 0) return 0;
    const char *ci = getenv("CI");
    bool in_ci = ci && strcmp(ci, "true") == 0;
    fprintf(stderr, "no OpenCL device (%u platforms)%s\n", (unsigned)nplat,
            in_ci ? ": failing because CI=true" : ": skipping (install pocl-opencl-icd for a CPU device)");
    return in_ci ? 1 : CLR_TEST_SKIP;
}

void clr_test_make_temp_dir(char *path) {
    const char *tmp = getenv("TMPDIR");
    snprintf(path, 256, "%s/clrun-test-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(path)) {
        perror("mkdtemp");
        exit(1);
    }
}

void clr_test_remove_dir(const char *path) {
    DIR *d = opendir(path);
    if (!d) return;
    struct dirent *e;
    char file[1024];
    while ((e = readdir(d))) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
        snprintf(file, sizeof file, "%s/%s", path, e->d_name);
        remove(file);
    }
    closedir(d);
    rmdir(path);
}

void clr_test_cl_check_elementwise(clr_cl *cl, const char *kernel_name, size_t n) {
    float *in = malloc(n * sizeof *in), *out = malloc(n * sizeof *out);
    assert_non_null(in);
    assert_non_null(out);
    clr_test_rng rng = {0x9e3779b97f4a7c15ull};
    for (size_t i = 0; i < n; i++) in[i] = (float)(clr_test_rng_next(&rng) % 2001) / 100.0f - 10.0f;
    clr_error err = {{0}};
    cl_kernel k;
    assert_int_equal(clr_cl_kernel(cl, "elementwise.cl", kernel_name, NULL, &k, &err), CLR_OK);
    cl_int rc;
    cl_mem src = clCreateBuffer(cl->context, CL_MEM_READ_ONLY | CL_MEM_COPY_HOST_PTR, n * sizeof *in, in, &rc);
    assert_int_equal(rc, CL_SUCCESS);
    cl_mem dst = clCreateBuffer(cl->context, CL_MEM_WRITE_ONLY, n * sizeof *out, NULL, &rc);
    assert_int_equal(rc, CL_SUCCESS);
    cl_uint count = (cl_uint)n;
    assert_int_equal(clSetKernelArg(k, 0, sizeof src, &src), CL_SUCCESS);
    assert_int_equal(clSetKernelArg(k, 1, sizeof dst, &dst), CL_SUCCESS);
    assert_int_equal(clSetKernelArg(k, 2, sizeof count, &count), CL_SUCCESS);
    /* Rounded up past n, so the kernels' bounds check is exercised too. */
    size_t gws = (n + 63) / 64 * 64;
    assert_int_equal(clEnqueueNDRangeKernel(cl->queue, k, 1, NULL, &gws, NULL, 0, NULL, NULL), CL_SUCCESS);
    assert_int_equal(clEnqueueReadBuffer(cl->queue, dst, CL_TRUE, 0, n * sizeof *out, out, 0, NULL, NULL),
                     CL_SUCCESS);
    bool relu = strcmp(kernel_name, "relu_f32") == 0;
    size_t bad = 0;
    for (size_t i = 0; i < n; i++) {
        float want = relu && in[i] < 0 ? 0.0f : in[i];
        if (memcmp(&want, &out[i], sizeof want) != 0 && !(want == 0 && out[i] == 0)) bad++;
    }
    assert_int_equal(bad, 0);
    clReleaseMemObject(src);
    clReleaseMemObject(dst);
    free(in);
    free(out);
}
