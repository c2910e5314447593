#!/usr/bin/env python3
"""Outside-project test: clrun as an integrator gets it.

1. `cmake --install` the build tree into a fresh temporary prefix;
2. build tools/example/example.c against that prefix with pkg-config (cc
   `pkg-config --cflags --libs clrun`) and with find_package(clrun) (shared
   and static targets; find_package(clrun 99.0) must fail), and configure a
   project that add_subdirectory()s the source tree (nothing of clrun's
   tests, tools or -Werror may leak in);
3. run every example on the installed bundled model with a random .npy input
   and check its output equals what the installed `clrun` writes for it.

usage: check_install.py BUILD_DIR SOURCE_DIR WORK_DIR C_COMPILER
"""
import array
import os
import random
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "models"))
import testlib  # noqa: E402


def run(cmd, **kw):
    r = subprocess.run(cmd, capture_output=True, text=True, **kw)
    if r.returncode != 0:
        sys.exit(f"FAIL: {' '.join(cmd)} exited {r.returncode}\n{r.stdout}\n{r.stderr}")
    return r.stdout


def example_output(exe, model, npy):
    lines = run([exe, model, npy]).splitlines()
    name, *values = lines[1].split()
    return lines[0], name, array.array("f", [float(v) for v in values])  # %.9g round-trips a float32


def main():
    build, source, work, cc = (os.path.abspath(a) if i < 3 else a for i, a in enumerate(sys.argv[1:5]))
    shutil.rmtree(work, ignore_errors=True)
    prefix = os.path.join(work, "prefix")
    run(["cmake", "--install", build, "--prefix", prefix])
    libdirs = [d for d in ("lib", "lib64") if os.path.isdir(os.path.join(prefix, d, "pkgconfig"))]
    libdir = os.path.join(prefix, libdirs[0])
    model = os.path.join(prefix, "share", "clrun", "models", "tiny_convnet.nb")
    clrun = os.path.join(prefix, "bin", "clrun")
    version = run([clrun, "--version"]).strip()
    print(version, "installed into", prefix)

    exes = []
    env = dict(os.environ, PKG_CONFIG_PATH=os.path.join(libdir, "pkgconfig"))
    flags = run(["pkg-config", "--cflags", "--libs", "clrun"], env=env).split()
    exe = os.path.join(work, "example_pkgconfig")
    run([cc, "-std=c11", "-Wall", "-Werror", os.path.join(source, "tools", "example", "example.c"), *flags,
         "-Wl,-rpath," + libdir, "-o", exe])
    exes.append(exe)

    pkg = os.path.join(work, "package")
    consumer = os.path.join(source, "tests", "install")
    run(["cmake", "-S", consumer, "-B", pkg, "-DMODE=package", "-DVERSION=" + version.split()[1],
         "-DCMAKE_PREFIX_PATH=" + prefix,
         "-DCMAKE_C_COMPILER=" + cc, "-DCMAKE_BUILD_TYPE=Release"])
    run(["cmake", "--build", pkg])
    wrong = subprocess.run(["cmake", "-S", consumer, "-B", os.path.join(work, "wrong"), "-DMODE=package",
                            "-DVERSION=99.0", "-DCMAKE_PREFIX_PATH=" + prefix, "-DCMAKE_C_COMPILER=" + cc],
                           capture_output=True, text=True)
    if wrong.returncode == 0:
        sys.exit("FAIL: find_package(clrun 99.0) accepted version " + version)
    exes += [os.path.join(pkg, "example_shared"), os.path.join(pkg, "example_static")]

    sub = os.path.join(work, "subdirectory")
    run(["cmake", "-S", consumer, "-B", sub, "-DMODE=subdirectory", "-DCLRUN_SOURCE_DIR=" + source,
         "-DCMAKE_C_COMPILER=" + cc])
    print("add_subdirectory: configured without tests, tools or -Werror leaking")

    rng = random.Random(7)
    npy = os.path.join(work, "x.npy")
    testlib.save_f32(npy, (1, 3, 32, 32), [rng.uniform(-1, 1) for _ in range(3 * 32 * 32)])
    out = os.path.join(work, "clrun_out")
    run([clrun, model, "--device", "cpu", "--input", "image=" + npy, "--output-dir", out])
    ok = True
    for exe in exes:
        banner, name, got = example_output(exe, model, npy)
        _, want = testlib.load(os.path.join(out, name + ".npy"))
        same = banner.startswith(version) and want == got
        print(f"{os.path.relpath(exe, work)}: {banner}; {name}: {len(got)} values {'equal' if same else 'DIFFER'}")
        ok &= same
    if ok:
        print("PASS")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
