/* Every shared real model: loads; read → write → read is identical through
 * both flatbuffers metas; truncations and byte flips at many offsets fail
 * cleanly. Skips (77) without the models, fails without them when CI=true. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "clrun/program.h"
#include "test_models.h"

enum { MAX_MODELS = 64 };
static char models[MAX_MODELS][1024];
static size_t nmodels;

static void every_model_round_trips(void **state) {
    assert_true(nmodels >= 25);
    for (size_t m = 0; m < nmodels; m++) {
        clr_program *p = NULL;
        clr_error err = {{0}};
        if (clr_program_load(models[m], &p, &err) != CLR_OK) fail_msg("%s", err.msg);
        for (int meta = 1; meta <= 2; meta++) {
            void *data = NULL;
            size_t size = 0;
            clr_program *q = NULL;
            if (clr_program_serialize(p, meta, &data, &size, &err) != CLR_OK) fail_msg("%s: %s", models[m], err.msg);
            if (clr_program_load_buffer(data, size, "rewritten", &q, &err) != CLR_OK)
                fail_msg("%s meta %d: %s", models[m], meta, err.msg);
            if (!clr_program_equal(p, q, &err)) fail_msg("%s meta %d: %s", models[m], meta, err.msg);
            clr_program_free(q);
            free(data);
        }
        print_message("round trip ok: %s (%d ops, %d params)\n", models[m], p->blocks[0].nops, p->nparams);
        clr_program_free(p);
    }
}

static bool is_file(const char *path) {
    struct stat sb;
    return stat(path, &sb) == 0 && S_ISREG(sb.st_mode);
}

/* Truncations at 64 offsets spread over each file (all must fail, naming a
 * byte) and 64 byte flips (must not crash; the sanitizer build watches). */
static void damaged_models_fail_cleanly(void **state) {
    clr_test_rng rng = {7};
    for (size_t m = 0; m < nmodels; m++) {
        if (!is_file(models[m])) continue;
        size_t size;
        unsigned char *data = clr_test_read_file(models[m], &size);
        assert_non_null(data);
        unsigned char *copy = malloc(size);
        for (int k = 0; k < 64; k++) {
            size_t cut = k < 32 ? (size_t)k * 13 : (size_t)(clr_test_rng_next(&rng) % size);
            clr_program *q = NULL;
            clr_error err = {{0}};
            if (clr_program_load_buffer(data, cut, models[m], &q, &err) == CLR_OK)
                fail_msg("%s truncated to %zu bytes loaded", models[m], cut);
            if (!strstr(err.msg, "at byte")) fail_msg("%s cut at %zu: no offset in '%s'", models[m], cut, err.msg);
        }
        for (int k = 0; k < 64; k++) {
            memcpy(copy, data, size);
            /* half the flips hit the program section, where structure lives */
            size_t span = k % 2 ? size : (size < 200000 ? size : 200000);
            copy[clr_test_rng_next(&rng) % span] ^= (unsigned char)(1 + clr_test_rng_next(&rng) % 255);
            clr_program *q = NULL;
            clr_error err = {{0}};
            if (clr_program_load_buffer(copy, size, models[m], &q, &err) == CLR_OK)
                clr_program_free(q);
            else
                assert_true(err.msg[0] != '\0');
        }
        free(copy);
        free(data);
    }
}

int main(void) {
    nmodels = clr_test_models_list(models, MAX_MODELS);
    if (nmodels == 0) return clr_test_models_missing();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_model_round_trips),
        cmocka_unit_test(damaged_models_fail_cleanly),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
