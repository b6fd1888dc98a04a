"""The open history handle and ``open_history``: SQLite path or SQLAlchemy URL.

Opening is split by backend (db.sqlite_file, db.server); both check a target before
writing anything, so a file or database that is not ours, is newer, corrupt or in use is
never modified. The steps shared by both backends live here.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url

from db import pyramid, schema
from db.errors import HistoryError, translate


class History:
    """An open history database. Use ``open_history`` to get one; ``close()`` when done.

    ``where`` names it for messages (file path, or URL without password); ``backend`` is
    "sqlite" or "postgresql".
    """

    def __init__(
        self,
        engine: Engine,
        *,
        where: str,
        backend: str,
        path: Path | None,
        read_only: bool,
        lock: Any = None,
    ) -> None:
        self.engine = engine
        self.where = where
        self.backend = backend
        self.path = path
        self.read_only = read_only
        self._lock = lock
        self._qmark = engine.dialect.paramstyle == "qmark"

    def sql(self, statement: str) -> str:
        """Adapt a statement written with ``?`` placeholders to the driver's paramstyle."""
        return statement if self._qmark else statement.replace("?", "%s")

    @contextlib.contextmanager
    def raw(self) -> Iterator[Any]:
        """A pooled DBAPI connection, for the hot paths that bypass SQLAlchemy Core."""
        conn = self.engine.raw_connection()
        try:
            yield conn
        finally:
            conn.close()

    def begin_raw(self, conn: Any) -> None:
        """Open a transaction on a raw connection (SQLite connections run in autocommit
        mode so that DDL is transactional under SQLAlchemy; psycopg opens one itself)."""
        if self.backend == "sqlite":
            conn.cursor().execute("BEGIN")

    def size_bytes(self) -> int:
        """Bytes on disk: file + WAL for SQLite, pg_database_size for PostgreSQL."""
        if self.path is not None:
            total = 0
            for suffix in ("", "-wal"):
                with contextlib.suppress(OSError):
                    total += os.stat(str(self.path) + suffix).st_size
            return total
        with self.engine.connect() as conn:
            return int(
                conn.execute(text("SELECT pg_database_size(current_database())")).scalar_one()
            )

    def close(self) -> None:
        """Dispose of the connections and release the recorder lock; idempotent."""
        self.engine.dispose()
        if self._lock is not None:
            lock, self._lock = self._lock, None
            lock.release()

    def __enter__(self) -> History:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"History({self.where!r}, read_only={self.read_only})"


def open_history(
    url_or_path: str | os.PathLike[str], *, read_only: bool = False, create: bool = True
) -> History:
    """Open (or create) a history at an SQLite path or an SQLAlchemy URL
    (``sqlite:///file.twinhist``, ``postgresql+psycopg://user@host/db``).

    Writable opens take the recorder lock (one recording process per history) and upgrade
    an older schema. Raises HistoryError, leaving the file untouched, when the target is not
    a TwinDeck history, is corrupt, has a newer schema, is locked, or cannot be written.
    """
    from db.sqlite_file import open_sqlite

    target = os.fspath(url_or_path)
    if "://" not in target:
        return open_sqlite(Path(target), read_only=read_only, create=create)
    url = make_url(target)
    if url.get_backend_name() == "sqlite":
        if not url.database or url.database == ":memory:":
            raise HistoryError(f"{target}: an in-memory database cannot hold a history.")
        return open_sqlite(Path(url.database), read_only=read_only, create=create)
    from db.server import open_server

    return open_server(target, read_only=read_only, create=create)


def check_meta(meta: dict[str, str], where: str, read_only: bool) -> int:
    if meta.get("app") != schema.APP_ID:
        raise HistoryError(
            f"{where} is a database of another application (app={meta.get('app')!r}), not a "
            "TwinDeck history. Choose another file; TwinDeck did not change it.",
            kind="not_twindeck",
            where=where,
        )
    try:
        version = int(meta.get("schema_version", ""))
    except ValueError:
        raise HistoryError(
            f"{where} has no readable schema version; it is damaged. TwinDeck did not change it.",
            kind="corrupt",
            where=where,
        ) from None
    if version > schema.SCHEMA_VERSION:
        raise HistoryError(
            f"{where} was written by a newer TwinDeck (history schema {version}; this version "
            f"reads up to {schema.SCHEMA_VERSION}). Update TwinDeck to open it; the file was "
            "not changed.",
            kind="newer_schema",
            where=where,
        )
    if version < schema.SCHEMA_VERSION and read_only:
        raise HistoryError(
            f"{where} was written by an older TwinDeck (history schema {version}). Open it once "
            "for recording (not read-only) to upgrade it, or upgrade a copy.",
            kind="older_schema",
            where=where,
        )
    return version


def initialise(conn: Any) -> None:
    schema.metadata.create_all(conn)
    conn.execute(
        schema.meta.insert(),
        [
            {"key": "app", "value": schema.APP_ID},
            {"key": "schema_version", "value": str(schema.SCHEMA_VERSION)},
        ],
    )


def after_upgrade(history: History) -> None:
    """Build the pyramid of an upgraded history (schema 1 had none) from its raw chunks."""
    try:
        pyramid.catch_up(history)
    except Exception as exc:
        history.close()
        raise translate(exc, history.where, "building the overview pyramid") from exc
