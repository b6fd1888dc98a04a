"""The timeline's data from a history: the recorded range, coverage, bookmarks and alarm
marks, refreshed while the history grows; bookmark editing.

Reads through the history handle it is given (the recorder's own while recording), so
one file has one handle. Bookmarks are the history's own merged with its sidecar's
(db.annotations): a read-only recording is bookmarked in its sidecar, never modified.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QInputDialog, QMessageBox

from app.timeline.panel import QtReplayPanel
from db import History, HistoryError, HistoryReader
from db.annotations import AnnotatedBookmarks
from twin.clock import PlaybackClock

log = logging.getLogger(__name__)

REFRESH_MS = 2000  # how often a growing timeline picks up newly recorded spans
MARKS_OVERLAP_NS = 30 * 1_000_000_000  # alarm marks are re-read this far back each time


class TimelineSession(QObject):
    """Keeps ``panel`` and ``clock`` in step with ``history``.

    ``live_end``: True while a recorder is adding to the history (the clock's end is the
    live edge); False for a finished recording, whose end is fixed. ``writable``: whether
    the user may add, rename and delete bookmarks here (stored in the history when its
    handle is writable, else in its sidecar). ``alarm_times`` says when alarms were raised
    in a range (timeline markers and step marks).
    """

    def __init__(
        self,
        history: History,
        clock: PlaybackClock,
        panel: QtReplayPanel,
        live_end: bool,
        writable: bool = False,
        alarm_times: Callable[[int, int], list[int]] | None = None,
    ) -> None:
        super().__init__(panel)
        self.history = history
        self.clock = clock
        self.panel = panel
        self.live_end = live_end
        self.bookmarks = AnnotatedBookmarks(history)
        self.writable = writable
        self.alarm_times = alarm_times or (lambda _t0, _t1: [])
        self._fixed: tuple[tuple[int, int] | None, list[tuple[int, int]]] | None = None
        self._marks: list[int] = []
        self._marks_until = 0  # the alarm marks are read up to here
        self._timer = QTimer(self)
        self._timer.setInterval(REFRESH_MS)
        self._timer.timeout.connect(self.refresh)
        panel.transport.bookmark_requested.connect(self.add_bookmark)
        panel.timeline.bookmark_activated.connect(self.edit_bookmark)
        if not live_end:
            panel.transport.clock_changed.connect(self._stay_in_recording)

    def know_range(self, start_ns: int, end_ns: int) -> None:
        """A finished recording's exact range, when the caller has read it already (it
        seeks every signal's rows: ~0.5 s at 60,000 signals)."""
        if not self.live_end:
            coverage = HistoryReader(self.history).coverage()
            self._fixed = ((start_ns, end_ns), coverage)

    def start(self) -> None:
        self.refresh()
        self._timer.start()

    def close(self) -> None:
        """Stop refreshing (the history belongs to whoever opened it)."""
        self._timer.stop()

    def refresh(self) -> None:
        """Recording range, coverage and bookmarks into the timeline and the clock."""
        try:
            span, coverage = self._extent()
            marks = self.bookmarks.in_range()
            alarms = self._alarm_marks(span) if span else []
        except HistoryError as exc:
            log.warning("timeline not refreshed: %s", exc)
            return
        if span is None:
            return
        timeline = self.panel.timeline
        timeline.set_recording_range(span[0], span[1])  # the first call shows all of it
        timeline.set_coverage(coverage)
        timeline.set_bookmarks([(b.id, b.t, b.name) for b in marks])
        timeline.set_alarms(alarms)
        self.clock.set_bounds(span[0], None if self.live_end else span[1])
        self.clock.set_marks(sorted([b.t for b in marks] + alarms))  # step: bookmark or alarm

    def _extent(self) -> tuple[tuple[int, int] | None, list[tuple[int, int]]]:
        """(recorded range, coverage). While recording, the range is the recording
        sessions' (a few rows the writer keeps current): the exact range seeks every
        signal's chunks, ~0.5 s at 60,000 signals, too much for every refresh. A finished
        recording does not change: it is read once."""
        if self._fixed is not None:
            return self._fixed
        reader = HistoryReader(self.history)
        if self.live_end:
            # Nothing flushed yet (a new recording): no span until the writer's first flush.
            coverage = reader.coverage(exact_fallback=False)
            return ((coverage[0][0], coverage[-1][1]) if coverage else None), coverage
        coverage = reader.coverage()
        span = reader.time_range()
        if not self.live_end and span is not None:
            self._fixed = (span, coverage)
        return span, coverage

    def _alarm_marks(self, span: tuple[int, int]) -> list[int]:
        """Alarm raise times in the range: the new ones since the last refresh (from a
        little before it: journal writes lag the alarms) added to those already read."""
        start, end = span
        since = max(start, self._marks_until - MARKS_OVERLAP_NS) if self._marks_until else start
        fresh = self.alarm_times(since, end + 1)
        kept = [t for t in self._marks if start <= t < since]
        self._marks = kept + fresh
        self._marks_until = end + 1
        return self._marks

    def _stay_in_recording(self) -> None:
        """A finished recording has no live edge: "back to live" goes to its end."""
        if self.clock.is_live:
            end = self.panel.timeline.recording_range
            self.clock.seek(end[1] if end else self.clock.now())
            self.clock.pause()

    def edit_bookmark(self, bookmark_id: int) -> None:
        """Double-clicked bookmark: jump to it, rename it or delete it."""
        try:
            mark = self.bookmarks.get(bookmark_id)
        except (KeyError, HistoryError):
            return
        box = QMessageBox(self.panel)
        box.setWindowTitle(self.tr("Bookmark"))
        box.setText(mark.name)
        jump = box.addButton(self.tr("Jump to"), QMessageBox.ButtonRole.AcceptRole)
        rename = box.addButton(self.tr("Rename…"), QMessageBox.ButtonRole.ActionRole)
        delete = box.addButton(self.tr("Delete"), QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        for button in (rename, delete):
            button.setEnabled(self.writable)
        box.exec()
        clicked = box.clickedButton()
        if clicked is jump:
            self.clock.seek(mark.t)
            self.panel.transport.refresh()
        elif clicked is rename and self.writable:
            name, ok = QInputDialog.getText(
                self.panel, self.tr("Rename bookmark"), self.tr("Name:"), text=mark.name
            )
            if ok and name.strip():
                self._change(lambda: self.bookmarks.rename(bookmark_id, name.strip()))
        elif clicked is delete and self.writable:
            self._change(lambda: self.bookmarks.delete(bookmark_id))
        self.refresh()

    def add_bookmark(self, t: int) -> None:
        """Ask for a name, then store a bookmark at ``t``."""
        if not self.writable:
            QMessageBox.information(
                self.panel,
                self.tr("Bookmark"),
                self.tr("Bookmarks cannot be added here."),
            )
            return
        label = self.tr("Name:")
        if self.bookmarks.in_sidecar:
            label = self.tr(
                "Name (the recording is read-only: its bookmarks are kept in a file of "
                "their own, and go into the incident packages exported from it):"
            )
        name, ok = QInputDialog.getText(self.panel, self.tr("Add bookmark"), label)
        if ok and name.strip():
            self._change(lambda: self.bookmarks.add(t, name.strip()))
            self.refresh()

    def _change(self, change: Callable[[], object]) -> None:
        """Run a bookmark change; say why when it cannot be saved."""
        try:
            change()
        except KeyError:
            pass  # deleted meanwhile (another session on the same recording)
        except HistoryError as exc:
            QMessageBox.warning(self.panel, self.tr("Bookmark"), str(exc))
