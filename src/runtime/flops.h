/* clrun — arithmetic cost of an op, for the timing tool's GFLOP/s column.
 *
 * Counted from the node's tensors after it ran (shapes are then final):
 *   conv (any kind)      2 * out numel * (Cin/groups) * KH * KW
 *   conv transpose       2 * in numel * (Cout/groups) * KH * KW
 *   fc / mul / matmul    2 * M * N * K
 *   pool2d               out numel * window
 *   softmax              5 * numel (max, sub, exp, sum, div)
 *   layer/batch norm     ~ 4 / 2 * numel
 *   data movement        0 (reshape, concat, feed, io_copy, …)
 *   anything else        numel of the first output (one op per element)
 * A multiply-add is two FLOPs, as in the usual GFLOP/s figures.
 */
#ifndef CLRUN_RUNTIME_FLOPS_H
#define CLRUN_RUNTIME_FLOPS_H

#include "runtime/node.h"

double clr_node_flops(const clr_node *n);

#endif
