/* clrun — clr_version() (see clrun/version.h). */
#include "clrun/version.h"

#define CLR_STR_(x) #x
#define CLR_STR(x) CLR_STR_(x)

const char *clr_version(void) {
    return CLR_STR(CLRUN_VERSION_MAJOR) "." CLR_STR(CLRUN_VERSION_MINOR) "." CLR_STR(CLRUN_VERSION_PATCH);
}
