#!/usr/bin/env bash
# Cold versus warm start of the GPU path: time to first result (load +
# session + first run) over N fresh processes each, median reported.
#   cold:      clrun's kernel cache empty, PoCL's own kernel cache off;
#   warm:      clrun's disk cache filled by the cold runs, PoCL's cache off
#              (what clrun's cache alone saves: PoCL still JIT-compiles each
#              kernel's work-group function at its first launch);
#   warm+pocl: both caches warm, as a user's second process runs.
# Usage: bench/cold_warm.sh [MODEL] [N]   (default: opt_mobilenet_v2_synth, 3)
set -euo pipefail
cd "$(dirname "$0")/.."
model=${1:-${CLRUN_MODELS_DIR:-../shared/models}/opt_mobilenet_v2_synth.x86_opencl.nb}
n=${2:-3}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export CLRUN_CACHE_DIR="$tmp/clrun" POCL_CACHE_DIR="$tmp/pocl"

cltime_json() { ./build/cltime --device gpu "$model" --format json "$@"; }
first_result() { cltime_json --warmup 0 --repeats 1 | python3 -c 'import json,sys; print(1000 * json.load(sys.stdin)["startup"]["first_result_s"])'; }
median() { sort -g | awk '{v[NR]=$1} END {printf "%.0f", v[int((NR+1)/2)]}'; }

cold=$(for _ in $(seq "$n"); do rm -rf "$CLRUN_CACHE_DIR"; POCL_KERNEL_CACHE=0 first_result; done | median)
warm=$(for _ in $(seq "$n"); do POCL_KERNEL_CACHE=0 first_result; done | median)
first_result >/dev/null # fills PoCL's cache
warm_pocl=$(for _ in $(seq "$n"); do first_result; done | median)
steady=$(cltime_json --warmup 2 --repeats 10 | python3 -c 'import json,sys; print("%.1f" % (1000 * json.load(sys.stdin)["latency_s"]["median"]))')
echo "model: $(basename "$model"), device gpu, time to first result, median of $n processes"
echo "cold (clrun cache empty, PoCL cache off):   ${cold} ms"
echo "warm (clrun disk cache, PoCL cache off):    ${warm} ms"
echo "warm (clrun disk cache and PoCL's cache):   ${warm_pocl} ms"
echo "steady-state latency (median of 10):         ${steady} ms"
