/* clrun — parsing and matching device profiles (see device_profile.h). */
#include "backend/opencl/device_profile.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdint.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "backend/opencl/cl_sources.h"
#include "core/error.h"

static const char *const storage_names[] = {"buffer", "image"};
static const char *const fp16_names[] = {"trusted", "untrusted", "none"};

const char *clr_storage_name(clr_storage storage) { return storage_names[storage]; }
const char *clr_fp16_trust_name(clr_fp16_trust fp16) { return fp16_names[fp16]; }

static int lookup_name(const char *const *names, int count, const char *value) {
    for (int i = 0; i < count; i++)
        if (strcmp(names[i], value) == 0) return i;
    return -1;
}

static void trim(const char **begin, const char **end) {
    while (*begin < *end && isspace((unsigned char)**begin)) (*begin)++;
    while (*end > *begin && isspace((unsigned char)(*end)[-1])) (*end)--;
}

/* Applies `key = value` (both NUL-terminated, trimmed) to `p`; on error returns
 * a static description. */
static const char *apply_key(clr_device_profile *p, const char *key, const char *value) {
    struct text_key {
        const char *key;
        char *dst;
        size_t cap;
    } texts[] = {
        {"name", p->name, sizeof p->name},
        {"match_vendor", p->match_vendor, sizeof p->match_vendor},
        {"match_device", p->match_device, sizeof p->match_device},
        {"match_version", p->match_version, sizeof p->match_version},
        {"quirks", p->quirks, sizeof p->quirks},
    };
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        if (strcmp(key, texts[i].key) != 0) continue;
        size_t len = strlen(value);
        if (len >= texts[i].cap) return "value too long";
        memcpy(texts[i].dst, value, len + 1);
        return NULL;
    }
    if (strcmp(key, "storage") == 0) {
        int v = lookup_name(storage_names, 2, value);
        if (v < 0) return "storage must be buffer or image";
        p->storage = (clr_storage)v;
        return NULL;
    }
    if (strcmp(key, "fp16") == 0) {
        int v = lookup_name(fp16_names, 3, value);
        if (v < 0) return "fp16 must be trusted, untrusted or none";
        p->fp16 = (clr_fp16_trust)v;
        return NULL;
    }
    if (strcmp(key, "auto_local_size") == 0) {
        static const char *const yes_no[] = {"no", "yes"};
        int v = lookup_name(yes_no, 2, value);
        if (v < 0) return "auto_local_size must be yes or no";
        p->auto_local_size = v == 1;
        return NULL;
    }
    unsigned *number = strcmp(key, "preferred_local_size") == 0 ? &p->preferred_local_size
                       : strcmp(key, "max_image_width") == 0    ? &p->max_image_width
                                                                : NULL;
    if (!number) return "unknown key";
    char *end;
    errno = 0;
    unsigned long v = strtoul(value, &end, 10);
    if (!isdigit((unsigned char)value[0]) || *end || errno || v > 1u << 20) return "expected a number up to 1048576";
    *number = (unsigned)v;
    return NULL;
}

clr_status clr_device_profile_parse(const char *file, const char *text, size_t size, clr_device_profile *out,
                                    clr_error *err) {
    clr_device_profile p;
    memset(&p, 0, sizeof p);
    p.fp16 = CLR_FP16_UNTRUSTED;
    if (strlen(file) >= sizeof p.file) return clr_error_set(err, CLR_ERR_ARG, "%s: file name too long", file);
    strcpy(p.file, file);
    const char *end = text + size;
    int line_no = 0;
    for (const char *line = text; line < end; line_no++) {
        const char *eol = memchr(line, '\n', (size_t)(end - line));
        if (!eol) eol = end;
        const char *b = line, *e = eol;
        line = eol + 1;
        const char *hash = memchr(b, '#', (size_t)(e - b));
        if (hash) e = hash;
        trim(&b, &e);
        if (b == e) continue;
        const char *eq = memchr(b, '=', (size_t)(e - b));
        if (!eq) return clr_error_set(err, CLR_ERR_FORMAT, "%s:%d: expected 'key = value'", file, line_no + 1);
        const char *kb = b, *ke = eq, *vb = eq + 1, *ve = e;
        trim(&kb, &ke);
        trim(&vb, &ve);
        char key[32], value[CLR_PROFILE_TEXT];
        if ((size_t)(ke - kb) >= sizeof key || kb == ke)
            return clr_error_set(err, CLR_ERR_FORMAT, "%s:%d: bad key", file, line_no + 1);
        if ((size_t)(ve - vb) >= sizeof value)
            return clr_error_set(err, CLR_ERR_FORMAT, "%s:%d: value too long", file, line_no + 1);
        memcpy(key, kb, (size_t)(ke - kb));
        key[ke - kb] = '\0';
        memcpy(value, vb, (size_t)(ve - vb));
        value[ve - vb] = '\0';
        const char *problem = apply_key(&p, key, value);
        if (problem)
            return clr_error_set(err, CLR_ERR_FORMAT, "%s:%d: %s: %s = %s", file, line_no + 1, problem, key, value);
    }
    if (!p.name[0]) return clr_error_set(err, CLR_ERR_FORMAT, "%s: no 'name' key", file);
    *out = p;
    return CLR_OK;
}

