"""Marked frequencies on the spectrum and the waterfall: a labelled line per mark.

Labels that would overlap at the current zoom are stacked in rows from the top of the
plot (2x and BSF of a 4-pole motor are a few hertz apart), recomputed whenever the view's
range or size changes.
"""

from __future__ import annotations

from collections.abc import Sequence

import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont

from twin.condition.marks import Mark

FAMILY_RGB = {
    "shaft": (200, 204, 208),
    "bearing": (255, 176, 0),
    "supply": (128, 192, 255),
    "sideband": (64, 224, 208),
}
LABEL_GAP_PX = 6  # between two labels in a row
LABEL_FONT_PT = 9
MOVE_HZ = 0.05  # a mark moves when the speed changed by more (a tenth of a spectrum bin)


def label_rows(centres_px: Sequence[float], widths_px: Sequence[float]) -> list[int]:
    """A row for each label (centred at ``centres_px``, sorted) so that no two labels in a
    row overlap: each takes the first row where it clears the previous label."""
    right: list[float] = []  # right edge of the last label in each row
    rows = []
    for centre, width in zip(centres_px, widths_px, strict=True):
        left = centre - width / 2
        row = next((r for r, edge in enumerate(right) if edge + LABEL_GAP_PX <= left), None)
        if row is None:
            row = len(right)
            right.append(0.0)
        right[row] = centre + width / 2
        rows.append(row)
    return rows


class MarkLines:
    """One vertical line per mark in ``plot`` (labelled when ``labelled``)."""

    def __init__(self, plot: pg.PlotItem, labelled: bool) -> None:
        self.plot = plot
        self.labelled = labelled
        self.marks: tuple[Mark, ...] = ()
        self.lines: list[pg.InfiniteLine] = []
        self.rows: list[int] = []
        self._font = QFont()
        self._font.setPointSize(LABEL_FONT_PT)
        if labelled:
            plot.vb.sigRangeChanged.connect(self.restack)
            plot.vb.sigResized.connect(self.restack)

    def set_marks(self, marks: tuple[Mark, ...]) -> None:
        """Show ``marks`` (sorted by frequency): lines moved where the labels are the same,
        remade otherwise; left alone while none moved by MOVE_HZ (moving a labelled line
        costs more than the rest of an update)."""
        same = [m.label for m in marks] == [m.label for m in self.marks]
        if same and all(abs(a.hz - b.hz) < MOVE_HZ for a, b in zip(marks, self.marks, strict=True)):
            return
        if same:
            for line, mark in zip(self.lines, marks, strict=True):
                line.setValue(mark.hz)
        else:
            for line in self.lines:
                self.plot.removeItem(line)
            self.lines = [self._line(m) for m in marks]
        self.marks = marks
        self.restack()

    def _line(self, mark: Mark) -> pg.InfiniteLine:
        r, g, b = FAMILY_RGB.get(mark.family, FAMILY_RGB["shaft"])
        alpha = 200 if self.labelled else 110
        pen = pg.mkPen((r, g, b, alpha), width=1, style=Qt.PenStyle.DashLine)
        if not self.labelled:
            line = pg.InfiniteLine(mark.hz, angle=90, pen=pen, movable=False)
        else:
            line = pg.InfiniteLine(
                mark.hz,
                angle=90,
                pen=pen,
                movable=False,
                label=mark.label,
                labelOpts={"position": 0.95, "color": (r, g, b), "fill": (22, 25, 29, 200)},
            )
            line.label.setFont(self._font)
        self.plot.addItem(line, ignoreBounds=True)
        return line

    def restack(self, *_: object) -> None:
        """Put overlapping labels in rows below one another, at the view's zoom."""
        if not self.labelled or not self.lines:
            return
        vb = self.plot.vb
        (x0, _), _ = vb.viewRange()
        upp, _ = vb.viewPixelSize()
        height = max(vb.height(), 1.0)
        if upp <= 0:
            return
        centres = [(m.hz - x0) / upp for m in self.marks]
        boxes = [line.label.boundingRect() for line in self.lines]  # in pixels: unscaled
        self.rows = label_rows(centres, [b.width() for b in boxes])
        step = max((b.height() for b in boxes), default=0.0) + 1
        for line, row in zip(self.lines, self.rows, strict=True):
            frac = 1.0 - (row + 0.5) * step / height - 0.02
            line.label.setPosition(max(0.05, frac))
