/* clrun — file-system helpers shared by the program cache, the op dump and
 * the tools' output folders. */
#ifndef CLRUN_CORE_FS_H
#define CLRUN_CORE_FS_H

#include <stdbool.h>
#include <stddef.h>

/* mkdir -p: creates `dir` and its missing parents (an existing folder is
 * fine). On failure writes why into `why` (why_size bytes) and returns false. */
bool clr_make_dirs(const char *dir, char *why, size_t why_size);

#endif /* CLRUN_CORE_FS_H */
