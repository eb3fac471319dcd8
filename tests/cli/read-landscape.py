#!/usr/bin/env python3
"""read-landscape.py RAVINE_CLI: `ravine-cli landscape` files read by a
reader of their own, written here from the safetensors format alone (an
8-byte little-endian header length, a JSON header of dtype, shape and
data_offsets per tensor, then the raw little-endian data) with Python's
standard library, sharing no code with Ravine's writer.  It checks the
names, shapes and dtypes the issue fixes, that the data offsets tile the
buffer exactly, and that `loss` (and the pca path) equal the --json output.
Run on a small synthetic run; exit 0 on success, 1 with a message."""

import json
import math
import os
import struct
import subprocess
import sys
import tempfile

DTYPE_SIZES = {"F32": 4}


def fail(message):
    print("FAIL: " + message)
    sys.exit(1)


def check(cond, message):
    if not cond:
        fail(message)


def read_safetensors(path):
    """{name: (dtype, shape, [floats])} and the metadata of one file."""
    with open(path, "rb") as f:
        blob = f.read()
    check(len(blob) >= 8, path + ": shorter than the header length")
    (header_len,) = struct.unpack_from("<Q", blob, 0)
    check(8 + header_len <= len(blob), path + ": header length beyond the file")
    header = json.loads(blob[8:8 + header_len].decode("utf-8"))
    check(isinstance(header, dict), path + ": the header is not a JSON object")
    buffer = blob[8 + header_len:]
    meta = header.pop("__metadata__", {})
    check(all(isinstance(k, str) and isinstance(v, str) for k, v in meta.items()),
          path + ": metadata is not strings to strings")
    tensors, spans = {}, []
    for name, info in header.items():
        check(set(info) == {"dtype", "shape", "data_offsets"}, "%s: %s has keys %s" % (path, name, sorted(info)))
        dtype, shape, (begin, end) = info["dtype"], info["shape"], info["data_offsets"]
        check(dtype in DTYPE_SIZES, "%s: %s has dtype %s" % (path, name, dtype))
        check(all(isinstance(d, int) and d >= 0 for d in shape), "%s: %s has shape %s" % (path, name, shape))
        count = math.prod(shape)
        check(end - begin == count * DTYPE_SIZES[dtype],
              "%s: %s spans %d bytes for shape %s" % (path, name, end - begin, shape))
        values = list(struct.unpack_from("<%df" % count, buffer, begin)) if count else []
        tensors[name] = (dtype, shape, values)
        spans.append((begin, end, name))
    # The tensors tile the buffer: no gap, no overlap, nothing after.
    at = 0
    for begin, end, name in sorted(spans):
        check(begin == at, "%s: %s begins at %d, not %d" % (path, name, begin, at))
        at = end
    check(at == len(buffer), "%s: the tensors end at %d of %d bytes" % (path, at, len(buffer)))
    return tensors, meta


def as_float32(v):
    return struct.unpack("<f", struct.pack("<f", v))[0]


def same_figure(from_json, from_file):
    """JSON's figure (null for a diverged one) is the file's float32."""
    if from_json is None:
        return not math.isfinite(from_file)
    return as_float32(from_json) == from_file


def run(cli, *args):
    done = subprocess.run([cli, *args], capture_output=True, text=True)
    check(done.returncode == 0, "ravine-cli %s: exit %d: %s" % (" ".join(args), done.returncode, done.stderr))
    return done.stdout


def landscape(cli, out, *extra):
    text = run(cli, "landscape", "--synthetic", "--out", out, "--name", "R", "--images", "64", "--json", *extra)
    tensors, meta = read_safetensors(os.path.join(out, "R_landscape.safetensors"))
    return json.loads(text), tensors, meta


