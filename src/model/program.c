/* clrun — names of enums, look-ups and post-load derivation for clr_program. */
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/error.h"
#include "model/program_internal.h"

const char *clr_dtype_name(int32_t dtype) {
    static const char *const names[] = {
        "BOOL",          "INT16",     "INT32",          "INT64",      "FP16",         "FP32",
        "FP64",          "LOD_TENSOR", "SELECTED_ROWS", "FEED_MINIBATCH", "FETCH_LIST", "STEP_SCOPES",
        "LOD_RANK_TABLE", "LOD_TENSOR_ARRAY", "PLACE_LIST", "READER", NULL, "RAW",
        "TUPLE",         "SIZE_T",    "UINT8",          "INT8"};
    if (dtype < 0 || dtype >= (int32_t)(sizeof names / sizeof names[0])) return NULL;
    return names[dtype];
}

size_t clr_dtype_size(int32_t dtype) {
    switch (dtype) {
    case CLR_DTYPE_BOOL:
    case CLR_DTYPE_UINT8:
    case CLR_DTYPE_INT8: return 1;
    case CLR_DTYPE_INT16:
    case CLR_DTYPE_FP16: return 2;
    case CLR_DTYPE_INT32:
    case CLR_DTYPE_FP32: return 4;
    case CLR_DTYPE_INT64:
    case CLR_DTYPE_FP64:
    case CLR_DTYPE_SIZE_T: return 8;
    default: return 0;
    }
}

const char *clr_format_name(clr_format format) {
    switch (format) {
    case CLR_FORMAT_META0: return "naive buffer (meta_version 0)";
    case CLR_FORMAT_META1: return "flatbuffers (meta_version 1)";
    case CLR_FORMAT_META2: return "flatbuffers (meta_version 2)";
    case CLR_FORMAT_LEGACY_DIR: return "naive buffer directory (__model__.nb + param.nb, pre-v2.3)";
    }
    return "unknown";
}

const char *clr_target_repr(int32_t target) {
    static const char *const names[] = {"kUnk", "kHost", "kX86", "kCUDA", "kARM", "kOpenCL", "kAny",
                                        "kFPGA", "kNPU", "kXPU", "kBM", "kMLU", "kRKNPU", "kAPU",
                                        "kHuaweiAscendNPU", "kImaginationNNA", "kIntelFPGA", "kMetal",
                                        "kNNAdapter"};
    return target >= 0 && target < (int32_t)(sizeof names / sizeof names[0]) ? names[target] : NULL;
}

const char *clr_precision_repr(int32_t precision) {
    static const char *const names[] = {"kUnk", "kFloat", "kInt8", "kInt32", "kAny", "kFP16",
                                        "kBool", "kInt64", "kInt16", "kUInt8", "kFP64"};
    return precision >= 0 && precision < (int32_t)(sizeof names / sizeof names[0]) ? names[precision] : NULL;
}

const char *clr_layout_repr(int32_t layout) {
    static const char *const names[] = {"kUnk", "kNCHW", "kAny", "kNHWC", "kImageDefault",
                                        "kImageFolder", "kImageNW", "kMetalTexture2DArray",
                                        "kMetalTexture2D"};
    return layout >= 0 && layout < (int32_t)(sizeof names / sizeof names[0]) ? names[layout] : NULL;
}

/* Parses a small non-negative decimal field [s, end). */
static bool parse_field(const char *s, const char *end, int32_t *v) {
    if (s == end || end - s > 4) return false;
    int32_t x = 0;
    for (; s < end; s++) {
        if (*s < '0' || *s > '9') return false;
        x = x * 10 + (*s - '0');
    }
    *v = x;
    return true;
}

bool clr_kernel_place_parse(const char *s, struct clr_arena *arena, clr_kernel_place *place) {
    const char *cut[4];
    int n = 0;
    for (const char *p = s; *p; p++)
        if (*p == '/') {
            if (n == 4) return false;
            cut[n++] = p;
        }
    if (n != 4) return false;
    clr_kernel_place pl = {.present = true};
    if (!parse_field(cut[1] + 1, cut[2], &pl.target) || !parse_field(cut[2] + 1, cut[3], &pl.precision) ||
        !parse_field(cut[3] + 1, s + strlen(s), &pl.layout))
        return false;
    pl.alias = clr_arena_strndup(arena, cut[0] + 1, (size_t)(cut[1] - cut[0] - 1));
    if (!pl.alias) return false;
    *place = pl;
    return true;
}

clr_status clr_program_finish(clr_program *prog, const char *name, clr_error *err) {
    if (prog->nblocks < 1) return clr_error_set(err, CLR_ERR_FORMAT, "%s: the program has no blocks", name);
    for (int32_t b = 0; b < prog->nblocks; b++) {
        const clr_block *blk = &prog->blocks[b];
        for (int32_t i = 0; i < blk->nops; i++) {
            clr_op *op = (clr_op *)&blk->ops[i];
            const clr_attr *a = clr_op_attr(op, CLR_KERNEL_PLACE_ATTR);
            op->place = (clr_kernel_place){.present = false};
            if (a && a->type == CLR_ATTR_STRING && a->v.s) {
                /* A malformed place only loses the hint; the op still loads. */
                if (!clr_kernel_place_parse(a->v.s, prog->arena, &op->place))
                    op->place = (clr_kernel_place){.present = false};
            }
        }
    }
    return CLR_OK;
}

const clr_attr *clr_op_attr(const clr_op *op, const char *name) {
    if (!op || !name) return NULL;
    for (int32_t i = 0; i < op->nattrs; i++)
        if (strcmp(op->attrs[i].name, name) == 0) return &op->attrs[i];
    return NULL;
}

static const clr_slot *find_slot(const clr_slot *slots, int32_t n, const char *param) {
    for (int32_t i = 0; i < n; i++)
        if (strcmp(slots[i].param, param) == 0) return &slots[i];
    return NULL;
}

const clr_slot *clr_op_input(const clr_op *op, const char *param) {
    return op && param ? find_slot(op->inputs, op->ninputs, param) : NULL;
}
const clr_slot *clr_op_output(const clr_op *op, const char *param) {
    return op && param ? find_slot(op->outputs, op->noutputs, param) : NULL;
}

const clr_param *clr_program_param(const clr_program *program, const char *name) {
    if (!program || !name) return NULL;
    for (int32_t i = 0; i < program->nparams; i++)
        if (strcmp(program->params[i].name, name) == 0) return &program->params[i];
    return NULL;
}

const clr_var *clr_block_var(const clr_block *block, const char *name) {
    if (!block || !name) return NULL;
    for (int32_t i = 0; i < block->nvars; i++)
        if (strcmp(block->vars[i].name, name) == 0) return &block->vars[i];
    return NULL;
}
