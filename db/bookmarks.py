"""Bookmarks: named moments of a history (add, rename, delete, list in a time range).

Ordinary rows of the ``bookmarks`` table through SQLAlchemy Core; they are few and
written by hand, so none of the raw-DBAPI hot-path tricks of the chunk tables apply. A
read-only history is bookmarked through db.annotations (its sidecar) instead.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import ColumnElement, select

from db.errors import ReadOnlyError
from db.history import History
from db.schema import bookmarks as _table


@dataclass(frozen=True, slots=True)
class Bookmark:
    """A named moment: ``t`` and ``created_at`` are int64 ns since the epoch."""

    id: int
    t: int
    name: str
    created_at: int


class Bookmarks:
    """The bookmarks of one history. Thread-safe as far as the history's engine is."""

    def __init__(self, history: History, wall: Callable[[], int] = time.time_ns) -> None:
        self.history = history
        self._wall = wall

    def add(self, t: int, name: str) -> Bookmark:
        """Bookmark moment ``t`` as ``name`` (stripped, not empty)."""
        name = clean_name(name)
        self._writable("adding a bookmark")
        created = int(self._wall())
        with self.history.transaction("adding a bookmark") as conn:
            res = conn.execute(_table.insert().values(t=int(t), name=name, created_at=created))
            pk = res.inserted_primary_key
        assert pk is not None
        return Bookmark(int(pk[0]), int(t), name, created)

    def rename(self, bookmark_id: int, name: str) -> Bookmark:
        """Give a bookmark a new name; KeyError when there is no such bookmark."""
        name = clean_name(name)
        self._writable("renaming a bookmark")
        with self.history.transaction("renaming a bookmark") as conn:
            res = conn.execute(_table.update().where(_table.c.id == bookmark_id).values(name=name))
        if res.rowcount == 0:
            raise KeyError(f"no bookmark {bookmark_id}")
        return self.get(bookmark_id)

    def delete(self, bookmark_id: int) -> None:
        """Remove a bookmark; KeyError when there is no such bookmark."""
        self._writable("deleting a bookmark")
        with self.history.transaction("deleting a bookmark") as conn:
            res = conn.execute(_table.delete().where(_table.c.id == bookmark_id))
        if res.rowcount == 0:
            raise KeyError(f"no bookmark {bookmark_id}")

    def get(self, bookmark_id: int) -> Bookmark:
        """One bookmark; KeyError when there is no such bookmark."""
        rows = self._select(_table.c.id == bookmark_id)
        if not rows:
            raise KeyError(f"no bookmark {bookmark_id}")
        return rows[0]

    def in_range(self, t0: int | None = None, t1: int | None = None) -> list[Bookmark]:
        """Bookmarks with t0 <= t < t1 (either end open when None), in time order."""
        cond: list[ColumnElement[bool]] = []
        if t0 is not None:
            cond.append(_table.c.t >= int(t0))
        if t1 is not None:
            cond.append(_table.c.t < int(t1))
        return self._select(*cond)

    def _select(self, *where: ColumnElement[bool]) -> list[Bookmark]:
        q = select(_table.c.id, _table.c.t, _table.c.name, _table.c.created_at)
        q = q.where(*where).order_by(_table.c.t, _table.c.id)
        with self.history.reading("reading bookmarks") as conn:
            rows = conn.execute(q).all()
        return [Bookmark(int(r[0]), int(r[1]), str(r[2]), int(r[3])) for r in rows]

    def _writable(self, doing: str) -> None:
        if self.history.read_only:
            raise ReadOnlyError(
                f"{self.history.where} is open read-only; cannot save changes while {doing}. "
                "Open it for recording, or bookmark a copy.",
                where=self.history.where,
            )


def clean_name(name: str) -> str:
    """A bookmark's name as stored: stripped; ValueError when nothing is left."""
    name = name.strip()
    if not name:
        raise ValueError("a bookmark needs a name")
    return name
