#!/usr/bin/env bash
# The CPU path of two clrun builds side by side (issue 12): every shared
# model with --device cpu, the old build (single-threaded) against the new
# one with --threads 1 and --threads 2, each configuration a fresh cltime
# process, round-robin over ROUNDS rounds so that a busy machine slows all
# alike; the table gives the median of the per-round medians and the
# speed-ups, as markdown on stdout: of the latency (wall clock around a
# run) and of the sum of the per-op medians (cltime's rows_host_s), which a
# busy machine disturbs less (a run preempted in one op keeps the others).
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
res = {(p, c[0], k): [] for p, _ in entries for c in configs for k in ("lat", "ops")}
for r in range(rounds):
    for path, shapes in entries:
        for name, tool, extra in configs:
            cmd = [tool, os.path.join(models, path), "--device", "cpu", "--warmup", str(warmup), "--repeats",
                   str(repeats), "--format", "json"] + shapes + extra
            out = subprocess.run(cmd, capture_output=True, text=True, timeout=1800)
            if out.returncode != 0:
                sys.exit(f"{' '.join(cmd)}: {out.stderr.strip()}")
            d = json.loads(out.stdout)
            res[(path, name, "lat")].append(d["latency_s"]["median"] * 1e3)
            res[(path, name, "ops")].append(d["rows_host_s"] * 1e3)
        print(f"round {r + 1}/{rounds}: {path}", file=sys.stderr, flush=True)
print("| model | latency ms: old | new 1 thread | new 2 threads | speed-up 1t | speed-up 2t "
      "| op sum ms: old | new 1t | new 2t | speed-up 1t | speed-up 2t |")
print("|---|---|---|---|---|---|---|---|---|---|---|")
for path, _ in entries:
    row = [path]
    for k in ("lat", "ops"):
        o, n1, n2 = (statistics.median(res[(path, c[0], k)]) for c in configs)
        row += [f"{o:.2f}", f"{n1:.2f}", f"{n2:.2f}", f"{o / n1:.1f}x", f"{o / n2:.1f}x"]
    print("| " + " | ".join(row) + " |")
PY
