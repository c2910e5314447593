/* clrun — file-system helpers (see fs.h). */
#include "core/fs.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

bool clr_make_dirs(const char *dir, char *why, size_t why_size) {
    char path[4096];
    size_t len = strlen(dir);
    if (len == 0 || len >= sizeof path) {
        snprintf(why, why_size, "bad folder name '%s'", dir);
        return false;
    }
    memcpy(path, dir, len + 1);
    for (size_t i = 1; i <= len; i++) {
        if (path[i] != '/' && path[i] != '\0') continue;
        char saved = path[i];
        path[i] = '\0';
        if (mkdir(path, 0755) != 0 && errno != EEXIST) {
            snprintf(why, why_size, "cannot create %s: %s", path, strerror(errno));
            return false;
        }
        path[i] = saved;
    }
    return true;
}
