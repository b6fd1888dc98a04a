"""The Spectrum panel: the spectrum and the waterfall of the selected asset's waveform
channel at the cursor, with the shaft harmonics and bearing defect frequencies marked (the
supply line and rotor-bar sidebands for a current).

It reads the samples through the session's series reader (``twin.condition.waterfall``),
as the frames do, so a replay shows what live showed at the same moment. It updates at most
UPDATE_S apart and only when the cursor or the channel changed (or the picture at the
cursor is not complete yet: rows to compute, samples on their way), and not while its tab
is hidden.
"""

from __future__ import annotations

import math
import time

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from app.fleet.spectrum_marks import MarkLines
from app.frame.builder import Frame
from app.theme import PLOT_PENS
from twin.condition.marks import Mark, MarkError, marks_for, waveform_signals
from twin.condition.waterfall import ROW_S, SpectrumPicture, WaveformAnalysis
from twin.plant.model import Plant, Signal
from twin.store.series import SeriesReader

UPDATE_S = 0.25  # at most four updates a second
DYNAMIC_RANGE_DB = 70.0  # the waterfall's colours span this far below its loudest bin
VIEW_MARGIN = 1.6  # the spectrum opens at this many times the highest marked frequency
SPEED_KEY = "speed"  # the asset's measured shaft speed (rpm), when it has one


