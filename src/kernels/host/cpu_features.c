/* clrun — host CPU features (see cpu_features.h). */
#include "kernels/host/cpu_features.h"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
bool clr_cpu_avx2_fma(void) { return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"); }
bool clr_cpu_avx512f(void) { return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("fma"); }
#else
bool clr_cpu_avx2_fma(void) { return false; }
bool clr_cpu_avx512f(void) { return false; }
#endif
