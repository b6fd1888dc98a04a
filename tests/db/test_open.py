"""Opening faults: each gives its HistoryError and leaves the file byte-identical."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from db import HistoryError, HistoryWriter, open_history
from tests.db.history_helpers import batches, make_group, readonly_dir

ROOT = Path(__file__).resolve().parents[2]


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def make_history(path: Path) -> None:
    g = make_group("m", 2, 100.0)
    with open_history(path) as h:
        w = HistoryWriter(h, [g], flush_interval_s=0.05)
        for b in batches(g, 2.0):
            w.offer(b)
        w.close()


def expect_error(path: Path, kind: str, words: tuple[str, ...], **kw: bool) -> HistoryError:
    before = digest(path)
    had_wal = Path(str(path) + "-wal").exists()
    with pytest.raises(HistoryError) as info:
        open_history(path, **kw)
    err = info.value
    assert err.kind == kind, str(err)
    assert str(path) in str(err)
    for w in words:
        assert w in str(err), str(err)
    assert digest(path) == before, "the file was modified"
    assert had_wal or not Path(str(path) + "-wal").exists()
    return err


def test_another_sqlite_file(tmp_path: Path) -> None:
    p = tmp_path / "inventory.db"
    with sqlite3.connect(p) as conn:
        conn.execute("CREATE TABLE parts (id INTEGER PRIMARY KEY, name TEXT)")
        conn.execute("INSERT INTO parts (name) VALUES ('bolt')")
    conn.close()
    expect_error(p, "not_twindeck", ("not a TwinDeck history", "did not change"))
    expect_error(p, "not_twindeck", ("not a TwinDeck history",), read_only=True)


def test_another_apps_meta_table(tmp_path: Path) -> None:
    p = tmp_path / "other.db"
    conn = sqlite3.connect(p)
    conn.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
    conn.execute("INSERT INTO meta VALUES ('app', 'someone-else')")
    conn.commit()
    conn.close()
    expect_error(p, "not_twindeck", ("another application",))


def test_random_bytes(tmp_path: Path) -> None:
    p = tmp_path / "noise.twinhist"
    p.write_bytes(os.urandom(50_000))
    expect_error(p, "not_twindeck", ("not an SQLite database",))


def test_corrupt_file(tmp_path: Path) -> None:
    p = tmp_path / "damaged.twinhist"
    make_history(p)
    data = bytearray(p.read_bytes())
    data[100:4000] = os.urandom(3900)  # the schema page after the 100-byte header
    p.write_bytes(bytes(data))
    expect_error(p, "corrupt", ("damaged", "backup"))


def test_newer_schema_refused(tmp_path: Path) -> None:
    p = tmp_path / "future.twinhist"
    make_history(p)
    conn = sqlite3.connect(p)
    conn.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    conn.commit()
    conn.close()
    expect_error(p, "newer_schema", ("newer TwinDeck", "schema 99", "Update TwinDeck"))
    expect_error(p, "newer_schema", ("newer TwinDeck",), read_only=True)


def test_missing_file(tmp_path: Path) -> None:
    p = tmp_path / "nope.twinhist"
    with pytest.raises(HistoryError, match="does not exist") as info:
        open_history(p, create=False)
    assert info.value.kind == "missing" and not p.exists()
    with pytest.raises(HistoryError, match="folder"):
        open_history(tmp_path / "no" / "such.twinhist")


def test_read_only_directory(tmp_path: Path) -> None:
    d = tmp_path / "ro"
    d.mkdir()
    existing = d / "old.twinhist"
    make_history(existing)
    before = digest(existing)
    with readonly_dir(d):
        with pytest.raises(HistoryError) as info:
            open_history(d / "new.twinhist")
        assert info.value.kind == "read_only" and "read-only" in str(info.value)
        assert not (d / "new.twinhist").exists()
        with pytest.raises(HistoryError) as info:
            open_history(existing)
        assert info.value.kind == "read_only" and str(existing) in str(info.value)
        # ...but it can still be replayed.
        with open_history(existing, read_only=True) as h:
            from db import HistoryReader

            assert len(HistoryReader(h).signal_ids()) == 2
    assert digest(existing) == before


def test_second_writer_in_process(tmp_path: Path) -> None:
    p = tmp_path / "busy.twinhist"
    make_history(p)
    with open_history(p):
        before = digest(p)
        err = expect_error(p, "locked", ("being recorded", "read-only"))
        assert f"pid {os.getpid()}" in str(err)
        assert digest(p) == before
        with open_history(p, read_only=True):  # replaying while recording is fine
            pass
    open_history(p).close()  # released


def test_second_writer_other_process(tmp_path: Path) -> None:
    p = tmp_path / "busy.twinhist"
    make_history(p)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(f"""
            import sys
            from db import open_history
            h = open_history({str(p)!r})
            print("open", flush=True)
            sys.stdin.read()
        """),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        cwd=ROOT,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "open"
        err = expect_error(p, "locked", ("being recorded", f"pid {holder.pid}"))
        assert "another TwinDeck" in str(err)
    finally:
        holder.kill()
        holder.wait()
    open_history(p).close()  # the OS released the dead holder's lock


def test_postgres_faults(pg_url: str) -> None:
    eng = create_engine(pg_url)
    with eng.begin() as conn:
        conn.execute(text("CREATE TABLE parts (id int)"))
    with pytest.raises(HistoryError) as info:
        open_history(pg_url)
    assert info.value.kind == "not_twindeck" and "postgresql" in str(info.value)
    with eng.begin() as conn:
        conn.execute(text("DROP TABLE parts"))
    open_history(pg_url).close()
    with eng.begin() as conn:
        conn.execute(text("UPDATE meta SET value = '99' WHERE key = 'schema_version'"))
    with pytest.raises(HistoryError, match="newer TwinDeck"):
        open_history(pg_url)
    with eng.begin() as conn:
        conn.execute(text("UPDATE meta SET value = '2' WHERE key = 'schema_version'"))
    eng.dispose()
    with open_history(pg_url):
        with pytest.raises(HistoryError) as info:
            open_history(pg_url)
        assert info.value.kind == "locked"
        open_history(pg_url, read_only=True).close()
    open_history(pg_url).close()
