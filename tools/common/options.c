/* clrun tools — shared option parsing (see options.h). */
#include "options.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

void clr_tool_options_init(clr_tool_options *o) {
    memset(o, 0, sizeof *o);
    o->seed = 1;
}

void clr_tool_usage_options(FILE *out) {
    fprintf(out,
            "  --input NAME=FILE         .npy file, or an image (JPEG/PNG/BMP…) made into [1,3,H,W]\n"
            "                            ([1,1,H,W] grayscale for an input declared with 1 channel)\n"
            "  --input-shape NAME=D,D,…  shape of a random input (dynamic dims, old formats)\n"
            "  --seed N                  seed of random inputs (default 1)\n"
            "  --crop X,Y,W,H            image: crop before resizing\n"
            "  --resize HxW              image: resize (bilinear)\n"
            "  --scale S                 image: pixel * S first (default 1/255)\n"
            "  --mean A,B,C --std A,B,C  image: then (v - mean) / std per channel\n"
            "  --bgr                     image: channel order B,G,R\n"
            "  --device D                cpu | gpu | gpu:N | auto (default: a GPU if any, else any\n"
            "                            OpenCL device, else the CPU)\n"
            "  --placement P             auto (default) | model (follow opt's targets) | cpu | gpu\n"
            "  --strict                  an op falling back to the CPU at run time is an error\n"
            "  --no-cache                do not use the on-disk kernel cache (CLRUN_CACHE_DIR)\n"
            "  --tune                    measure work-group sizes of launches not tuned yet (the first\n"
            "                            run repeats until done) and keep the winners in the cache\n"
            "  --threads N               CPU kernel threads (default: the machine's cores; 1 = none)\n");
}

clr_session_options clr_tool_session_options(const clr_tool_options *o) {
    return (clr_session_options){.device = o->device, .placement = o->placement, .strict = o->strict,
                                 .no_cache = o->no_cache, .tune = o->tune, .threads = o->threads};
}

int clr_tool_parse_list(const char *s, char sep, double *out, int max) {
    int n = 0;
    while (*s) {
        char *end;
        errno = 0;
        double v = strtod(s, &end);
        if (end == s || errno || n == max) return -1;
        out[n++] = v;
        if (*end == '\0') break;
        if (*end != sep) return -1;
        s = end + 1;
    }
    return n;
}

static clr_tool_parsed bad(const char *tool, const char *what, const char *value) {
    fprintf(stderr, "%s: bad %s '%s'\n", tool, what, value);
    return CLR_TOOL_BAD;
}

/* Splits NAME=VALUE at the last '=' (names may contain '='-free '@' and '/'). */
static const char *split_binding(char *arg) {
    char *eq = strrchr(arg, '=');
    if (!eq || eq == arg) return NULL;
    *eq = '\0';
    return eq + 1;
}

static clr_tool_parsed parse_binding(const char *tool, const char *a, char *arg, clr_tool_options *o) {
    bool shape = strcmp(a, "--input-shape") == 0;
    int *count = shape ? &o->nshapes : &o->ninputs;
    const char *value = split_binding(arg);
    if (!value || *count == CLR_TOOL_MAX_BINDINGS) return bad(tool, a, arg);
    if (!shape) {
        o->input_names[*count] = arg;
        o->input_files[(*count)++] = value;
        return CLR_TOOL_TAKEN;
    }
    double nums[CLR_MAX_DIMS];
    int n = clr_tool_parse_list(value, ',', nums, CLR_MAX_DIMS);
    if (n <= 0) return bad(tool, a, value);
    for (int d = 0; d < n; d++) {
        if (nums[d] < 0 || nums[d] != (double)(int64_t)nums[d]) return bad(tool, a, value);
        o->shape_dims[*count][d] = (int64_t)nums[d];
    }
    o->shape_names[*count] = arg;
    o->shape_ndims[(*count)++] = n;
    return CLR_TOOL_TAKEN;
}

