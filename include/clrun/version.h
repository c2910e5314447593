/* clrun — library version. The numbers below are the single source of truth:
 * CMake reads them for the project version, the shared library's SONAME,
 * clrun.pc and clrunConfigVersion.cmake. */
#ifndef CLRUN_VERSION_H
#define CLRUN_VERSION_H

#include "clrun/export.h"

#define CLRUN_VERSION_MAJOR 0
#define CLRUN_VERSION_MINOR 1
#define CLRUN_VERSION_PATCH 0
/* One comparable number: (major * 10000 + minor * 100 + patch). */
#define CLRUN_VERSION (CLRUN_VERSION_MAJOR * 10000 + CLRUN_VERSION_MINOR * 100 + CLRUN_VERSION_PATCH)

#ifdef __cplusplus
extern "C" {
#endif

/* The version of the library actually linked, as "MAJOR.MINOR.PATCH"; compare
 * it with CLRUN_VERSION_* (the headers compiled against) to detect a mismatch.
 * Static storage, never NULL. */
CLR_API const char *clr_version(void);

#ifdef __cplusplus
}
#endif

#endif /* CLRUN_VERSION_H */
