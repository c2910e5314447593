#!/usr/bin/env python3
"""Work-group tuning through the tools:
  1. cltime in a fresh cache folder marks no launch as tuned;
  2. clrun --tune measures (prints its "tuning:" summary) and writes one
     .tune file beside the program binaries; its outputs equal an untuned
     run's exactly;
  3. a later cltime (no --tune) shows the tuned launches: "lws_tuned" in
     --format json and a '*' after the lws in the table; clrun says how many
     launches use the file;
  4. a damaged tuning file: clrun warns on stderr, runs untuned, exits 0.
Usage: check_tune_cli.py CLTIME CLRUN MODEL  (exits 77 without an OpenCL
device, 1 when CI=true)
"""
import glob
import json
import os
import subprocess
import sys
import tempfile

CI = os.environ.get("CI") == "true"


def run(cmd, env):
    return subprocess.run(cmd, capture_output=True, text=True, timeout=900, env=env)


def outputs(stdout):
    return [l for l in stdout.splitlines() if l.startswith("output") or l.startswith("  top")]


def main():
    cltime, clrun, model = sys.argv[1:4]
    failures = []
    fail = failures.append
    with tempfile.TemporaryDirectory() as cache:
        env = dict(os.environ, CLRUN_CACHE_DIR=cache)
        gpu = ["--device", "gpu", "--placement", "gpu"]
        plain = run([clrun, model] + gpu, env)
        if plain.returncode != 0:
            print(f"no OpenCL run ({plain.stderr.strip()})")
            return 1 if CI else 77
        doc = json.loads(run([cltime, model, "--format", "json", "--repeats", "2"] + gpu, env).stdout)
        if any(r.get("lws_tuned") for r in doc["ops"]):
            fail("a launch is marked tuned before any tuning")
        tuned = run([clrun, model, "--tune"] + gpu, env)
        if tuned.returncode != 0 or "tuning:" not in tuned.stdout:
            fail(f"clrun --tune: rc {tuned.returncode}, {tuned.stdout[-300:]} {tuned.stderr}")
        if outputs(tuned.stdout) != outputs(plain.stdout):
            fail("clrun --tune changed the outputs")
        files = glob.glob(os.path.join(cache, "*.tune"))
        if len(files) != 1:
            fail(f"expected one .tune file, found {files}")
        later = run([clrun, model] + gpu, env)
        if "launches use local sizes from" not in later.stdout or outputs(later.stdout) != outputs(plain.stdout):
            fail(f"a later clrun does not use the tuning file: {later.stdout[-300:]}")
        doc = json.loads(run([cltime, model, "--format", "json", "--repeats", "2"] + gpu, env).stdout)
        if not any(r.get("lws_tuned") for r in doc["ops"]):
            fail("cltime marks no launch as tuned after clrun --tune")
        table = run([cltime, model, "--repeats", "2"] + gpu, env).stdout
        if not any(l.split()[3:4] == ["gpu"] and "* " in l for l in table.splitlines()):
            fail("cltime's table marks no tuned lws with '*'")
        for path in files:
            with open(path, "r+b") as f:
                f.seek(40)
                byte = f.read(1)
                f.seek(40)
                f.write(bytes([byte[0] ^ 0xFF]))
        damaged = run([clrun, model] + gpu, env)
        if damaged.returncode != 0 or "damaged" not in damaged.stderr or "launches use" in damaged.stdout:
            fail(f"damaged tuning file: rc {damaged.returncode}, stderr {damaged.stderr.strip()}")
        if outputs(damaged.stdout) != outputs(plain.stdout):
            fail("a damaged tuning file changed the outputs")
    for f in failures:
        print("FAIL:", f)
    print("ok" if not failures else f"{len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
