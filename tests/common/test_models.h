/* clrun tests — locating the shared real-model tier.
 *
 * The models live outside the repository (CLRUN_MODELS_DIR, default
 * ../shared/models beside the repository root). When they are absent a model
 * test prints why and exits 77 (CTest shows "Skipped"); with CI=true that is
 * a failure instead, so CI can never pass without having run them.
 */
#ifndef CLRUN_TEST_MODELS_H
#define CLRUN_TEST_MODELS_H

#include <stddef.h>

#define CLR_TEST_SKIP 77

/* The models directory, or NULL after printing a message when it is absent.
 * Call clr_test_models_missing() to get the exit code in that case. */
const char *clr_test_models_dir(void);
int clr_test_models_missing(void);

/* Fills `paths` with the model paths (files *.nb and model directories) under
 * the models directory, sorted; returns the count (at most `max`). */
size_t clr_test_models_list(char paths[][1024], size_t max);

/* Deterministic xorshift PRNG for tests. */
typedef struct clr_test_rng {
    unsigned long long s;
} clr_test_rng;
unsigned long long clr_test_rng_next(clr_test_rng *r);

/* Reads a whole file (malloc'ed); NULL on failure. */
unsigned char *clr_test_read_file(const char *path, size_t *size);

#endif
