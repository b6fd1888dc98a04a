"""Plots shade each signal's warning and alarm zones behind its curve."""

from __future__ import annotations

import pyqtgraph as pg

from app.plot_panel import FAR, QtPlotPanel, limit_bands
from twin.plant.model import Limits, Signal
from twin.status import State


def _signal(**limits: float) -> Signal:
    return Signal("A.x", "A", "x", "x", "V", 10.0, (0.0, 500.0), Limits(**limits))


def test_bands_cover_each_zone_between_its_limits() -> None:
    bands = limit_bands(_signal(alarm_low=340, warn_low=370, warn_high=430, alarm_high=460))
    assert sorted(bands) == sorted(
        [
            ((460, FAR), State.ALARM),
            ((430, 460), State.WARNING),
            ((-FAR, 340), State.ALARM),
            ((340, 370), State.WARNING),
        ]
    )
    assert limit_bands(_signal(warn_high=100)) == [((100, FAR), State.WARNING)]
    assert limit_bands(_signal()) == []


def test_the_selected_motor_strips_carry_their_bands(qtbot, demo_plant) -> None:
    panel = QtPlotPanel(demo_plant)
    qtbot.addWidget(panel)
    panel.set_asset("M07")
    strips = {s.signal.key: s.plot for s in panel._strips}
    regions = [i for i in strips["winding_temp"].items if isinstance(i, pg.LinearRegionItem)]
    limits = demo_plant.asset("M07").signal("winding_temp").limits
    assert sorted(r.getRegion() for r in regions) == sorted(
        [(limits.warn_high, limits.alarm_high), (limits.alarm_high, FAR)]
    )
