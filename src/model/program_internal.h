/* clrun — program helpers shared by the loader, the writer and the builder. */
#ifndef CLRUN_MODEL_PROGRAM_INTERNAL_H
#define CLRUN_MODEL_PROGRAM_INTERNAL_H

#include "clrun/program.h"

/* Derives what the loader computes from the stored fields (each op's kernel
 * place from its place attribute) and checks cross-references that every
 * format shares. `name` is used in messages. */
clr_status clr_program_finish(clr_program *prog, const char *name, clr_error *err);

/* Parses "op/alias/target/precision/layout"; false when malformed. The alias
 * points into arena memory owned by the program. */
bool clr_kernel_place_parse(const char *s, struct clr_arena *arena, clr_kernel_place *place);

#endif /* CLRUN_MODEL_PROGRAM_INTERNAL_H */
