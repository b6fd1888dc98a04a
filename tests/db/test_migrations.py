"""A history written by schema 1 (no pyramid, no bookmarks) opens, is upgraded in place
and gets its pyramid built from the raw chunks; a read-only open asks for an upgrade."""

from __future__ import annotations

import numpy as np
import pytest
from sqlalchemy import create_engine, inspect, select

from db import HistoryError, HistoryReader, open_history, schema
from db import rows as sql
from db.write.sink import chunk_rows_for
from tests.db.history_helpers import NS, T0, values_at

V1_TABLES = [
    schema.meta,
    schema.assets,
    schema.signals,
    schema.chunks,
    schema.events,
    schema.recordings,
]


def write_v1(url: str) -> None:
    """What TwinDeck with history schema 1 left on disk."""
    eng = create_engine(url if "://" in url else f"sqlite:///{url}")
    with eng.begin() as conn:
        schema.metadata.create_all(conn, tables=V1_TABLES)
        conn.execute(
            schema.meta.insert(),
            [{"key": "app", "value": schema.APP_ID}, {"key": "schema_version", "value": "1"}],
        )
        conn.execute(schema.signals.insert(), [{"id": 1, "signal_id": "old.sig", "rate_hz": 100.0}])
        t = T0 + np.arange(120 * 100, dtype=np.int64) * (NS // 100)
        v = values_at(t, 1).astype(np.float32)
        rows = []
        for s in range(120):
            sl = slice(s * 100, (s + 1) * 100)
            rows.extend(chunk_rows_for([1], t[sl], v[:, sl]))
        conn.execute(
            schema.chunks.insert(),
            [
                dict(
                    zip(
                        ["signal", "t_start", "t_end", "n", "codec", "t_bytes", "v_bytes"],
                        r,
                        strict=True,
                    )
                )
                for r in rows
            ],
        )
    eng.dispose()


def test_v1_file_is_upgraded(history_url: str) -> None:
    write_v1(history_url)
    with pytest.raises(HistoryError) as info:
        open_history(history_url, read_only=True)
    assert info.value.kind == "older_schema"
    with open_history(history_url) as h:
        with h.engine.connect() as conn:
            version = conn.execute(
                select(schema.meta.c.value).where(schema.meta.c.key == "schema_version")
            ).scalar_one()
            assert int(version) == schema.SCHEMA_VERSION
            assert {"rollup", "bookmarks"} <= set(inspect(conn).get_table_names())
        with h.raw() as conn:
            assert sql.cover_end(h, conn.cursor(), 1, 1) == T0 + 119_990_000_001
            assert sql.cover_end(h, conn.cursor(), 1, 60) == T0 + 119_990_000_001
    with open_history(history_url, read_only=True) as h:
        r = HistoryReader(h)
        t, v = r.read("old.sig", T0, T0 + 200 * NS)
        assert len(t) == 12000
        td, vmin, vmax = r.read_decimated("old.sig", T0, T0 + 120 * NS, 60)
        assert len(td) == 60 and vmax.max() == v.max() and vmin.min() == v.min()


def test_failed_upgrade_leaves_file_at_old_version(tmp_path, monkeypatch) -> None:
    from db import migrations

    p = str(tmp_path / "v1.twinhist")
    write_v1(p)

    def broken(conn):
        schema.rollup.create(conn)
        raise RuntimeError("boom")

    monkeypatch.setitem(migrations.MIGRATIONS, 1, broken)
    with pytest.raises(HistoryError, match="boom"):
        open_history(p)
    monkeypatch.undo()
    eng = create_engine(f"sqlite:///{p}")
    with eng.connect() as conn:
        assert "rollup" not in inspect(conn).get_table_names()  # rolled back, DDL included
    eng.dispose()
    open_history(p).close()  # and the real upgrade still works
