#!/usr/bin/env bash
# Builds clrun and runs the whole test suite (the README's second command):
#   1. optimised build, every test (unit + shared real models);
#   2. AddressSanitizer + UndefinedBehaviorSanitizer build, every test but the
#      whole-model runs (label e2e), which would take too long there;
#   3. libFuzzer on the loader for CLR_FUZZ_SECONDS (default 60), seeded with
#      the shared models and the bundled model.
# Set CLRUN_MODELS_DIR to point at the shared models (default ../shared/models).
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc)

echo "== optimised build and tests"
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j"$jobs"
ctest --test-dir build --output-on-failure -j"$jobs"

echo "== sanitizer build (ASan + UBSan) and tests"
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DCLR_SANITIZE=ON >/dev/null
cmake --build build-asan -j"$jobs"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
  ctest --test-dir build-asan --output-on-failure -j"$jobs" -LE e2e

echo "== loader fuzzing (${CLR_FUZZ_SECONDS:-60} s)"
CC=clang cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=Debug -DCLR_SANITIZE=ON -DCLR_FUZZ=ON \
  -DCLR_BUILD_TESTS=OFF >/dev/null
cmake --build build-fuzz -j"$jobs" --target fuzz_loader
corpus=build-fuzz/corpus
mkdir -p "$corpus"
models=${CLRUN_MODELS_DIR:-../shared/models}
# Seeds: the small shared models (big ones slow every mutation down) and ours.
find "$models" -name '*.nb' -size -1100k -exec cp {} "$corpus"/ \; 2>/dev/null || true
cp build/models/tiny_convnet.nb "$corpus"/
./build-fuzz/fuzz_loader "$corpus" -max_total_time="${CLR_FUZZ_SECONDS:-60}" -rss_limit_mb=4096 \
  -max_len=1200000 -print_final_stats=1 2>&1 | tee build-fuzz/fuzz.log | grep -E 'stat::number_of_executed_units|ERROR|SUMMARY' || true
if grep -qE 'ERROR: (libFuzzer|AddressSanitizer|UndefinedBehaviorSanitizer)|deadly signal' build-fuzz/fuzz.log; then
  echo "fuzz_loader found a failure: see build-fuzz/fuzz.log and build-fuzz/crash-*"
  exit 1
fi
