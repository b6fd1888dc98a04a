"""CSV / Parquet export: content, progress, cancel removes the partial file."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest

from db import HistoryReader, HistoryWriter, open_history
from db.read.export import export_csv, export_parquet, parquet_available
from tests.db.history_helpers import NS, T0, batches, make_group


@pytest.fixture
def reader(tmp_path: Path):
    g = make_group("e", 2, 50.0)
    h = open_history(tmp_path / "e.twinhist")
    w = HistoryWriter(h, [g], flush_interval_s=0.05)
    for b in batches(g, 10.0):
        w.offer(b)
    w.close()
    yield HistoryReader(h)
    h.close()


def test_csv(reader: HistoryReader, tmp_path: Path) -> None:
    seen: list[float] = []

    def progress(f: float) -> bool:
        seen.append(f)
        return True

    out = tmp_path / "out.csv"
    assert export_csv(
        reader,
        ["e0.sig", "e1.sig"],
        T0,
        T0 + 4 * NS,
        out,
        progress,
        slice_s=1.0,
    )
    rows = list(csv.DictReader(out.open()))
    assert len(rows) == 2 * 200
    assert rows[0]["time_utc"] == "2025-06-15T15:06:40.000000000Z"
    assert int(rows[1]["t_ns"]) == T0 + NS // 50 and rows[1]["signal_id"] == "e0.sig"
    _t, v = reader.read("e0.sig", T0, T0 + 4 * NS)
    np.testing.assert_array_equal([np.float32(r["value"]) for r in rows[:200]], v)
    assert seen[0] == 0.0 and seen[-1] == 1.0 and seen == sorted(seen)
    assert not (tmp_path / "out.csv.partial").exists()


def test_csv_cancel_removes_partial(reader: HistoryReader, tmp_path: Path) -> None:
    out = tmp_path / "cancel.csv"
    calls = []

    def progress(f: float) -> bool:
        calls.append(f)
        return len(calls) < 3

    assert not export_csv(reader, ["e0.sig"], T0, T0 + 10 * NS, out, progress, slice_s=1.0)
    assert not out.exists() and not (tmp_path / "cancel.csv.partial").exists()


@pytest.mark.skipif(not parquet_available(), reason="pyarrow not installed")
def test_parquet(reader: HistoryReader, tmp_path: Path) -> None:
    import pyarrow.parquet as pq

    out = tmp_path / "out.parquet"
    assert export_parquet(reader, ["e0.sig", "e1.sig"], T0, T0 + 10 * NS, out)
    table = pq.read_table(out)
    assert table.num_rows == 1000
    assert table.column("signal_id").to_pylist()[-1] == "e1.sig"
    assert table.column("time").type.tz == "UTC"
    out2 = tmp_path / "c.parquet"
    assert not export_parquet(
        reader, ["e0.sig"], T0, T0 + 10 * NS, out2, lambda f: f < 0.5, slice_s=1.0
    )
    assert not out2.exists() and not (tmp_path / "c.parquet.partial").exists()
