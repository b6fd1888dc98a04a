"""The shift summary from a hand-made recording: known cycles, stops, scrap, energy,
alarms, an advisory and a bookmark give exact figures; a shift outside the recording is a
clear error; one recorded from its middle says so and is held to its share of the plan."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from db.engine import open_history
from db.read.shift import NoShiftData, read_shift_summary
from tests.db.shift_recording import BOOKMARK, DAY, NS, SHIFT_START, p2_ends_s, record_shift
from twin.kpi.shift import ShiftSummary, find_shift, shift_on
from twin.plant.model import Plant


@pytest.fixture(scope="module")
def recorded(tmp_path_factory) -> tuple[Path, Plant]:
    path = tmp_path_factory.mktemp("shift") / "shift.twinhist"
    return path, record_shift(path)


def _summary(recorded, day: dt.date = DAY, shift: str = "early") -> ShiftSummary:
    path, plant = recorded
    with open_history(path, read_only=True) as history:
        summary = read_shift_summary(history, plant, shift_on(find_shift(plant, shift), day))
    assert summary is not None
    return summary


def test_the_line_figures_are_those_of_the_hand_made_shift(recorded) -> None:
    s = _summary(recorded)
    assert s.complete and not s.started_late and not s.ended_early
    (line,) = s.lines
    assert len(p2_ends_s()) == 111  # 120 slots of 240 s, 9 of them lost to the two stops
    assert (line.parts, line.good, line.scrap) == (111, 109, 2)
    assert (line.plan_parts, line.plan_due) == (120, 120.0)
    assert line.planned_s == 28_800
    assert line.downtime_by_cause == (("Breakdown", 1800.0), ("Tool change", 600.0))
    assert line.downtime_s == 2400 and line.run_s == 26_400
    assert line.availability == pytest.approx(26_400 / 28_800)
    assert line.performance == pytest.approx(216 * 111 / 26_400)
    assert line.quality == pytest.approx(109 / 111)
    assert line.oee == pytest.approx(216 * 109 / 28_800)  # 0.8175
    assert line.speed_loss_s == pytest.approx(26_400 - 216 * 111)
    assert line.scrap_loss_s == pytest.approx(2 * 216)
    c = line.cycles
    # The first count has no cycle before it; the ones after the stops last 1920 and 720 s.
    assert (c.count, c.last_s, c.median_s, c.p90_s) == (110, 240, 240, 240)
    assert (c.min_s, c.max_s, c.target_s, c.slow) == (240, 1920, 216, 110)
    assert line.energy_kwh == pytest.approx(15 * 8, rel=1e-6)  # 5 kW + 10 kW for 8 h
    assert line.energy_per_part_kwh == pytest.approx(120 / 111, rel=1e-6)
    assert (line.bottleneck, line.bottleneck_median_s) == ("P2", 240)


def test_alarms_advisories_bookmarks_and_the_operator_of_the_shift(recorded) -> None:
    s = _summary(recorded)
    assert [(a.raised.signal_id, a.raised.t) for a in s.alarms] == [
        ("P2.power", SHIFT_START + 7205 * NS),
        ("P1.power", SHIFT_START + 28_500 * NS),
    ]
    first, last = s.alarms
    assert first.acked is not None and first.acked.user == "Li Wei"
    assert first.acked.t == SHIFT_START + 7385 * NS
    # Acknowledged after the shift, by the next one: still shown with the raise.
    assert last.acked is not None and last.acked.user == "Zhang Min"
    assert s.operators == ("Li Wei",)
    (advisory,) = s.advisories
    assert advisory.raised.asset_id == "P1" and advisory.cleared_ns == SHIFT_START + 16_200 * NS
    assert [(n.t_ns, n.text) for n in s.notes] == [(SHIFT_START + 14_500 * NS, BOOKMARK)]


def test_a_shift_recorded_from_its_middle_says_so(recorded) -> None:
    # The late shift (14:00-22:00): the recording stops at 14:10.
    s = _summary(recorded, shift="late")
    assert s.ended_early and not s.started_late and not s.complete
    assert s.data_to == SHIFT_START + (8 * 3600 + 600) * NS
    (line,) = s.lines
    assert line.planned_s == 600
    assert line.plan_parts is None  # the test plant plans the early shift only
    # The night shift before (22:00-06:00) holds the recording's first 10 minutes.
    night = _summary(recorded, day=DAY - dt.timedelta(days=1), shift="Night shift".lower())
    assert night.started_late and night.data_from == SHIFT_START - 600 * NS


def test_a_shift_outside_the_recording_is_an_error_naming_it(recorded) -> None:
    with pytest.raises(NoShiftData) as err:
        _summary(recorded, day=DAY + dt.timedelta(days=3))
    message = str(err.value)
    assert "no data for early on 2026-03-05, 06:00-14:00 UTC" in message
    assert "the recording covers 2026-03-02 05:50 to 2026-03-02 14:10 UTC" in message
