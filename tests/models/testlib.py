"""Helpers for the model test scripts: a minimal .npy reader and writer (no
numpy needed on CI) and the OpenCL device probe."""
import array
import ast
import struct

DET_SCORE = 0.3

_TYPES = {"<f4": "f", "<i4": "i", "<i8": "q", "|i1": "b", "|u1": "B", "<f8": "d", "|b1": "B"}


def _split(data, path):
    """(header dict, payload bytes) of a .npy file's contents."""
    if data[:6] != b"\x93NUMPY":
        raise ValueError(f"{path}: not a .npy file")
    major = data[6]
    if major == 1:
        (hlen,), start = struct.unpack("<H", data[8:10]), 10
    else:
        (hlen,), start = struct.unpack("<I", data[8:12]), 12
    header = ast.literal_eval(data[start:start + hlen].decode("latin1"))
    if header["fortran_order"]:
        raise ValueError(f"{path}: Fortran order")
    return header, data[start + hlen:]


def load(path):
    """Returns (shape tuple, flat list-like array of values)."""
    with open(path, "rb") as f:
        header, payload = _split(f.read(), path)
    values = array.array(_TYPES[header["descr"]])
    values.frombytes(payload)
    return tuple(header["shape"]), values


def payload(path):
    """The raw element bytes of a .npy file (C order, little-endian)."""
    with open(path, "rb") as f:
        return _split(f.read(), path)[1]


def save_f32(path, shape, values):
    """Writes a float32 C-order .npy file."""
    header = "{'descr': '<f4', 'fortran_order': False, 'shape': (%s), }" % (
        "".join(f"{d}, " for d in shape) if len(shape) == 1 else ", ".join(str(d) for d in shape))
    pad = (64 - (10 + len(header) + 1) % 64) % 64
    header = header + " " * pad + "\n"
    with open(path, "wb") as f:
        f.write(b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode("latin1"))
        f.write(array.array("f", values).tobytes())


def gpu_missing(clrun, extra):
    """When the clrun arguments ask for the GPU and no OpenCL device exists:
    the exit code the test should return (77 skip, or 1 when CI=true),
    after saying why; else None."""
    import os
    import subprocess
    if "gpu" not in " ".join(extra):
        return None
    probe = subprocess.run([clrun, "--check", "--device", "gpu", os.devnull], capture_output=True, text=True)
    if "no OpenCL device" not in probe.stderr:
        return None
    print(f"SKIP: no OpenCL device ({probe.stderr.strip()})")
    return 1 if os.environ.get("CI") == "true" else 77


def is_detection(shape):
    return len(shape) == 2 and shape[1] == 6


def det_rows(shape, values):
    rows = []
    for r in range(shape[0]):
        row = values[r * 6:(r + 1) * 6]
        if row[1] > DET_SCORE:
            rows.append(tuple(row))
    return rows


def compare_detections(got, want, tol):
    """Each reference row above the threshold must have a matching row."""
    unmatched = list(got)
    for w in want:
        best = None
        for i, g in enumerate(unmatched):
            if int(g[0]) == int(w[0]) and all(abs(a - b) <= tol * max(1.0, abs(b)) for a, b in zip(g[1:], w[1:])):
                best = i
                break
        if best is None:
            return f"reference detection {tuple(round(v, 4) for v in w)} not found"
        unmatched.pop(best)
    if unmatched:
        return f"{len(unmatched)} extra detections, e.g. {tuple(round(v, 4) for v in unmatched[0])}"
    return None


def max_diff(got, want):
    """(largest |got - want|, its index, largest |want|); NaN counts as inf."""
    scale = max([abs(v) for v in want] + [1e-30])
    worst, at = 0.0, 0
    for i, (a, b) in enumerate(zip(got, want)):
        d = abs(a - b)
        if not d <= worst:  # also catches NaN
            worst, at = d if d == d else float("inf"), i
    return worst, at, scale


def equal_up_to_neighbour_swaps(got, want):
    """How many elements agree once adjacent transpositions (got[i], got[i+1])
    = (want[i+1], want[i]) are undone: the order of two entries of a list
    sorted by a float that ties within rounding (NMS indices by score) is
    not part of the answer."""
    same, i = 0, 0
    while i < len(want):
        if got[i] == want[i]:
            same, i = same + 1, i + 1
        elif i + 1 < len(want) and got[i] == want[i + 1] and got[i + 1] == want[i]:
            same, i = same + 2, i + 2
        else:
            i += 1
    return same


def compare(name, got_shape, got, want_shape, want, rel):
    """None when `got` matches `want`: floats within rel of the largest |want|,
    detection lists ([K, 6]: label, score, box) as sets of rows scoring above
    DET_SCORE, integers equal in at least 99.5 % of elements once swapped
    neighbours are put back (equal_up_to_neighbour_swaps); else why not."""
    if list(got_shape) != list(want_shape):
        return f"{name}: shape {list(got_shape)} vs reference {list(want_shape)}"
    if want.typecode in "fd":
        if is_detection(want_shape):
            return compare_detections(det_rows(got_shape, got), det_rows(want_shape, want), max(rel, 1e-3))
        worst, at, scale = max_diff(got, want)
        if worst / scale > rel:
            return f"{name}: max |diff| {worst:.3g} at {at} is {worst / scale:.3g} of max |ref| {scale:.3g} (allowed {rel})"
        return None
    same = equal_up_to_neighbour_swaps(got, want)
    if len(want) and same / len(want) < 0.995:
        return f"{name}: only {same} of {len(want)} integer elements equal (neighbour swaps undone)"
    return None


def run_clrun(cmd, out):
    """Runs a clrun command line that includes `--output-dir out`; returns
    {fetch index: (name, shape, values)} from the files it wrote, or raises
    RuntimeError with clrun's message when it fails."""
    import os
    import subprocess
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=900)
    if proc.returncode != 0:
        raise RuntimeError(f"clrun exited {proc.returncode}: {proc.stderr.strip()}")
    outputs = {}
    for line in proc.stdout.splitlines():
        w = line.split()
        if len(w) > 2 and w[0] == "output":
            safe = "".join(c if c.isalnum() or c in "._-" else "_" for c in w[2])
            shape, values = load(os.path.join(out, safe + ".npy"))
            outputs[int(w[1])] = (w[2], shape, values)
    return outputs


def reference_runs(clrun, ref_dir, extra):
    """The runs of the shared reference folder (INDEX.json) for a check that
    runs clrun with `extra` arguments: (runs, None), or (None, exit code)
    after saying why when the folder is missing (77 skip, 1 when CI=true)
    or the arguments ask for a GPU there is not."""
    import json
    import os
    index_path = os.path.join(ref_dir, "INDEX.json")
    if not os.path.exists(index_path):
        print(f"SKIP: reference folder not found at '{ref_dir}'")
        return None, 1 if os.environ.get("CI") == "true" else 77
    missing = gpu_missing(clrun, extra)
    if missing is not None:
        return None, missing
    return json.load(open(index_path)), None


def input_args(run, run_dir):
    """clrun's --input arguments for a reference run's input files."""
    import os
    args = []
    for fname, feed in run["inputs"].items():
        args += ["--input", f"{feed}={os.path.join(run_dir, fname)}"]
    return args
