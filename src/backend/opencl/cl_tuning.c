/* clrun — the work-group tuning file (see cl_tuning.h). */
#include "backend/opencl/cl_tuning.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "backend/opencl/cl_cache_file.h"
#include "core/alloc.h"
#include "core/error.h"

/* Bump when the payload layout changes (it is part of the file's key). */
#define TUNING_FORMAT "clrun tuning file format 1"
static const char PAYLOAD_MAGIC[8] = {'C', 'L', 'R', 'T', 'U', 'N', 'E', '1'};
enum { ENTRY_SIZE = CLR_SHA256_SIZE + 3 * 4, PAYLOAD_HEAD = 8 + 4 };
/* A file with more entries is not ours: a model has a few hundred launches. */
#define MAX_ENTRIES (1u << 20)

typedef struct tuned_entry {
    uint8_t key[CLR_SHA256_SIZE];
    uint32_t lws[3];
} tuned_entry;

struct clr_cl_tuning {
    uint8_t device[CLR_SHA256_SIZE]; /* digest of the identity */
    uint8_t file_key[CLR_SHA256_SIZE];
    char *path; /* NULL: memory only */
    char *dir;
    tuned_entry *entries;
    size_t count, cap;
    bool dirty;
    char warning[512];
};

static void put_u32(unsigned char *p, uint32_t v) {
    for (int i = 0; i < 4; i++) p[i] = (unsigned char)(v >> (8 * i));
}

