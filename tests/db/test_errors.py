"""Driver errors reach callers as HistoryError subclasses chosen from what the driver typed
(SQLite result codes, PostgreSQL SQLSTATE, psycopg connection failures, errno): real
files, a real PostgreSQL server and a real closed port."""

from __future__ import annotations

import os
import socket
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from sqlalchemy import event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from db import History, HistoryError, HistoryWriter, open_history
from db.bookmarks import Bookmarks
from db.errors import (
    DiskFullError,
    HistoryBusyError,
    HistoryCorruptError,
    HistoryInUseError,
    HistoryMissingError,
    NewerSchemaError,
    NotAHistoryError,
    ReadOnlyError,
    ServerUnreachableError,
    translate,
)
from db.schema import bookmarks
from tests.db.history_helpers import T0, batches, make_group

if TYPE_CHECKING:
    from tests.pg_server import PgServer


def make_history(path: Path) -> None:
    g = make_group("m", 2, 100.0)
    with open_history(path) as h:
        w = HistoryWriter(h, [g], flush_interval_s=0.05)
        for b in batches(g, 2.0):
            w.offer(b)
        w.close()


def on_new_connections(h: History, *pragmas: str) -> None:
    """Run ``pragmas`` on every connection the history opens from now on (after its own)."""
    h.engine.dispose()

    def run(dbapi_conn: Any, _record: object) -> None:
        for pragma in pragmas:
            dbapi_conn.execute(pragma)

    event.listen(h.engine, "connect", run)


def add_row(h: History, doing: str, name: str = "shift change") -> None:
    with h.transaction(doing) as conn:
        conn.execute(bookmarks.insert().values(t=T0, name=name, created_at=T0))


# --- SQLite ----------------------------------------------------------------------------------


def test_a_file_another_writer_holds_is_busy(tmp_path: Path) -> None:
    p = tmp_path / "busy.twinhist"
    with open_history(p) as h:
        on_new_connections(h, "PRAGMA busy_timeout=50")  # not the usual 5 s
        other = sqlite3.connect(p, isolation_level=None)  # another program, not a TwinDeck
        other.execute("BEGIN IMMEDIATE")  # holds the write lock
        try:
            with pytest.raises(HistoryBusyError) as info:
                Bookmarks(h).add(T0, "shift change")
        finally:
            other.execute("ROLLBACK")
            other.close()
        err = info.value
        assert type(err) is HistoryBusyError and err.kind == "locked" and err.where == str(p)
        assert "is busy" in str(err) and "while adding a bookmark" in str(err)
        cause = err.__cause__
        assert isinstance(cause, DBAPIError) and isinstance(cause.orig, sqlite3.Error)
        assert cause.orig.sqlite_errorcode == sqlite3.SQLITE_BUSY
        Bookmarks(h).add(T0, "shift change")  # the lock is gone: it works


def test_a_history_another_recorder_holds_is_in_use(tmp_path: Path) -> None:
    p = tmp_path / "recorded.twinhist"
    with open_history(p), pytest.raises(HistoryInUseError) as info:
        open_history(p)
    assert isinstance(info.value, HistoryBusyError) and info.value.kind == "locked"
    assert "being recorded by another TwinDeck" in str(info.value)


def test_files_that_are_not_histories(tmp_path: Path) -> None:
    other = tmp_path / "inventory.db"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE parts (id INTEGER PRIMARY KEY)")
    conn.close()
    noise = tmp_path / "noise.twinhist"
    noise.write_bytes(os.urandom(20_000))
    # The SQLite magic, then garbage: SQLite itself says SQLITE_NOTADB.
    header = tmp_path / "header.twinhist"
    header.write_bytes(b"SQLite format 3\x00" + b"\xff" * 20_000)
    for path in (other, noise, header):
        for read_only in (False, True):
            with pytest.raises(NotAHistoryError) as info:
                open_history(path, read_only=read_only)
            assert info.value.kind == "not_twindeck" and str(path) in str(info.value)
    with pytest.raises(NotAHistoryError, match="its header is damaged"):
        open_history(header)


def test_a_damaged_file_is_corrupt(tmp_path: Path) -> None:
    p = tmp_path / "damaged.twinhist"
    make_history(p)
    data = bytearray(p.read_bytes())
    data[100:4000] = os.urandom(3900)  # the schema page after the 100-byte header
    p.write_bytes(bytes(data))
    with pytest.raises(HistoryCorruptError) as info:
        open_history(p)
    assert info.value.kind == "corrupt" and "damaged" in str(info.value)
    assert isinstance(info.value.__cause__, sqlite3.DatabaseError)


def test_newer_and_missing_histories(tmp_path: Path) -> None:
    p = tmp_path / "future.twinhist"
    make_history(p)
    conn = sqlite3.connect(p)
    conn.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    conn.commit()
    conn.close()
    with pytest.raises(NewerSchemaError, match="newer TwinDeck"):
        open_history(p, read_only=True)
    with pytest.raises(HistoryMissingError, match="does not exist"):
        open_history(tmp_path / "nope.twinhist", create=False)


