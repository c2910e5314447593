#!/usr/bin/env python3
"""clrun's command line on bad input: one-line errors, right exit codes, no crash.

Uses the bundled default model: valid → exit 0; truncated at several offsets,
corrupted header, empty file, missing file and directory without model files →
exit 1 with exactly one line on stderr that names the problem (and the byte
offset for malformed files); bad usage → exit 2. --dump-ops writes every
op's outputs with an index whose SHA-256s match the files.
"""
import hashlib
import json
import os
import subprocess
import sys
import tempfile


def npy_payload_size(record):
    """Bytes of element data a dump record's .npy holds."""
    count = 1
    for d in record["shape"]:
        count *= d
    return count * {"float32": 4, "int8": 1, "uint8": 1, "int32": 4, "int64": 8, "bool": 1, "float16": 2, "int16": 2}[record["dtype"]]


def run(clrun, *args):
    return subprocess.run([clrun, *args], capture_output=True, text=True, timeout=60)


def main():
    clrun, model = sys.argv[1], sys.argv[2]
    data = open(model, "rb").read()
    failures = []
    checks = 0

    def expect(cond, what):
        nonlocal checks
        checks += 1
        if not cond:
            failures.append(what)

    ok = run(clrun, "--info", model)
    expect(ok.returncode == 0 and "op conv2d" in ok.stdout, f"valid model: exit {ok.returncode} {ok.stderr}")

    with tempfile.TemporaryDirectory() as tmp:
        cases = {f"truncated at {n}": data[:n] for n in (0, 1, 17, 25, 26, 40, len(data) // 2, len(data) - 1)}
        cases["meta_version 7"] = b"\x07\x00" + data[2:]
        cases["topo_size past end"] = data[:18] + b"\xff" * 8 + data[26:]
        for name, blob in cases.items():
            path = os.path.join(tmp, "bad.nb")
            open(path, "wb").write(blob)
            r = run(clrun, "--info", path)
            lines = r.stderr.strip().splitlines()
            expect(r.returncode == 1, f"{name}: exit {r.returncode}, want 1")
            expect(len(lines) == 1 and "at byte" in r.stderr, f"{name}: want one line naming the byte: {r.stderr!r}")
        r = run(clrun, "--info", os.path.join(tmp, "absent.nb"))
        expect(r.returncode == 1 and "absent.nb" in r.stderr, f"missing file: {r.returncode} {r.stderr!r}")
        r = run(clrun, "--info", tmp)
        expect(r.returncode == 1 and "__model__.nb" in r.stderr, f"empty directory: {r.returncode} {r.stderr!r}")
    r = run(clrun, "--bogus")
    expect(r.returncode == 2 and "usage" in r.stderr, f"bad usage: {r.returncode}")
    r = run(clrun, "--resize", "abc", model)
    expect(r.returncode == 2 and "--resize" in r.stderr, f"bad --resize: {r.returncode} {r.stderr!r}")
    r = run(clrun, "--threads", "0", model)
    expect(r.returncode == 2 and "--threads" in r.stderr, f"bad --threads: {r.returncode} {r.stderr!r}")

    # Running: a good run, then each kind of bad input gets one clear line.
    r = run(clrun, model, "--seed", "5")
    expect(r.returncode == 0 and "output 0 softmax.out FP32 [1,10]" in r.stdout and "top-5" in r.stdout,
           f"run: {r.returncode} {r.stdout!r} {r.stderr!r}")
    bad_runs = {
        "unknown input name": (["--input", "nosuch=x.npy"], "nosuch"),
        "missing input file": (["--input", "image=/nonexistent/in.npy"], "/nonexistent/in.npy"),
        "not an image": (["--input", f"image={model}"], "cannot decode image"),
        "shape an op cannot take": (["--input-shape", "image=1,2,32,32"], "conv2d"),
        "unknown device": (["--device", "tpu"], "tpu"),
        "unknown placement": (["--placement", "fastest"], "fastest"),
    }
    for name, (args, needle) in bad_runs.items():
        r = run(clrun, model, *args)
        lines = r.stderr.strip().splitlines()
        expect(r.returncode == 1 and len(lines) == 1 and needle in r.stderr, f"{name}: {r.returncode} {r.stderr!r}")

    # --check: one line per op, the transfers, a verdict; profiles; DOT.
    r = run(clrun, "--check", "--device", "cpu", model)
    expect(r.returncode == 0 and "op    1 conv2d" in r.stdout and "no GPU device" in r.stdout
           and r.stdout.strip().splitlines()[-1].startswith("verdict:"), f"--check cpu: {r.returncode} {r.stdout!r}")
    r = run(clrun, "--check", "--profile", "adreno-6xx", model)
    expect(r.returncode == 0 and "gpu" in r.stdout and "verdict: runs on adreno-6xx" in r.stdout,
           f"--check --profile: {r.returncode} {r.stdout!r} {r.stderr!r}")
    r = run(clrun, "--check", "--profile", "nosuch", model)
    expect(r.returncode == 1 and "nosuch" in r.stderr and "adreno-6xx" in r.stderr, f"bad profile: {r.stderr!r}")
    with tempfile.TemporaryDirectory() as tmp:
        dot = os.path.join(tmp, "plan.dot")
        r = run(clrun, "--check", "--profile", "mali-valhall", "--dump-plan", dot, model)
        text = open(dot).read() if os.path.exists(dot) else ""
        expect(r.returncode == 0 and text.startswith("digraph") and "conv2d" in text, f"--dump-plan: {r.stderr!r}")
    r = run(clrun, "--dump-plan", "x.dot", model)
    expect(r.returncode == 2, f"--dump-plan without --check: {r.returncode}")

    # --dump-ops: every op's outputs with an index whose hashes are right, on
    # the host and wherever "auto" runs (GPU values are downloaded).
    for device in ("cpu", "auto"):
        with tempfile.TemporaryDirectory() as tmp:
            dump, out = os.path.join(tmp, "ops"), os.path.join(tmp, "out")
            os.mkdir(out)
            r = run(clrun, model, "--seed", "5", "--device", device, "--dump-ops", dump, "--output-dir", out)
            index = json.load(open(os.path.join(dump, "index.json"))) if r.returncode == 0 else []
            types = [rec["op_type"] for rec in index]
            expect(r.returncode == 0 and types[:2] == ["feed", "conv2d"] and "fetch" not in types,
                   f"--dump-ops ({device}): {r.returncode} {r.stderr!r} {types}")
            for rec in index:
                data = open(os.path.join(dump, rec["file"]), "rb").read()
                expect(hashlib.sha256(data[len(data) - npy_payload_size(rec):]).hexdigest() == rec["sha256"] and
                       rec["device"] in (("cpu",) if device == "cpu" else ("cpu", "gpu")),
                       f"--dump-ops ({device}) record {rec}")
            last = open(os.path.join(dump, index[-1]["file"]), "rb").read() if index else b""
            expect(index and last == open(os.path.join(out, "softmax.out.npy"), "rb").read(),
                   f"--dump-ops ({device}): the last op's dump is not the model's output")
    with tempfile.TemporaryDirectory() as tmp:
        r = run(clrun, model, "--dump-ops", os.path.join(tmp, "no", "such", "dir"))
        expect(r.returncode == 1 and len(r.stderr.strip().splitlines()) == 1 and "no/such/dir" in r.stderr,
               f"--dump-ops into a missing folder: {r.returncode} {r.stderr!r}")
    r = run(clrun, "--check", "--dump-ops", "x", model)
    expect(r.returncode == 2 and "--dump-ops" in r.stderr, f"--dump-ops with --check: {r.returncode} {r.stderr!r}")

    for f in failures:
        print("FAIL", f)
    print(f"{checks - len(failures)} passed, {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
