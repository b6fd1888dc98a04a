"""QtReplayPanel: the timeline above the transport bar, wired to one clock.

The panel is the owner that answers the timeline's requests: a seek moves the clock, a
selected range becomes what L loops. Transport keys pressed anywhere in the panel (the
timeline included) reach the transport bar.
"""

from __future__ import annotations

from datetime import tzinfo

from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QVBoxLayout, QWidget

from app.frame.builder import Frame
from app.timeline.timeline import QtTimeline
from app.timeline.transport import QtTransportBar
from twin.clock import PlaybackClock


class QtReplayPanel(QWidget):
    """Timeline + transport bar for one PlaybackClock."""

    def __init__(
        self, clock: PlaybackClock, tz: tzinfo | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.clock = clock
        self.timeline = QtTimeline(clock, tz)
        self.transport = QtTransportBar(clock, tz)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.timeline)
        layout.addWidget(self.transport)
        self.timeline.seek_requested.connect(self._seek)
        self.timeline.range_selected.connect(self.transport.set_loop_range)
        self.transport.clock_changed.connect(self.timeline.refresh)

    def _seek(self, t: int) -> None:
        self.clock.seek(t)
        self.transport.refresh()

    def update_frame(self, frame: Frame) -> None:
        """FrameView: both halves follow the frame's cursor."""
        self.timeline.update_frame(frame)
        self.transport.update_frame(frame)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # Keys the timeline does not use propagate here from it.
        if not self.transport.handle_key(event.key(), event.modifiers()):
            super().keyPressEvent(event)