static const char *const valued[] = {"--input", "--input-shape", "--seed", "--crop", "--resize", "--scale",
                                     "--mean", "--std", "--device", "--placement", "--threads", NULL};

/* One of `valued`, with its value v. */
static clr_tool_parsed parse_valued(const char *tool, const char *a, char *v, clr_tool_options *o) {
    double nums[4];
    if (strcmp(a, "--input") == 0 || strcmp(a, "--input-shape") == 0) return parse_binding(tool, a, v, o);
    if (strcmp(a, "--seed") == 0) {
        char *end;
        o->seed = strtoull(v, &end, 10);
        return *end ? bad(tool, a, v) : CLR_TOOL_TAKEN;
    }
    if (strcmp(a, "--threads") == 0) {
        char *end;
        long t = strtol(v, &end, 10);
        if (*end || end == v || t < 1 || t > 1024) return bad(tool, a, v);
        o->threads = (int32_t)t;
        return CLR_TOOL_TAKEN;
    }
    if (strcmp(a, "--crop") == 0) {
        if (clr_tool_parse_list(v, ',', nums, 4) != 4) return bad(tool, a, v);
        for (int k = 0; k < 4; k++) o->prep.crop[k] = (int)nums[k];
    } else if (strcmp(a, "--resize") == 0) {
        if (clr_tool_parse_list(v, 'x', nums, 2) != 2 || nums[0] < 1 || nums[1] < 1) return bad(tool, a, v);
        o->prep.resize_h = (int)nums[0], o->prep.resize_w = (int)nums[1];
    } else if (strcmp(a, "--scale") == 0) {
        if (clr_tool_parse_list(v, ',', nums, 1) != 1 || nums[0] == 0) return bad(tool, a, v);
        o->prep.scale = (float)nums[0];
    } else if (strcmp(a, "--mean") == 0 || strcmp(a, "--std") == 0) {
        float *dst = strcmp(a, "--mean") == 0 ? o->prep.mean : o->prep.std;
        if (clr_tool_parse_list(v, ',', nums, 3) != 3) return bad(tool, a, v);
        if (dst == o->prep.std && (nums[0] == 0 || nums[1] == 0 || nums[2] == 0)) return bad(tool, a, v);
        for (int k = 0; k < 3; k++) dst[k] = (float)nums[k];
    } else if (strcmp(a, "--device") == 0) {
        o->device = v;
    } else { /* --placement, the last of `valued` */
        o->placement = v;
    }
    return CLR_TOOL_TAKEN;
}

clr_tool_parsed clr_tool_parse_option(const char *tool, int argc, char **argv, int *i, clr_tool_options *o) {
    const char *a = argv[*i];
    if (a[0] != '-') {
        if (o->model) return bad(tool, "extra argument", a);
        o->model = a;
        return CLR_TOOL_TAKEN;
    }
    bool *flag = strcmp(a, "--bgr") == 0        ? &o->prep.bgr
                 : strcmp(a, "--strict") == 0   ? &o->strict
                 : strcmp(a, "--no-cache") == 0 ? &o->no_cache
                 : strcmp(a, "--tune") == 0     ? &o->tune
                                                : NULL;
    if (flag) {
        *flag = true;
        return CLR_TOOL_TAKEN;
    }
    bool is_valued = false;
    for (const char *const *v = valued; *v; v++) is_valued |= strcmp(a, *v) == 0;
    if (!is_valued) return CLR_TOOL_UNKNOWN;
    if (*i + 1 >= argc) return bad(tool, "option without a value", a);
    return parse_valued(tool, a, argv[++*i], o);
}

bool clr_tool_parse_int(const char *s, long min, long max, int *out) {
    char *end;
    long v = strtol(s, &end, 10);
    if (*s == '\0' || *end || v < min || v > max) return false;
    *out = (int)v;
    return true;
}