static uint32_t get_u32(const unsigned char *p) {
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static bool grow(clr_cl_tuning *t, size_t need) {
    if (need <= t->cap) return true;
    size_t cap = t->cap ? t->cap : 64;
    while (cap < need) cap *= 2;
    tuned_entry *e = clr_realloc(t->entries, cap * sizeof *e);
    if (!e) return false;
    t->entries = e, t->cap = cap;
    return true;
}

/* Entries from a payload read back from disk; false when it is malformed. */
static bool parse_payload(clr_cl_tuning *t, const unsigned char *p, size_t size) {
    if (size < PAYLOAD_HEAD || memcmp(p, PAYLOAD_MAGIC, 8) != 0) return false;
    uint32_t n = get_u32(p + 8);
    if (n > MAX_ENTRIES || size != PAYLOAD_HEAD + (size_t)n * ENTRY_SIZE || !grow(t, n)) return false;
    for (uint32_t i = 0; i < n; i++) {
        const unsigned char *e = p + PAYLOAD_HEAD + (size_t)i * ENTRY_SIZE;
        memcpy(t->entries[i].key, e, CLR_SHA256_SIZE);
        for (int d = 0; d < 3; d++) t->entries[i].lws[d] = get_u32(e + CLR_SHA256_SIZE + 4 * d);
    }
    t->count = n;
    return true;
}

/* The entries of the file at t->path into t (empty when there is none);
 * false when a file is there but damaged. */
static bool read_file(clr_cl_tuning *t) {
    struct stat sb;
    if (stat(t->path, &sb) != 0) return true; /* no file yet: nothing tuned */
    unsigned char *payload = NULL;
    size_t size = 0;
    bool ok = clr_cl_cache_file_read(t->path, t->file_key, &payload, &size) && parse_payload(t, payload, size);
    if (!ok) t->count = 0;
    free(payload);
    return ok;
}

static void load(clr_cl_tuning *t) {
    if (!read_file(t))
        snprintf(t->warning, sizeof t->warning, "tuning file %s is damaged or not for this device; ignored", t->path);
}

static char *dup_string(const char *s) {
    size_t n = strlen(s) + 1;
    char *d = clr_malloc(n);
    if (d) memcpy(d, s, n);
    return d;
}

clr_status clr_cl_tuning_create(const char *dir, const char *identity, clr_cl_tuning **out, clr_error *err) {
    clr_cl_tuning *t = clr_calloc(1, sizeof *t);
    if (!t) return clr_error_set(err, CLR_ERR_NOMEM, "tuning table: out of memory");
    clr_sha256(identity, strlen(identity), t->device);
    clr_sha256_ctx h;
    clr_sha256_init(&h);
    clr_sha256_update(&h, TUNING_FORMAT, sizeof TUNING_FORMAT);
    clr_sha256_update(&h, t->device, sizeof t->device);
    clr_sha256_final(&h, t->file_key);
    if (dir) {
        char hex[2 * CLR_SHA256_SIZE + 1];
        clr_sha256_hex(t->file_key, hex);
        size_t len = strlen(dir) + sizeof hex + 8;
        t->path = clr_malloc(len);
        t->dir = dup_string(dir);
        if (!t->path || !t->dir) {
            clr_cl_tuning_free(t);
            return clr_error_set(err, CLR_ERR_NOMEM, "tuning table: out of memory");
        }
        snprintf(t->path, len, "%s/%s.tune", dir, hex);
        load(t);
    }
    *out = t;
    return CLR_OK;
}

void clr_cl_tuning_free(clr_cl_tuning *t) {
    if (!t) return;
    free(t->entries);
    free(t->path);
    free(t->dir);
    free(t);
}

const uint8_t *clr_cl_tuning_device_digest(const clr_cl_tuning *t) { return t->device; }
size_t clr_cl_tuning_count(const clr_cl_tuning *t) { return t->count; }
const char *clr_cl_tuning_path(const clr_cl_tuning *t) { return t->path; }
const char *clr_cl_tuning_warning(const clr_cl_tuning *t) { return t->warning[0] ? t->warning : NULL; }

static tuned_entry *find(const clr_cl_tuning *t, const uint8_t key[CLR_SHA256_SIZE]) {
    for (size_t i = 0; i < t->count; i++)
        if (memcmp(t->entries[i].key, key, CLR_SHA256_SIZE) == 0) return &t->entries[i];
    return NULL;
}

bool clr_cl_tuning_find(const clr_cl_tuning *t, const uint8_t key[CLR_SHA256_SIZE], size_t lws[3]) {
    const tuned_entry *e = find(t, key);
    for (int d = 0; e && d < 3; d++) lws[d] = e->lws[d];
    return e != NULL;
}

clr_status clr_cl_tuning_put(clr_cl_tuning *t, const uint8_t key[CLR_SHA256_SIZE], const size_t lws[3],
                             clr_error *err) {
    tuned_entry *e = find(t, key);
    if (!e) {
        if (!grow(t, t->count + 1)) return clr_error_set(err, CLR_ERR_NOMEM, "tuning table: out of memory");
        e = &t->entries[t->count++];
        memcpy(e->key, key, CLR_SHA256_SIZE);
    }
    for (int d = 0; d < 3; d++) e->lws[d] = (uint32_t)lws[d];
    t->dirty = true;
    return CLR_OK;
}

/* Adds the entries another session saved since this table was loaded
 * (this table's own entries win), so sessions tuning side by side keep
 * each other's winners. */
static bool merge_file(clr_cl_tuning *t) {
    clr_cl_tuning disk = {.path = t->path};
    memcpy(disk.file_key, t->file_key, sizeof disk.file_key);
    bool ok = true;
    if (read_file(&disk))
        for (size_t i = 0; ok && i < disk.count; i++) {
            if (find(t, disk.entries[i].key)) continue;
            ok = grow(t, t->count + 1);
            if (ok) t->entries[t->count++] = disk.entries[i];
        }
    free(disk.entries);
    return ok;
}

bool clr_cl_tuning_save(clr_cl_tuning *t, char *why, size_t why_size) {
    if (!t->path) {
        snprintf(why, why_size, "no disk cache: tuning kept for this session only");
        return false;
    }
    if (!t->dirty) {
        snprintf(why, why_size, "nothing new to save");
        return false;
    }
    if (!merge_file(t)) {
        snprintf(why, why_size, "out of memory merging %.400s", t->path);
        return false;
    }
    size_t size = PAYLOAD_HEAD + t->count * ENTRY_SIZE;
    unsigned char *p = clr_malloc(size);
    if (!p) {
        snprintf(why, why_size, "out of memory writing %s", t->path);
        return false;
    }
    memcpy(p, PAYLOAD_MAGIC, 8);
    put_u32(p + 8, (uint32_t)t->count);
    for (size_t i = 0; i < t->count; i++) {
        unsigned char *e = p + PAYLOAD_HEAD + i * ENTRY_SIZE;
        memcpy(e, t->entries[i].key, CLR_SHA256_SIZE);
        for (int d = 0; d < 3; d++) put_u32(e + CLR_SHA256_SIZE + 4 * d, t->entries[i].lws[d]);
    }
    bool ok = clr_cl_cache_file_write(t->dir, t->path, t->file_key, p, size, why, why_size);
    free(p);
    if (ok) t->dirty = false;
    else if (!t->warning[0]) snprintf(t->warning, sizeof t->warning, "tuning not saved: %s", why);
    return ok;
}
