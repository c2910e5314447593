# CMake toolchain file: Linux on aarch64 (64-bit ARM) with Debian's cross
# compiler (gcc-aarch64-linux-gnu) and arm64 multiarch libraries
# (ocl-icd-opencl-dev:arm64 for the OpenCL ICD loader, libcmocka-dev:arm64,
# libstb-dev:arm64). Tests run under qemu-aarch64 (qemu-user); see
# tools/test-aarch64.sh and the README's "ARM builds".
#   cmake -S . -B build-aarch64 -DCMAKE_TOOLCHAIN_FILE=tools/cross/aarch64-linux-gnu.cmake
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(CMAKE_C_COMPILER aarch64-linux-gnu-gcc)
# Multiarch: arm64 libraries live in /usr/lib/aarch64-linux-gnu, headers in /usr/include.
set(CMAKE_LIBRARY_ARCHITECTURE aarch64-linux-gnu)
set(CMAKE_FIND_ROOT_PATH /usr/aarch64-linux-gnu)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY BOTH)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE BOTH)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE BOTH)
# Build-time generators (nbgen) and tests run through the emulator.
find_program(CLR_QEMU_AARCH64 qemu-aarch64)
if(CLR_QEMU_AARCH64)
  set(CMAKE_CROSSCOMPILING_EMULATOR ${CLR_QEMU_AARCH64} -L /usr/aarch64-linux-gnu)
endif()
