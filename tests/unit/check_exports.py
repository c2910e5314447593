#!/usr/bin/env python3
"""libclrun.so exports exactly the public API: every function declared with
CLR_API in include/clrun/*.h, and nothing else (no internal gt_*, tk_*, …).
The same for the global symbols libclrun.a defines.

usage: check_exports.py LIBCLRUN_SO|LIBCLRUN_A INCLUDE_DIR [NM]   (NM: the toolchain's nm, default nm)
"""
import glob
import os
import re
import subprocess
import sys

# Symbols the linker itself defines in every shared object.
LINKER_SYMBOLS = {"_init", "_fini", "_edata", "_end", "__bss_start"}


def declared(include_dir):
    names = set()
    for path in glob.glob(os.path.join(include_dir, "clrun", "*.h")):
        text = open(path, encoding="utf-8").read()
        for m in re.finditer(r"^CLR_API\b[^(;]*?\b(\w+)\s*\(", text, re.M):
            names.add(m.group(1))
    return names


def exported(lib, nm):
    scope = ["-g"] if lib.endswith(".a") else ["-D"]  # an archive: its objects' global symbols
    out = subprocess.run([nm, *scope, "--defined-only", lib], check=True, capture_output=True, text=True).stdout
    names = {line.split()[-1].split("@")[0] for line in out.splitlines() if len(line.split()) == 3}
    return names - LINKER_SYMBOLS


def main():
    lib, include_dir = sys.argv[1], sys.argv[2]
    nm = sys.argv[3] if len(sys.argv) > 3 and sys.argv[3] else "nm"
    want, got = declared(include_dir), exported(lib, nm)
    ok = True
    for name in sorted(got - want):
        print(f"exported but not public API: {name}")
        ok = False
    for name in sorted(want - got):
        print(f"declared CLR_API but not exported: {name}")
        ok = False
    print(f"{len(got)} exported symbols, {len(want)} declared; all clr_*: {all(n.startswith('clr_') for n in got)}")
    return 0 if ok and all(n.startswith("clr_") for n in got) else 1


if __name__ == "__main__":
    sys.exit(main())
