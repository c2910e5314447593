#!/usr/bin/env python3
"""Runs clrun on the inputs of every run in the shared reference/ folder and
compares with the outputs the real Paddle-Lite runtime gave.

Tolerances (issue 3): float outputs within REL of the largest reference
magnitude (1e-4 fp32 models, 1e-2 int8 models); integer outputs equal in at
least 99.5 % of elements; detection lists ([K, 6] rows label, score, box)
equal as sets over rows scoring above 0.3. Usage:
  check_reference.py CLRUN REFERENCE_DIR MODELS_DIR [extra clrun args…]
Exits 77 (skip) without the reference folder, 1 instead when CI=true.
"""
import json
import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import testlib  # noqa: E402

# Runs that still differ from Paddle-Lite beyond tolerance, with the reason.
# They are reported as XFAIL (never as passed); one that starts to pass is an
# error (XPASS) so this list cannot go stale. Issue 3 stays open while it is
# not empty.
KNOWN_FAILURES = {
    "blazeface_int8": "int8 results differ from Paddle-Lite ARM from early layers on (cause not found)",
    "v20_det_slim_demo": "int8 results differ from Paddle-Lite ARM (cause not found)",
    "picodetv2_int8_x01": "int8 differences drop one detection scoring 0.35",
    "ppocrv2_rec_slim": "int8 differences of 3 % (text still reads correctly)",
}


def main():
    clrun, ref_dir, models_dir, extra = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
    index_path = os.path.join(ref_dir, "INDEX.json")
    if not os.path.exists(index_path):
        print(f"SKIP: reference folder not found at '{ref_dir}'")
        return 1 if os.environ.get("CI") == "true" else 77
    runs = json.load(open(index_path))
    missing = testlib.gpu_missing(clrun, extra)
    if missing is not None:
        return missing
    only = os.environ.get("CLRUN_REFERENCE_ONLY")
    passed = failed = xfailed = 0
    for run in runs:
        if only and run["run"] not in only.split(","):
            continue
        rdir = os.path.join(ref_dir, run["run"])
        model = os.path.join(models_dir, run["model"])
        is_int8 = "int8" in run["model"]
        rel = 1e-2 if is_int8 else float(os.environ.get("CLRUN_FP32_TOLERANCE", "1e-4"))
        with tempfile.TemporaryDirectory() as out:
            args = [clrun, model, "--output-dir", out] + extra
            for fname, feed in run["inputs"].items():
                args += ["--input", f"{feed}={os.path.join(rdir, fname)}"]
            try:
                outputs = testlib.run_clrun(args, out)
            except RuntimeError as ex:
                print(f"FAIL {run['run']}: {ex}")
                failed += 1
                continue
            problems = []
            for o in run["outputs"]:
                want_shape, want = testlib.load(os.path.join(rdir, o["file"]))
                if o["fetch_index"] not in outputs:
                    problems.append(f"output {o['fetch_index']} missing")
                    continue
                _, got_shape, got = outputs[o["fetch_index"]]
                p = testlib.compare(o["name"], got_shape, got, want_shape, want, rel)
                if p:
                    problems.append(p)
        known = KNOWN_FAILURES.get(run["run"])
        if problems and known:
            xfailed += 1
            print(f"XFAIL {run['run']} (known: {known}): " + "; ".join(problems))
        elif problems:
            failed += 1
            print(f"FAIL {run['run']}: " + "; ".join(problems))
        elif known:
            failed += 1
            print(f"XPASS {run['run']}: passes now; remove it from KNOWN_FAILURES")
        else:
            passed += 1
            print(f"ok   {run['run']}")
    if xfailed:
        print(f"{xfailed} known failures (XFAIL, not counted as passed)")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed or passed == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