class QtSpectrumPanel(QWidget):
    """Spectrum (top) and waterfall (below, newest at the top) of one waveform channel."""

    def __init__(self, plant: Plant, reader: SeriesReader, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plant = plant
        self.reader = reader
        self.waveforms = waveform_signals(plant)
        self._index = {s.id: i for i, s in enumerate(plant.signals)}
        self.asset_id: str | None = None
        self.analysis: WaveformAnalysis | None = None
        self.picture: SpectrumPicture | None = None
        self.marks: tuple[Mark, ...] = ()
        self.updates = 0
        self._drawn_cursor: int | None = None
        self._last_update = -math.inf
        self._fit_marks = False  # open the next spectrum zoomed to its marks
        self.title = QLabel()
        self.combo = QComboBox()
        self.combo.setToolTip(self.tr("Waveform channel of the selected asset"))
        self.combo.currentIndexChanged.connect(self._on_channel)
        self.status = QLabel()
        header = QHBoxLayout()
        header.addWidget(self.title, 1)
        header.addWidget(self.combo)
        self.graphics = pg.GraphicsLayoutWidget()
        self.spectrum_plot = self._spectrum_plot()
        self.graphics.nextRow()
        self.waterfall_plot, self.image = self._waterfall_plot()
        self.curve = self.spectrum_plot.plot(pen=pg.mkPen(PLOT_PENS[0], width=1))
        self.spectrum_marks = MarkLines(self.spectrum_plot, labelled=True)
        self.waterfall_marks = MarkLines(self.waterfall_plot, labelled=False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(2)
        layout.addLayout(header)
        layout.addWidget(self.status)
        layout.addWidget(self.graphics, 1)
        self.select(None)

    def _spectrum_plot(self) -> pg.PlotItem:
        plot = self.graphics.addPlot(row=0, col=0)
        plot.setMenuEnabled(False)
        plot.setMouseEnabled(x=True, y=False)  # the wheel zooms in frequency
        plot.showGrid(x=True, y=True, alpha=0.15)
        plot.setLabel("left", self.tr("PSD"), units="dB")
        plot.setLabel("bottom", self.tr("Frequency"), units="Hz")
        plot.getAxis("left").enableAutoSIPrefix(False)
        plot.getAxis("bottom").enableAutoSIPrefix(False)
        return plot

    def _waterfall_plot(self) -> tuple[pg.PlotItem, pg.ImageItem]:
        plot = self.graphics.addPlot(row=1, col=0)
        plot.setMenuEnabled(False)
        plot.setMouseEnabled(x=True, y=False)
        plot.setXLink(self.spectrum_plot)
        plot.setLabel("left", self.tr("Seconds before cursor"))
        plot.setLabel("bottom", self.tr("Frequency"), units="Hz")
        plot.getAxis("bottom").enableAutoSIPrefix(False)
        image = pg.ImageItem()
        image.setColorMap(pg.colormap.get("inferno"))
        plot.addItem(image)
        return plot, image

    # ---------------------------------------------------------------- selection
    def select(self, asset_id: str | None) -> None:
        """Show the waveform channels of ``asset_id`` (None: a hint where they are)."""
        self.asset_id = asset_id
        channels = [s for s in self.waveforms if s.asset_id == asset_id]
        self.combo.blockSignals(True)
        self.combo.clear()
        for s in channels:
            self.combo.addItem(f"{s.name} ({s.rate_hz:g} Hz)", s.id)
        self.combo.blockSignals(False)
        self.combo.setVisible(len(channels) > 1)
        if not channels:
            with_waveforms = sorted({s.asset_id for s in self.waveforms})
            name = self.plant.asset(asset_id).name if asset_id else self.tr("No asset selected")
            self.title.setText(f"<b>{name}</b>")
            self._set_channel(None)
            self._say(
                self.tr("Waveform channels (200 Hz and faster) are on: %s")
                % ", ".join(with_waveforms)
            )
            return
        self._on_channel(0)

    @property
    def channel(self) -> str | None:
        """The signal id shown, or None."""
        return None if self.analysis is None else self.analysis.signal_id

    def set_channel(self, signal_id: str) -> None:
        """Show ``signal_id``, one of the selected asset's waveform channels."""
        index = self.combo.findData(signal_id)
        if index < 0:
            raise ValueError(f"{signal_id} is not a waveform channel of {self.asset_id}")
        self.combo.setCurrentIndex(index)
        self._on_channel(index)

    def _on_channel(self, index: int) -> None:
        signal_id = self.combo.itemData(index)
        signal = self.plant.signal(signal_id) if signal_id else None
        if signal is not None and self.channel == signal.id:
            return
        self._set_channel(signal)

    def _set_channel(self, signal: Signal | None) -> None:
        self.analysis = None
        self.picture = None
        self._drawn_cursor = None
        self._last_update = -math.inf
        self.curve.setData([], [])
        self.image.clear()
        self.marks = ()
        self.spectrum_marks.set_marks(())
        self.waterfall_marks.set_marks(())
        if signal is None:
            return
        asset = self.plant.asset(signal.asset_id)
        self.title.setText(f"<b>{asset.name}</b> · {signal.name} [{signal.unit}]")
        self.analysis = WaveformAnalysis(self.reader, signal.id, signal.rate_hz)
        nyquist = signal.rate_hz / 2
        self.spectrum_plot.setXRange(0, nyquist, padding=0)
        self._say(self.tr("Reading the last minutes of %s…") % signal.id)
        self._fit_marks = True

    def _say(self, text: str) -> None:
        self.status.setText(text)
        self.status.setVisible(bool(text))

    # ------------------------------------------------------------------- frames
    def update_frame(self, frame: Frame) -> None:
        """Recompute at the frame's cursor when it moved (or the last picture was not
        complete), at most every UPDATE_S, while the panel is shown."""
        analysis = self.analysis
        if analysis is None or not self.isVisible():
            return
        if frame.cursor_ns == self._drawn_cursor:
            return  # drawn complete at this cursor
        now = time.monotonic()
        if now - self._last_update < UPDATE_S:
            return
        self._last_update = now
        picture = analysis.update(frame.cursor_ns)
        if picture is None:
            return  # still loading: the next frame asks again
        self.updates += 1
        self._drawn_cursor = frame.cursor_ns if picture.complete else None
        self.picture = picture
        self._draw(picture, self._speed_at(frame))

    def _speed_at(self, frame: Frame) -> float | None:
        speed = self.plant.asset(self.asset_id).signal(SPEED_KEY) if self.asset_id else None
        if speed is None:
            return None
        return float(frame.values[self._index[speed.id]])

    def _draw(self, picture: SpectrumPicture, speed_rpm: float | None) -> None:
        assert self.analysis is not None
        signal = self.plant.signal(self.analysis.signal_id)
        try:
            marks = marks_for(self.plant.asset(signal.asset_id), signal, speed_rpm)
            message = ""
        except MarkError as exc:
            marks, message = (), str(exc)
        if picture.psd_db is None:
            self.curve.setData([], [])
            message = message or self.tr("Too few samples at the cursor for a spectrum")
        else:
            self.curve.setData(picture.freqs, picture.psd_db)
        self._say(message)
        self._draw_waterfall(picture)
        self.spectrum_marks.set_marks(marks)
        self.waterfall_marks.set_marks(marks)
        self.marks = self.spectrum_marks.marks  # as drawn
        if self._fit_marks and marks:
            self._fit_marks = False
            top = min(signal.rate_hz / 2, max(m.hz for m in marks) * VIEW_MARGIN)
            self.spectrum_plot.setXRange(0, top, padding=0)

    def _draw_waterfall(self, picture: SpectrumPicture) -> None:
        rows = picture.rows_db  # newest first
        if not np.isfinite(rows).any():
            self.image.clear()
            return
        top = float(np.nanmax(rows))
        low = top - DYNAMIC_RANGE_DB
        data = np.where(np.isfinite(rows), rows, low)[::-1].T  # x: frequency, y: oldest up
        self.image.setImage(data, levels=(low, top), autoLevels=False)
        f = picture.row_freqs
        df = float(f[1] - f[0])
        n = rows.shape[0]
        self.image.setRect(QRectF(-df / 2, -n * ROW_S, f[-1] + df, n * ROW_S))
        self.waterfall_plot.setYRange(-n * ROW_S, 0, padding=0)
