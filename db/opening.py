"""The steps of opening a history that both backends share (db.sqlite_file, db.server):
checking its ``meta`` before writing anything, creating a new one, and finishing an
upgrade."""

from __future__ import annotations

from typing import Any

from db import pyramid, schema
from db.errors import (
    HistoryCorruptError,
    NewerSchemaError,
    NotAHistoryError,
    OlderSchemaError,
    translating,
)
from db.history import History


def check_meta(meta: dict[str, str], where: str, read_only: bool) -> int:
    """The schema version of a history with this ``meta``; raises HistoryError when it is
    not a TwinDeck history, is damaged, is newer than this TwinDeck, or (``read_only``)
    is older and would need an upgrade."""
    if meta.get("app") != schema.APP_ID:
        raise NotAHistoryError(
            f"{where} is a database of another application (app={meta.get('app')!r}), not a "
            "TwinDeck history. Choose another file; TwinDeck did not change it.",
            where=where,
        )
    try:
        version = int(meta.get("schema_version", ""))
    except ValueError:
        raise HistoryCorruptError(
            f"{where} has no readable schema version; it is damaged. TwinDeck did not change it.",
            where=where,
        ) from None
    if version > schema.SCHEMA_VERSION:
        raise NewerSchemaError(
            f"{where} was written by a newer TwinDeck (history schema {version}; this version "
            f"reads up to {schema.SCHEMA_VERSION}). Update TwinDeck to open it; the file was "
            "not changed.",
            where=where,
        )
    if version < schema.READABLE_FROM and read_only:
        raise OlderSchemaError(
            f"{where} was written by an older TwinDeck (history schema {version}). Open it once "
            "for recording (not read-only) to upgrade it, or upgrade a copy.",
            where=where,
        )
    return version


def initialise(conn: Any) -> None:
    """Create the tables and ``meta`` of a new history (inside the caller's transaction)."""
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
        with translating(history.where, "building the overview pyramid"):
            pyramid.catch_up(history)
    except BaseException:
        history.close()
        raise