def check_common(result, tensors, checkpoint, grid, span, directions):
    names = {"alpha", "beta", "loss"}
    for param, (dtype, shape, _) in checkpoint.items():
        names |= {"x." + param, "y." + param}
        for d in "xy":
            t = tensors.get(d + "." + param)
            check(t is not None, "no tensor %s.%s" % (d, param))
            check(t[0] == "F32" and t[1] == shape, "%s.%s: %s %s, the checkpoint's %s %s"
                  % (d, param, t[0], t[1], dtype, shape))
    if directions == "pca":
        names |= {"path", "path_loss"}
    check(set(tensors) == names, "tensors %s, expected %s" % (sorted(tensors), sorted(names)))
    check(tensors["loss"][:2] == ("F32", [grid, grid]), "loss: %s %s" % tensors["loss"][:2])
    for axis in ("alpha", "beta"):
        dtype, shape, values = tensors[axis]
        check((dtype, shape) == ("F32", [grid]), "%s: %s %s" % (axis, dtype, shape))
        check(values[0] == as_float32(-span) and values[-1] == as_float32(span),
              "%s runs from %g to %g, not ±%g" % (axis, values[0], values[-1], span))
        check(all(same_figure(a, b) for a, b in zip(result[axis], values)), axis + " differs from --json")
    loss = tensors["loss"][2]
    for i in range(grid):
        for j in range(grid):
            check(same_figure(result["loss"][i][j], loss[i * grid + j]),
                  "loss[%d][%d]: --json %r, file %r" % (i, j, result["loss"][i][j], loss[i * grid + j]))


def main():
    cli = sys.argv[1]
    with tempfile.TemporaryDirectory(prefix="ravine-reader-") as out:
        run(cli, "train", "--synthetic", "--train-limit", "1000", "--epochs", "3", "--hidden", "16,8",
            "--batch-size", "100", "--out", out, "--name", "R")
        checkpoint, _ = read_safetensors(os.path.join(out, "R.safetensors"))
        check(set(checkpoint) == {"layers.%d.%s" % (2 * l, k) for l in range(3) for k in ("weight", "bias")},
              "checkpoint tensors %s" % sorted(checkpoint))

        result, tensors, meta = landscape(cli, out, "--grid", "5", "--span", "0.8")
        check_common(result, tensors, checkpoint, 5, 0.8, "random")
        check(meta.get("ravine.directions") == "random", "metadata %s" % meta)
        for param, (_, shape, theta) in checkpoint.items():
            for d in "xy":
                values = tensors[d + "." + param][2]
                if param.endswith("bias"):
                    check(all(v == 0.0 for v in values), "%s.%s is not zero" % (d, param))
                    continue
                # Filter-normalized: each row the norm of the same row of θ*.
                cols = shape[1]
                for r in range(shape[0]):
                    row = values[r * cols:(r + 1) * cols]
                    want = math.sqrt(sum(v * v for v in theta[r * cols:(r + 1) * cols]))
                    have = math.sqrt(sum(v * v for v in row))
                    check(abs(have - want) <= 1e-4 * want, "%s.%s row %d: norm %g, θ*'s %g" % (d, param, r, have, want))

        result, tensors, meta = landscape(cli, out, "--directions", "pca", "--grid", "4")
        check_common(result, tensors, checkpoint, 4, 1.0, "pca")
        n = len(result["path"])
        check(n >= 2 and tensors["path"][:2] == ("F32", [n, 2]), "path: %s %s for %d points" % (*tensors["path"][:2], n))
        check(tensors["path_loss"][:2] == ("F32", [n]), "path_loss: %s %s" % tensors["path_loss"][:2])
        flat = [c for point in result["path"] for c in point]
        check(all(same_figure(a, b) for a, b in zip(flat, tensors["path"][2])), "path differs from --json")
        check(all(same_figure(a, b) for a, b in zip(result["path_loss"], tensors["path_loss"][2])),
              "path_loss differs from --json")

        # Diverged cells: null in --json, not finite in the file.
        result, tensors, meta = landscape(cli, out, "--grid", "3", "--span", "1e30")
        check_common(result, tensors, checkpoint, 3, 1e30, "random")
        check(result["diverged"] > 0 and meta.get("ravine.diverged") == str(result["diverged"]),
              "diverged: --json %s, metadata %s" % (result["diverged"], meta.get("ravine.diverged")))
    print("ok: the landscape files read with an independent safetensors reader")


if __name__ == "__main__":
    main()
