"""The demo plant's insert-moulding cell (two moulding machines and a robot) in the Line
panel: simulated from the start of the early shift, its line shows beside the door-panel
line with the shots counted and its machines listed."""

from __future__ import annotations

import dataclasses

import numpy as np

from app.frame.builder import Frame
from app.line.panel import QtLinePanel
from twin.kpi.indicators import compute
from twin.kpi.replay import CursorIndicators
from twin.kpi.tracker import CycleTracker
from twin.plant.model import Plant
from twin.sources.sim import Simulator
from twin.store.series import EMPTY_STORE, LiveSeries
from twin.store.signal_store import SignalStore

NS = 1_000_000_000
EARLY = 20_000 * 86_400 * NS + 6 * 3600 * NS  # 06:00, the early shift's start


def _lines_only(plant: Plant) -> Plant:
    """The plant's line machines with the signals their cycle rules read (a quick run)."""
    keep = {
        asset_id: {r.signal, r.state, r.power, r.scrap} - {""}
        for line in plant.lines
        for asset_id, r in line.rules.items()
    }
    assets = tuple(
        dataclasses.replace(a, signals=tuple(s for s in a.signals if s.key in keep[a.id]))
        for a in plant.assets
        if a.id in keep
    )
    return dataclasses.replace(plant, assets=assets, faults=(), connections=())


def _frame(t: int) -> Frame:
    none = np.empty(0)
    return Frame(
        t, EMPTY_STORE, none, none.astype(np.int64), none.astype(np.int8), none.astype(np.int8)
    )


def test_the_moulding_cell_shows_in_the_line_panel(demo_plant: Plant, qtbot) -> None:
    plant = _lines_only(demo_plant)
    assert [line.id for line in plant.lines] == ["door_panels", "moulding_cell"]
    sim = Simulator(plant, EARLY)
    store = SignalStore(sim.groups(), retention_s=3600)
    tracker = CycleTracker(plant, sim.groups())
    t = EARLY + 30 * 60 * NS
    for _, batches in sim.fast_forward(t, 300 * NS):
        for batch in batches:
            store.append(batch)
            tracker.consume(batch)

    panel = QtLinePanel(CursorIndicators(plant, LiveSeries(store)))
    qtbot.addWidget(panel)
    panel.resize(900, 1200)
    panel.show()
    qtbot.waitExposed(panel)
    panel.update_frame(_frame(t))

    view = panel.views["moulding_cell"]
    assert view.isVisible() and view.title.text() == "<b>Insert-moulding cell</b>"
    expected = compute(tracker, EARLY, t).line("moulding_cell")
    assert expected.parts > 30  # 30 min of 35 s shots at IM02, the cell's output
    assert f"{expected.parts:.0f} parts" in view.output.text()
    assert f"OEE {100 * float(expected.oee.oee):.1f} %" in view.oee.text()
    for machine in ("IM01", "R04", "IM02"):
        assert machine in view.machines.text()
    _, counted = view.counted.getData()
    assert counted[-1] == expected.parts
