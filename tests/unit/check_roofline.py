#!/usr/bin/env python3
"""bench/roofline holds together (issue 10, part 5), on small shapes:
  1. --format json prints one JSON document with the roofs (FMA peak GFLOP/s
     and copy GB/s > 0) and one row per --shape, in order, with M, N, K and
     FLOPs = 2*M*N*K;
  2. clrun's GEMM ran on the OpenCL device (kernel and step times > 0) and
     CLBlast's too, each with 0 < GFLOP/s and 0 < share of the peak <= 20
     (a share above 1 means the quick peak was measured low on a busy
     machine; far above it, a unit error); --no-clblast leaves it null;
  3. the table names both roofs and every shape; bad arguments exit 2;
  4. --model takes a model's GEMMs: the bundled tiny_convnet has one, its
     fc 16 -> 10 (its convs are 3x3); a missing model file exits 1.
Odd sizes on purpose (not multiples of 4 or 8), a conv and an fc. No timing
is compared: the machine is shared.
Usage: check_roofline.py ROOFLINE TINY_CONVNET_NB
Exits 77 without an OpenCL device (1 when CI=true).
"""
import json
import os
import subprocess
import sys

CI = os.environ.get("CI") == "true"
SHAPES = [("conv2d", "13x37x21", (13, 37, 21)), ("fc", "fc:29x45", (29, 1, 45))]
SHARE_MAX = 20


def run(cmd):
    return subprocess.run(cmd, capture_output=True, text=True, timeout=900)


def main():
    roofline, tiny = sys.argv[1:3]
    base = [roofline, "--quick", "--warmup", "1", "--repeats", "3"]
    for _, spec, _ in SHAPES:
        base += ["--shape", spec]
    failures = []
    r = run(base + ["--format", "json"])
    if r.returncode != 0 and "OpenCL" in r.stderr and not CI:
        print(f"SKIP: {r.stderr.strip()}")
        return 77
    if r.returncode != 0:
        print(f"FAIL roofline exited {r.returncode}: {r.stderr.strip()}")
        return 1
    doc = json.loads(r.stdout)
    if not (doc["roof"]["gflops"] > 0 and doc["roof"]["gbps"] > 0 and doc["roof"]["copy_bytes"] > 0):
        failures.append(f"bad roofs {doc['roof']}")
    if len(doc["gemm"]) != len(SHAPES):
        failures.append(f"{len(doc['gemm'])} GEMM rows for {len(SHAPES)} shapes")
    for row, (op, spec, (m, n, k)) in zip(doc["gemm"], SHAPES):
        if (row["op"], row["m"], row["n"], row["k"], row["flops"]) != (op, m, n, k, 2 * m * n * k):
            failures.append(f"{spec}: row {row}")
        c, b = row["clrun"], row["clblast"]
        if not (c["kernel_s"] > 0 and c["step_s"] > 0 and c["gflops"] > 0 and 0 < c["peak_share"] <= SHARE_MAX):
            failures.append(f"{spec}: clrun {c}")
        if not (b and b["s"] > 0 and b["gflops"] > 0 and 0 < b["peak_share"] <= SHARE_MAX):
            failures.append(f"{spec}: CLBlast {b}")
    t = run(base + ["--no-clblast"])
    table = t.stdout if t.returncode == 0 else failures.append(f"--no-clblast exited {t.returncode}: {t.stderr}") or ""
    for text in ["FMA peak", "copy bandwidth", "GFLOP/s", "%peak"] + ["gemm " + s for _, s, _ in SHAPES]:
        if text not in table:
            failures.append(f"table: no '{text}'")
    nob = json.loads(run(base + ["--no-clblast", "--format", "json"]).stdout)
    if any(row["clblast"] is not None for row in nob["gemm"]):
        failures.append("--no-clblast: CLBlast rows")
    m = run([roofline, "--quick", "--warmup", "0", "--repeats", "1", "--no-clblast", "--model", tiny, "--format", "json"])
    rows = json.loads(m.stdout)["gemm"] if m.returncode == 0 else []
    if [(g["op"], g["m"], g["n"], g["k"]) for g in rows] != [("fc", 10, 1, 16)]:
        failures.append(f"--model {tiny}: {m.returncode} {rows} {m.stderr.strip()}")
    if run([roofline, "--model", tiny + ".missing"]).returncode != 1:
        failures.append("--model of a missing file: not exit 1")
    for bad in (["--shape", "3x4"], ["--shape", "0x1x1"], ["--repeats", "0"], ["--format", "xml"], ["--device"], ["x"]):
        if run([roofline] + bad).returncode != 2:
            failures.append(f"{' '.join(bad)}: not a usage error")
    for f in failures:
        print("FAIL", f)
    print(f"roofline: {len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
