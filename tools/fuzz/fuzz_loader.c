/* libFuzzer target for the model loader: any byte string must either load or
 * fail with an error message; never crash, hang, leak or read out of bounds.
 * A loaded program is also serialized and reloaded, so the writer sees
 * whatever strange content the loader accepts. Build with -DCLR_FUZZ=ON (clang). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "clrun/program.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    clr_program *prog = NULL;
    clr_error err;
    if (clr_program_load_buffer(data, size, "fuzz", &prog, &err) != CLR_OK) return 0;
    void *out = NULL;
    size_t out_size = 0;
    if (clr_program_serialize(prog, 2, &out, &out_size, &err) == CLR_OK) {
        clr_program *again = NULL;
        if (clr_program_load_buffer(out, out_size, "fuzz-rewrite", &again, &err) != CLR_OK ||
            !clr_program_equal(prog, again, &err))
            abort(); /* what we write we must read back identically */
        clr_program_free(again);
        free(out);
    }
    clr_program_free(prog);
    return 0;
}
