#!/usr/bin/env python3
"""Thread-count independence (issue 12): every shared model, run on the CPU
with --threads 1 and with --threads 3 (more threads than this machine's
cores, so ranges land on threads in ever different ways), gives outputs
that are bit-identical, byte for byte.
Usage: check_threads.py CLRUN MODELS_DIR
Exits 77 (skip) without the models, 1 instead when CI=true.
"""
import json
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import testlib  # noqa: E402


def outputs(clrun, model, args, out):
    """{file name: raw bytes} of the outputs one run wrote."""
    proc = subprocess.run([clrun, model, "--device", "cpu", "--output-dir", out] + args,
                          capture_output=True, text=True, timeout=900)
    if proc.returncode != 0:
        raise RuntimeError(f"clrun exited {proc.returncode}: {proc.stderr.strip()}")
    return {f: testlib.payload(os.path.join(out, f)) for f in sorted(os.listdir(out))}


def main():
    clrun, models = sys.argv[1], sys.argv[2]
    manifest_path = os.path.join(models, "MANIFEST.json")
    if not os.path.exists(manifest_path):
        print(f"SKIP: shared models not found at '{models}'")
        return 1 if os.environ.get("CI") == "true" else 77
    failed = passed = 0
    for e in json.load(open(manifest_path)):
        if e["file"].endswith("/param.nb"):
            continue
        model = os.path.dirname(e["file"]) if e["file"].endswith("/__model__.nb") else e["file"]
        args = ["--seed", "3"]
        for name, dims in (e.get("input_shapes") or {}).items():
            args += ["--input-shape", f"{name}={dims}"]
        try:
            runs = []
            for threads in ("1", "3"):
                with tempfile.TemporaryDirectory() as out:
                    runs.append(outputs(clrun, os.path.join(models, model), args + ["--threads", threads], out))
            problem = None if runs[0] == runs[1] and runs[0] else (
                "no outputs" if not runs[0] else
                "outputs differ: " + ", ".join(f for f in runs[0] if runs[0][f] != runs[1].get(f)))
        except RuntimeError as ex:
            problem = str(ex)
        if problem:
            failed += 1
            print(f"FAIL {model}: {problem}", flush=True)
        else:
            passed += 1
            print(f"ok   {model}: 1 and 3 threads bit-identical", flush=True)
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
