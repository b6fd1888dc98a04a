"""numpy <-> bytes codec for chunk rows (raw samples) and rollup rows (pyramid buckets).

``codec`` (the smallint column) packs the time codec in its low 4 bits and the value codec
in the next 4 bits. Times: regular spacing stores only the step (8 bytes per chunk, the
common case for a sampled group); irregular spacing stores deltas, int32 where they fit,
deflated. Values are float32; raw where ingest CPU counts (fast signals written as they
arrive), else delta-coded: the bit patterns' int32 differences, zigzagged, byte-shuffled and
deflated (measured on the simulator's 1 Hz motor signals: 2.6 bytes a value, against 2.8
for shuffle + deflate alone and 2.4 for lzma at 20x the CPU). Rollup records are raw or
byte-shuffled and deflated; a rollup row ``ROLLUP_REF`` stores no buckets at all: its
level is read from the raw samples of its span (see db.pyramid).

Signals of type float64 or int64 (``twin.values``) have value codecs of their own, so a
row says how to read it and float32 rows (every history before them) read as they did:
8-byte values raw, or their bit patterns' 64-bit differences zigzagged, byte-shuffled and
deflated (exact; int64's "no value" NO_INT included). Their rollup records hold min and
max as 8-byte values of the signal's type (``ROLLUP_F64_DTYPE``, ``ROLLUP_I64_DTYPE``).
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence

import numpy as np

T_RAW = 0  # int64 little-endian
T_LINEAR = 1  # int64 step; t[i] = t_start + i * step
T_DELTA64_Z = 2  # deflated int64 deltas
T_DELTA32_Z = 3  # deflated int32 deltas

T_REF = 4  # rollup rows only: no buckets stored, the level is made from raw samples

V_F32 = 0  # float32 little-endian
V_F32_SHUF_Z = 1  # float32, bytes transposed (all byte 0s, then byte 1s, ...), deflated
V_F32_DELTA_Z = 2  # float32 bits as int32 deltas (first absolute), zigzag, shuffled, deflated
V_F64 = 3  # float64 little-endian
V_F64_DELTA_Z = 4  # float64 bits as int64 deltas (first absolute), zigzag, shuffled, deflated
V_I64 = 5  # int64 little-endian
V_I64_DELTA_Z = 6  # int64 deltas (first absolute), zigzag, shuffled, deflated

R_RECORDS = 0  # rollup values: ROLLUP_DTYPE records as they are
R_SHUF_Z = 1  # rollup values: records byte-shuffled (20-byte elements), deflated

R_F64 = 2  # ROLLUP_F64_DTYPE records as they are
R_F64_SHUF_Z = 3  # ROLLUP_F64_DTYPE records byte-shuffled, deflated
R_I64 = 4  # ROLLUP_I64_DTYPE records as they are
R_I64_SHUF_Z = 5  # ROLLUP_I64_DTYPE records byte-shuffled, deflated

ROLLUP_DTYPE = np.dtype([("n", "<i4"), ("min", "<f4"), ("max", "<f4"), ("sum", "<f8")])
ROLLUP_F64_DTYPE = np.dtype([("n", "<i4"), ("min", "<f8"), ("max", "<f8"), ("sum", "<f8")])
ROLLUP_I64_DTYPE = np.dtype([("n", "<i4"), ("min", "<i8"), ("max", "<i8"), ("sum", "<f8")])
# rollup value codec -> (records' dtype, shuffled and deflated)
_ROLLUP_CODECS = {
    R_RECORDS: (ROLLUP_DTYPE, False),
    R_SHUF_Z: (ROLLUP_DTYPE, True),
    R_F64: (ROLLUP_F64_DTYPE, False),
    R_F64_SHUF_Z: (ROLLUP_F64_DTYPE, True),
    R_I64: (ROLLUP_I64_DTYPE, False),
    R_I64_SHUF_Z: (ROLLUP_I64_DTYPE, True),
}

ROLLUP_REF = T_REF  # the full codec of a rollup row by reference

_I64 = np.dtype("<i8")
_I32 = np.dtype("<i4")
_F32 = np.dtype("<f4")


_U32 = np.dtype("<u4")
_U64 = np.dtype("<u8")
_F64 = np.dtype("<f8")
# value codec -> (dtype, delta-coded); the float32 codecs are handled on their own
_WIDE = {
    V_F64: (_F64, False),
    V_F64_DELTA_Z: (_F64, True),
    V_I64: (_I64, False),
    V_I64_DELTA_Z: (_I64, True),
}
# Background compaction can afford more effort than the ingest path.
LEVEL_FAST = 1
LEVEL_SMALL = 6


def _deflate(data: bytes, level: int = LEVEL_FAST) -> bytes:
    # Raw deflate (no zlib header/adler) saves 6 bytes per blob on small chunks.
    return zlib.compress(data, level, wbits=-15)


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


def shuffle(a: np.ndarray) -> bytes:
    """Bytes of a C-contiguous array of ``k`` elements transposed: byte 0 of every element,
    then byte 1, ... (similar bytes side by side deflate far better)."""
    return np.ascontiguousarray(a).view(np.uint8).reshape(a.shape[0], -1).T.tobytes()


def unshuffle(data: bytes, n: int, dtype: np.dtype) -> np.ndarray:
    """Inverse of shuffle for ``n`` elements of ``dtype``."""
    return np.frombuffer(data, np.uint8).reshape(-1, n).T.copy().view(dtype).reshape(n)


def delta_bits(f: np.ndarray) -> np.ndarray:
    """float32 values (..., k) -> zigzagged int32 differences of their bit patterns along the
    last axis, the first absolute (uint32; bit-exact, NaNs included)."""
    u = np.ascontiguousarray(f, _F32).view(_U32)
    d = u.copy()
    d[..., 1:] -= u[..., :-1]  # wraps modulo 2**32, as the decoder's cumsum does
    s = d.view(np.int32)
    return ((s << 1) ^ (s >> 31)).view(_U32)


def undelta_bits(z: np.ndarray) -> np.ndarray:
    """Inverse of delta_bits: uint32 (..., k) -> float32 (..., k)."""
    d = (z >> 1) ^ (0 - (z & 1))
    return np.cumsum(d, axis=-1, dtype=_U32).view(_F32)


def delta_bits64(a: np.ndarray) -> np.ndarray:
    """float64 or int64 values (k,) -> zigzagged 64-bit differences of their bit patterns,
    the first absolute (uint64; bit-exact)."""
    u = np.ascontiguousarray(a).view(_U64)
    d = u.copy()
    d[1:] -= u[:-1]  # wraps modulo 2**64, as the decoder's cumsum does
    s = d.view(np.int64)
    return ((s << 1) ^ (s >> 63)).view(_U64)


def undelta_bits64(z: np.ndarray, dtype: np.dtype) -> np.ndarray:
    """Inverse of delta_bits64: uint64 (k,) -> ``dtype`` (k,)."""
    d = (z >> np.uint64(1)) ^ (np.uint64(0) - (z & np.uint64(1)))
    return np.cumsum(d, dtype=_U64).view(dtype)


def encode_values(
    v: np.ndarray, compress: bool = False, level: int = LEVEL_FAST
) -> tuple[int, bytes]:
    """Encode a 1-D array: float64 and int64 as themselves, anything else as float32;
    returns (value codec, bytes)."""
    if v.dtype in (_F64, _I64):
        raw, delta = (V_F64, V_F64_DELTA_Z) if v.dtype == _F64 else (V_I64, V_I64_DELTA_Z)
        a = np.ascontiguousarray(v)
        if not compress:
            return raw, a.tobytes()
        return delta, _deflate(shuffle(delta_bits64(a)), level)
    f = np.ascontiguousarray(v, dtype=_F32)
    if not compress:
        return V_F32, f.tobytes()
    return V_F32_DELTA_Z, _deflate(shuffle(delta_bits(f)), level)


def is_wide(codec: int) -> bool:
    """Whether a chunk row's (full) codec holds float64 or int64 values."""
    return (codec >> 4) & 0xF in _WIDE