def test_writing_into_a_read_only_open_is_refused_by_sqlite(tmp_path: Path) -> None:
    p = tmp_path / "replayed.twinhist"
    open_history(p).close()
    with open_history(p, read_only=True) as h, pytest.raises(ReadOnlyError) as info:
        add_row(h, "adding a note")  # past Bookmarks' own check: SQLITE_READONLY
    assert "cannot write here while adding a note" in str(info.value)


def test_a_full_disk_is_disk_full(tmp_path: Path) -> None:
    p = tmp_path / "full.twinhist"
    with open_history(p) as h:
        # max_page_count never shrinks a file: 1 means "no page more than it has now".
        on_new_connections(h, "PRAGMA max_page_count=1")
        with pytest.raises(DiskFullError) as info:
            add_row(h, "adding a bookmark", name="x" * 1_000_000)
    assert info.value.kind == "disk_full"
    assert "the disk is full while adding a bookmark" in str(info.value)


def test_a_failed_transaction_is_rolled_back_and_reported(history_url: str) -> None:
    with open_history(history_url) as h:
        with pytest.raises(HistoryError) as info, h.transaction("adding bookmarks") as conn:
            conn.execute(bookmarks.insert().values(id=7, t=T0, name="a", created_at=T0))
            conn.execute(bookmarks.insert().values(id=7, t=T0, name="b", created_at=T0))
        # A duplicate key (SQLITE_CONSTRAINT / SQLSTATE 23505) is none of the cases.
        assert type(info.value) is HistoryError and info.value.kind == "io"
        assert "(while adding bookmarks)" in str(info.value)
        assert Bookmarks(h).in_range() == []  # the first insert was rolled back too


# --- errors without a driver type ------------------------------------------------------------


def test_the_code_wins_over_the_words() -> None:
    try:
        sqlite3.connect(":memory:").execute("SELECT * FROM locked_rows")
    except sqlite3.OperationalError as exc:
        err = translate(exc, "h.twinhist", "reading")  # "no such table: locked_rows"
    assert type(err) is HistoryError and "locked_rows" in str(err)


def test_errors_that_carry_only_words_are_classified_by_them() -> None:
    # What a connection factory or Python's sqlite3 module raises carries no result code.
    made = sqlite3.OperationalError("disk I/O error")
    assert getattr(made, "sqlite_errorcode", None) is None
    err = translate(made, "h.twinhist", "writing samples")
    assert isinstance(err, DiskFullError) and "the disk refused a write" in str(err)
    err = translate(OSError("disk unplugged"), "h.twinhist", "reading samples")
    assert (
        type(err) is HistoryError
        and str(err) == "h.twinhist: disk unplugged (while reading samples)."
    )
    already = ReadOnlyError("kept as it is", where="h.twinhist")
    assert translate(already, "elsewhere", "anything") is already


# --- PostgreSQL ------------------------------------------------------------------------------


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_a_closed_port_is_unreachable() -> None:
    port = _closed_port()
    url = f"postgresql+psycopg://postgres:secret@127.0.0.1:{port}/plant"
    with pytest.raises(ServerUnreachableError) as info:
        open_history(url)
    err = info.value
    assert err.kind == "unreachable" and "cannot reach the database server" in str(err)
    assert str(port) in str(err) and "secret" not in str(err)


def test_a_server_that_drops_the_connection_is_unreachable(
    pg_url: str, pg_server: PgServer
) -> None:
    open_history(pg_url).close()
    h = open_history(pg_url, read_only=True)
    try:
        Bookmarks(h).in_range()  # a pooled connection now exists
        with pg_server.admin() as admin:
            admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = %s AND pid <> pg_backend_pid()",
                (make_url(pg_url).database,),
            )
        with pytest.raises(ServerUnreachableError, match="cannot reach the database server"):
            Bookmarks(h).in_range()
    finally:
        h.close()


def test_writing_into_a_read_only_server_session_is_read_only(pg_url: str) -> None:
    open_history(pg_url).close()
    with open_history(pg_url, read_only=True) as h, pytest.raises(ReadOnlyError) as info:
        add_row(h, "adding a note")  # SQLSTATE 25006
    assert "cannot write here while adding a note" in str(info.value)


def test_a_table_locked_on_the_server_is_busy(pg_url: str, pg_server: PgServer) -> None:
    import psycopg

    open_history(pg_url).close()
    name = make_url(pg_url).database
    with (
        open_history(pg_url) as h,
        psycopg.connect(
            host="127.0.0.1", port=pg_server.port, user=pg_server.user, dbname=name
        ) as other,
    ):
        other.execute("LOCK TABLE bookmarks IN ACCESS EXCLUSIVE MODE")  # in its transaction
        with pytest.raises(HistoryBusyError) as info, h.transaction("adding a bookmark") as conn:
            conn.execute(text("SET LOCAL lock_timeout = '100ms'"))
            conn.execute(bookmarks.insert().values(t=T0, name="x", created_at=T0))
        other.rollback()
    assert "is busy" in str(info.value) and "while adding a bookmark" in str(info.value)
