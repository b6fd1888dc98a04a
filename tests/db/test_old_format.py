"""A history written by schema-2 TwinDeck (tests/db/data, see tests/db/old_history.py)
reads back bit for bit: read-only as it is, and after the upgrade to schema 3, on SQLite
and PostgreSQL; recording then continues into it."""

from __future__ import annotations

import shutil
import sqlite3

import numpy as np
from sqlalchemy import create_engine, inspect, select

from db import HistoryReader, HistoryWriter, open_history, schema
from tests.db.history_helpers import NS, T0, batches, values_at
from tests.db.old_history import GROUPS, OLD_FILE, OLD_OVERVIEWS, OVERVIEWS, expected

V2_TABLES = [
    schema.meta,
    schema.assets,
    schema.signals,
    schema.chunks,
    schema.rollup,
    schema.events,
    schema.bookmarks,
    schema.recordings,
]


def old_copy(url: str) -> str:
    """The schema-2 fixture at ``url``: the file itself, or its rows copied into the
    schema-2 tables of a fresh PostgreSQL database."""
    if "://" not in url:
        shutil.copy(OLD_FILE, url)
        return url
    src = sqlite3.connect(OLD_FILE)
    eng = create_engine(url)
    with eng.begin() as conn:
        schema.metadata.create_all(conn, tables=V2_TABLES)
        for table in V2_TABLES:
            cols = [c.name for c in table.c]
            rows = src.execute(f"SELECT {', '.join(cols)} FROM {table.name}").fetchall()
            if rows:
                conn.execute(table.insert(), [dict(zip(cols, r, strict=True)) for r in rows])
        for name in ("signals", "chunks", "rollup", "recordings", "assets"):  # ids copied
            conn.exec_driver_sql(
                f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                f"(SELECT COALESCE(MAX(id), 1) FROM {name}))"
            )
    eng.dispose()
    src.close()
    return url


def assert_reads_as_written(h) -> None:
    r = HistoryReader(h)
    sids = [s for g in GROUPS for s in g.signal_ids]
    assert r.signal_ids() == sorted(sids)
    many = r.read_many(sids, T0 - NS, T0 + 400 * NS)
    for sid in sids:
        want_t, want_v = expected(sid)
        for t, v in (r.read(sid, T0 - NS, T0 + 400 * NS), many[sid]):
            np.testing.assert_array_equal(t, want_t)
            np.testing.assert_array_equal(v.view(np.uint32), want_v.view(np.uint32))
    old = np.load(OLD_OVERVIEWS)
    for i, (sid, t0, t1, n) in enumerate(OVERVIEWS):
        for name, got in zip(("t", "min", "max"), r.read_decimated(sid, t0, t1, n), strict=True):
            np.testing.assert_array_equal(got, old[f"{i}_{name}"], err_msg=f"{sid} {name}")
    assert r.coverage("slow0.sig") == [(T0, T0 + 99 * NS), (T0 + 130 * NS, T0 + 299 * NS)]


def test_an_old_history_reads_bit_for_bit_as_it_is_and_after_the_upgrade(history_url: str) -> None:
    url = old_copy(history_url)
    with open_history(url, read_only=True) as h:  # schema 2, not upgraded
        assert_reads_as_written(h)
    with open_history(url) as h:  # upgraded in place
        with h.engine.connect() as conn:
            version = conn.execute(
                select(schema.meta.c.value).where(schema.meta.c.key == "schema_version")
            ).scalar_one()
            assert int(version) == schema.SCHEMA_VERSION == 3
            assert {"staged", "stage_layouts"} <= set(inspect(conn).get_table_names())
        assert_reads_as_written(h)
        # Recording continues after the old samples: staged, compacted, read together.
        slow = GROUPS[2]
        w = HistoryWriter(h, [slow], flush_interval_s=0.01)
        for b in batches(slow, 900.0, per_batch=1, start=T0 + 300 * NS):
            assert w.offer(b)
        w.close()
        assert w.last_error is None
        t, v = HistoryReader(h).read("slow1.sig", T0, T0 + 2000 * NS)
        old_t, old_v = expected("slow1.sig")
        new_t = T0 + np.arange(300, 1200, dtype=np.int64) * NS
        np.testing.assert_array_equal(t, np.concatenate((old_t, new_t)))
        new_v = values_at(new_t, 2)[1].astype(np.float32)
        np.testing.assert_array_equal(v, np.concatenate((old_v, new_v)))
    with open_history(url, read_only=True) as h:
        assert HistoryReader(h).read("fast0.sig", T0, T0 + 10 * NS)[0].size == 3000


def test_the_fixture_is_what_schema_2_wrote() -> None:
    """The bytes under test are old ones: schema 2, the old codecs, every pyramid level."""
    con = sqlite3.connect(f"file:{OLD_FILE}?mode=ro", uri=True)
    try:
        meta = dict(con.execute("SELECT key, value FROM meta").fetchall())
        assert meta["schema_version"] == "2"
        codecs = {c for (c,) in con.execute("SELECT DISTINCT codec FROM chunks")}
        assert codecs == {0x01, 0x11, 0x13}  # linear/raw, linear/shuffled, deltas/shuffled
        levels = {lv for (lv,) in con.execute("SELECT DISTINCT level FROM rollup")}
        assert levels == set(schema.LEVELS_S)
        names = {n for (n,) in con.execute("SELECT name FROM sqlite_master")}
        assert "staged" not in names
    finally:
        con.close()
