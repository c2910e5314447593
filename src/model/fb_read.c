/* PLACEHOLDER: replaced by the flatbuffers reader. */
#include "model/loader.h"
#include "core/error.h"
clr_status clr_fb_read_program(clr_load_ctx *ctx, const uint8_t *buf, size_t size, size_t base) {
    return clr_error_set(ctx->err, CLR_ERR_UNSUPPORTED, "flatbuffers reader not built yet");
}
clr_status clr_fb_read_params_meta2(clr_load_ctx *ctx, const uint8_t *buf, size_t size, size_t base) {
    return clr_error_set(ctx->err, CLR_ERR_UNSUPPORTED, "flatbuffers reader not built yet");
}
clr_status clr_fb_read_params_meta1(clr_load_ctx *ctx, const uint8_t *buf, size_t size, size_t base) {
    return clr_error_set(ctx->err, CLR_ERR_UNSUPPORTED, "flatbuffers reader not built yet");
}
