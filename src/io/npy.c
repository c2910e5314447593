/* clrun — .npy reading and writing (see npy.h). */
#include "io/npy.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"
#include "core/reader.h"

static const struct {
    const char *descr;
    int32_t dtype;
    const char *name; /* NumPy's name of the dtype */
} npy_types[] = {
    {"<f4", CLR_DTYPE_FP32, "float32"}, {"<f2", CLR_DTYPE_FP16, "float16"}, {"|i1", CLR_DTYPE_INT8, "int8"},
    {"|u1", CLR_DTYPE_UINT8, "uint8"},  {"<i2", CLR_DTYPE_INT16, "int16"},  {"<i4", CLR_DTYPE_INT32, "int32"},
    {"<i8", CLR_DTYPE_INT64, "int64"},  {"|b1", CLR_DTYPE_BOOL, "bool"},
};

const char *clr_npy_dtype_name(int32_t dtype) {
    for (size_t i = 0; i < sizeof npy_types / sizeof npy_types[0]; i++)
        if (npy_types[i].dtype == dtype) return npy_types[i].name;
    return NULL;
}

/* Finds `'key':` in the header dict and returns the text after it. */
static const char *dict_value(const char *hdr, const char *key) {
    const char *p = strstr(hdr, key);
    if (!p) return NULL;
    p = strchr(p + strlen(key), ':');
    if (!p) return NULL;
    p++;
    while (*p == ' ') p++;
    return p;
}

static clr_status parse_header(const char *hdr, const char *name, int32_t *dtype, bool *f64, int32_t *ndims,
                               int64_t *dims, clr_error *err) {
    const char *d = dict_value(hdr, "'descr'"), *fo = dict_value(hdr, "'fortran_order'"),
               *sh = dict_value(hdr, "'shape'");
    if (!d || !fo || !sh || *d != '\'' || *sh != '(')
        return clr_error_set(err, CLR_ERR_FORMAT, "%s: .npy header lacks descr, fortran_order or shape", name);
    if (strncmp(fo, "True", 4) == 0)
        return clr_error_set(err, CLR_ERR_UNSUPPORTED, "%s: Fortran-order .npy arrays are not supported", name);
    *f64 = strncmp(d + 1, "<f8", 3) == 0;
    *dtype = *f64 ? CLR_DTYPE_FP32 : -1;
    for (size_t i = 0; i < sizeof npy_types / sizeof npy_types[0] && *dtype < 0; i++)
        if (strncmp(d + 1, npy_types[i].descr, 3) == 0 && d[4] == '\'') *dtype = npy_types[i].dtype;
    if (*dtype < 0) return clr_error_set(err, CLR_ERR_UNSUPPORTED, "%s: .npy dtype %.6s is not supported", name, d);
    int32_t n = 0;
    const char *p = sh + 1;
    for (;;) {
        while (*p == ' ' || *p == ',') p++;
        if (*p == ')') break;
        char *end;
        errno = 0;
        long long v = strtoll(p, &end, 10);
        if (end == p || errno || v < 0 || n == CLR_MAX_DIMS)
            return clr_error_set(err, CLR_ERR_FORMAT, "%s: bad .npy shape '%.40s'", name, sh);
        dims[n++] = v;
        p = end;
    }
    *ndims = n;
    return CLR_OK;
}

