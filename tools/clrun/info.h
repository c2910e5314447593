/* clrun --info: a summary of a loaded program. */
#ifndef CLRUN_TOOL_INFO_H
#define CLRUN_TOOL_INFO_H

#include <stdio.h>

#include "clrun/program.h"

/* Prints format, versions, inputs/outputs, op types with counts and kernel
 * places, and parameter totals by type. Each record is one line whose first
 * word says what it is (`input`, `output`, `op`, `place`, `param`), so tests
 * and scripts can read it. */
void clr_info_print(FILE *out, const char *path, const clr_program *prog);

#endif
