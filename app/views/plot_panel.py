"""Live plots of the selected asset's signals: one strip per signal, shared time axis.

Each strip keeps a readable height (the strips scroll when they do not all fit), its value
axis labels only as many ticks as fit without crowding, and the time axis is pinned under
the scroll area so it stays in view whichever strips are scrolled to.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Signal as QtSignal
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.core_text import word
from app.frame.builder import Frame
from app.spans import DEFAULT_SPAN_S, SPANS_S
from app.theme import PLOT_BACKGROUND, PLOT_FOREGROUND, PLOT_PENS
from app.views.plot_axes import QtTimeAxis, ValueAxis, all_whole, counts_by_definition
from app.views.plot_limits import LimitZones
from twin.plant.model import Plant, Signal
from twin.timebase import NS_PER_S
from twin.values import to_float

MIN_STRIP_PX = 100  # a strip (title and plot) never gets shorter: 3-4 value labels fit
STRIP_GAP_PX = 2
STRIPS_MARGINS_PX = (2, 2, 8, 2)  # left, top, right, bottom around the strips


class _Strip:
    """One plot, its curve and its value axis for one signal."""

    def __init__(self, plot: pg.PlotItem, signal: Signal, pen: str, axis: ValueAxis) -> None:
        self.plot = plot
        self.signal = signal
        self.axis = axis
        # A 1-px cosmetic pen: wider pens take a much slower stroking path in Qt raster.
        self.curve = plot.plot(pen=pg.mkPen(pen, width=1), connect="finite")
        # A count unit settles it; otherwise whole-number ticks last while the data has
        # only whole numbers (a counter, an on/off state) and stop at the first fraction.
        self._watch_data = not axis.whole

    def set_data(self, x: np.ndarray, v: np.ndarray) -> None:
        self.curve.setData(x, v)
        if self._watch_data and v.size:
            whole = all_whole(v)
            self._watch_data = whole
            self.axis.set_whole(whole)

    @property
    def whole(self) -> bool:
        """Whether the strip shows whole numbers (ticks and their labels)."""
        return self.axis.whole


class _StripsView(pg.GraphicsLayoutWidget):
    """The strips, one per row. A wheel turn that no strip takes scrolls the panel: said
    here rather than left to Qt's propagation to the scroll area, which it skips for
    synthesized events (touch-pad gestures turned into wheel steps, tests)."""

    def __init__(self, scroll: QScrollArea) -> None:
        super().__init__()
        self._scroll = scroll

    def wheelEvent(self, event: QWheelEvent) -> None:
        super().wheelEvent(event)
        if not event.isAccepted():
            QApplication.sendEvent(self._scroll.verticalScrollBar(), event)


class QtPlotPanel(QWidget):
    """Strip charts for one asset over [cursor - span, cursor], read from the frame's store."""

    span_changed = QtSignal(int)  # seconds shown
    signals_changed = QtSignal(tuple)  # ids of the signals plotted

    def __init__(self, plant: Plant, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plant = plant
        self.span_s = DEFAULT_SPAN_S
        self.asset_id: str | None = None
        self._strips: list[_Strip] = []
        pg.setConfigOptions(antialias=False, background=PLOT_BACKGROUND, foreground=PLOT_FOREGROUND)
        self._title = QLabel(self.tr("Select an asset to plot its signals"))
        self._span = QComboBox()
        for span in SPANS_S:
            self._span.addItem(self._span_text(span), span)
        self._span.setCurrentIndex(SPANS_S.index(DEFAULT_SPAN_S))
        self._span.setToolTip(
            self.tr(
                "Time span shown in the plots (Ctrl+- / Ctrl++ zoom out / in). Long spans "
                "are read from the recording, with every peak kept."
            )
        )
        self._span.currentIndexChanged.connect(self._on_span)
        self.scroll_area = QScrollArea()  # strips keep a readable height; the panel scrolls instead
        self.graphics = _StripsView(self.scroll_area)
        self.graphics.ci.setContentsMargins(*STRIPS_MARGINS_PX)
        self.graphics.ci.layout.setVerticalSpacing(STRIP_GAP_PX)
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QScrollArea.Shape.NoFrame)
        self.scroll_area.setWidget(self.graphics)
        self.time_axis = QtTimeAxis()
        self.time_axis.hide()
        header = QHBoxLayout()
        header.addWidget(self._title, 1)
        header.addWidget(self._span)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(2)
        layout.addLayout(header)
        layout.addWidget(self.scroll_area, 1)
        layout.addWidget(self.time_axis)

    def _span_text(self, seconds: int) -> str:
        if seconds >= 3600:
            return self.tr("Last %n h", "", seconds // 3600)
        if seconds >= 60:
            return self.tr("Last %n min", "", seconds // 60)
        return self.tr("Last %n s", "", seconds)

    def zoom(self, steps: int) -> None:
        """Show a longer (``steps`` > 0) or shorter span, ``steps`` places along SPANS_S."""
        index = min(max(self._span.currentIndex() + steps, 0), len(SPANS_S) - 1)
        self._span.setCurrentIndex(index)

    def set_span_s(self, seconds: int) -> None:
        """Show ``seconds`` (one of SPANS_S)."""
        self._span.setCurrentIndex(SPANS_S.index(seconds))

    @property
    def plotted(self) -> tuple[str, ...]:
        """Ids of the signals plotted, top to bottom."""
        return tuple(s.signal.id for s in self._strips)

    @property
    def curves(self) -> dict[str, pg.PlotDataItem]:
        """Signal id -> its curve (for tests and tools)."""
        return {s.signal.id: s.curve for s in self._strips}

    def set_asset(self, asset_id: str | None) -> None:
        """Show the signals of ``asset_id`` (None clears the panel)."""
        self.asset_id = asset_id
        self.time_axis.follow(None)
        self.graphics.clear()
        self._strips = []
        if asset_id is None or not self.plant.has_asset(asset_id):
            self._title.setText(self.tr("Select an asset to plot its signals"))
            self.signals_changed.emit(())
            return
        asset = self.plant.asset(asset_id)
        n = len(asset.signals)
        _, top, _, bottom = STRIPS_MARGINS_PX
        self.graphics.setMinimumHeight(n * MIN_STRIP_PX + (n - 1) * STRIP_GAP_PX + top + bottom)
        self._title.setText(f"<b>{asset.name}</b> · {word(asset.kind)}")
        for row, signal in enumerate(asset.signals):
            axis = ValueAxis(whole=counts_by_definition(signal))
            plot = self._make_plot(signal, axis)
            if self._strips:
                plot.setXLink(self._strips[0].plot)
            self._strips.append(_Strip(plot, signal, PLOT_PENS[row % len(PLOT_PENS)], axis))
        self.time_axis.follow(self._strips[0].plot.vb if self._strips else None)
        self.signals_changed.emit(self.plotted)

    def scroll_to(self, signal_id: str) -> bool:
        """Scroll the strips to ``signal_id``'s; False when it is not plotted."""
        for strip in self._strips:
            if strip.signal.id == signal_id:
                rect = strip.plot.mapRectToScene(strip.plot.boundingRect())
                half = int(rect.height() / 2)
                self.scroll_area.ensureVisible(0, int(rect.center().y()), 0, half)
                return True
        return False

    def _make_plot(self, signal: Signal, axis: ValueAxis) -> pg.PlotItem:
        plot = self.graphics.addPlot(row=len(self._strips), col=0, axisItems={"left": axis})
        plot.setMinimumHeight(MIN_STRIP_PX)
        # Set on the plot item: per-curve settings are overridden by it.
        plot.setDownsampling(auto=True, mode="peak")
        plot.setClipToView(True)
        plot.setMenuEnabled(False)
        # The cursor and span set x, the data sets y: the wheel scrolls the strips instead.
        plot.setMouseEnabled(x=False, y=False)
        plot.hideButtons()
        # No grid, and no time axis in the strips (one is pinned under them): axes repaint
        # on every frame (the x range moves with the cursor), and a grid is drawn by its
        # axis across the whole plot; the limit bands give the curve its reference instead.
        plot.hideAxis("bottom")
        axis.setWidth(70)
        self._set_title(plot, signal)
        plot.addItem(LimitZones(signal), ignoreBounds=True)
        lo, hi = signal.normal
        plot.setYRange(lo, hi, padding=0.05)
        plot.enableAutoRange(axis="y", enable=True)
        return plot

    @staticmethod
    def _set_title(plot: pg.PlotItem, signal: Signal) -> None:
        """The signal's name and unit above its strip, in a row no taller than the text
        (pyqtgraph reserves 30 px for a title: a third of a strip)."""
        unit = f" [{signal.unit}]" if signal.unit else ""
        plot.setTitle(f"{signal.name}{unit}", size="9pt", justify="left")
        label = plot.titleLabel
        label.item.document().setDocumentMargin(1)
        height = label.item.boundingRect().height()
        label.setMinimumHeight(height)
        label.setMaximumHeight(height)
        plot.layout.setRowFixedHeight(0, height)

    def _on_span(self, index: int) -> None:
        self.span_s = int(self._span.itemData(index))
        self.span_changed.emit(self.span_s)

    def update_frame(self, frame: Frame) -> None:
        """Redraw each strip with the samples in [cursor - span, cursor]."""
        if not self._strips or not self.isVisible():
            return
        t1 = frame.cursor_ns
        t0 = t1 - self.span_s * NS_PER_S
        store = frame.plots
        for strip in self._strips:
            if strip.signal.id not in store:  # a frame built before the selection changed
                continue
            t, v = store.snapshot_window(strip.signal.id, t0, t1)
            x = t.astype(np.float64) / NS_PER_S  # float64 x: float32 makes clip-to-view slow
            # to_float: an int64 counter's "no value" (NO_INT) is a gap, not -9.2e18.
            strip.set_data(x, to_float(v).astype(np.float64, copy=False))
        self._strips[0].plot.setXRange(t0 / NS_PER_S, t1 / NS_PER_S, padding=0)
