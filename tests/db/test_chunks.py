"""The chunk codec and the pyramid arithmetic, without a database."""

from __future__ import annotations

import numpy as np
import pytest

from db import chunks
from db.pyramid import LEVELS_NS, Buckets, GroupPyramid, aggregate, aggregate_samples
from tests.db.history_helpers import NS, T0


@pytest.mark.parametrize(
    ("t", "codec"),
    [
        (T0 + np.arange(1000, dtype=np.int64) * 1_000_000, chunks.T_LINEAR),
        (np.array([T0], dtype=np.int64), chunks.T_LINEAR),
        (
            T0 + np.cumsum(np.random.default_rng(1).integers(900_000, 1_100_000, 500)),
            chunks.T_DELTA32_Z,
        ),
        (T0 + np.cumsum(np.full(10, 3 * NS)), chunks.T_LINEAR),
        (np.array([T0, T0 + 1, T0 + 5 * NS]), chunks.T_DELTA64_Z),
    ],
)
def test_times_round_trip(t: np.ndarray, codec: int) -> None:
    c, data = chunks.encode_times(t)
    assert c == codec
    np.testing.assert_array_equal(chunks.decode_times(c, int(t[0]), t.shape[0], data), t)


@pytest.mark.parametrize("compress", [False, True])
def test_values_round_trip(compress: bool) -> None:
    v = np.sin(np.arange(777) / 30).astype(np.float32)
    v[5] = np.nan
    c, data = chunks.encode_values(v, compress)
    out = chunks.decode_values(c << 4, v.shape[0], data)
    np.testing.assert_array_equal(out, v)
    if compress:
        flat = np.full(1000, 21.5, np.float32)
        assert len(chunks.encode_values(flat, True)[1]) < 100  # a steady signal is cheap


def test_decode_rows_fast_and_slow_paths_agree() -> None:
    rows = []
    for i in range(5):
        t = T0 + i * NS + np.arange(100, dtype=np.int64) * 10_000_000
        v = np.arange(100, dtype=np.float32) + i
        tc, tb = chunks.encode_times(t)
        vc, vb = chunks.encode_values(v, compress=i == 3)
        rows.append((int(t[0]), 100, chunks.pack_codec(tc, vc), tb, vb))
    t_mixed, v_mixed = chunks.decode_chunk_rows(rows)
    t_fast, v_fast = chunks.decode_chunk_rows([r for i, r in enumerate(rows) if i != 3])
    assert t_mixed.shape == (500,) and np.all(np.diff(t_mixed) > 0)
    np.testing.assert_array_equal(np.delete(t_mixed, np.s_[300:400]), t_fast)
    np.testing.assert_array_equal(np.delete(v_mixed, np.s_[300:400]), v_fast)


def test_group_pyramid_equals_direct_aggregation() -> None:
    rng = np.random.default_rng(4)
    t = T0 + np.arange(200 * 130, dtype=np.int64) * (NS // 200) + 7  # 130 s at 200 Hz
    v = rng.normal(size=(2, t.shape[0]))
    v[1, 1000:1100] = np.nan
    p = GroupPyramid()
    for i in range(0, t.shape[0], 333):  # odd batch sizes straddle bucket edges
        p.feed(t[i : i + 333], v[:, i : i + 333].astype(np.float32))
    got: dict[int, list[Buckets]] = {1: [], 60: [], 3600: []}
    for level, b, _end in p.take(final=True, last_t=int(t[-1])):
        got[level].append(b)
    v32 = v.astype(np.float32)
    for i, level in enumerate((1, 60, 3600)):
        exp = aggregate_samples(t, v32, LEVELS_NS[i])
        b = Buckets.concat(got[level])
        b = aggregate(b, LEVELS_NS[i])  # pages may repeat a bucket start; merge them
        np.testing.assert_array_equal(b.start, exp.start)
        np.testing.assert_array_equal(b.n, exp.n)
        np.testing.assert_array_equal(b.mn, exp.mn)
        np.testing.assert_array_equal(b.mx, exp.mx)
        np.testing.assert_allclose(b.sm, exp.sm, rtol=1e-9)


def test_pages_hold_only_complete_buckets_while_live() -> None:
    p = GroupPyramid()
    t = T0 + np.arange(61 * 10, dtype=np.int64) * (NS // 10)  # 61 s at 10 Hz
    p.feed(t, np.ones((1, t.shape[0]), np.float32))
    due = p.take()
    assert [(lv, len(b)) for lv, b, _ in due] == [(1, 60)]
    assert due[0][2] == T0 + 60 * NS  # coverage ends where the open bucket starts
