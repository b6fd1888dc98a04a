"""The bookmarks of a history as its users see them: its own rows, as renamed or deleted
in its sidecar, and the bookmarks added in the sidecar (db.sidecar).

Changes go into the history when it is open for writing (the recorder's handle), else into
the sidecar, so a read-only recording can be bookmarked without being modified. Ids: the
history's own bookmarks keep theirs (positive); those added in the sidecar show as the
negative of their sidecar id, so one int names any bookmark (the timeline's flags).
"""

from __future__ import annotations

import time
from collections.abc import Callable

from db.bookmarks import Bookmark, Bookmarks, clean_name
from db.history import History
from db.sidecar import Change, Sidecar


class AnnotatedBookmarks:
    """The merged bookmarks of ``history`` (see the module docstring); the same calls as
    db.bookmarks.Bookmarks. ``sidecar`` defaults to the history's own."""

    def __init__(
        self,
        history: History,
        sidecar: Sidecar | None = None,
        wall: Callable[[], int] = time.time_ns,
    ) -> None:
        self.history = history
        self.sidecar = sidecar if sidecar is not None else Sidecar.of(history)
        self._own = Bookmarks(history, wall)
        self._wall = wall

    @property
    def in_sidecar(self) -> bool:
        """Whether new bookmarks go into the sidecar (the history is read-only)."""
        return self.history.read_only

    def add(self, t: int, name: str) -> Bookmark:
        """Bookmark moment ``t`` as ``name`` (stripped, not empty)."""
        if not self.in_sidecar:
            return self._own.add(t, name)
        name = clean_name(name)
        created = int(self._wall())
        return Bookmark(-self.sidecar.add(t, name, created), int(t), name, created)

    def rename(self, bookmark_id: int, name: str) -> Bookmark:
        """Give a bookmark a new name; KeyError when there is no such bookmark."""
        name = clean_name(name)
        if bookmark_id < 0:
            if not self.sidecar.rename_added(-bookmark_id, name):
                raise KeyError(f"no bookmark {bookmark_id}")
        else:
            self._change_own(bookmark_id, Change(name, False))
        return self.get(bookmark_id)

    def delete(self, bookmark_id: int) -> None:
        """Remove a bookmark; KeyError when there is no such bookmark."""
        if bookmark_id < 0:
            if not self.sidecar.delete_added(-bookmark_id):
                raise KeyError(f"no bookmark {bookmark_id}")
        else:
            self._change_own(bookmark_id, Change(None, True))

    def get(self, bookmark_id: int) -> Bookmark:
        """One bookmark; KeyError when there is no such bookmark (or it was deleted)."""
        found = [b for b in self.in_range() if b.id == bookmark_id]
        if not found:
            raise KeyError(f"no bookmark {bookmark_id}")
        return found[0]

    def in_range(self, t0: int | None = None, t1: int | None = None) -> list[Bookmark]:
        """Bookmarks with t0 <= t < t1 (either end open when None), in time order."""
        changes = self.sidecar.changes()
        marks = []
        for own in self._own.in_range(t0, t1):
            change = changes.get((own.id, own.created_at))
            if change is None:
                marks.append(own)
            elif not change.deleted:
                marks.append(Bookmark(own.id, own.t, change.name or own.name, own.created_at))
        for a in self.sidecar.added(t0, t1):
            marks.append(Bookmark(-a.id, a.t, a.name, a.created_at))
        return sorted(marks, key=lambda b: (b.t, b.created_at, b.id))

    def _change_own(self, bookmark_id: int, change: Change) -> None:
        own = self._own.get(bookmark_id)  # KeyError when there is none
        key = (own.id, own.created_at)
        if not self.in_sidecar:
            if change.deleted:
                self._own.delete(bookmark_id)
            else:
                assert change.name is not None
                self._own.rename(bookmark_id, change.name)
            self.sidecar.forget(key)  # the recording's own change wins from now on
            return
        if self.sidecar.changes().get(key, Change(None, False)).deleted:
            raise KeyError(f"no bookmark {bookmark_id}")
        self.sidecar.change(key, change, int(self._wall()))
