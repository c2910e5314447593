/* clrun — the little JSON writing clrun does (op dump index, cltime reports). */
#ifndef CLRUN_IO_JSON_H
#define CLRUN_IO_JSON_H

#include <stdio.h>

/* Writes s as a JSON string literal (quotes, backslashes and control
 * characters escaped). */
void clr_json_str(FILE *out, const char *s);

#endif
