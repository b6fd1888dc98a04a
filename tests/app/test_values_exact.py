"""An int64 energy counter above 2**53 is shown digit for digit by the values panel, live
and replayed from the history, and its gaps are gaps in the plots."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from app.frame.builder import FrameBuilder
from app.views.plot_panel import QtPlotPanel
from app.views.values_panel import QtValuesTable
from db import HistoryWriter, open_history
from db.read.series import HistorySeries, replay_groups
from tests.plants import asset, build_plant
from twin.batch import Batch, ChannelGroup
from twin.clock import PlaybackClock
from twin.plant.model import Plant
from twin.store.series import LiveSeries
from twin.store.signal_store import SignalStore
from twin.values import NO_INT

NS = 1_000_000_000
T0 = 1_750_000_000 * NS
ENERGY = 2**53 + 3  # 9,007,199,254,740,995: float64 would show ...996, float32 far worse


def meter_plant() -> Plant:
    return build_plant(
        asset(
            "E1",
            "motor",
            {"key": "energy", "rate_hz": 1, "normal": [0, 1e19], "dtype": "int64", "unit": "Wh"},
            {"key": "power", "rate_hz": 1, "normal": [0, 100], "unit": "kW"},
        )
    )


def meter_groups() -> list[ChannelGroup]:
    return [
        ChannelGroup("energy", ("E1.energy",), 1.0, "int64"),
        ChannelGroup("power", ("E1.power",), 1.0),
    ]


def meter_batches() -> list[Batch]:
    t = T0 + np.arange(4, dtype=np.int64) * NS
    energy = np.array([[ENERGY - 2, NO_INT, ENERGY - 1, ENERGY]], np.int64)
    return [Batch("energy", t, energy), Batch("power", t, np.full((1, 4), 42.5))]


def shown(qtbot, plant: Plant, builder: FrameBuilder, at: int) -> str:
    table = QtValuesTable(plant)
    qtbot.addWidget(table)
    table.show()
    table.set_asset("E1")
    assert builder.wait_ready(at, timeout=30)
    frame = builder.build(at)
    assert frame is not None
    table.update_frame(frame)

    def text(row: int, column: int) -> str:
        item = table.item(row, column)
        assert item is not None
        return item.text()

    qtbot.waitUntil(lambda: text(0, 3) != "")  # the frame is shown
    assert text(1, 1) == "42.50"
    return text(0, 1)


def test_the_values_panel_shows_a_live_int64_counter_exactly(qtbot) -> None:
    plant = meter_plant()
    store = SignalStore(meter_groups(), retention_s=60)
    for b in meter_batches():
        store.append(b)
    at = T0 + 3 * NS
    builder = FrameBuilder(plant, LiveSeries(store), PlaybackClock(lambda: at))
    assert shown(qtbot, plant, builder, at) == "9,007,199,254,740,995"
    # At the gap the counter has no value: a dash, not -9,223,372,036,854,775,808.
    assert shown(qtbot, plant, builder, T0 + NS) == "—"


def test_the_values_panel_shows_a_replayed_int64_counter_exactly(qtbot, tmp_path: Path) -> None:
    plant = meter_plant()
    history = open_history(tmp_path / "meter.twinhist")
    writer = HistoryWriter(history, meter_groups(), flush_interval_s=0.05, plant=plant)
    for b in meter_batches():
        writer.offer(b)
    writer.close()
    assert {g.dtype for g in replay_groups(plant)} == {"int64", "float32"}
    series = HistorySeries(history, plant)
    try:
        at = T0 + 3 * NS
        builder = FrameBuilder(plant, series, PlaybackClock(lambda: at))
        assert shown(qtbot, plant, builder, at) == "9,007,199,254,740,995"
    finally:
        series.close()
        history.close()


def test_an_int64_gap_is_a_gap_in_the_plot(qtbot) -> None:
    plant = meter_plant()
    store = SignalStore(meter_groups(), retention_s=60)
    for b in meter_batches():
        store.append(b)
    at = T0 + 3 * NS
    builder = FrameBuilder(plant, LiveSeries(store), PlaybackClock(lambda: at))
    panel = QtPlotPanel(plant)
    qtbot.addWidget(panel)
    panel.resize(800, 600)
    panel.show()
    qtbot.waitExposed(panel)
    panel.set_asset("E1")
    builder.set_plotted(panel.plotted)
    frame = builder.build(at)
    assert frame is not None
    panel.update_frame(frame)
    curve = panel.curves["E1.energy"]
    qtbot.waitUntil(lambda: curve.yData is not None and len(curve.yData) == 4)
    y = curve.yData
    assert np.isnan(y[1]) and y[3] == float(ENERGY) and np.nanmin(y) > 0
