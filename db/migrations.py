"""Schema upgrades: an ordered list of functions, one per version step.

Why not Alembic: a history is a user's file (or a plant's database) that must upgrade
itself in place when a newer TwinDeck opens it, offline, with no migration scripts
directory to ship or configure; the steps are few and run inside the caller's transaction
(transactional DDL on both SQLite and PostgreSQL), so a failed upgrade leaves the file as
it was. Refusing a *newer* file happens before this module is reached (db.opening).

To change the schema: bump ``schema.SCHEMA_VERSION``, change ``schema`` to the new shape
(that is what fresh files get) and add ``MIGRATIONS[old] = step`` bringing an ``old`` file
to ``old + 1``. Steps describe their tables with their own DDL, not ``schema``, whenever the
current definitions could drift from what the step must create.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Connection, update

from db import schema

Migration = Callable[[Connection], None]


def _v1_to_v2(conn: Connection) -> None:
    """Schema 1 had raw chunks, events and recordings only: add the min/max pyramid and
    bookmarks. The pyramid is filled from the raw chunks afterwards (pyramid.catch_up)."""
    schema.rollup.create(conn)
    schema.bookmarks.create(conn)


def _v2_to_v3(conn: Connection) -> None:
    """Schema 3 stages slow groups' flushes and compacts them into chunks: add the staging
    tables. Chunks, rollups and their codecs are unchanged, so old data reads as it was.
    ``checkfirst``: a database whose version was set back by hand keeps its tables."""
    for table in schema.STAGING_TABLES:
        table.create(conn, checkfirst=True)


MIGRATIONS: dict[int, Migration] = {1: _v1_to_v2, 2: _v2_to_v3}


def upgrade(conn: Connection, from_version: int) -> None:
    """Bring a history at ``from_version`` to ``schema.SCHEMA_VERSION`` inside the caller's
    transaction."""
    for version in range(from_version, schema.SCHEMA_VERSION):
        step = MIGRATIONS.get(version)
        if step is None:
            raise RuntimeError(f"no migration from history schema {version}")
        step(conn)
    conn.execute(
        update(schema.meta)
        .where(schema.meta.c.key == "schema_version")
        .values(value=str(schema.SCHEMA_VERSION))
    )
