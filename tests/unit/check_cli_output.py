#!/usr/bin/env python3
"""clrun's result outputs and versions, on the bundled model:
--format json is one JSON document that says what the text lines say;
--output-dir is created with its parents when missing (and a folder that
cannot be made is a one-line error); an image input gives the same run as a
.npy holding the values the image preprocessing defines; clrun --version and
cltime --version print the library version.

usage: check_cli_output.py CLRUN CLTIME MODEL
"""
import array
import json
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "models"))
import testlib  # noqa: E402


def run(*cmd):
    return subprocess.run(list(cmd), capture_output=True, text=True, timeout=120)


def f32(x):
    return array.array("f", [x])[0]


def main():
    clrun, cltime, model = sys.argv[1:4]
    failures = []

    def expect(cond, what):
        if not cond:
            failures.append(what)

    text = run(clrun, model, "--device", "cpu", "--seed", "3")
    js = run(clrun, model, "--device", "cpu", "--seed", "3", "--format", "json")
    doc = json.loads(js.stdout) if js.returncode == 0 else {}
    outs = doc.get("outputs", [])
    expect(text.returncode == 0 and js.returncode == 0 and len(outs) == 1, f"--format json: {js.returncode} {js.stderr!r}")
    if outs:
        o = outs[0]
        line = text.stdout.splitlines()[0].split()
        expect(line[2] == o["name"] and line[3] == o["dtype"] and line[4] == "[%s]" % ",".join(map(str, o["shape"])),
               f"json output header {o} vs {line}")
        expect(abs(float(line[line.index("max") + 1]) - o["max"]) <= 1e-5 * abs(o["max"]) and len(o["top5"]) == 5,
               f"json statistics {o} vs {line}")
        expect(doc["device"] == "host" and doc["run"]["ops_gpu"] == 0 and doc["run"]["fallbacks"] == 0,
               f"json run summary {doc.get('run')}")
    r = run(clrun, model, "--format", "yaml")
    expect(r.returncode == 2 and "--format" in r.stderr, f"--format yaml: {r.returncode} {r.stderr!r}")
    r = run(clrun, "--check", "--format", "json", model)
    expect(r.returncode == 2, f"--format json with --check: {r.returncode}")
    r = run(clrun, model, "--scale", "0")
    expect(r.returncode == 2, f"--scale 0: {r.returncode}")

    with tempfile.TemporaryDirectory() as tmp:
        nested = os.path.join(tmp, "a", "b", "c")
        r = run(clrun, model, "--device", "cpu", "--output-dir", nested)
        expect(r.returncode == 0 and os.path.isfile(os.path.join(nested, "softmax.out.npy")),
               f"--output-dir into a missing folder: {r.returncode} {r.stderr!r}")
        blocker = os.path.join(tmp, "file")
        open(blocker, "w").close()
        r = run(clrun, model, "--device", "cpu", "--output-dir", os.path.join(blocker, "sub"))
        expect(r.returncode == 1 and len(r.stderr.strip().splitlines()) == 1 and "--output-dir" in r.stderr,
               f"--output-dir below a file: {r.returncode} {r.stderr!r}")

        # An image input: pixel (y, x, c) = (5y + 11x + 40c) % 256, made into
        # (pixel * scale - mean) / std per channel; the .npy holds those values.
        ppm = os.path.join(tmp, "img.ppm")
        with open(ppm, "wb") as f:
            f.write(b"P6\n32 32\n255\n" + bytes((5 * y + 11 * x + 40 * c) % 256
                                                 for y in range(32) for x in range(32) for c in range(3)))
        mean, std, scale = (0.5, 0.25, 0.125), (0.5, 2.0, 4.0), f32(1.0 / 255.0)
        values = [f32(f32(f32(f32((5 * y + 11 * x + 40 * c) % 256) * scale) - f32(mean[c])) / f32(std[c]))
                  for c in range(3) for y in range(32) for x in range(32)]
        npy = os.path.join(tmp, "img.npy")
        testlib.save_f32(npy, (1, 3, 32, 32), values)
        prep = ["--mean", "0.5,0.25,0.125", "--std", "0.5,2,4"]
        a = run(clrun, model, "--device", "cpu", "--input", "image=" + ppm, *prep, "--output-dir", os.path.join(tmp, "a"))
        b = run(clrun, model, "--device", "cpu", "--input", "image=" + npy, "--output-dir", os.path.join(tmp, "b"))
        same = a.returncode == 0 and b.returncode == 0 and \
            testlib.payload(os.path.join(tmp, "a", "softmax.out.npy")) == testlib.payload(os.path.join(tmp, "b", "softmax.out.npy"))
        expect(same, f"image input vs its .npy: {a.returncode} {a.stderr!r} {b.returncode} {b.stderr!r}")

    v1, v2 = run(clrun, "--version"), run(cltime, "--version")
    expect(v1.returncode == 0 and v2.returncode == 0 and v1.stdout.split()[1] == v2.stdout.split()[1] and
           v2.stdout.startswith("cltime "), f"--version: {v1.stdout!r} {v2.stdout!r}")

    for f in failures:
        print("FAIL", f)
    print(f"{len(failures)} failed" if failures else "PASS")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
