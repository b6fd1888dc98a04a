"""Axes of the plot strips: value ticks that stay readable in a short strip, whole-number
ticks for counters, and the time axis shared by every strip.

pyqtgraph's own tick spacing aims at a tick count that grows with the axis length and
always labels its top level, even when those labels overlap; in a strip a few tens of
pixels high that piles labels on each other. Here the spacing is chosen from the height
of a label instead, so labels keep at least a label's height of air between them.
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Sequence

import numpy as np
import pyqtgraph as pg
from PySide6.QtGui import QFontMetricsF, QResizeEvent
from PySide6.QtWidgets import QGraphicsSceneWheelEvent

from twin.plant.model import Signal

LABEL_PITCH = 1.8  # label heights from one tick label to the next, at least
_MANTISSAS = (1.0, 2.0, 5.0)

# Units that count things: a signal in one of them takes whole numbers.
COUNT_UNITS = frozenset(
    {
        "#",
        "0/1",
        "count",
        "counts",
        "cycles",
        "items",
        "panels",
        "parts",
        "pcs",
        "pieces",
        "strokes",
        "units",
    }
)


def counts_by_definition(signal: Signal) -> bool:
    """Whether the plant file says the signal takes whole numbers (a count unit)."""
    return signal.unit.strip().lower() in COUNT_UNITS


def all_whole(values: np.ndarray) -> bool:
    """True when every finite value is a whole number (NaN marks gaps, not values)."""
    finite = values[np.isfinite(values)]
    return bool(np.all(finite == np.floor(finite)))


def nice_step(span: float, length_px: float, min_gap_px: float, whole: bool) -> float:
    """The smallest 1-2-5 step whose ticks are at least ``min_gap_px`` apart on an axis
    ``length_px`` long showing ``span`` units; at least 1 when ``whole``."""
    if span <= 0 or not math.isfinite(span) or length_px <= 0:
        return 1.0
    least = span * min_gap_px / length_px  # the step that puts ticks exactly min_gap apart
    if whole:
        least = max(least, 1.0)
    exponent = math.floor(math.log10(least))
    for power in (exponent, exponent + 1):
        for mantissa in _MANTISSAS:
            step = mantissa * 10.0**power
            if step >= least * (1 - 1e-9):
                return step
    return 10.0 ** (exponent + 1)  # unreachable: 10^(e+1) >= least always


def tick_labels(values: Sequence[float], step: float, whole: bool) -> list[str]:
    """Labels with as many decimals as the step needs (none for whole numbers)."""
    places = 0 if whole or step >= 1 else min(9, math.ceil(-math.log10(step) - 1e-9))
    return [f"{v:.{places}f}" if abs(v) >= step / 2 else "0" for v in values]


class ValueAxis(pg.AxisItem):
    """The left axis of one strip: one level of ticks, spaced by the height of a label."""

    def __init__(self, whole: bool = False) -> None:
        super().__init__("left")
        self.whole = whole
        """Whole-number ticks and labels (a counter)."""

    def set_whole(self, whole: bool) -> None:
        if whole != self.whole:
            self.whole = whole
            self.picture = None  # pyqtgraph's cached drawing of the ticks
            self.update()

    def label_height(self) -> float:
        font = self.style["tickFont"] or self.font()
        return QFontMetricsF(font).height()

    def tickValues(
        self, minVal: float, maxVal: float, size: float
    ) -> list[tuple[float, list[float]]]:
        lo, hi = sorted((minVal, maxVal))
        step = nice_step(hi - lo, size, self.label_height() * LABEL_PITCH, self.whole)
        first = math.ceil(lo / step - 1e-9)
        last = math.floor(hi / step + 1e-9)
        return [(step, [i * step for i in range(first, last + 1)])]

    def tickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:
        return tick_labels([v * scale for v in values], spacing * scale, self.whole)

    def wheelEvent(self, event: QGraphicsSceneWheelEvent) -> None:
        # The wheel scrolls the panel of strips; it does not zoom a strip's values.
        event.ignore()


class QtTimeAxis(pg.GraphicsLayoutWidget):
    """The strips' shared time axis, pinned under them (outside their scroll area, so it
    never scrolls out of sight) and kept exactly as wide as the strips' plot areas."""

    def __init__(self) -> None:
        self._view: pg.ViewBox | None = None
        super().__init__()
        self.axis = pg.DateAxisItem(orientation="bottom")
        self.ci.layout.setContentsMargins(0, 0, 0, 0)
        self.ci.addItem(self.axis, 0, 0)
        self.setFixedHeight(round(self.axis.height()) + 2)

    def follow(self, view: pg.ViewBox | None) -> None:
        """Show the time range of ``view`` (None: no strips, nothing to show)."""
        if self._view is not None:
            # RuntimeError/TypeError: the view's plot was cleared away with its signals.
            with contextlib.suppress(RuntimeError, TypeError):
                self._view.sigResized.disconnect(self.align)
        self._view = view
        if view is None:
            self.axis.unlinkFromView()
            self.hide()
            return
        self.axis.linkToView(view)
        view.sigResized.connect(self.align)
        self.show()
        self.align()

    def align(self) -> None:
        """Put the axis under the followed view box, pixel for pixel."""
        view = self._view
        scene_view = None if view is None else view.getViewWidget()
        if view is None or scene_view is None:
            return
        box = scene_view.mapFromScene(view.sceneBoundingRect()).boundingRect()
        left = self.mapFromGlobal(scene_view.mapToGlobal(box.topLeft())).x()
        right = self.mapFromGlobal(scene_view.mapToGlobal(box.topRight())).x()
        self.ci.layout.setContentsMargins(max(0, left), 0, max(0, self.width() - right - 1), 0)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.align()
