"""The open history handle. ``db.engine.open_history`` makes one (db.sqlite_file for a
file, db.server for a database server); everything else in db takes one."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, text

from db.errors import translating


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
    def transaction(self, doing: str) -> Iterator[Connection]:
        """A connection in a transaction, committed when the block ends; any error inside
        rolls it back and is raised as a HistoryError saying it happened while ``doing``."""
        with translating(self.where, doing), self.engine.begin() as conn:
            yield conn

    @contextlib.contextmanager
    def reading(self, doing: str) -> Iterator[Connection]:
        """A connection for reading; errors are raised as HistoryErrors (see transaction)."""
        with translating(self.where, doing), self.engine.connect() as conn:
            yield conn

    @contextlib.contextmanager
    def raw(self, doing: str | None = None) -> Iterator[Any]:
        """A pooled DBAPI connection, for the hot paths that bypass SQLAlchemy Core. With
        ``doing``, errors inside are raised as HistoryErrors (see transaction); without, the
        driver's own errors pass (for callers that report them themselves)."""
        with contextlib.ExitStack() as stack:
            if doing is not None:
                stack.enter_context(translating(self.where, doing))
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
        with self.reading("measuring its size") as conn:
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
