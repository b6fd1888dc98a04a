"""numpy <-> bytes codec for chunk rows (raw samples) and rollup rows (pyramid buckets).

``codec`` (the smallint column) packs the time codec in its low 4 bits and the value codec
in the next 4 bits. Times: regular spacing stores only the step (8 bytes per chunk, the
common case for a sampled group); irregular spacing stores deltas, int32 where they fit,
deflated. Values are float32; raw by default because deflating them costs more CPU than the
ingest target allows, byte-shuffled + deflate on request (slow signals compress well).
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence

import numpy as np

T_RAW = 0  # int64 little-endian
T_LINEAR = 1  # int64 step; t[i] = t_start + i * step
T_DELTA64_Z = 2  # deflated int64 deltas
T_DELTA32_Z = 3  # deflated int32 deltas

V_F32 = 0  # float32 little-endian
V_F32_SHUF_Z = 1  # float32, bytes transposed (all byte 0s, then byte 1s, ...), deflated

ROLLUP_DTYPE = np.dtype([("n", "<i4"), ("min", "<f4"), ("max", "<f4"), ("sum", "<f8")])

_I64 = np.dtype("<i8")
_I32 = np.dtype("<i4")
_F32 = np.dtype("<f4")


def _deflate(data: bytes) -> bytes:
    # Raw deflate (no zlib header/adler) saves 6 bytes per blob on small chunks.
    return zlib.compress(data, 1, wbits=-15)


def _inflate(data: bytes) -> bytes:
    return zlib.decompress(data, wbits=-15)


def encode_times(t: np.ndarray) -> tuple[int, bytes]:
    """Encode strictly increasing int64 times; returns (time codec, bytes)."""
    n = t.shape[0]
    if n <= 1:
        return T_LINEAR, np.zeros(1, _I64).tobytes()
    d = np.diff(t)
    step = int(d[0])
    if step == int(d[-1]) and int(t[-1]) - int(t[0]) == step * (n - 1) and (d == step).all():
        return T_LINEAR, np.array([step], _I64).tobytes()
    if int(d.max()) < 2**31:
        return T_DELTA32_Z, _deflate(d.astype(_I32).tobytes())
    return T_DELTA64_Z, _deflate(d.astype(_I64).tobytes())


def decode_times(codec: int, t_start: int, n: int, data: bytes) -> np.ndarray:
    """Inverse of encode_times; ``codec`` may be the full packed codec."""
    tc = codec & 0xF
    if tc == T_LINEAR:
        step = int(np.frombuffer(data, _I64, 1)[0])
        return t_start + np.arange(n, dtype=np.int64) * step
    if tc == T_RAW:
        return np.frombuffer(data, _I64, n).astype(np.int64)
    dtype = _I32 if tc == T_DELTA32_Z else _I64
    d = np.frombuffer(_inflate(data), dtype)
    out = np.empty(n, np.int64)
    out[0] = t_start
    np.cumsum(d, out=out[1:])
    out[1:] += t_start
    return out


def encode_values(v: np.ndarray, compress: bool = False) -> tuple[int, bytes]:
    """Encode a 1-D float array as float32; returns (value codec, bytes)."""
    f = np.ascontiguousarray(v, dtype=_F32)
    if not compress:
        return V_F32, f.tobytes()
    shuffled = f.view(np.uint8).reshape(-1, 4).T.tobytes()
    return V_F32_SHUF_Z, _deflate(shuffled)


def decode_values(codec: int, n: int, data: bytes) -> np.ndarray:
    vc = (codec >> 4) & 0xF
    if vc == V_F32:
        return np.frombuffer(data, _F32, n)
    raw = np.frombuffer(_inflate(data), np.uint8).reshape(4, n)
    return raw.T.copy().view(_F32).reshape(n)


def pack_codec(t_codec: int, v_codec: int) -> int:
    return t_codec | (v_codec << 4)


def _linear_times(rows: Sequence[tuple[int, int, int, bytes, bytes]]) -> np.ndarray:
    """The times of rows of (t_start, n, codec, t_bytes, ...) whose times are all linear,
    in one vectorised pass instead of one numpy call per row."""
    starts = np.fromiter((r[0] for r in rows), np.int64, len(rows))
    ns = np.fromiter((r[1] for r in rows), np.int64, len(rows))
    steps = np.frombuffer(b"".join(r[3] for r in rows), _I64)
    step = int(steps[0])
    if (steps == step).all():
        if (ns == ns[0]).all():  # the usual case: one flush = one chunk length
            t = (starts[:, None] + np.arange(int(ns[0]), dtype=np.int64) * step).ravel()
        else:  # t = i * step + (start of i's row - offset of that row * step)
            offsets = np.cumsum(ns) - ns
            t = np.arange(int(ns.sum()), dtype=np.int64) * step
            t += np.repeat(starts - offsets * step, ns)
    else:
        offsets = np.cumsum(ns) - ns
        idx = np.arange(int(ns.sum()), dtype=np.int64) - np.repeat(offsets, ns)
        t = np.repeat(starts, ns) + idx * np.repeat(steps, ns)
    return t


def decode_chunk_rows(
    rows: Sequence[tuple[int, int, int, bytes, bytes]],
) -> tuple[np.ndarray, np.ndarray]:
    """Decode rows of (t_start, n, codec, t_bytes, v_bytes), ordered by time, into one
    (t int64, v float32) pair. Regular-step raw-value rows (the usual case) are decoded
    in one vectorised pass instead of one numpy call per row."""
    if not rows:
        return np.empty(0, np.int64), np.empty(0, np.float32)
    if all(r[2] == T_LINEAR for r in rows):  # linear times, raw float32 values
        v = np.frombuffer(b"".join(r[4] for r in rows), _F32)
        return _linear_times(rows), v
    ts = [decode_times(r[2], r[0], r[1], r[3]) for r in rows]
    vs = [decode_values(r[2], r[1], r[4]) for r in rows]
    return np.concatenate(ts), np.concatenate(vs).astype(np.float32, copy=False)


def encode_rollup(n: np.ndarray, mn: np.ndarray, mx: np.ndarray, sm: np.ndarray) -> bytes:
    """Pack one signal's buckets (1-D arrays of equal length) as ROLLUP_DTYPE records."""
    rec = np.empty(n.shape[0], ROLLUP_DTYPE)
    rec["n"] = n
    rec["min"] = mn
    rec["max"] = mx
    rec["sum"] = sm
    return rec.tobytes()


def decode_rollup_rows(
    rows: Sequence[tuple[int, int, int, bytes, bytes]],
) -> tuple[np.ndarray, np.ndarray]:
    """Decode rollup rows of (t_start, nb, codec, t_bytes, v_bytes) into (bucket starts,
    ROLLUP_DTYPE records)."""
    if not rows:
        return np.empty(0, np.int64), np.empty(0, ROLLUP_DTYPE)
    if all(r[2] & 0xF == T_LINEAR for r in rows):
        starts = _linear_times(rows)
    else:
        starts = np.concatenate([decode_times(r[2], r[0], r[1], r[3]) for r in rows])
    rec = np.frombuffer(b"".join(r[4] for r in rows), ROLLUP_DTYPE)
    return starts, rec
