/* clrun — reading and writing program-cache files, validating everything
 * before a binary is handed to the driver. */
#include "backend/opencl/cl_cache_file.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "backend/opencl/cl_program_cache.h"
#include "core/alloc.h"
#include "core/fs.h"

static const char MAGIC[8] = {'C', 'L', 'R', 'U', 'N', 'B', 'I', 'N'};
enum { HEADER_SIZE = 8 + 4 + CLR_SHA256_SIZE + 8, TRAILER_SIZE = CLR_SHA256_SIZE };
/* Larger files are not ours: real program binaries are at most a few MiB. */
#define MAX_BINARY ((uint64_t)1 << 30)

static void put_le(unsigned char *p, uint64_t v, int bytes) {
    for (int i = 0; i < bytes; i++) p[i] = (unsigned char)(v >> (8 * i));
}

static uint64_t get_le(const unsigned char *p, int bytes) {
    uint64_t v = 0;
    for (int i = bytes - 1; i >= 0; i--) v = v << 8 | p[i];
    return v;
}

static void encode_header(unsigned char h[HEADER_SIZE], const uint8_t key[CLR_SHA256_SIZE], uint64_t size) {
    memcpy(h, MAGIC, 8);
    put_le(h + 8, CLR_CL_CACHE_FORMAT, 4);
    memcpy(h + 12, key, CLR_SHA256_SIZE);
    put_le(h + 12 + CLR_SHA256_SIZE, size, 8);
}

/* Checksum of header + binary, as stored in the trailer. */
static void checksum(const unsigned char h[HEADER_SIZE], const unsigned char *binary, size_t size,
                     uint8_t out[CLR_SHA256_SIZE]) {
    clr_sha256_ctx s;
    clr_sha256_init(&s);
    clr_sha256_update(&s, h, HEADER_SIZE);
    clr_sha256_update(&s, binary, size);
    clr_sha256_final(&s, out);
}

bool clr_cl_cache_file_read(const char *path, const uint8_t key[CLR_SHA256_SIZE], unsigned char **binary,
                            size_t *size) {
    FILE *fp = fopen(path, "rb");
    if (!fp) return false;
    unsigned char h[HEADER_SIZE], expect[HEADER_SIZE], trailer[TRAILER_SIZE];
    unsigned char *bin = NULL;
    bool ok = false;
    if (fread(h, 1, sizeof h, fp) != sizeof h) goto done;
    uint64_t len = get_le(h + 12 + CLR_SHA256_SIZE, 8);
    encode_header(expect, key, len);
    if (memcmp(h, expect, sizeof h) != 0 || len == 0 || len > MAX_BINARY) goto done;
    bin = clr_malloc((size_t)len);
    if (!bin || fread(bin, 1, (size_t)len, fp) != len || fread(trailer, 1, sizeof trailer, fp) != sizeof trailer ||
        fgetc(fp) != EOF)
        goto done;
    uint8_t sum[CLR_SHA256_SIZE];
    checksum(h, bin, (size_t)len, sum);
    if (memcmp(sum, trailer, sizeof sum) != 0) goto done;
    *binary = bin, *size = (size_t)len;
    bin = NULL;
    ok = true;
done:
    free(bin);
    fclose(fp);
    return ok;
}

bool clr_cl_cache_file_write(const char *dir, const char *path, const uint8_t key[CLR_SHA256_SIZE],
                             const unsigned char *binary, size_t size, char *why, size_t why_size) {
    if (!clr_make_dirs(dir, why, why_size)) return false;
    char tmp[4200];
    if ((size_t)snprintf(tmp, sizeof tmp, "%s.tmp.%ld", path, (long)getpid()) >= sizeof tmp) {
        snprintf(why, why_size, "cache path too long: %s", path);
        return false;
    }
    unsigned char h[HEADER_SIZE];
    uint8_t sum[CLR_SHA256_SIZE];
    encode_header(h, key, size);
    checksum(h, binary, size, sum);
    FILE *fp = fopen(tmp, "wb");
    if (!fp) {
        snprintf(why, why_size, "cannot write %s: %s", tmp, strerror(errno));
        return false;
    }
    bool ok = fwrite(h, 1, sizeof h, fp) == sizeof h && fwrite(binary, 1, size, fp) == size &&
              fwrite(sum, 1, sizeof sum, fp) == sizeof sum;
    int saved_errno = errno;
    /* fclose flushes: a full disk often shows up only here. */
    if (fclose(fp) != 0 && ok) ok = false, saved_errno = errno;
    if (ok && rename(tmp, path) != 0) ok = false, saved_errno = errno;
    if (!ok) {
        snprintf(why, why_size, "cannot write %s: %s", tmp, strerror(saved_errno));
        remove(tmp);
    }
    return ok;
}
