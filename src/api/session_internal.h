/* clrun — what the bundled tools (clrun, cltime) may see of a session beyond
 * the public API: the executor, for its plan, statistics and observer. */
#ifndef CLRUN_API_SESSION_INTERNAL_H
#define CLRUN_API_SESSION_INTERNAL_H

#include "clrun/clrun.h"
#include "runtime/executor.h"

clr_exec *clr_session_exec(clr_session *session);
clr_cl *clr_session_cl(clr_session *session);

#endif
