"""Plots shade each signal's warning and alarm zones behind its curve."""

from __future__ import annotations

import pyqtgraph as pg

from app.views.plot_limits import FAR, LimitZones, limit_bands
from app.views.plot_panel import QtPlotPanel
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
    panel.resize(900, 900)
    panel.show()
    qtbot.waitExposed(panel)
    panel.set_asset("M07")
    plot = panel.graphics.getItem(panel.plotted.index("M07.winding_temp"), 0)  # one row each
    zones = [i for i in plot.items if isinstance(i, LimitZones)]
    limits = demo_plant.asset("M07").signal("winding_temp").limits
    assert len(zones) == 1
    assert sorted(band for band, _ in zones[0].bands) == sorted(
        [(limits.warn_high, limits.alarm_high), (limits.alarm_high, FAR)]
    )
    # Painted: above the alarm limit the plot is tinted red, between the limits amber,
    # below them not at all.
    hi, warn = limits.alarm_high, limits.warn_high
    plot.enableAutoRange(axis="y", enable=False)
    plot.setYRange(warn - (hi - warn), hi + (hi - warn), padding=0)
    plot.setXRange(0, 10, padding=0)
    image = panel.graphics.grab().toImage()

    def colour_at(value: float) -> tuple[int, int, int]:
        scene = plot.vb.mapViewToScene(pg.Point(5.0, value))
        pixel = panel.graphics.mapFromScene(scene)
        c = image.pixelColor(pixel.x(), pixel.y())
        return c.red(), c.green(), c.blue()

    above, between, below = (
        colour_at(hi + (hi - warn) / 2),
        colour_at((hi + warn) / 2),
        colour_at(warn - (hi - warn) / 2),
    )
    assert above[0] > below[0] + 10 and above[2] > below[2] + 5  # pinkish red tint
    assert between[0] > below[0] + 10 and between[1] > below[1] + 5  # amber tint
    assert above != between
