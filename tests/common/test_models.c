/* clrun tests — shared real-model tier helpers (see test_models.h). */
#include "test_models.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

const char *clr_test_models_dir(void) {
    const char *dir = getenv("CLRUN_MODELS_DIR");
    if (!dir || !*dir) dir = CLR_DEFAULT_MODELS_DIR;
    struct stat sb;
    if (stat(dir, &sb) == 0 && S_ISDIR(sb.st_mode)) return dir;
    fprintf(stderr, "SKIP: shared models not found at '%s' (set CLRUN_MODELS_DIR)%s\n", dir,
            getenv("CI") && strcmp(getenv("CI"), "true") == 0 ? " — FAILING because CI=true" : "");
    return NULL;
}

int clr_test_models_missing(void) {
    const char *ci = getenv("CI");
    return ci && strcmp(ci, "true") == 0 ? 1 : CLR_TEST_SKIP;
}

static int cmp_path(const void *a, const void *b) { return strcmp(a, b); }

size_t clr_test_models_list(char paths[][1024], size_t max) {
    const char *dir = clr_test_models_dir();
    if (!dir) return 0;
    DIR *d = opendir(dir);
    if (!d) return 0;
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d)) && n < max) {
        char p[1024];
        struct stat sb;
        if (e->d_name[0] == '.') continue;
        snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
        if (stat(p, &sb) != 0) continue;
        size_t len = strlen(e->d_name);
        char inner[1100];
        snprintf(inner, sizeof inner, "%s/__model__.nb", p);
        int is_model_dir = S_ISDIR(sb.st_mode) && stat(inner, &sb) == 0;
        int is_nb = !S_ISDIR(sb.st_mode) && len > 3 && strcmp(e->d_name + len - 3, ".nb") == 0;
        if (is_model_dir || is_nb) snprintf(paths[n++], 1024, "%s", p);
    }
    closedir(d);
    qsort(paths, n, 1024, cmp_path);
    return n;
}

unsigned long long clr_test_rng_next(clr_test_rng *r) {
    unsigned long long x = r->s ? r->s : 0x9E3779B97F4A7C15ull;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return r->s = x;
}

unsigned char *clr_test_read_file(const char *path, size_t *size) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *buf = n >= 0 ? malloc((size_t)n + 1) : NULL;
    if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    if (buf) *size = (size_t)n;
    return buf;
}