clr_status clr_device_profile_table_load(clr_device_profile_table *table, clr_error *err) {
    if (clr_device_confs_count > CLR_PROFILE_MAX)
        return clr_error_set(err, CLR_ERR_INTERNAL, "%zu device profiles, at most %d supported",
                             clr_device_confs_count, CLR_PROFILE_MAX);
    size_t generic = SIZE_MAX;
    for (size_t i = 0; i < clr_device_confs_count; i++) {
        const clr_embedded_file *f = &clr_device_confs[i];
        clr_device_profile *p = &table->profiles[i];
        clr_status st = clr_device_profile_parse(f->path, f->data, f->size, p, err);
        if (st != CLR_OK) return clr_error_prefix(err, CLR_ERR_INTERNAL, "embedded device profile");
        if (!p->match_vendor[0] && !p->match_device[0] && !p->match_version[0]) generic = i;
    }
    if (generic == SIZE_MAX) return clr_error_set(err, CLR_ERR_INTERNAL, "no fallback device profile");
    table->count = clr_device_confs_count;
    table->generic = generic;
    return CLR_OK;
}

/* Case-insensitive strstr. */
static bool contains_nocase(const char *hay, const char *needle, size_t len) {
    for (; *hay; hay++) {
        size_t i = 0;
        while (i < len && hay[i] && tolower((unsigned char)hay[i]) == tolower((unsigned char)needle[i])) i++;
        if (i == len) return true;
    }
    return false;
}

/* Length of the longest `|`-alternative of `patterns` found in `text`; 0 when
 * none is (or `text` is NULL). An empty `patterns` matches with length 0. */
static size_t match_length(const char *patterns, const char *text, bool *matched) {
    size_t best = 0;
    *matched = !patterns[0];
    if (!patterns[0] || !text) return 0;
    for (const char *alt = patterns; *alt;) {
        const char *bar = strchr(alt, '|');
        size_t len = bar ? (size_t)(bar - alt) : strlen(alt);
        if (len > 0 && contains_nocase(text, alt, len)) {
            *matched = true;
            if (len > best) best = len;
        }
        alt += bar ? len + 1 : len;
    }
    return best;
}

const clr_device_profile *clr_device_profile_match(const clr_device_profile_table *table, const char *name,
                                                   const char *vendor, const char *version) {
    const clr_device_profile *best = &table->profiles[table->generic];
    size_t best_score = 0;
    for (size_t i = 0; i < table->count; i++) {
        const clr_device_profile *p = &table->profiles[i];
        if (i == table->generic) continue;
        bool mv, md, mr;
        size_t score = match_length(p->match_vendor, vendor, &mv) + match_length(p->match_device, name, &md) +
                       match_length(p->match_version, version, &mr);
        if (mv && md && mr && score > best_score) best = p, best_score = score;
    }
    return best;
}

const clr_device_profile *clr_device_profile_find(const clr_device_profile_table *table, const char *profile_name) {
    for (size_t i = 0; i < table->count; i++)
        if (strcmp(table->profiles[i].name, profile_name) == 0) return &table->profiles[i];
    return NULL;
}
