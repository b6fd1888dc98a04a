"""Live plots of the selected asset's signals: one strip per signal, shared time axis."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Signal as QtSignal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QScrollArea, QVBoxLayout, QWidget

from app.frame.builder import Frame
from app.spans import DEFAULT_SPAN_S, SPANS_S
from app.theme import PLOT_BACKGROUND, PLOT_FOREGROUND, PLOT_PENS
from app.views.plot_limits import LimitZones
from twin.plant.model import Plant, Signal
from twin.timebase import NS_PER_S

MIN_STRIP_PX = 70


class _Strip:
    """One plot and its curve for one signal."""

    def __init__(self, plot: pg.PlotItem, signal: Signal, pen: str) -> None:
        self.plot = plot
        self.signal = signal
        # A 1-px cosmetic pen: wider pens take a much slower stroking path in Qt raster.
        self.curve = plot.plot(pen=pg.mkPen(pen, width=1), connect="finite")


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
        self.graphics = pg.GraphicsLayoutWidget()
        scroll = QScrollArea()  # strips keep a readable height; the panel scrolls instead
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(self.graphics)
        header = QHBoxLayout()
        header.addWidget(self._title, 1)
        header.addWidget(self._span)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(header)
        layout.addWidget(scroll, 1)

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
        self.graphics.clear()
        self._strips = []
        if asset_id is None or not self.plant.has_asset(asset_id):
            self._title.setText(self.tr("Select an asset to plot its signals"))
            self.signals_changed.emit(())
            return
        asset = self.plant.asset(asset_id)
        self.graphics.setMinimumHeight(MIN_STRIP_PX * len(asset.signals))
        self._title.setText(f"<b>{asset.name}</b> · {asset.kind}")
        first: pg.PlotItem | None = None
        for row, signal in enumerate(asset.signals):
            plot = self._make_plot(signal, row == len(asset.signals) - 1)
            if first is None:
                first = plot
            else:
                plot.setXLink(first)
            self._strips.append(_Strip(plot, signal, PLOT_PENS[row % len(PLOT_PENS)]))
        self.signals_changed.emit(self.plotted)

    def _make_plot(self, signal: Signal, bottom: bool) -> pg.PlotItem:
        axis = pg.DateAxisItem(orientation="bottom")
        plot = self.graphics.addPlot(row=len(self._strips), col=0, axisItems={"bottom": axis})
        # Set on the plot item: per-curve settings are overridden by it.
        plot.setDownsampling(auto=True, mode="peak")
        plot.setClipToView(True)
        plot.setMenuEnabled(False)
        # No grid, and a time axis under the bottom strip only: axes repaint on every
        # frame (the x range moves with the cursor), and a grid is drawn by its axis
        # across the whole plot; the limit bands give the curve its reference instead.
        if not bottom:
            plot.hideAxis("bottom")
        plot.setLabel("left", signal.name, units=None)
        plot.getAxis("left").setWidth(70)
        unit = f" [{signal.unit}]" if signal.unit else ""
        plot.setTitle(f"{signal.name}{unit}", size="9pt", justify="left")
        plot.getAxis("left").setLabel("")
        plot.addItem(LimitZones(signal), ignoreBounds=True)
        lo, hi = signal.normal
        plot.setYRange(lo, hi, padding=0.05)
        plot.enableAutoRange(axis="y", enable=True)
        return plot

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
            strip.curve.setData(x, v.astype(np.float64, copy=False))
        if self._strips:
            self._strips[0].plot.setXRange(t0 / NS_PER_S, t1 / NS_PER_S, padding=0)
