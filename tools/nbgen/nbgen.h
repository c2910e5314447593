/* nbgen — the synthetic models that ship with clrun. */
#ifndef CLRUN_NBGEN_H
#define CLRUN_NBGEN_H

#include "clrun/program.h"

/* The bundled default model (README): a two-conv image classifier on a
 * [1,3,32,32] FP32 "image" with 10 softmax outputs and fixed weights. */
clr_status nbgen_tiny_convnet(clr_program **out, clr_error *err);

#endif /* CLRUN_NBGEN_H */
