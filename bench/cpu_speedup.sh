#!/usr/bin/env bash
# The CPU path of two clrun builds side by side (issue 12): every shared
# model with --device cpu, the old build (single-threaded) against the new
# one with --threads 1 and --threads 2, each configuration a fresh cltime
# process, round-robin over ROUNDS rounds so that a busy machine slows all
# alike; the table gives the median of the per-round medians and the
# speed-ups, as markdown on stdout.
#   bench/cpu_speedup.sh OLD_CLTIME NEW_CLTIME [MODELS_DIR]
# Env: ROUNDS (3), WARMUP (2), REPEATS (10), MODELS_ONLY (a substring filter).
set -euo pipefail
old=$1 new=$2 models=${3:-../shared/models}
exec python3 - "$old" "$new" "$models" <<'PY'
import json, os, statistics, subprocess, sys
old, new, models = sys.argv[1:4]
rounds, warmup, repeats = (int(os.environ.get(k, d)) for k, d in (("ROUNDS", 3), ("WARMUP", 2), ("REPEATS", 10)))
only = os.environ.get("MODELS_ONLY", "")
entries = []
for e in json.load(open(os.path.join(models, "MANIFEST.json"))):
    f = e["file"]
    if f.endswith("/param.nb") or only not in f:
        continue
    path = os.path.dirname(f) if f.endswith("/__model__.nb") else f
    shapes = [a for n, d in (e.get("input_shapes") or {}).items() for a in ("--input-shape", f"{n}={d}")]
    entries.append((path, shapes))
configs = [("old", old, []), ("new 1t", new, ["--threads", "1"]), ("new 2t", new, ["--threads", "2"])]
res = {(p, c[0]): [] for p, _ in entries for c in configs}
for r in range(rounds):
    for path, shapes in entries:
        for name, tool, extra in configs:
            cmd = [tool, os.path.join(models, path), "--device", "cpu", "--warmup", str(warmup), "--repeats",
                   str(repeats), "--format", "json"] + shapes + extra
            out = subprocess.run(cmd, capture_output=True, text=True, timeout=1800)
            if out.returncode != 0:
                sys.exit(f"{' '.join(cmd)}: {out.stderr.strip()}")
            res[(path, name)].append(json.loads(out.stdout)["latency_s"]["median"] * 1e3)
        print(f"round {r + 1}/{rounds}: {path}", file=sys.stderr, flush=True)
print(f"| model | old build ms | new, 1 thread ms | new, 2 threads ms | speed-up 1 thread | speed-up 2 threads |")
print("|---|---|---|---|---|---|")
for path, _ in entries:
    o, n1, n2 = (statistics.median(res[(path, c[0])]) for c in configs)
    print(f"| {path} | {o:.2f} | {n1:.2f} | {n2:.2f} | {o / n1:.1f}x | {o / n2:.1f}x |")
PY
