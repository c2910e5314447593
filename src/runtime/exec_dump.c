/* clrun — the op dump (clrun --dump-ops): every op's outputs, written right
 * after the op ran, before a later op can reuse the variable (see
 * executor.h, clr_exec_set_dump_dir). */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "backend/opencl/cl_tensor.h"
#include "core/alloc.h"
#include "core/error.h"
#include "core/sha256.h"
#include "io/json.h"
#include "io/npy.h"
#include "runtime/exec_internal.h"

clr_status clr_exec_set_dump_dir(clr_exec *e, const char *dir, clr_error *err) {
    e->dump_dir = NULL;
    if (!dir) return CLR_OK;
    if (mkdir(dir, 0777) != 0 && errno != EEXIST)
        return clr_error_set(err, CLR_ERR_IO, "op dump folder '%s': cannot create: %s", dir, strerror(errno));
    e->dump_dir = clr_arena_strndup(e->arena, dir, strlen(dir));
    return e->dump_dir ? CLR_OK : clr_error_set(err, CLR_ERR_NOMEM, "out of memory");
}

clr_status clr_exec_dump_begin(clr_exec *e, clr_error *err) {
    char path[4096];
    snprintf(path, sizeof path, "%s/index.json", e->dump_dir);
    e->dump_index = fopen(path, "w");
    if (!e->dump_index) return clr_error_set(err, CLR_ERR_IO, "%s: cannot create: %s", path, strerror(errno));
    e->dump_records = 0;
    fputs("[", e->dump_index);
    return CLR_OK;
}

clr_status clr_exec_dump_end(clr_exec *e, clr_error *err) {
    fputs("\n]\n", e->dump_index);
    bool ok = fclose(e->dump_index) == 0;
    e->dump_index = NULL;
    return ok ? CLR_OK : clr_error_set(err, CLR_ERR_IO, "%s/index.json: write failed", e->dump_dir);
}

static void write_record(clr_exec *e, int32_t op, const char *slot, const char *var, const clr_tensor *t,
                         const char *device, const char *file, const uint8_t digest[CLR_SHA256_SIZE]) {
    FILE *f = e->dump_index;
    char hex[2 * CLR_SHA256_SIZE + 1];
    clr_sha256_hex(digest, hex);
    fprintf(f, "%s\n {\"op\": %d, \"op_type\": ", e->dump_records++ ? "," : "", op);
    clr_json_str(f, e->nodes[op].op->type);
    fprintf(f, ", \"device\": \"%s\", \"slot\": ", device);
    clr_json_str(f, slot);
    fputs(", \"var\": ", f);
    clr_json_str(f, var);
    fprintf(f, ", \"dtype\": \"%s\", \"shape\": [", clr_npy_dtype_name(t->dtype));
    for (int32_t d = 0; d < t->ndims; d++) fprintf(f, "%s%" PRId64, d ? ", " : "", t->dims[d]);
    fprintf(f, "], \"sha256\": \"%s\", \"file\": \"%s\"}", hex, file);
}

/* Output `a` of slot `s` of op `op`: its value on the host (downloaded when
 * it lives only on the device), a .npy file and an index record. */
static clr_status dump_value(clr_exec *e, int32_t op, int32_t s, int32_t a, clr_error *err) {
    const clr_node *n = &e->nodes[op];
    const clr_tensor *t = n->outputs[s].tensors[a];
    int32_t v = (int32_t)(t - e->vars);
    bool on_device = !(e->where[v] & ON_HOST) && (e->where[v] & ON_DEVICE);
    size_t nbytes = clr_tensor_nbytes(t);
    if ((!on_device && !t->data && nbytes) || (on_device && !t->dev)) return CLR_OK; /* the op left it unset */
    const char *slot = n->outputs[s].param;
    if (!clr_npy_dtype_name(t->dtype))
        return clr_error_set(err, CLR_ERR_UNSUPPORTED, "op %d (%s): output '%s' has a type the dump cannot write", op,
                             n->op->type, slot);
    clr_tensor view = *t;
    void *copy = NULL;
    if (on_device) {
        if (!(copy = clr_malloc(nbytes ? nbytes : 1))) return clr_error_set(err, CLR_ERR_NOMEM, "out of memory");
        clr_status st = clr_cl_tensor_read(e->opt.cl, t, copy, err);
        if (st != CLR_OK) {
            free(copy);
            return st;
        }
        view.data = copy;
    }
    char file[96], path[4096];
    if (a == 0) snprintf(file, sizeof file, "op%04d_%.60s.npy", op, slot);
    else snprintf(file, sizeof file, "op%04d_%.60s.%d.npy", op, slot, a);
    snprintf(path, sizeof path, "%s/%s", e->dump_dir, file);
    uint8_t digest[CLR_SHA256_SIZE];
    clr_sha256(view.data, nbytes, digest);
    clr_status st = clr_npy_write(path, &view, err);
    if (st == CLR_OK) write_record(e, op, slot, e->table.names[v], t, on_device ? "gpu" : "cpu", file, digest);
    free(copy);
    return st;
}

clr_status clr_exec_dump_op(clr_exec *e, int32_t op, clr_error *err) {
    const clr_node *n = &e->nodes[op];
    if (strcmp(n->op->type, "fetch") == 0) return CLR_OK; /* its value is the output itself */
    for (int32_t s = 0; s < n->noutputs; s++)
        for (int32_t a = 0; a < n->outputs[s].n; a++) {
            clr_status st = dump_value(e, op, s, a, err);
            if (st != CLR_OK) return st;
        }
    return CLR_OK;
}
