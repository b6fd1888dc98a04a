"""Opening a history on a database server (PostgreSQL via psycopg)."""

from __future__ import annotations

import contextlib
from typing import Any

from sqlalchemy import create_engine, inspect, select
from sqlalchemy.engine import make_url

from db import schema
from db.errors import HistoryInUseError, HistoryMissingError, NotAHistoryError, translating
from db.history import History
from db.migrations import upgrade
from db.opening import after_upgrade, check_meta, initialise

# pg_try_advisory_lock key: "twindeck" as an int64.
PG_LOCK_KEY = 0x7477696E6465636B


def open_server(url: str, *, read_only: bool, create: bool) -> History:
    """Open (or create) the history in the database at ``url``; see ``open_history``."""
    where = make_url(url).render_as_string(hide_password=True)
    connect_args = {"options": "-c default_transaction_read_only=on"} if read_only else {}
    with translating(where, "opening it"):  # a driver that is not installed
        engine = create_engine(url, connect_args=connect_args, pool_size=4, max_overflow=8)
    lock_conn = None
    try:
        with translating(where, "opening it"):
            with engine.connect() as conn:
                tables = set(inspect(conn).get_table_names())
                meta = (
                    {r.key: r.value for r in conn.execute(select(schema.meta))}
                    if "meta" in tables
                    else None
                )
            if meta is None:
                if tables:
                    raise NotAHistoryError(
                        f"{where} holds tables but is not a TwinDeck history. Use an empty "
                        "database; TwinDeck did not change it.",
                        where=where,
                    )
                if read_only or not create:
                    raise HistoryMissingError(f"{where} holds no TwinDeck history.", where=where)
                version = 0
            else:
                version = check_meta(meta, where, read_only)
            if not read_only:
                # A session-level advisory lock on a connection kept for the History's
                # life: the server releases it when that connection (or its process) goes.
                lock_conn = engine.raw_connection()
                cur = lock_conn.cursor()
                cur.execute("SELECT pg_try_advisory_lock(%s)", (PG_LOCK_KEY,))
                row = cur.fetchone()
                lock_conn.commit()
                if not (row and row[0]):
                    raise HistoryInUseError(
                        f"{where} is being recorded by another TwinDeck. Stop that recording, "
                        "or open the history read-only to replay it.",
                        where=where,
                    )
                with engine.begin() as conn:
                    if meta is None:
                        initialise(conn)
                    elif version < schema.SCHEMA_VERSION:
                        upgrade(conn, version)
    except BaseException:
        if lock_conn is not None:
            lock_conn.invalidate()  # closes it for real: drops the advisory lock
        engine.dispose()
        raise
    history = History(
        engine,
        where=where,
        backend=engine.dialect.name,
        path=None,
        read_only=read_only,
        lock=_ServerLock(lock_conn) if lock_conn is not None else None,
    )
    if meta is not None and version < schema.SCHEMA_VERSION:
        after_upgrade(history)
    return history


class _ServerLock:
    def __init__(self, conn: Any) -> None:
        self._conn = conn

    def release(self) -> None:
        with contextlib.suppress(Exception):
            self._conn.invalidate()
