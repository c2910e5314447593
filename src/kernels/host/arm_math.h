/* clrun — the ARM NEON arithmetic behind Paddle-Lite's float kernels,
 * emulated bit for bit on any CPU, so that clrun's results equal the real
 * runtime's (tests/models/check_ops.py compares every op).
 *
 * Paddle-Lite's ARM build (GCC, -O3 -ffast-math) computes some functions with
 * NEON approximations instead of libm: exp_ps (Cephes polynomial) and
 * reciprocals by estimate (FRECPE) plus Newton steps (FRECPS). The compiler
 * fuses every multiply-add into one rounding and reassociates some sums;
 * the functions below reproduce the operations it emitted, as measured
 * against the reference runs' per-op values. */
#ifndef CLRUN_KERNELS_HOST_ARM_MATH_H
#define CLRUN_KERNELS_HOST_ARM_MATH_H

/* The runtime runs with flush-to-zero (FPCR.FZ = 1, set by -ffast-math's
 * start-up code): these functions read denormal inputs as zero and return
 * zero for denormal results, as the instructions then do. */

/* FRECPE (single precision): the 8-bit reciprocal estimate. */
float clr_arm_frecpe(float x);
/* FRECPS: 2 - a * b, fused (one rounding). */
float clr_arm_frecps(float a, float b);
/* One lane of exp_ps(x) (lite/backends/arm/math/funcs.h). */
float clr_arm_exp(float x);
/* One lane of act_sigmoid's NEON loop: the reciprocal of 1 + exp_ps(-x) by
 * estimate and two Newton steps. Its scalar tail (size % 4 elements) is
 * 1 / (1 + expf(-x)) instead. */
float clr_arm_sigmoid(float x);

/* One lane of act_tanh's NEON loop: x clamped to +-70.00008, then
 * (e^x - e^-x) times the reciprocal of (e^x + e^-x) by estimate and one
 * Newton step (div_ps). Its scalar tail is
 * (expf(x) - expf(-x)) / (expf(x) + expf(-x)). */
float clr_arm_tanh(float x);

#endif
