#!/usr/bin/env python3
"""cltime's reports hold together (issue: the timing tool):
  1. --format json prints exactly one JSON document; --trace writes a Chrome
     trace that parses, with complete ("X") events on the host timeline and,
     when kernels ran on the GPU, on the device timeline;
  2. every op of the model appears exactly once in the per-op rows; io_copy
     transfers are rows of type "io_copy" with their bytes;
  3. in the trace, the per-op host times of a profiled run add up to that
     run's wall time: |sum - run| <= 15 % of the run + 2 ms in the median run
     (the rest is the run loop and the observer);
  4. CSV and table formats carry the same rows and every section;
  5. the end-to-end latency of the runs without per-step syncs is there, one
     sample per repeat, each > 0 (no timing is compared: the machine is shared);
  6. roofs: measured on the OpenCL device (GFLOP/s and GB/s > 0), none on the
     CPU unless --roof-gflops/--roof-gbps give them; every op row but
     transfers and device copies (which may alias, moving nothing) has a roof, and each
     has bound "compute" or "memory" and 0 < roof_share <= ROOF_SHARE_MAX
     (above 1 is possible: small tensors stay in caches that beat the copy
     kernel's bandwidth; far above it would be a unit error). Bad roof flags
     are a usage error (exit 2).
Runs on the CPU (--device cpu) and on the OpenCL device with every op it can
take (--device gpu --placement gpu).
Usage: check_cltime.py CLTIME CLRUN MODEL             (a model file)
       check_cltime.py CLTIME CLRUN NAME --models DIR (a shared model; input
       shapes from DIR/MANIFEST.json; exits 77 without DIR, 1 when CI=true)
"""
import csv
import io
import json
import os
import subprocess
import sys
import tempfile

TOLERANCE, SLACK_S = 0.15, 0.002
ROOF_SHARE_MAX = 20
CI = os.environ.get("CI") == "true"


def run(cmd):
    return subprocess.run(cmd, capture_output=True, text=True, timeout=900)


def op_count(clrun, model):
    for line in run([clrun, "--info", model]).stdout.splitlines():
        w = line.split()
        if w and w[0] == "ops":
            return int(w[1])
    raise RuntimeError(f"clrun --info {model}: no 'ops' line")


def check_roof(doc, roofed, fail):
    roof = doc["roof"]
    if not roofed:
        if roof is not None or any(r["roof_share"] is not None for r in doc["ops"]):
            fail("roof shares without roofs")
        return
    if not (roof and roof["gflops"] > 0 and roof["gbps"] > 0):
        fail(f"no roofs: {roof}")
        return
    shared = 0
    for r in doc["ops"]:
        if r["roof_share"] is None:
            if not (r["type"] == "io_copy" and "to" in r) and r["kernel"] != "device copy":
                fail(f"op row without a roof share: {r}")
            continue
        shared += 1
        if r["bound"] not in ("compute", "memory") or not 0 < r["roof_share"] <= ROOF_SHARE_MAX:
            fail(f"bad roof share {r['roof_share']} ({r['bound']}) of op {r['op']} {r['type']}")
        if not r["mem_bytes"] > 0:
            fail(f"op {r['op']} {r['type']} moves no bytes")
    if not shared:
        fail("no op row has a roof share")


def check_json(doc, nops, gpu, fail):
    ops = [r for r in doc["ops"] if r["type"] != "io_copy"]
    indices = sorted(r["op"] for r in ops)
    if indices != list(range(nops)):
        fail(f"op rows are not each op exactly once: {len(indices)} rows for {nops} ops")
    for r in doc["ops"]:
        if r["type"] == "io_copy" and not (r["to"] in ("gpu", "cpu") and r["bytes"] >= 0 and "var" in r):
            fail(f"bad io_copy row {r}")
    for key in ("latency_s", "latency_nosync_s"):
        samples = doc[key]["samples"]
        if len(samples) != doc["repeats"] or not all(v > 0 for v in samples) or not doc[key]["median"] > 0:
            fail(f"{key}: samples do not match --repeats or are not > 0")
    if gpu:
        on_gpu = [r for r in ops if r["device"] == "gpu" and r["launches"] > 0]
        if not on_gpu or not all(r["gpu_s"] > 0 and r["kernel"] and r["gws"] for r in on_gpu):
            fail("no GPU op with kernel name, work size and device time")
        if "kernel_cache" not in doc["startup"]:
            fail("no kernel cache statistics on the GPU")
    for key in ("load_s", "first_run_s", "first_result_s"):
        if not doc["startup"][key] > 0:
            fail(f"startup.{key} missing")
    if not doc["memory"]["peak_rss_bytes"] > 0:
        fail("no peak RSS")


