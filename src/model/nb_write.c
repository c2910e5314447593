/* PLACEHOLDER: replaced by the .nb writer. */
#include "clrun/program.h"
#include "core/error.h"
clr_status clr_program_serialize(const clr_program *program, int meta_version, void **out_data,
                                 size_t *out_size, clr_error *err) {
    return clr_error_set(err, CLR_ERR_UNSUPPORTED, "writer not built yet");
}
clr_status clr_program_save(const clr_program *program, const char *path, int meta_version, clr_error *err) {
    return clr_error_set(err, CLR_ERR_UNSUPPORTED, "writer not built yet");
}
bool clr_program_equal(const clr_program *a, const clr_program *b, clr_error *why) { return false; }
