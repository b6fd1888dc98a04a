"""The timeline of a trainee's session: the lesson's range up to the furthest moment
reached, the alarms raised so far, the trainee's bookmarks.

It stands in for ``app.timeline.session.TimelineSession``, which shows all of a
recording. The trainee's bookmarks (B, with a name: the comment) belong to the session:
they are logged as actions and drawn as flags, never written into the lesson's history,
which the next trainee replays too.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QInputDialog

from app.timeline.panel import QtReplayPanel
from app.training.lock import TrainingClock


class TraineeTimeline(QObject):
    """Keeps ``panel``'s timeline at [start_ns, the clock's limit]."""

    bookmarked = Signal(object, str)  # t ns, name

    def __init__(
        self,
        panel: QtReplayPanel,
        clock: TrainingClock,
        start_ns: int,
        alarm_times: Callable[[], list[int]],
    ) -> None:
        super().__init__(panel)
        self.panel = panel
        self.clock = clock
        self.start_ns = start_ns
        self.alarm_times = alarm_times
        self.bookmarks: list[tuple[int, int, str]] = []  # (id, t, name)
        self._shown: tuple[int, int] | None = None  # (end, alarms) last drawn
        panel.transport.bookmark_requested.connect(self.ask_bookmark)

    def refresh(self, end_ns: int) -> None:
        """Show the lesson up to ``end_ns`` (cheap when nothing changed)."""
        alarms = [t for t in self.alarm_times() if t <= end_ns]
        if self._shown == (end_ns, len(alarms)):
            return
        self._shown = (end_ns, len(alarms))
        timeline = self.panel.timeline
        timeline.set_recording_range(self.start_ns, max(end_ns, self.start_ns + 1))
        timeline.set_coverage([(self.start_ns, end_ns)])
        timeline.set_alarms(alarms)
        timeline.set_bookmarks([b for b in self.bookmarks if b[1] <= end_ns])
        self.clock.set_marks(sorted([b[1] for b in self.bookmarks] + alarms))

    def ask_bookmark(self, t: int) -> None:
        """B: a bookmark at ``t`` with a name (the trainee's comment)."""
        name, ok = QInputDialog.getText(
            self.panel, self.tr("Add bookmark"), self.tr("Comment for the bookmark:")
        )
        if ok and name.strip():
            self.add_bookmark(t, name.strip())

    def add_bookmark(self, t: int, name: str) -> None:
        self.bookmarks.append((len(self.bookmarks) + 1, int(t), name))
        self._shown = None
        self.bookmarked.emit(int(t), name)
