#!/usr/bin/env python3
"""Compares clrun with the real Paddle-Lite runtime op by op, bit for bit.

For every reference run with an `ops/` folder (reference/OPS.md: Paddle-Lite's
output of every op, with the SHA-256 of its raw bytes), runs clrun on the
run's inputs with `--dump-ops` and compares each op output's SHA-256 with
`ops.json`, matched by op index (block 0, as `clrun --info` counts), slot and
position in the slot (the reference program renamed the variables). The first
op that differs fails the run; the message names the op, its type, its
Paddle-Lite kernel and where clrun ran it, how many values differ and the
largest difference (measured on the stored tensor where `ops/` has it, else
the statistics are compared). Usage:
  check_ops.py CLRUN REFERENCE_DIR MODELS_DIR [extra clrun args…]
Exits 77 (skip) without the reference folder or without any run that has
per-op data, 1 instead when CI=true.
"""
import hashlib
import json
import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import testlib  # noqa: E402


def slot_keys(records):
    """(op, slot, k) of each record in order, k counting the record's earlier
    siblings in the same slot."""
    seen = {}
    for r in records:
        k = seen.get((r["op"], r["slot"]), 0)
        seen[(r["op"], r["slot"])] = k + 1
        yield (r["op"], r["slot"], k), r


def value_difference(ref_path, got_path):
    """'N of M values differ, largest |diff| D (index i: Paddle-Lite a, clrun b)'."""
    ref_shape, ref = testlib.load(ref_path)
    got_shape, got = testlib.load(got_path)
    if list(ref_shape) != list(got_shape):
        return f"shape {list(got_shape)}, Paddle-Lite {list(ref_shape)}"
    differ = [i for i, (a, b) in enumerate(zip(ref, got)) if a != b and not (a != a and b != b)]
    if not differ:
        return "values equal, bytes differ (signed zeros or NaN payloads)"
    worst = max(differ, key=lambda i: abs(got[i] - ref[i]) if got[i] == got[i] and ref[i] == ref[i] else float("inf"))
    return (f"{len(differ)} of {len(ref)} values differ, largest |diff| {abs(got[worst] - ref[worst]):.3g} "
            f"(index {worst}: Paddle-Lite {ref[worst]!r}, clrun {got[worst]!r})")


def statistics_difference(ref, got_path):
    """For a reference op whose tensor is not stored: its statistics against clrun's."""
    _, got = testlib.load(got_path)
    finite = [v for v in got if v == v]
    stats = (min(finite), max(finite), sum(finite)) if finite else (0.0, 0.0, 0.0)
    return (f"values not stored in ops/; Paddle-Lite min/max/sum {ref['min']:.7g}/{ref['max']:.7g}/{ref['sum']:.7g}, "
            f"clrun {stats[0]:.7g}/{stats[1]:.7g}/{stats[2]:.7g}")


def first_difference(ref_records, ref_ops_dir, dump_dir):
    """None when every reference op output hashes equal to clrun's; else a
    description of the first (in op order) that does not."""
    got = dict(slot_keys(json.load(open(os.path.join(dump_dir, "index.json")))))
    for key, ref in slot_keys(ref_records):
        mine = got.get(key)
        where = f"op {ref['op']} {ref['op_type']} ({ref['slot']}, Paddle-Lite kernel {ref['kernel']}"
        if mine is None:
            return f"{where}): clrun wrote no value"
        where += f", clrun on {mine['device']})"
        if mine["dtype"] != ref["dtype"] or mine["shape"] != ref["shape"]:
            return f"{where}: clrun {mine['dtype']} {mine['shape']}, Paddle-Lite {ref['dtype']} {ref['shape']}"
        got_path = os.path.join(dump_dir, mine["file"])
        if hashlib.sha256(testlib.payload(got_path)).hexdigest() != mine["sha256"]:
            return f"{where}: the dump's index does not hash {mine['file']} right"
        if mine["sha256"] == ref["sha256"]:
            continue
        if ref.get("file"):
            return f"{where}: " + value_difference(os.path.join(ref_ops_dir, ref["file"]), got_path)
        return f"{where}: " + statistics_difference(ref, got_path)
    return None


def main():
    clrun, ref_dir, models_dir, extra = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
    runs, code = testlib.reference_runs(clrun, ref_dir, extra)
    if runs is None:
        return code
    runs = [r for r in runs if os.path.exists(os.path.join(ref_dir, r["run"], "ops", "ops.json"))]
    if not runs:
        print(f"SKIP: no reference run in '{ref_dir}' has per-op values (ops/ops.json)")
        return 1 if os.environ.get("CI") == "true" else 77
    passed = failed = 0
    for run in runs:
        rdir = os.path.join(ref_dir, run["run"])
        ref_records = json.load(open(os.path.join(rdir, "ops", "ops.json")))["ops"]
        args = [clrun, os.path.join(models_dir, run["model"])] + extra + testlib.input_args(run, rdir)
        with tempfile.TemporaryDirectory() as out:
            try:
                testlib.run_clrun(args + ["--output-dir", out, "--dump-ops", os.path.join(out, "ops")], out)
                problem = first_difference(ref_records, os.path.join(rdir, "ops"), os.path.join(out, "ops"))
            except RuntimeError as ex:
                problem = str(ex)
        if problem:
            failed += 1
            print(f"FAIL {run['run']}: first differing op: {problem}")
        else:
            passed += 1
            print(f"ok   {run['run']}: all {len(ref_records)} op outputs bit-identical to Paddle-Lite")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
