/* clrun tools — binding a session's inputs from the shared options: a .npy
 * file, an image, or seeded random values of a given or declared shape. */
#ifndef CLRUN_TOOL_INPUTS_H
#define CLRUN_TOOL_INPUTS_H

#include "options.h"

clr_status clr_tool_bind_inputs(const clr_tool_options *opt, clr_session *s, clr_error *err);

#endif
