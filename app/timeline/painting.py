"""Painting the timeline from a plain snapshot of what it shows (no widget state here)."""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from datetime import tzinfo

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPen, QPolygonF

from app.theme import PLOT_BACKGROUND, PLOT_FOREGROUND, SELECTION_RGB, STATE_RGB
from app.timeline import axis
from app.timeline.axis import TimeScale
from twin.status import State

COVERAGE_RGB = (46, 92, 122)  # recorded data
GAP_RGB = (35, 39, 45)  # inside the recording range, but nothing recorded
HATCH_RGB = (52, 57, 64)
CURSOR_RGB = SELECTION_RGB
BOOKMARK_RGB = (174, 213, 129)
ALARM_RGB = STATE_RGB[State.ALARM]  # alarms keep the one colour they have everywhere
LOOP_RGB = STATE_RGB[State.WARNING]
TICK_RGB = (58, 64, 72)

AXIS_H = 18
DENSITY_H = 12


@dataclass(frozen=True, slots=True)
class TimelineScene:
    """Everything one paint of the timeline needs."""

    width: int
    height: int
    scale: TimeScale
    tz: tzinfo | None
    cursor: int
    recording: tuple[int, int] | None
    coverage: list[tuple[int, int]]
    bookmarks: list[tuple[int, int, str]]  # (t, id, name), sorted by t
    alarms: np.ndarray  # sorted int64 ns
    selection: tuple[int, int] | None
    loop: tuple[int, int] | None

    @property
    def lane(self) -> QRectF:
        return lane_rect(self.width, self.height)

    @property
    def strip(self) -> QRectF:
        return density_rect(self.width, self.height)


def lane_rect(width: int, height: int) -> QRectF:
    return QRectF(0, AXIS_H, width, height - AXIS_H - DENSITY_H - 2)


def density_rect(width: int, height: int) -> QRectF:
    return QRectF(0, height - DENSITY_H, width, DENSITY_H)


def _rgb(rgb: tuple[int, int, int], alpha: int = 255) -> QColor:
    return QColor(rgb[0], rgb[1], rgb[2], alpha)


def paint_timeline(p: QPainter, s: TimelineScene) -> None:
    p.fillRect(QRectF(0, 0, s.width, s.height), QColor(PLOT_BACKGROUND))
    _paint_lane(p, s)
    _paint_axis(p, s)
    _paint_alarms(p, s)
    _paint_bookmarks(p, s)
    _paint_cursor(p, s)


def _span_rect(scale: TimeScale, a: int, b: int, rect: QRectF) -> QRectF | None:
    """[a, b] as a rect of ``rect``'s height, at least a pixel wide; None when unseen."""
    x0 = max(scale.x(a), rect.left() - 1)
    x1 = min(scale.x(b), rect.right() + 1)
    if x1 < rect.left() or x0 > rect.right():
        return None
    return QRectF(x0, rect.top(), max(1.0, x1 - x0), rect.height())


def _paint_lane(p: QPainter, s: TimelineScene) -> None:
    lane = s.lane
    if s.recording is not None:
        r = _span_rect(s.scale, *s.recording, lane)
        if r is not None:  # gaps: the range, hatched; coverage is painted over it
            p.fillRect(r, _rgb(GAP_RGB))
            p.fillRect(r, QBrush(_rgb(HATCH_RGB), Qt.BrushStyle.BDiagPattern))
    for a, b in s.coverage:
        r = _span_rect(s.scale, a, b, lane)
        if r is not None:
            p.fillRect(r, _rgb(COVERAGE_RGB))
    if s.loop is not None:
        r = _span_rect(s.scale, *s.loop, lane)
        if r is not None:
            p.fillRect(r, _rgb(LOOP_RGB, 40))
            p.fillRect(QRectF(r.left(), lane.top(), r.width(), 3), _rgb(LOOP_RGB))
    if s.selection is not None:
        r = _span_rect(s.scale, *s.selection, lane)
        if r is not None:
            p.fillRect(r, QColor(255, 255, 255, 40))
            p.setPen(QPen(QColor(255, 255, 255, 140), 1))
            p.drawRect(r.adjusted(0, 0, -1, -1))


def _paint_axis(p: QPainter, s: TimelineScene) -> None:
    fm = p.fontMetrics()
    for t, label in axis.time_ticks(s.scale, s.tz, fm.horizontalAdvance):
        x = round(s.scale.x(t))
        p.setPen(_rgb(TICK_RGB))
        p.drawLine(x, AXIS_H - 4, x, AXIS_H)
        left = round(x - fm.horizontalAdvance(label) / 2)
        if left < 0 or left + fm.horizontalAdvance(label) > s.width:
            continue  # a label the edge would cut: its tick says enough
        p.setPen(QColor(PLOT_FOREGROUND))
        p.drawText(left, AXIS_H - 6, label)
    y = round(s.lane.bottom()) + 1
    p.setPen(_rgb(TICK_RGB))
    p.drawLine(0, y, s.width, y)


def _paint_alarms(p: QPainter, s: TimelineScene) -> None:
    times, scale = s.alarms, s.scale
    if times.size == 0:
        return
    i = int(np.searchsorted(times, scale.t0, "left"))
    j = int(np.searchsorted(times, scale.t1, "right"))
    xs = np.unique(np.round(scale.x0 + (times[i:j] - scale.t0) / scale.ns_per_px))
    p.setPen(QPen(_rgb(ALARM_RGB), 1))
    bottom = round(s.lane.bottom())
    for x in xs.astype(int).tolist():  # one tick per pixel column, however many alarms
        p.drawLine(x, bottom - 6, x, bottom)
    strip = s.strip
    # Bins start with the recording and are cut at its ends: no bar claims time before
    # anything was recorded.
    lo, hi = s.recording if s.recording is not None else (0, axis.FAR_FUTURE_NS)
    starts, rates, width = axis.alarm_density(times, scale, origin=lo)
    heights = axis.density_fraction(rates) * strip.height()
    for a, h in zip(starts.tolist(), heights.tolist(), strict=True):
        b = a + round(width)
        if a < hi:  # (a bin past the end holds alarms journaled after the last flush)
            b = min(b, hi)
        r = _span_rect(scale, max(a, lo), b, strip)
        if r is not None:
            p.fillRect(QRectF(r.left(), strip.bottom() - h, r.width(), h), _rgb(ALARM_RGB))


def _paint_bookmarks(p: QPainter, s: TimelineScene) -> None:
    lane, scale = s.lane, s.scale
    times = [t for t, _, _ in s.bookmarks]
    lo, hi = bisect.bisect_left(times, scale.t0), bisect.bisect_right(times, scale.t1)
    top = lane.top()
    for t in times[lo:hi]:
        x = scale.x(t)
        p.setPen(QPen(_rgb(BOOKMARK_RGB, 120), 1))
        p.drawLine(QPointF(x, top), QPointF(x, lane.bottom()))
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(_rgb(BOOKMARK_RGB))
        p.drawPolygon(QPolygonF([QPointF(x - 5, top), QPointF(x + 5, top), QPointF(x, top + 7)]))


def _paint_cursor(p: QPainter, s: TimelineScene) -> None:
    x = s.scale.x(s.cursor)
    if not -8 <= x <= s.width + 8:
        return
    colour = _rgb(CURSOR_RGB)
    p.setPen(QPen(colour, 2))
    p.drawLine(QPointF(x, AXIS_H - 2), QPointF(x, s.height))
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(colour)
    p.drawPolygon(QPolygonF([QPointF(x - 5, 0), QPointF(x + 5, 0), QPointF(x, 7)]))
