/* clrun — what the host CPU's vector units can do, for the kernels that
 * pick an ISA-specific version at run time (GEMM micro-kernels, the int8
 * epilogue). False on other architectures. */
#ifndef CLRUN_KERNELS_HOST_CPU_FEATURES_H
#define CLRUN_KERNELS_HOST_CPU_FEATURES_H

#include <stdbool.h>

bool clr_cpu_avx2_fma(void); /* AVX2 and FMA3 */
bool clr_cpu_avx512f(void);  /* AVX-512 Foundation (and FMA3) */

#endif