def check_trace(path, gpu, fail):
    with open(path) as f:
        events = json.load(f)["traceEvents"]
    complete = [e for e in events if e.get("ph") == "X"]
    if not any(e["tid"] == 1 for e in complete):
        fail("trace: no host events")
    if gpu and not any(e["tid"] == 2 for e in complete):
        fail("trace: no device events")
    if any(e["dur"] < 0 for e in complete):
        fail("trace: negative duration")
    # 3: within each timed run, its steps' host times against the run's wall
    # time, the median gap over the runs (a sum of per-step medians against
    # the median latency would also count how unevenly a busy machine slows
    # the runs down).
    runs = [e for e in complete if e["tid"] == 1 and e["name"].startswith("run ")]
    steps = [e for e in complete if e["tid"] == 1 and "step" in e.get("args", {})]
    gaps = []
    for run in runs:
        total = sum(e["dur"] for e in steps if run["ts"] <= e["ts"] <= run["ts"] + run["dur"])
        gaps.append((abs(total - run["dur"]) - TOLERANCE * run["dur"], total, run["dur"]))
    gaps.sort()
    if not runs:
        fail("trace: no timed runs")
    elif gaps[len(gaps) // 2][0] > SLACK_S * 1e6:
        _, total, dur = gaps[len(gaps) // 2]
        fail(f"per-op host times sum to {total / 1e3:.3f} ms in a run of {dur / 1e3:.3f} ms (median run)")


def check_device(cltime, model, nops, args, gpu, fail):
    base = [cltime, model, "--warmup", "1", "--repeats", "5"] + args
    given = [] if gpu else ["--roof-gflops", "100", "--roof-gbps", "20"]
    with tempfile.TemporaryDirectory() as tmp:
        trace = os.path.join(tmp, "trace.json")
        r = run(base + ["--format", "json", "--trace", trace])
        if r.returncode != 0:
            return r
        try:
            doc = json.loads(r.stdout)
            check_trace(trace, gpu, fail)
        except (ValueError, KeyError) as ex:
            fail(f"json/trace do not parse: {ex}")
            return r
        check_json(doc, nops, gpu, fail)
        check_roof(doc, gpu, fail)
    rows = list(csv.DictReader(io.StringIO(run(base + given + ["--format", "csv"]).stdout)))
    if sum(1 for row in rows if row["row"] == "op") != nops:
        fail("csv: op rows do not match the model's ops")
    if not any(row["row"] == "op" and row["bound"] and float(row["roof_share"]) > 0 for row in rows):
        fail("csv: no roof shares")
    table = run(base + given).stdout
    for section in ("start-up", "time to first result", "steady state", "end to end", "profiled", "roofs: FMA peak",
                    "per op (median", "per op type", "memory"):
        if section not in table:
            fail(f"table: no '{section}'")
    if not gpu:
        given_doc = json.loads(run(base + given + ["--format", "json"]).stdout)
        check_roof(given_doc, True, fail)
        if given_doc["roof"]["gflops_from"] != "given":
            fail("roof flags not taken")
        for bad in (["--roof-gflops", "0"], ["--roof-gbps", "x"], ["--roof-gbps"]):
            if run(base + bad).returncode != 2:
                fail(f"{' '.join(bad)}: not a usage error")
    return r


def main():
    cltime, clrun, model = sys.argv[1:4]
    args = []
    if "--models" in sys.argv:
        models = sys.argv[sys.argv.index("--models") + 1]
        if not os.path.isdir(models):
            print(f"SKIP: shared models not found at {models}" + (" — FAILING because CI=true" if CI else ""))
            return 1 if CI else 77
        with open(os.path.join(models, "MANIFEST.json")) as f:
            entry = next(e for e in json.load(f) if e["file"] == model)
        for name, dims in (entry.get("input_shapes") or {}).items():
            args += ["--input-shape", f"{name}={dims}"]
        model = os.path.join(models, model)
    nops = op_count(clrun, model)
    failures = []
    for label, extra, gpu in (("cpu", ["--device", "cpu"], False), ("gpu", ["--device", "gpu", "--placement", "gpu"], True)):
        def fail(msg, label=label):
            failures.append(f"{label}: {msg}")
        r = check_device(cltime, model, nops, args + extra, gpu, fail)
        if r.returncode != 0 and gpu and "OpenCL" in r.stderr and not CI:
            print(f"SKIP gpu: {r.stderr.strip()}")
        elif r.returncode != 0:
            fail(f"cltime exited {r.returncode}: {r.stderr.strip()}")
    for f in failures:
        print("FAIL", f)
    print(f"{os.path.basename(model)}: {len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
