"""Replay wiring: the history the replay reads, the timeline's data, bookmarks.

Keeps start-up short: one object opens the replay side of a history (read-only, beside
any recorder that writes it), feeds the timeline from it and stores bookmarks.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QInputDialog, QMessageBox

from app.timeline.panel import QtReplayPanel
from db import History, HistoryError, HistoryReader, open_history
from db.bookmarks import Bookmarks
from db.read.feeder import ReplayFeeder
from db.read.loaders import OverviewLoader, RawLoader, stale_lookback_ns
from twin.batch import ChannelGroup
from twin.clock import PlaybackClock
from twin.status import MIN_STALE_S, STALE_PERIODS
from twin.timebase import NS_PER_S, now_ns

log = logging.getLogger(__name__)

REFRESH_MS = 2000  # how often a live timeline picks up newly recorded spans
# Values at the cursor: data loaded ahead of it while paused or playing slowly (the
# prefetch grows with the replay speed).
VALUES_PREFETCH_NS = NS_PER_S // 2


def _open_read_only(where: str, attempts: int = 5) -> History:
    """Open ``where`` read-only, retrying briefly: a file a recorder created a moment ago
    can fail to open while SQLite is still setting up its write-ahead log."""
    for attempt in range(attempts):
        try:
            return open_history(where, read_only=True)
        except HistoryError:
            if attempt == attempts - 1:
                raise
            time.sleep(0.1 * (attempt + 1))  # start-up only, before any window is shown
    raise AssertionError("unreachable")


def values_feeder(
    history: History,
    groups: Sequence[ChannelGroup],
    horizon: Callable[[], int] | None = None,
) -> ReplayFeeder:
    """A feeder of every signal's raw samples just around the cursor: each group from as
    far back as its last value still counts as current (its stale horizon)."""
    lookbacks = tuple(stale_lookback_ns(g.rate_hz, STALE_PERIODS, MIN_STALE_S) for g in groups)
    loader = RawLoader(tuple(groups), lookbacks)
    return ReplayFeeder(
        history,
        loader,
        span_ns=max(1, loader.lookback),
        prefetch_ns=VALUES_PREFETCH_NS,
        horizon=horizon,
    )


class ReplaySession(QObject):
    """Feeds replay from ``where`` and keeps ``panel`` and ``clock`` in step with it.

    ``live_end``: True while a recorder is adding to the history (the clock's end is the
    live edge); False for a finished recording, whose end is fixed.
    """

    def __init__(
        self,
        where: str,
        groups: Sequence[ChannelGroup],
        clock: PlaybackClock,
        panel: QtReplayPanel,
        live_end: bool,
        writable: History | None = None,
    ) -> None:
        super().__init__(panel)
        self.history = _open_read_only(where)
        horizon = now_ns if live_end else None
        self.feeder = values_feeder(self.history, groups, horizon)
        self.plot_feeder = ReplayFeeder(
            self.history,
            OverviewLoader((), (), NS_PER_S, 1),
            name="replay-plots",
            horizon=horizon,
        )
        self.clock = clock
        self.panel = panel
        self.live_end = live_end
        # Bookmarks need a writable history: the recorder's, when there is one.
        self._bookmarks = Bookmarks(writable) if writable is not None else None
        # When alarms were raised in a range (set by the alarm wiring): timeline markers.
        self.alarm_times: Callable[[int, int], list[int]] = lambda _t0, _t1: []
        self._timer = QTimer(self)
        self._timer.setInterval(REFRESH_MS)
        self._timer.timeout.connect(self.refresh)
        panel.transport.bookmark_requested.connect(self.add_bookmark)
        panel.timeline.bookmark_activated.connect(self.edit_bookmark)
        if not live_end:
            panel.transport.clock_changed.connect(self._stay_in_recording)

    def start(self) -> None:
        self.refresh()
        self._timer.start()

    def close(self) -> None:
        """Stop refreshing and the feeder's thread, then release the history."""
        self._timer.stop()
        self.feeder.close()
        self.plot_feeder.close()
        self.history.close()

    def refresh(self) -> None:
        """Recording range, coverage and bookmarks into the timeline and the clock."""
        try:
            reader = HistoryReader(self.history)
            span = reader.time_range()
            coverage = reader.coverage()
            marks = Bookmarks(self.history).in_range()
            alarms = self.alarm_times(span[0], span[1] + 1) if span else []
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

    def _stay_in_recording(self) -> None:
        """A finished recording has no live edge: "back to live" goes to its end."""
        if self.clock.is_live:
            end = self.panel.timeline.recording_range
            self.clock.seek(end[1] if end else self.clock.now())
            self.clock.pause()

    def edit_bookmark(self, bookmark_id: int) -> None:
        """Double-clicked bookmark: jump to it, rename it or delete it."""
        try:
            mark = Bookmarks(self.history).get(bookmark_id)
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
            button.setEnabled(self._bookmarks is not None)  # read-only recordings
        box.exec()
        if box.clickedButton() is jump:
            self.clock.seek(mark.t)
            self.panel.transport.refresh()
        elif box.clickedButton() is rename and self._bookmarks is not None:
            name, ok = QInputDialog.getText(
                self.panel, self.tr("Rename bookmark"), self.tr("Name:"), text=mark.name
            )
            if ok and name.strip():
                self._bookmarks.rename(bookmark_id, name.strip())
        elif box.clickedButton() is delete and self._bookmarks is not None:
            self._bookmarks.delete(bookmark_id)
        self.refresh()

    def add_bookmark(self, t: int) -> None:
        """Ask for a name, then store a bookmark at ``t``."""
        if self._bookmarks is None:
            QMessageBox.information(
                self.panel,
                self.tr("Bookmark"),
                self.tr("This recording is open read-only; bookmarks cannot be added to it."),
            )
            return
        name, ok = QInputDialog.getText(self.panel, self.tr("Add bookmark"), self.tr("Name:"))
        if ok and name.strip():
            self._bookmarks.add(t, name.strip())
            self.refresh()
