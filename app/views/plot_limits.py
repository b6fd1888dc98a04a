"""A signal's warning and alarm zones behind its curve: tinted bands and dashed limit lines.

One item per plot that paints whatever part of the zones is in view. pyqtgraph's own
InfiniteLine and LinearRegionItem recompute their geometry on every change of the view
range, which is every frame while the plots scroll (five of them per strip cost several
ms a frame for ten strips); this item's bounds never change, so scrolling costs nothing
but the paint.
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import QLineF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QStyleOptionGraphicsItem, QWidget

from app.theme import PLOT_LIMIT_RGB
from twin.plant.model import Signal
from twin.status import State

BAND_ALPHA = 28  # limit bands tint the plot; the curve stays the thing to read
FAR = 1e12  # the outer edge of an alarm band: beyond any reading
_EVERYWHERE = QRectF(-FAR, -FAR, 2 * FAR, 2 * FAR)  # in view coordinates (seconds, value)


def limit_bands(signal: Signal) -> list[tuple[tuple[float, float], State]]:
    """Value ranges of a signal's warning and alarm zones, for shading behind its curve."""
    lim = signal.limits
    bands: list[tuple[tuple[float, float], State]] = []
    if lim.alarm_high is not None:
        bands.append(((lim.alarm_high, FAR), State.ALARM))
    if lim.warn_high is not None:
        bands.append(((lim.warn_high, lim.alarm_high or FAR), State.WARNING))
    if lim.alarm_low is not None:
        bands.append(((-FAR, lim.alarm_low), State.ALARM))
    if lim.warn_low is not None:
        bands.append(
            ((lim.alarm_low if lim.alarm_low is not None else -FAR, lim.warn_low), State.WARNING)
        )
    return bands


def limit_lines(signal: Signal) -> list[tuple[float, State]]:
    """The limit values of a signal, each with the state it starts."""
    lim = signal.limits
    pairs = (
        (lim.warn_high, State.WARNING),
        (lim.warn_low, State.WARNING),
        (lim.alarm_high, State.ALARM),
        (lim.alarm_low, State.ALARM),
    )
    return [(value, state) for value, state in pairs if value is not None]


class LimitZones(pg.GraphicsObject):
    """Bands and dashed lines of one signal's limits, drawn across the plot's view."""

    def __init__(self, signal: Signal) -> None:
        super().__init__()
        self.bands = limit_bands(signal)
        self.lines = limit_lines(signal)
        self.setZValue(-10)  # behind the curve
        self._brushes = {s: QColor(*PLOT_LIMIT_RGB[s], BAND_ALPHA) for s in PLOT_LIMIT_RGB}
        self._pens = {s: self._dashed(PLOT_LIMIT_RGB[s]) for s in PLOT_LIMIT_RGB}

    @staticmethod
    def _dashed(rgb: tuple[int, int, int]) -> QPen:
        pen = QPen(QColor(*rgb), 1, Qt.PenStyle.DashLine)
        pen.setCosmetic(True)  # one pixel wide whatever the view's scale
        return pen

    def boundingRect(self) -> QRectF:
        return _EVERYWHERE

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        box = self.getViewBox()
        if box is None:
            return
        view = box.viewRect()  # x: seconds, y: value, in this item's coordinates
        x0, x1 = view.left(), view.right()
        y0, y1 = view.top(), view.bottom()
        for (lo, hi), state in self.bands:
            a, b = max(lo, y0), min(hi, y1)
            if a < b:
                painter.fillRect(QRectF(x0, a, x1 - x0, b - a), self._brushes[state])
        for value, state in self.lines:
            if y0 <= value <= y1:
                painter.setPen(self._pens[state])
                painter.drawLine(QLineF(x0, value, x1, value))
