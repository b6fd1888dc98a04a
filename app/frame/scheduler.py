"""One timer drives every redraw; a tick that finds the previous frame unfinished is dropped."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Protocol

from PySide6.QtCore import QObject, QTimer, Signal

from app.frame.builder import Frame, FrameBuilder

DEFAULT_FPS = 30


class FrameView(Protocol):
    def update_frame(self, frame: Frame) -> None: ...


class FrameScheduler(QObject):
    """Builds one :class:`Frame` per tick of a single QTimer and hands it to each view."""

    frame_drawn = Signal(object)  # the Frame just drawn

    def __init__(
        self,
        builder: FrameBuilder,
        clock: Callable[[], int],
        fps: int = DEFAULT_FPS,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.builder = builder
        self.clock = clock
        self._views: list[FrameView] = []
        self._timer = QTimer(self)
        self._timer.setInterval(max(1, round(1000 / fps)))
        self._timer.timeout.connect(self.tick)
        self._busy = False
        self.frames = 0
        self.dropped = 0
        self.waiting = 0  # ticks that found replay data still loading
        self.last_frame_ms = 0.0
        self.last_frame: Frame | None = None

    def add_view(self, view: FrameView) -> None:
        self._views.append(view)

    def remove_view(self, view: FrameView) -> None:
        """Stop handing frames to ``view`` (a window closed); no error if it had none."""
        if view in self._views:
            self._views.remove(view)

    @property
    def views(self) -> list[FrameView]:
        return list(self._views)

    def start(self) -> None:
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    @property
    def active(self) -> bool:
        return self._timer.isActive()

    def tick(self) -> None:
        """Draw one frame now, unless one is still being drawn (then the tick is dropped)."""
        if self._busy:
            self.dropped += 1
            return
        self._busy = True
        started = time.perf_counter()
        try:
            frame = self.builder.build(self.clock())
            if frame is None:  # replay data still loading: keep showing the last frame
                self.waiting += 1
                return
            for view in self._views:
                view.update_frame(frame)
            self.last_frame = frame
            self.frames += 1
        finally:
            self._busy = False
            self.last_frame_ms = (time.perf_counter() - started) * 1000
        self.frame_drawn.emit(frame)
