#!/usr/bin/python3
"""Regenerates dtypes.safetensors, a small safetensors file written independently of jnmt's writer.

Run with Debian's python3 (numpy and torch 1.13; the safetensors package is not needed):
    /usr/bin/python3 decoder/src/test/resources/safetensors/make.py

Tensors: f16 / bf16 / f64 (with special values: ±0, ±inf, NaN, subnormals, extremes) and their float32
conversions by numpy/torch (f16_as_f32, bf16_as_f32, f64_as_f32); integer tensors i8 [2,3], u8 [5],
i16 [3], i32 [2,2]; a rank-0 scalar and an empty [0,4] tensor. The layout follows the reference writer:
8-byte little-endian header length, JSON header padded with spaces to a multiple of 8, tensors ordered by
dtype (wider first) then name, packed with no gaps.
"""
import json
import os
import struct

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    rng = np.random.default_rng(5)
    f16 = np.concatenate([
        np.array([0.0, -0.0, 1.0, -2.0, 65504.0, -65504.0, 6.103515625e-05, 5.960464477539063e-08,
                  3.0e-07, -4.5e-06, np.inf, -np.inf, np.nan, 0.1, 1.0 / 3.0], dtype=np.float16),
        (rng.standard_normal(49) * 10).astype(np.float16)])
    bf16 = torch.cat([
        torch.tensor([0.0, -0.0, 1.0, -2.0, 3.3895313892515355e+38, 1.1754943508222875e-38, 9.18e-41,
                      float("inf"), float("-inf"), float("nan"), 0.1, 1.0 / 3.0], dtype=torch.float32),
        torch.from_numpy((rng.standard_normal(52) * 100).astype(np.float32))]).to(torch.bfloat16)
    f64 = np.concatenate([np.array([0.0, -1e-50, 1e300, 1.0 / 3.0, 2.5], dtype=np.float64),
                          rng.standard_normal(11)])
    tensors = {
        "f16": ("F16", [64], f16.tobytes()),
        "f16_as_f32": ("F32", [64], f16.astype(np.float32).tobytes()),
        "bf16": ("BF16", [4, 16], bf16.view(torch.int16).numpy().astype("<i2").tobytes()),
        "bf16_as_f32": ("F32", [4, 16], bf16.to(torch.float32).numpy().astype("<f4").tobytes()),
        "f64": ("F64", [16], f64.astype("<f8").tobytes()),
        "f64_as_f32": ("F32", [16], f64.astype(np.float32).tobytes()),
        "i8": ("I8", [2, 3], np.array([[-128, -1, 0], [1, 64, 127]], dtype=np.int8).tobytes()),
        "u8": ("U8", [5], np.array([0, 1, 128, 254, 255], dtype=np.uint8).tobytes()),
        "i16": ("I16", [3], np.array([-32768, 7, 32767], dtype="<i2").tobytes()),
        "i32": ("I32", [2, 2], np.array([[-2147483648, -5], [6, 2147483647]], dtype="<i4").tobytes()),
        "scalar": ("F32", [], np.array(2.75, dtype="<f4").tobytes()),
        "empty": ("F32", [0, 4], b""),
    }
    width = {"F64": 8, "F32": 4, "I32": 4, "F16": 2, "BF16": 2, "I16": 2, "I8": 1, "U8": 1}
    order = sorted(tensors, key=lambda n: (-width[tensors[n][0]], n))
    header, data, offset = {"__metadata__": {"format": "pt", "made_by": "make.py"}}, b"", 0
    for name in order:
        dtype, shape, raw = tensors[name]
        header[name] = {"dtype": dtype, "shape": shape, "data_offsets": [offset, offset + len(raw)]}
        data += raw
        offset += len(raw)
    h = json.dumps(header, separators=(",", ":")).encode()
    h += b" " * (-(8 + len(h)) % 8)
    with open(os.path.join(HERE, "dtypes.safetensors"), "wb") as f:
        f.write(struct.pack("<Q", len(h)) + h + data)


if __name__ == "__main__":
    main()
