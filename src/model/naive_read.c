/* PLACEHOLDER: replaced by the naive-buffer reader. */
#include "model/loader.h"
#include "core/error.h"
clr_status clr_naive_read_program(clr_load_ctx *ctx, const uint8_t *buf, size_t size, size_t base) {
    return clr_error_set(ctx->err, CLR_ERR_UNSUPPORTED, "naive-buffer reader not built yet");
}
clr_status clr_naive_read_params(clr_load_ctx *ctx, const uint8_t *buf, size_t size, size_t base) {
    return clr_error_set(ctx->err, CLR_ERR_UNSUPPORTED, "naive-buffer reader not built yet");
}