def decode_values(codec: int, n: int, data: bytes) -> np.ndarray:
    vc = (codec >> 4) & 0xF
    if vc in _WIDE:
        dtype, delta = _WIDE[vc]
        if not delta:
            return np.frombuffer(data, dtype, n)
        return undelta_bits64(unshuffle(_inflate(data), n, _U64), dtype)
    if vc == V_F32:
        return np.frombuffer(data, _F32, n)
    if vc == V_F32_DELTA_Z:
        return undelta_bits(unshuffle(_inflate(data), n, _U32))
    return unshuffle(_inflate(data), n, _F32)


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
    (t int64, v float32) pair. Regular-step rows (the usual case) get their times in one
    vectorised pass, and rows of one value codec and length their values, instead of a
    few numpy calls per row."""
    if not rows:
        return np.empty(0, np.int64), np.empty(0, np.float32)
    if all(r[2] & 0xF == T_LINEAR for r in rows):
        t = _linear_times(rows)
    else:
        t = np.concatenate([decode_times(r[2], r[0], r[1], r[3]) for r in rows])
    return t, _row_values(rows)


def decode_row_values(rows: Sequence[tuple[int, int, int, bytes, bytes]]) -> np.ndarray:
    """The values alone of rows of (t_start, n, codec, t_bytes, v_bytes), concatenated
    (rows of one codec and length decoded together)."""
    if not rows:
        return np.empty(0, np.float32)
    return _row_values(rows)


def _row_values(rows: Sequence[tuple[int, int, int, bytes, bytes]]) -> np.ndarray:
    if all(r[2] >> 4 == V_F32 for r in rows):
        return np.frombuffer(b"".join(r[4] for r in rows), _F32)
    if any((r[2] >> 4) & 0xF in _WIDE for r in rows):  # float64 / int64 signals
        parts = [decode_values(r[2], int(r[1]), r[4]) for r in rows]
        return parts[0] if len(parts) == 1 else np.concatenate(parts)
    ns = np.fromiter((r[1] for r in rows), np.int64, len(rows))
    offsets = np.cumsum(ns) - ns
    out = np.empty(int(ns.sum()), _F32)
    same: dict[tuple[int, int], list[int]] = {}
    for i, r in enumerate(rows):
        same.setdefault(((r[2] >> 4) & 0xF, int(r[1])), []).append(i)
    for (vc, n), idx in same.items():
        if vc == V_F32:
            vals = np.frombuffer(b"".join(rows[i][4] for i in idx), _F32).reshape(len(idx), n)
        else:  # one inflate per row, then one transpose for all of them
            raw = np.frombuffer(b"".join(_inflate(rows[i][4]) for i in idx), np.uint8)
            planes = raw.reshape(len(idx), 4, n).transpose(0, 2, 1).copy()
            if vc == V_F32_DELTA_Z:
                vals = undelta_bits(planes.view(_U32).reshape(len(idx), n))
            else:
                vals = planes.view(_F32).reshape(len(idx), n)
        if len(idx) == len(rows):
            return vals.reshape(-1)
        out[(offsets[idx][:, None] + np.arange(n)).ravel()] = vals.ravel()
    return out


def encode_rollup(
    n: np.ndarray, mn: np.ndarray, mx: np.ndarray, sm: np.ndarray, compress: bool = False
) -> tuple[int, bytes]:
    """Pack one signal's buckets (1-D arrays of equal length) as ROLLUP_DTYPE records, or
    the 64-bit records where ``mn`` is float64 or int64; returns (value codec, bytes)."""
    if mn.dtype in (_F64, _I64):
        wide = mn.dtype == _F64
        dtype = ROLLUP_F64_DTYPE if wide else ROLLUP_I64_DTYPE
        codec = (
            (R_F64_SHUF_Z if compress else R_F64) if wide else (R_I64_SHUF_Z if compress else R_I64)
        )
    else:
        dtype, codec = ROLLUP_DTYPE, (R_SHUF_Z if compress else R_RECORDS)
    rec = np.empty(n.shape[0], dtype)
    rec["n"] = n
    rec["min"] = mn
    rec["max"] = mx
    rec["sum"] = sm
    if not compress:
        return codec, rec.tobytes()
    return codec, _deflate(shuffle(rec), LEVEL_SMALL)


def decode_rollup_rows(
    rows: Sequence[tuple[int, int, int, bytes, bytes]],
) -> tuple[np.ndarray, np.ndarray]:
    """Decode rollup rows of (t_start, nb, codec, t_bytes, v_bytes) into (bucket starts,
    ROLLUP_DTYPE records, or the 64-bit records of a float64 / int64 signal). Rows by
    reference (ROLLUP_REF) hold no buckets: leave them out."""
    if not rows:
        return np.empty(0, np.int64), np.empty(0, ROLLUP_DTYPE)
    if all(r[2] & 0xF == T_LINEAR for r in rows):
        starts = _linear_times(rows)
    else:
        starts = np.concatenate([decode_times(r[2], r[0], r[1], r[3]) for r in rows])
    if all(r[2] >> 4 == R_RECORDS for r in rows):
        rec = np.frombuffer(b"".join(r[4] for r in rows), ROLLUP_DTYPE)
    else:
        rec = concat_records([_rollup_records(r) for r in rows])
    return starts, rec


def rollup_dtype(values: np.dtype) -> np.dtype:
    """The rollup records' dtype for buckets whose min/max are of dtype ``values``."""
    return {_F64: ROLLUP_F64_DTYPE, _I64: ROLLUP_I64_DTYPE}.get(np.dtype(values), ROLLUP_DTYPE)


def concat_records(parts: Sequence[np.ndarray]) -> np.ndarray:
    """Rollup records concatenated; parts of different dtypes (a signal whose type
    changed between recordings) widened to float64 records."""
    kinds = {p.dtype for p in parts}
    if len(kinds) > 1:
        parts = [p.astype(ROLLUP_F64_DTYPE) for p in parts]
    return np.concatenate(parts)


def _rollup_records(row: tuple[int, int, int, bytes, bytes]) -> np.ndarray:
    dtype, packed = _ROLLUP_CODECS[(row[2] >> 4) & 0xF]
    if packed:
        return unshuffle(_inflate(row[4]), int(row[1]), dtype)
    return np.frombuffer(row[4], dtype)