clr_status clr_npy_parse(const void *data, size_t size, const char *name, clr_tensor *t, clr_error *err) {
    clr_reader r;
    clr_reader_init(&r, data, size, 0, name, err);
    const uint8_t *magic, *hdr;
    uint8_t major, minor;
    uint32_t hlen = 0;
    clr_status st = clr_read_bytes(&r, 6, &magic, ".npy magic");
    if (st == CLR_OK && memcmp(magic, "\x93NUMPY", 6) != 0)
        return clr_error_set(err, CLR_ERR_FORMAT, "%s: not a .npy file (bad magic)", name);
    if (st == CLR_OK) st = clr_read_u8(&r, &major, ".npy version");
    if (st == CLR_OK) st = clr_read_u8(&r, &minor, ".npy version");
    if (st == CLR_OK && major == 1) {
        uint16_t h16;
        st = clr_read_u16(&r, &h16, ".npy header length");
        hlen = h16;
    } else if (st == CLR_OK && (major == 2 || major == 3)) {
        st = clr_read_u32(&r, &hlen, ".npy header length");
    } else if (st == CLR_OK) {
        return clr_error_set(err, CLR_ERR_UNSUPPORTED, "%s: .npy format version %u", name, major);
    }
    if (st == CLR_OK) st = clr_read_bytes(&r, hlen, &hdr, ".npy header");
    if (st != CLR_OK) return st;
    char text[1024];
    size_t tl = hlen < sizeof text - 1 ? hlen : sizeof text - 1;
    memcpy(text, hdr, tl);
    text[tl] = '\0';
    int32_t dtype = -1, ndims = 0;
    int64_t dims[CLR_MAX_DIMS];
    bool f64 = false;
    if ((st = parse_header(text, name, &dtype, &f64, &ndims, dims, err)) != CLR_OK) return st;
    if ((st = clr_tensor_resize(t, dtype, ndims, dims, err)) != CLR_OK) return clr_error_prefix(err, st, "%s", name);
    size_t n = (size_t)clr_tensor_numel(t), need = f64 ? n * 8 : clr_tensor_nbytes(t);
    const uint8_t *body;
    if ((st = clr_read_bytes(&r, need, &body, ".npy data")) != CLR_OK) return st;
    if (f64) {
        float *out = t->data;
        for (size_t i = 0; i < n; i++) {
            double v;
            memcpy(&v, body + 8 * i, 8);
            out[i] = (float)v;
        }
    } else if (need) {
        memcpy(t->data, body, need);
    }
    return CLR_OK;
}

clr_status clr_npy_read(const char *path, clr_tensor *t, clr_error *err) {
    FILE *f = fopen(path, "rb");
    if (!f) return clr_error_set(err, CLR_ERR_IO, "%s: cannot open: %s", path, strerror(errno));
    clr_status st = CLR_OK;
    uint8_t *buf = NULL;
    long size = -1;
    if (fseek(f, 0, SEEK_END) == 0) size = ftell(f);
    if (size < 0 || fseek(f, 0, SEEK_SET) != 0) st = clr_error_set(err, CLR_ERR_IO, "%s: cannot size the file", path);
    if (st == CLR_OK && !(buf = clr_malloc((size_t)size)))
        st = clr_error_set(err, CLR_ERR_NOMEM, "%s: out of memory", path);
    if (st == CLR_OK && fread(buf, 1, (size_t)size, f) != (size_t)size)
        st = clr_error_set(err, CLR_ERR_IO, "%s: read failed", path);
    fclose(f);
    if (st == CLR_OK) st = clr_npy_parse(buf, (size_t)size, path, t, err);
    free(buf);
    return st;
}

clr_status clr_npy_write(const char *path, const clr_tensor *t, clr_error *err) {
    const char *descr = NULL;
    for (size_t i = 0; i < sizeof npy_types / sizeof npy_types[0]; i++)
        if (npy_types[i].dtype == t->dtype) descr = npy_types[i].descr;
    if (!descr) return clr_error_set(err, CLR_ERR_UNSUPPORTED, "%s: cannot write type %d as .npy", path, t->dtype);
    char hdr[512];
    int len = snprintf(hdr, sizeof hdr, "{'descr': '%s', 'fortran_order': False, 'shape': (", descr);
    for (int32_t i = 0; i < t->ndims; i++)
        len += snprintf(hdr + len, sizeof hdr - (size_t)len, "%" PRId64 "%s", t->dims[i], t->ndims == 1 ? "," : (i + 1 < t->ndims ? ", " : ""));
    len += snprintf(hdr + len, sizeof hdr - (size_t)len, "), }");
    /* Pad with spaces so magic + length + header + '\n' is a multiple of 64. */
    int total = 10 + len + 1;
    int pad = (64 - total % 64) % 64;
    memset(hdr + len, ' ', (size_t)pad);
    len += pad;
    hdr[len++] = '\n';
    FILE *f = fopen(path, "wb");
    if (!f) return clr_error_set(err, CLR_ERR_IO, "%s: cannot create: %s", path, strerror(errno));
    uint8_t pre[10] = {0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (uint8_t)(len & 0xff), (uint8_t)(len >> 8)};
    size_t nbytes = clr_tensor_nbytes(t);
    bool ok = fwrite(pre, 1, 10, f) == 10 && fwrite(hdr, 1, (size_t)len, f) == (size_t)len &&
              (nbytes == 0 || fwrite(t->data, 1, nbytes, f) == nbytes);
    ok = (fclose(f) == 0) && ok;
    return ok ? CLR_OK : clr_error_set(err, CLR_ERR_IO, "%s: write failed: %s", path, strerror(errno));
}
