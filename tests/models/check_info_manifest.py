#!/usr/bin/env python3
"""Checks `clrun --info` against MANIFEST.json for every shared model.

For each model: op counts per type, kernel places, parameter counts by stored
type, feeds and fetches (column, name, dims, type where the format stores them),
meta_version and opt_version must equal the manifest's. Exits 77 (skip) when
the models are absent, 1 instead when CI=true.
"""
import json
import os
import subprocess
import sys


def parse_info(text):
    info = {"ops": {}, "places": {}, "params": {}, "inputs": [], "outputs": []}
    for line in text.splitlines():
        words = line.split()
        if not words:
            continue
        kind = words[0]
        if kind == "op":
            info["ops"][words[1]] = int(words[2])
        elif kind == "place":
            info["places"][words[1]] = int(words[2])
        elif kind == "param":
            info["params"][words[1]] = int(words[2])
        elif kind in ("input", "output"):
            inner = words[4].strip("[]")
            dims = None if words[4] == "-" else [int(d) for d in inner.split(",")] if inner else []
            dtype = None if words[3] == "-" else words[3]
            info[kind + "s"].append([int(words[1]), words[2], dims, dtype])
        elif kind == "format":
            info["format"] = line
        elif kind == "opt_version":
            info["opt_version"] = words[1]
    return info


def check(entry, info):
    errors = []

    def expect(what, got, want):
        if got != want:
            errors.append(f"{what}: clrun says {got}, manifest says {want}")

    expect("op_counts", info["ops"], entry["op_counts"])
    expect("kernel_places", info["places"], entry["kernel_places"])
    if entry.get("param_dtypes"):
        expect("param_dtypes", info["params"], entry["param_dtypes"])
    for kind in ("feeds", "fetches"):
        if entry.get(kind) is not None:
            got = sorted(info["inputs" if kind == "feeds" else "outputs"], key=lambda r: r[0])
            want = sorted(entry[kind], key=lambda r: r[0])
            expect(kind, got, want)
    meta = entry["meta_version"]
    if isinstance(meta, int):
        expect("meta_version", f"(meta_version {meta})" in info.get("format", ""), True)
        expect("opt_version", info.get("opt_version"), entry["opt_version"])
    else:
        expect("format", "directory" in info.get("format", ""), True)
    return errors


def main():
    clrun, models = sys.argv[1], os.environ.get("CLRUN_MODELS_DIR") or sys.argv[2]
    manifest_path = os.path.join(models, "MANIFEST.json")
    if not os.path.exists(manifest_path):
        print(f"SKIP: shared models not found at '{models}' (set CLRUN_MODELS_DIR)")
        return 1 if os.environ.get("CI") == "true" else 77
    manifest = json.load(open(manifest_path))
    failed = checked = 0
    for entry in manifest:
        rel = entry["file"]
        if rel.endswith("/param.nb"):
            continue  # the parameter half of a directory model, checked with it
        path = os.path.join(models, os.path.dirname(rel) if rel.endswith("/__model__.nb") else rel)
        run = subprocess.run([clrun, "--info", path], capture_output=True, text=True)
        checked += 1
        if run.returncode != 0:
            print(f"FAIL {rel}: clrun --info exited {run.returncode}: {run.stderr.strip()}")
            failed += 1
            continue
        errors = check(entry, parse_info(run.stdout))
        for e in errors:
            print(f"FAIL {rel}: {e}")
        failed += bool(errors)
        if not errors:
            print(f"ok   {rel}")
    print(f"{checked - failed} passed, {failed} failed")
    return 1 if failed or checked == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
