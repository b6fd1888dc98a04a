"""Bookmarks CRUD on both backends, refusal on a read-only history, and a read-only
history bookmarked in its sidecar (db.annotations) without being modified."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from db import HistoryError, HistoryWriter, open_history
from db.annotations import AnnotatedBookmarks
from db.bookmarks import Bookmark, Bookmarks
from db.sidecar import Sidecar
from tests.db.history_helpers import NS, T0, batches, make_group, readonly_dir


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


# --- a read-only history: bookmarks in its sidecar --------------------------------------


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _recording_with_a_bookmark(path: Path) -> Bookmark:
    group = make_group("m", 1, 10.0)
    with open_history(path) as h:
        writer = HistoryWriter(h, [group])
        for b in batches(group, 2.0):
            writer.offer(b)
        writer.close()
        return Bookmarks(h, wall=lambda: 7).add(T0 + 20 * NS, "recorded")


def test_a_read_only_recording_is_bookmarked_in_its_sidecar_never_in_the_file(
    tmp_path: Path,
) -> None:
    path = tmp_path / "plant.twinhist"
    own = _recording_with_a_bookmark(path)
    before = _digest(path)
    with open_history(path, read_only=True) as h:
        marks = AnnotatedBookmarks(h, wall=lambda: 99)
        assert marks.in_sidecar and marks.in_range() == [own]
        added = marks.add(T0 + 10 * NS, " surge ")
        later = marks.add(T0 + 30 * NS, "trip")
        assert added == Bookmark(added.id, T0 + 10 * NS, "surge", 99) and added.id < 0
        marks.rename(own.id, "steady")  # the recording's own bookmark, renamed beside it
        marks.rename(later.id, "trip 2")
        assert [(b.name, b.id) for b in marks.in_range()] == [
            ("surge", added.id),
            ("steady", own.id),
            ("trip 2", later.id),
        ]
        assert marks.in_range(T0 + 15 * NS, T0 + 30 * NS) == [marks.get(own.id)]
        marks.delete(added.id)
        with pytest.raises(KeyError):
            marks.get(added.id)
        with pytest.raises(KeyError):
            marks.rename(added.id, "gone")
        assert Bookmarks(h).in_range() == [own]  # the history's rows are untouched
    assert _digest(path) == before
    assert (tmp_path / "plant.twinhist.bookmarks.sqlite").is_file()
    with open_history(path, read_only=True) as h:  # the next session sees them
        marks = AnnotatedBookmarks(h)
        assert [b.name for b in marks.in_range()] == ["steady", "trip 2"]
        marks.delete(own.id)
        assert [b.name for b in marks.in_range()] == ["trip 2"]
        with pytest.raises(KeyError):
            marks.delete(own.id)
    assert _digest(path) == before
    with open_history(path) as h:  # opened for recording: its own rows as they were...
        assert Bookmarks(h).in_range() == [own]
        # ...and the merged view goes on hiding the deleted one; a change made in the
        # recording itself from now on wins.
        marks = AnnotatedBookmarks(h)
        assert [b.name for b in marks.in_range()] == ["trip 2"]
        fresh = marks.add(T0 + 40 * NS, "in the file")
        assert fresh.id > 0 and Bookmarks(h).get(fresh.id).name == "in the file"


def test_a_recording_in_a_read_only_folder_keeps_its_sidecar_in_the_data_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    share = tmp_path / "share"
    share.mkdir()
    path = share / "plant.twinhist"
    _recording_with_a_bookmark(path)
    before = sorted(p.name for p in share.iterdir())
    with readonly_dir(share), open_history(path, read_only=True) as h:
        AnnotatedBookmarks(h).add(T0 + 10 * NS, "surge")
        assert sorted(p.name for p in share.iterdir()) == before  # nothing beside it
        (kept,) = (tmp_path / "data" / "TwinDeck" / "bookmarks").iterdir()
        assert Sidecar.of(h).path == kept
    with readonly_dir(share), open_history(path, read_only=True) as h:
        assert [b.name for b in AnnotatedBookmarks(h).in_range()] == ["surge", "recorded"]
    # Another file put at the same path does not inherit them.
    path.unlink()
    _recording_with_a_bookmark(path)
    with open_history(path, read_only=True) as h:
        assert [b.name for b in AnnotatedBookmarks(h).in_range()] == ["recorded"]


def test_a_recording_being_recorded_elsewhere_is_bookmarked_beside_it(tmp_path: Path) -> None:
    path = tmp_path / "plant.twinhist"
    with open_history(path) as recorder, open_history(path, read_only=True) as replay:
        Bookmarks(recorder).add(T0, "by the operator")
        AnnotatedBookmarks(replay).add(T0 + NS, "by the trainer")
        # Both sessions see both (the recorder's handle reads the sidecar too).
        for h in (recorder, replay):
            assert [b.name for b in AnnotatedBookmarks(h).in_range()] == [
                "by the operator",
                "by the trainer",
            ]
        assert [b.name for b in Bookmarks(recorder).in_range()] == ["by the operator"]
