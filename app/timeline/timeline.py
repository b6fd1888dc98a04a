"""QtTimeline: the recording at a glance, and the cursor that says which moment is shown.

Rows, top to bottom: local-time axis; the lane (recording range, coverage shaded over
hatched gaps, bookmarks as flags, alarms as ticks, selection, loop); alarms-per-minute
density. Mouse: drag the cursor line to scrub, click to jump, drag empty space (or middle
drag) to pan, wheel to zoom, shift-drag to select a range, double-click a bookmark.
Home shows the whole recording again.

Until the user zooms or pans, the view is *fitted*: all of a finished recording; all of a
growing one, live edge included, in a span with room to grow (the last shift of a long
one) -- see ``axis.fit_view``.

The widget reads the clock and plain data (coverage spans, marks); it never writes the
clock nor touches the history. It *asks* through signals (``seek_requested`` ...), and
whoever owns the clock answers (see ``QtReplayPanel``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import tzinfo
from enum import Enum, auto

import numpy as np
from PySide6.QtCore import QEvent, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QHelpEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import QToolTip, QWidget

from app.frame.builder import Frame
from app.timeline import axis
from app.timeline.axis import TimeScale
from app.timeline.painting import (
    AXIS_H,
    DENSITY_H,
    TimelineScene,
    density_rect,
    lane_rect,
    paint_timeline,
)
from twin.clock import PlaybackClock

MARGIN_X = 6
GRAB_PX = 5  # how near the cursor line a press grabs it
DRAG_PX = 3  # movement before a press becomes a drag
WHEEL_ZOOM = 0.5  # view span factor per wheel notch (120 units): minutes to hours in a few


class _Drag(Enum):
    NONE = auto()
    PRESS = auto()  # left button down on empty space: a click, or a pan once it moves
    PAN = auto()
    CURSOR = auto()
    SELECT = auto()


class QtTimeline(QWidget):
    """Recording range, coverage, bookmarks, alarms and the replay cursor of one clock."""

    seek_requested = Signal(object)  # int ns (object: Qt's int is 32 bits)
    range_selected = Signal(object, object)  # t0, t1 ns
    bookmark_activated = Signal(int)  # bookmark id
    view_changed = Signal(object, object)  # visible t0, t1 ns

    def __init__(
        self, clock: PlaybackClock, tz: tzinfo | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.clock = clock
        self.tz = tz
        self.setMouseTracking(True)  # tooltips and the grab cursor over the line
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMinimumHeight(AXIS_H + DENSITY_H + 40)
        self.follow = True
        """Page the view along when the playing cursor leaves it."""
        self._fit = True  # the view is fitted to the recording until the user moves it
        self._range: tuple[int, int] | None = None
        self._coverage: list[tuple[int, int]] = []
        self._bookmarks: list[tuple[int, int, str]] = []  # (t, id, name) sorted by t
        self._alarms = np.empty(0, np.int64)
        now = clock.now()
        self._view = (now - axis.DEFAULT_SPAN_NS, now)
        self._cursor = now
        self._selection: tuple[int, int] | None = None
        self._drag = _Drag.NONE
        self._press_x = 0.0
        self._press_view = self._view
        self._press_t = 0

    # ------------------------------------------------------------------ data in
    def set_recording_range(self, t0: int, t1: int, fit: bool = False) -> None:
        """What the history holds; ``fit`` (or the first call) shows all of it, and so
        does every call while the user has not zoomed or panned away."""
        first = self._range is None
        self._range = (int(t0), int(max(t0, t1)))
        if first or fit:
            self._fit = True
        if self._fit:
            self._fit_view()
        else:
            self._set_view(*self._view)

    def set_coverage(self, spans: Iterable[tuple[int, int]]) -> None:
        """Spans (t0, t1) where data was recorded; the rest of the range is a gap."""
        self._coverage = sorted((int(a), int(b)) for a, b in spans)
        self.update()

    def set_bookmarks(self, marks: Iterable[tuple[int, int, str]]) -> None:
        """Bookmarks as (id, t, name)."""
        self._bookmarks = sorted((int(t), int(i), str(n)) for i, t, n in marks)
        self.update()

    def set_alarms(self, times: Sequence[int] | np.ndarray) -> None:
        """Alarm event times (ns): markers and the per-minute density strip."""
        self._alarms = np.sort(np.asarray(times, dtype=np.int64))
        self.update()

    def set_view(self, t0: int, t1: int) -> None:
        """Show [t0, t1] (kept within zoom limits and over the recording); the view stays
        there rather than following the recording's growth."""
        self._fit = False
        self._set_view(t0, t1)

    def fit(self) -> None:
        """Show the whole recording (the last shift of a long live one), and keep doing so
        as it grows, until the user zooms or pans."""
        self._fit = True
        self._fit_view()

    @property
    def fitted(self) -> bool:
        """Whether the view is the fitted one (see ``fit``)."""
        return self._fit

    def _fit_view(self) -> None:
        extent = self._extent()
        if extent is not None:
            self._set_view(*axis.fit_view(extent, self._growing()))

    def _growing(self) -> bool:
        """Whether the recording is still being written: the clock's end is the live edge."""
        return self.clock.bounds[1] is None

    def _extent(self) -> tuple[int, int] | None:
        """What the view may show: the recording and, while it grows, up to the cursor
        (the live edge runs ahead of the last flush to the history)."""
        if self._range is None:
            return None
        lo, hi = self._range
        return (lo, max(hi, self._cursor)) if self._growing() else (lo, hi)

    def _set_view(self, t0: int, t1: int) -> None:
        view = axis.clamp_view((int(t0), int(t1)), self._extent())
        if view != self._view:
            self._view = view
            self.view_changed.emit(*view)
        self.update()

    @property
    def view(self) -> tuple[int, int]:
        return self._view

    @property
    def recording_range(self) -> tuple[int, int] | None:
        return self._range

    @property
    def selected_range(self) -> tuple[int, int] | None:
        return self._selection

    def set_selection(self, t0: int, t1: int) -> None:
        self._selection = (min(t0, t1), max(t0, t1))
        self.update()

    def clear_selection(self) -> None:
        self._selection = None
        self.update()

    # ------------------------------------------------------------ cursor updates
    def update_frame(self, frame: Frame) -> None:
        """FrameView: move the cursor to the frame's time (and follow it)."""
        self.set_cursor(frame.cursor_ns)

    def refresh(self) -> None:
        """Re-read the clock now (after a seek, a new loop...) and repaint."""
        self.set_cursor(self.clock.now())
        self.update()

    def set_cursor(self, t: int) -> None:
        moved = round(self.scale().x(t)) != round(self.scale().x(self._cursor))
        self._cursor = int(t)
        if self._drag is _Drag.NONE:  # while dragging, the view holds still under the pointer
            if self._fit and self._range is not None:
                self._fit_view()
            elif self.follow and self.clock.playing:
                self._follow(self._cursor)
        if moved:
            self.update()

    def _follow(self, t: int) -> None:
        t0, t1 = self._view
        if t0 <= t <= t1:
            return
        span = t1 - t0
        lead = span // 10
        # Live: the cursor near the right edge with room for what comes; replay: page on.
        a = t - span + lead if self.clock.is_live else t - lead
        self._set_view(a, a + span)

    # ----------------------------------------------------------------- geometry
    def scale(self) -> TimeScale:
        return TimeScale(*self._view, MARGIN_X, max(1, self.width() - 2 * MARGIN_X))

    def x_of(self, t: int) -> float:
        """Widget x of time ``t``."""
        return self.scale().x(t)

    def t_of(self, x: float) -> int:
        """Time at widget x."""
        return self.scale().t(x)

    def lane_rect(self) -> QRectF:
        return lane_rect(self.width(), self.height())

    def density_rect(self) -> QRectF:
        return density_rect(self.width(), self.height())

    def bookmark_at(self, x: float) -> tuple[int, int, str] | None:
        """(id, t, name) of the bookmark flag nearest x within a few pixels, or None."""
        best = None
        for t, i, name in self._bookmarks:
            d = abs(self.x_of(t) - x)
            if d <= GRAB_PX + 1 and (best is None or d < best[0]):
                best = (d, (i, t, name))
        return None if best is None else best[1]

    def sizeHint(self) -> QSize:
        return QSize(800, AXIS_H + DENSITY_H + 56)

    # -------------------------------------------------------------------- mouse
    def mousePressEvent(self, event: QMouseEvent) -> None:
        x = event.position().x()
        button = event.button()
        self._press_x, self._press_view, self._press_t = x, self._view, self.t_of(x)
        if button == Qt.MouseButton.MiddleButton:
            self._drag = _Drag.PAN
        elif button != Qt.MouseButton.LeftButton:
            return super().mousePressEvent(event)
        elif event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
            self._drag = _Drag.SELECT
            self._selection = None
        elif abs(x - self.x_of(self._cursor)) <= GRAB_PX:
            self._drag = _Drag.CURSOR
            self._seek(self._press_t)
        else:
            self._drag = _Drag.PRESS
        event.accept()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        x = event.position().x()
        if self._drag is _Drag.PRESS and abs(x - self._press_x) >= DRAG_PX:
            self._drag = _Drag.PAN
        if self._drag is _Drag.PAN:
            # Move the view with the pointer: the time under the press stays under it.
            dt = round((self._press_x - x) * self.scale().ns_per_px)
            self.set_view(*axis.pan(self._press_view, dt, self._extent()))
        elif self._drag is _Drag.CURSOR:
            self._seek(self.t_of(x))
        elif self._drag is _Drag.SELECT:
            self.set_selection(self._press_t, self.t_of(x))
        elif self._drag is _Drag.NONE:
            near = abs(x - self.x_of(self._cursor)) <= GRAB_PX
            self.setCursor(Qt.CursorShape.SizeHorCursor if near else Qt.CursorShape.ArrowCursor)
        event.accept()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        x = event.position().x()
        drag, self._drag = self._drag, _Drag.NONE
        if drag is _Drag.PRESS:  # a click: jump there (to a bookmark when on its flag)
            mark = self.bookmark_at(x)
            self._seek(mark[1] if mark is not None else self.t_of(x))
        elif drag is _Drag.CURSOR:
            self._seek(self.t_of(x))
        elif drag is _Drag.SELECT:
            if abs(x - self._press_x) >= DRAG_PX:
                a, b = sorted((self._press_t, self.t_of(x)))
                self.set_selection(a, b)
                self.range_selected.emit(a, b)
            else:
                self.clear_selection()
        event.accept()

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        mark = self.bookmark_at(event.position().x())
        if mark is not None and event.button() == Qt.MouseButton.LeftButton:
            self.bookmark_activated.emit(mark[0])
            event.accept()
            return
        super().mouseDoubleClickEvent(event)

    def wheelEvent(self, event: QWheelEvent) -> None:
        delta = event.angleDelta()
        if delta.y():
            anchor = self.t_of(event.position().x())
            factor = WHEEL_ZOOM ** (delta.y() / 120)
            self.set_view(*axis.zoom(self._view, anchor, factor, self._extent()))
        elif delta.x():  # horizontal scrolling pans a tenth of the view per notch
            dt = round(-(delta.x() / 120) * (self._view[1] - self._view[0]) / 10)
            self.set_view(*axis.pan(self._view, dt, self._extent()))
        event.accept()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Home and not event.modifiers():
            self.fit()
            event.accept()
        else:  # transport keys go on to the panel
            super().keyPressEvent(event)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            assert isinstance(event, QHelpEvent)
            mark = self.bookmark_at(event.pos().x())
            if mark is not None:
                text = self.tr("Bookmark: %1").replace("%1", mark[2])
                text += "\n" + axis.format_time(mark[1], self.tz, ms=False)
                QToolTip.showText(event.globalPos(), text, self)
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().event(event)

    def _seek(self, t: int) -> None:
        extent = self._extent()
        if extent is not None:  # the clock clamps too; this keeps the line honest
            t = min(max(t, extent[0]), extent[1])
        self._cursor = t  # show it at once; the clock's owner makes it true
        self.update()
        self.seek_requested.emit(t)

    # ------------------------------------------------------------------ painting
    def paintEvent(self, event: QPaintEvent) -> None:
        scene = TimelineScene(
            self.width(),
            self.height(),
            self.scale(),
            self.tz,
            self._cursor,
            self._range,
            self._coverage,
            self._bookmarks,
            self._alarms,
            self._selection,
            self.clock.loop,
        )
        p = QPainter(self)
        try:
            paint_timeline(p, scene)
        finally:
            p.end()
