#!/usr/bin/env bash
# Installs everything clrun needs to build and test on Debian 12. Idempotent:
# packages already present are left alone, so it is cheap to run every time.
#   compilers/build: build-essential cmake clang (clang only for the fuzz target)
#   OpenCL: ocl-icd-opencl-dev (ICD loader + headers), pocl-opencl-icd (the CPU
#           device on machines without a GPU), clinfo (diagnostics), libclblast-dev
#   tests: libcmocka-dev, python3 (model-manifest checks), libclang-rt-14-dev (libFuzzer runtime),
#          pkg-config (the outside-project test builds against clrun.pc)
#   images: libstb-dev (JPEG/PNG decoding for clrun --input)
#   bench only: libopenblas-dev (bench_gemm compares clrun's GEMM with OpenBLAS)
set -euo pipefail

packages=(build-essential cmake clang libclang-rt-14-dev python3
          ocl-icd-opencl-dev pocl-opencl-icd clinfo libclblast-dev
          libcmocka-dev libstb-dev pkg-config libopenblas-dev)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "setup-deps: all ${#packages[@]} packages present"
  exit 0
fi
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "setup-deps: installing ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
