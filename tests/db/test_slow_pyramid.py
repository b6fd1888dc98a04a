"""The pyramid of slow signals: levels whose buckets would hold under ten samples are kept
by reference to the raw samples (a 1 Hz signal's 1 s level is the samples themselves);
overviews still match a brute-force min/max, catch-up and retention handle them."""

from __future__ import annotations

import numpy as np
import pytest
from sqlalchemy import func, select

from db import ChunkSink, HistoryReader, apply_retention, open_history, pyramid, schema
from db.chunks import ROLLUP_REF
from db.write.compactor import compact
from tests.db.history_helpers import NS, T0, batches, make_group


def brute(t: np.ndarray, v: np.ndarray, t0: int, t1: int, n: int) -> tuple[float, float]:
    sel = (t >= t0) & (t < t1)
    return float(v[sel].min()), float(v[sel].max())


def rollup_codecs(h, signal_key: int) -> dict[int, set[int]]:
    r = schema.rollup
    with h.engine.connect() as conn:
        rows = conn.execute(
            select(r.c.level, r.c.codec).where(r.c.signal == signal_key).distinct()
        ).all()
    out: dict[int, set[int]] = {}
    for level, codec in rows:
        out.setdefault(int(level), set()).add(int(codec))
    return out


@pytest.mark.parametrize("closed", [True, False], ids=["closed", "live"])
def test_a_1hz_overview_matches_brute_force(history_url: str, closed: bool) -> None:
    g = make_group("s", 2, 1.0)
    bs = batches(g, 4 * 3600.0, per_batch=10)  # four hours, a flush every 10 s
    bs[500].v[0, 3] = 500.0  # a one-sample spike
    with open_history(history_url) as h:
        sink = ChunkSink(h, [g])
        for b in bs:
            sink.add(b)
            sink.flush()
        sink.flush(final=closed)
        compact(h)  # the closed windows, as the writer's compactor would
        key = sink.signal_keys[0]
        levels = rollup_codecs(h, key)
        # 1 s buckets of a 1 Hz signal: by reference; 1 min and 1 h stored, deflated
        assert levels[1] == {ROLLUP_REF}
        assert ROLLUP_REF not in levels[60] and (not closed or ROLLUP_REF not in levels[3600])
        r = HistoryReader(h)
        t, v = r.read("s0.sig", T0, T0 + 5 * 3600 * NS)
        assert t.size == 4 * 3600 and v.max() == 500.0
        for t0, t1, n in [
            (T0, T0 + 4 * 3600 * NS, 2000),  # 8 s bins: the by-reference 1 s level
            (T0, T0 + 4 * 3600 * NS, 200),  # 72 s bins: the 1 min level, raw tail
            (T0 + 777 * NS, T0 + 9000 * NS, 50),
            (T0, T0 + 4 * 3600 * NS, 3),
        ]:
            tb, vmin, vmax = r.read_decimated("s0.sig", t0, t1, n)
            assert len(tb) <= n and np.all(np.diff(tb) > 0)
            assert (float(vmin.min()), float(vmax.max())) == brute(t, v, t0, t1, n)
        # catch-up after a crash: the levels are rebuilt from the raw samples, same answer
        before = r.read_decimated("s0.sig", T0, T0 + 4 * 3600 * NS, 300)
        pyramid.catch_up(h)
        assert pyramid.catch_up(h) == 0
        after = r.read_decimated("s0.sig", T0, T0 + 4 * 3600 * NS, 300)
        for x, y in zip(before, after, strict=True):
            np.testing.assert_array_equal(x, y)


def test_retention_of_a_1hz_signal_keeps_its_minute_overview(history_url: str) -> None:
    g = make_group("q", 1, 1.0)
    with open_history(history_url) as h:
        sink = ChunkSink(h, [g])
        for b in batches(g, 3 * 3600.0, per_batch=60):
            sink.add(b)
            sink.flush()
        sink.flush(final=True)
        compact(h, force=True)
        res = apply_retention(h, raw_keep_s=3600, now_ns=T0 + 3 * 3600 * NS)
        assert res.raw_rows_deleted > 0 and res.rollup_rows_deleted > 0  # 1 s references
        r = HistoryReader(h)
        t, _ = r.read("q0.sig", T0, T0 + 4 * 3600 * NS)
        assert t[0] >= T0 + 2 * 3600 * NS - 300 * NS and t[-1] == T0 + (3 * 3600 - 1) * NS
        tb, _, _ = r.read_decimated("q0.sig", T0, T0 + 3 * 3600 * NS, 180)  # 1 min bins
        assert tb[0] == T0 and len(tb) == 180  # the deleted hours still in the overview
        with h.engine.connect() as conn:
            r_ = schema.rollup
            refs = conn.execute(
                select(func.min(r_.c.t_end)).where(r_.c.codec == ROLLUP_REF)
            ).scalar_one()
        assert refs is None or refs >= t[0]  # no reference to deleted samples is left
