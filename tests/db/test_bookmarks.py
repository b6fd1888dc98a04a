"""Bookmarks CRUD on both backends, and refusal on a read-only history."""

from __future__ import annotations

import pytest

from db import HistoryError, open_history
from db.bookmarks import Bookmark, Bookmarks
from tests.db.history_helpers import NS, T0


def test_add_rename_delete_and_list_in_range(history_url: str) -> None:
    with open_history(history_url) as h:
        marks = Bookmarks(h, wall=lambda: 42)
        late = marks.add(T0 + 30 * NS, "  bearing trip ")
        early = marks.add(T0 + 10 * NS, "start of surge")
        same_t = marks.add(T0 + 10 * NS, "second look")
        assert late == Bookmark(late.id, T0 + 30 * NS, "bearing trip", 42)
        assert [b.id for b in marks.in_range()] == [early.id, same_t.id, late.id]
        # half-open [t0, t1), like every time range of the history
        assert marks.in_range(T0 + 10 * NS, T0 + 30 * NS) == [early, same_t]
        assert marks.in_range(T0 + 11 * NS) == [late]
        assert marks.in_range(t1=T0 + 10 * NS) == []

        renamed = marks.rename(early.id, "surge begins")
        assert renamed == Bookmark(early.id, early.t, "surge begins", 42)
        assert marks.get(early.id).name == "surge begins"

        marks.delete(same_t.id)
        assert [b.id for b in marks.in_range()] == [early.id, late.id]
        with pytest.raises(KeyError):
            marks.get(same_t.id)
        with pytest.raises(KeyError):
            marks.delete(same_t.id)
        with pytest.raises(KeyError):
            marks.rename(same_t.id, "gone")
        with pytest.raises(ValueError):
            marks.add(T0, "   ")
    # they are rows of the history: still there after reopening
    with open_history(history_url) as h:
        assert [b.name for b in Bookmarks(h).in_range()] == ["surge begins", "bearing trip"]


def test_read_only_history_lists_but_refuses_changes(tmp_path) -> None:
    path = tmp_path / "plant.twinhist"
    with open_history(path) as h:
        first = Bookmarks(h).add(T0, "kept")
    with open_history(path, read_only=True) as h:
        marks = Bookmarks(h)
        assert marks.in_range() == [first]
        for change in (
            lambda: marks.add(T0, "new"),
            lambda: marks.rename(first.id, "x"),
            lambda: marks.delete(first.id),
        ):
            with pytest.raises(HistoryError) as err:
                change()
            assert err.value.kind == "read_only"
