"""Opening an SQLite history file.

Order of operations for an existing file, so that a file that is not ours (or is newer,
corrupt or in use) is never modified: check the 16-byte SQLite magic ourselves, read
``meta`` through a read-only connection, probe the folder, take the recorder lock, and only
then open it read-write, switch it to WAL and upgrade its schema.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import tempfile
import urllib.parse
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.pool import QueuePool

from db import schema
from db.errors import (
    HistoryError,
    HistoryInUseError,
    HistoryMissingError,
    NotAHistoryError,
    ReadOnlyError,
    translating,
)
from db.history import History
from db.lockfile import FileLock, LockHeld
from db.migrations import upgrade
from db.opening import after_upgrade, check_meta, initialise

SQLITE_MAGIC = b"SQLite format 3\x00"
# Bigger pages keep a 1 s chunk of a 1 kHz signal (4 KB) in its leaf instead of an
# overflow chain: measurably faster inserts and reads (see bench/history.py).
SQLITE_PAGE_SIZE = 16384


def _sqlite_engine(path: Path, query: str) -> Engine:
    uri = "file:" + urllib.parse.quote(str(path)) + "?" + query

    def creator() -> sqlite3.Connection:
        # isolation_level=None: autocommit at the driver, so the BEGIN that SQLAlchemy
        # (or begin_raw) emits makes DDL and DML transactional alike.
        return sqlite3.connect(uri, uri=True, check_same_thread=False, isolation_level=None)

    engine = create_engine(
        "sqlite+pysqlite://", creator=creator, poolclass=QueuePool, pool_size=4, max_overflow=8
    )

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_conn: sqlite3.Connection, _record: object) -> None:
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA busy_timeout=5000")  # retention and writer share the file
        if "mode=ro" not in query:
            cur.execute("PRAGMA synchronous=NORMAL")  # WAL: durable against crashes
            # SQLite never shrinks the WAL; cut it back to the checkpoint size (1,000 pages)
            # when it starts over. A smaller checkpoint size kept the WAL at 4 MB but cost
            # 1 kHz ingest a quarter of its rate (bench/history.py).
            cur.execute("PRAGMA journal_size_limit=16777216")
        # Memory per connection (a pool holds several, and a live window has several
        # handles): a small page cache and no map of the file. Both fill as a recording
        # grows and count in the process's RSS once per connection: with 16 MB caches and
        # 64 MB maps (and before, 256 MB) a recording of 10,000 motors kept growing the
        # process by ~13 % over 15 minutes. Reads go through the kernel's page cache
        # instead, which is not the process's; the writer keeps a larger cache for the
        # B-tree pages it updates on every flush.
        cur.execute(f"PRAGMA cache_size=-{2048 if 'mode=ro' in query else 8192}")
        cur.execute("PRAGMA temp_store=MEMORY")
        cur.execute("PRAGMA mmap_size=0")
        cur.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN")

    return engine


def _read_meta_sqlite(path: Path) -> tuple[dict[str, str] | None, str]:
    """Read ``meta`` read-only; None when the file has no tables at all (a blank SQLite
    file we may initialise), with the URI query that could open it. Raises HistoryError
    for anything that is not ours."""
    where = str(path)
    conn: sqlite3.Connection | None = None
    try:
        with translating(where, "reading its header"):
            for query in ("mode=ro", "mode=ro&immutable=1"):
                # immutable=1 only when the WAL index cannot be created (read-only folder).
                uri = "file:" + urllib.parse.quote(str(path)) + "?" + query
                try:
                    conn = sqlite3.connect(uri, uri=True, isolation_level=None)
                    names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
                    break
                except sqlite3.OperationalError as exc:
                    if conn is not None:
                        conn.close()
                        conn = None
                    cannot_open = exc.sqlite_errorcode == sqlite3.SQLITE_CANTOPEN
                    if not cannot_open or query.endswith("immutable=1"):
                        raise
            assert conn is not None
            if not names:
                return None, query
            if "meta" not in names:
                raise NotAHistoryError(
                    f"{where} is an SQLite database but not a TwinDeck history. Choose "
                    "another file; TwinDeck did not change it.",
                    where=where,
                )
            return {k: v for k, v in conn.execute("SELECT key, value FROM meta")}, query
    finally:
        if conn is not None:
            conn.close()


def open_sqlite(path: Path, *, read_only: bool, create: bool) -> History:
    path = path.expanduser().absolute()
    where = str(path)
    exists = path.exists()
    if exists and path.is_dir():
        raise NotAHistoryError(f"{where} is a folder, not a history file.", where=where)
    fresh = not exists or path.stat().st_size == 0
    if fresh and (read_only or not create):
        raise HistoryMissingError(
            f"{where} does not exist (or is empty). Choose an existing history file.",
            where=where,
        )
    if fresh and not path.parent.is_dir():
        raise HistoryMissingError(
            f"cannot create {where}: the folder {path.parent} does not exist.",
            where=where,
        )
    meta: dict[str, str] | None = None
    ro_query = "mode=ro"
    version = 0
    if not fresh:
        with translating(where, "reading its header"), open(path, "rb") as f:
            head = f.read(len(SQLITE_MAGIC))
        if head != SQLITE_MAGIC:
            raise NotAHistoryError(
                f"{where} is not a TwinDeck history (not an SQLite database). Choose another "
                "file; TwinDeck did not change it.",
                where=where,
            )
        side = [Path(str(path) + sfx) for sfx in ("-wal", "-shm")]
        had_side = [f.exists() for f in side]
        try:
            meta, ro_query = _read_meta_sqlite(path)
            if meta is None and (read_only or not create):
                raise NotAHistoryError(
                    f"{where} is an empty database, not a TwinDeck history.",
                    where=where,
                )
            version = check_meta(meta, where, read_only) if meta is not None else 0
        except HistoryError:
            # Reading a WAL-mode file creates its -wal/-shm companions; a file we refuse
            # should be left exactly as we found it, companions included.
            if not any(had_side) and side[0].exists() and side[0].stat().st_size == 0:
                for companion in side:
                    with contextlib.suppress(OSError):
                        companion.unlink()
            raise
    if read_only:
        # mode=ro still needs the -shm file; a read-only folder only allows immutable.
        engine = _sqlite_engine(path, ro_query)
        return History(engine, where=where, backend="sqlite", path=path, read_only=True)

    _probe_writable_folder(path)
    lock = _take_file_lock(path)
    created = not exists
    try:
        with translating(where, "creating it" if created else "opening it"):
            engine = _open_writable(path, exists, meta, version)
    except BaseException:
        lock.release()
        if created:  # only ever remove a file we created ourselves
            for suffix in ("", "-wal", "-shm"):
                with contextlib.suppress(OSError):
                    os.unlink(str(path) + suffix)
        raise
    history = History(engine, where=where, backend="sqlite", path=path, read_only=False, lock=lock)
    if meta is not None and version < schema.SCHEMA_VERSION:
        after_upgrade(history)
    return history


def _open_writable(path: Path, exists: bool, meta: dict[str, str] | None, version: int) -> Engine:
    """The read-write engine of a checked file: in WAL mode, initialised or upgraded."""
    where = str(path)
    if exists and not os.access(path, os.W_OK):
        raise ReadOnlyError(
            f"{where} is read-only. Open it read-only to replay it, or record into a "
            "file you can write.",
            where=where,
        )
    engine = _sqlite_engine(path, "mode=rwc")
    try:
        raw = engine.raw_connection()  # autocommit: PRAGMAs outside a transaction
        try:
            cur = raw.cursor()
            if meta is None:
                cur.execute(f"PRAGMA page_size={SQLITE_PAGE_SIZE}")
            mode = cur.execute("PRAGMA journal_mode=WAL").fetchone()[0]
        finally:
            raw.close()
        if str(mode).lower() != "wal":
            raise HistoryError(f"{where}: cannot switch to WAL mode (got {mode}).", where=where)
        with engine.begin() as conn:
            if meta is None:
                initialise(conn)
            elif version < schema.SCHEMA_VERSION:
                upgrade(conn, version)
    except BaseException:
        engine.dispose()
        raise
    return engine


def _probe_writable_folder(path: Path) -> None:
    """SQLite in WAL mode creates -wal/-shm beside the file, so recording needs a writable
    folder; try it for real (os.access is no help for root or read-only mounts)."""
    try:
        with tempfile.TemporaryFile(dir=path.parent, prefix=".twindeck-probe-"):
            pass
    except OSError as exc:
        raise ReadOnlyError(
            f"{path}: cannot record here because the folder {path.parent} is read-only "
            f"({exc.strerror}). Choose a folder you can write to, or open the history "
            "read-only to replay it.",
            where=str(path),
        ) from None


def _take_file_lock(path: Path) -> FileLock:
    where = str(path)
    lock_path = path.with_name(path.name + ".lock")
    with translating(where, f"creating its lock file {lock_path.name}"):
        try:
            return FileLock(lock_path)
        except LockHeld as held:
            raise HistoryInUseError(
                f"{where} is being recorded by another TwinDeck ({held.holder}). Stop that "
                "recording, or open the history read-only to replay it.",
                where=where,
            ) from None
