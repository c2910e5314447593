"""Helpers for the model test scripts: a minimal .npy reader and writer (no
numpy needed on CI) and the OpenCL device probe."""
import array
import ast
import struct

_TYPES = {"<f4": "f", "<i4": "i", "<i8": "q", "|i1": "b", "|u1": "B", "<f8": "d", "|b1": "B"}


def load(path):
    """Returns (shape tuple, flat list-like array of values)."""
    with open(path, "rb") as f:
        data = f.read()
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
    code = _TYPES[header["descr"]]
    values = array.array(code)
    values.frombytes(data[start + hlen:])
    return tuple(header["shape"]), values


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
