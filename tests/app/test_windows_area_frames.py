"""A second window on one area draws that area's part of each frame, value for value."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from app.windows.area_frames import AreaFrames
from twin.values import ExactValues, exact_of

AREA = "press_line"


def test_a_frame_cut_to_an_area_keeps_each_of_its_values_and_states(
    make_live_app, demo_plant
) -> None:
    live = make_live_app(demo_plant, after_s=20)
    live.scheduler.tick()
    frame = live.scheduler.last_frame
    assert frame is not None
    part = AreaFrames(demo_plant, [AREA])
    assets = demo_plant.assets_in(AREA)
    whole_signals = [s.id for s in demo_plant.signals]
    # An int64 counter's exact value rides along (as the builder makes it for such signals).
    counter = whole_signals.index(assets[2].signals[-1].id)
    frame = replace(frame, values=ExactValues.of(frame.values, {counter: 2**53 + 1, 0: 7}))
    cut = part.cut(frame)
    assert [a.id for a in part.plant.assets] == [a.id for a in assets]
    assert [a.id for a in part.plant.areas] == [AREA]
    area_signals = [s.id for s in part.plant.signals]
    assert cut.values.shape == (len(area_signals),)
    exact_seen = 0
    for i, signal_id in enumerate(area_signals):
        j = whole_signals.index(signal_id)
        assert np.array_equal(cut.values[i], frame.values[j], equal_nan=True)
        assert cut.signal_states[i] == frame.signal_states[j]
        assert cut.last_times[i] == frame.last_times[j]
        assert exact_of(cut.values, i) == exact_of(frame.values, j)
        exact_seen += exact_of(cut.values, i) is not None
    assert exact_seen == 1  # the area's counter, not the motor bay's first signal
    for i, asset in enumerate(assets):
        assert cut.asset_states[i] == frame.asset_states[demo_plant.assets.index(asset)]
    assert cut.plots is frame.plots and cut.cursor_ns == frame.cursor_ns


def test_every_area_is_the_whole_plant_and_an_unknown_area_is_named(demo_plant) -> None:
    whole = AreaFrames(demo_plant, [a.id for a in demo_plant.areas])
    assert whole.plant is demo_plant
    with pytest.raises(ValueError, match="'no_such_hall'"):
        AreaFrames(demo_plant, ["no_such_hall"])
