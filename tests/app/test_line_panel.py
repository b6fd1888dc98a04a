"""The Line panel through the UI: docked where the plant has lines, showing each line's
indicators at the frame's cursor, its cycle times against the target, output against
the plan and the bottleneck marked."""

from __future__ import annotations

import numpy as np
import pytest

from app.frame.builder import Frame
from app.line.panel import QtLinePanel
from app.views.panels import PanelContext, panels
from tests.twin.kpi.lines import COUNTER, line_plant
from twin.kpi.indicators import compute
from twin.kpi.replay import CursorIndicators
from twin.kpi.tracker import CycleTracker
from twin.plant.model import Plant
from twin.sources.sim import Simulator
from twin.store.series import EMPTY_STORE, LiveSeries
from twin.store.signal_store import SignalStore

NS = 1_000_000_000
DAY0 = 20_000 * 86_400 * NS


def _frame(t: int) -> Frame:
    none = np.empty(0)
    return Frame(
        t, EMPTY_STORE, none, none.astype(np.int64), none.astype(np.int8), none.astype(np.int8)
    )


@pytest.fixture(scope="module")
def simulated() -> tuple[Plant, SignalStore, CycleTracker, int]:
    """Two hours of a line of three presses from 06:00, in rings and a live tracker."""
    plant = line_plant(COUNTER, machines=3, params="{ mtbf_h = 2.0, scrap_p = 0.05 }")
    start = DAY0 + 6 * 3600 * NS
    sim = Simulator(plant, start, seed=3)
    store = SignalStore(sim.groups(), retention_s=3 * 3600)
    tracker = CycleTracker(plant, sim.groups())
    for _, batches in sim.fast_forward(start + 2 * 3600 * NS, 600 * NS):
        for batch in batches:
            store.append(batch)
            tracker.consume(batch)
    return plant, store, tracker, start + 2 * 3600 * NS


def test_the_panel_docks_only_where_the_plant_has_lines(simulated, qtbot) -> None:
    plant, store, _, _ = simulated
    spec = next(p for p in panels() if p.key == "lines")
    assert (
        spec.make(PanelContext(plant=Plant("empty", "x", (), ()), reader=LiveSeries(store))) is None
    )
    widget = spec.make(PanelContext(plant=plant, reader=LiveSeries(store)))
    assert isinstance(widget, QtLinePanel)
    qtbot.addWidget(widget)


def test_the_panel_shows_the_line_at_the_cursor(simulated, qtbot) -> None:
    plant, store, tracker, t = simulated
    panel = QtLinePanel(CursorIndicators(plant, LiveSeries(store)))
    qtbot.addWidget(panel)
    panel.resize(900, 700)
    panel.show()
    panel.update_frame(_frame(t))
    view = panel.views["L"]
    shift_start = t - 2 * 3600 * NS
    expected = compute(tracker, shift_start, t).line("L")
    assert f"OEE {100 * float(expected.oee.oee):.1f} %" in view.oee.text()
    assert f"{expected.parts:.0f} parts" in view.output.text()
    assert "plan 120, 30 due by now" in view.output.text()  # 2 h of an 8 h shift
    assert f"<b>{expected.bottleneck} " in view.machines.text()
    assert "◀ bottleneck" in view.machines.text()
    _, y = view.cycles.getData()
    assert np.allclose(y, expected.cycle_s)
    _, counted = view.counted.getData()
    assert counted[-1] == expected.parts
    # Back to the first hour (a replay's scrub): the same panel shows fewer parts.
    panel.update_frame(_frame(t - 3600 * NS))
    earlier = compute(tracker, shift_start, t - 3600 * NS).line("L")
    assert earlier.parts < expected.parts
    assert view.counted.getData()[1][-1] == earlier.parts


def test_a_line_fits_the_panel_with_its_charts_axis_labels_in_view(simulated, qtbot) -> None:
    plant, store, _, t = simulated
    panel = QtLinePanel(CursorIndicators(plant, LiveSeries(store)))
    qtbot.addWidget(panel)
    panel.resize(1100, 640)
    panel.show()
    panel.update_frame(_frame(t))
    qtbot.waitExposed(panel)
    view = panel.views["L"]
    assert not panel.verticalScrollBar().isVisible()
    viewport = panel.viewport().rect()
    for chart in (view.cycle_plot, view.output_plot):
        box = chart.rect().translated(chart.mapTo(panel.viewport(), chart.rect().topLeft()))
        assert viewport.contains(box), (box, viewport)
        axis = chart.getPlotItem().getAxis("bottom")
        label = axis.mapRectToScene(axis.label.mapRectToParent(axis.label.boundingRect()))
        assert label.center().y() < chart.height() - 5  # the x-axis title is inside the chart
    # Charts take the height the figures leave, rather than a fixed strip.
    assert view.cycle_plot.height() > 300
