"""Which shift a report covers: a day and a shift of the plant file, the default (the last
finished shift with data, else the one under way), names looked up with a clear error."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from tests.twin.kpi.lines import COUNTER, line_toml
from twin.kpi.shift import cycle_stats, default_window, find_shift, shift_on, windows_between
from twin.plant.loader import parse_plant

NS = 1_000_000_000
H = 3600 * NS
DAY = dt.date(2026, 3, 2)
MIDNIGHT = (DAY - dt.date(1970, 1, 1)).days * 24 * H
PLANT = parse_plant(
    line_toml(COUNTER)
    + '\n[[shifts]]\nid = "night"\nname = "Night shift"\nstart = "22:00"\nlength = "8h"\n',
    "shifts.toml",
)


def test_a_night_shift_runs_past_midnight_into_the_next_day() -> None:
    w = shift_on(find_shift(PLANT, "NIGHT SHIFT"), DAY)
    assert (w.start_ns, w.end_ns) == (MIDNIGHT + 22 * H, MIDNIGHT + 30 * H)
    inside = windows_between(PLANT, MIDNIGHT + 2 * H, MIDNIGHT + 7 * H)
    assert [(x.shift.id, x.day) for x in inside] == [
        ("night", DAY - dt.timedelta(days=1)),
        ("early", DAY),
    ]


def test_the_default_is_the_last_finished_shift_with_data_else_the_one_under_way() -> None:
    recorded = (MIDNIGHT + 5 * H, MIDNIGHT + 23 * H)
    # At 23:00 the early shift (06-14) is the last to have finished.
    w = default_window(PLANT, MIDNIGHT + 23 * H, recorded)
    assert w is not None and (w.shift.id, w.day) == ("early", DAY)
    # At 05:30 the night shift of the day before has data (from 05:00) but runs on.
    w = default_window(PLANT, MIDNIGHT + 5 * H + H // 2, (MIDNIGHT + 5 * H, MIDNIGHT + 6 * H))
    assert w is not None and (w.shift.id, w.day) == ("night", DAY - dt.timedelta(days=1))


def test_an_unknown_shift_names_the_shifts_there_are() -> None:
    with pytest.raises(
        ValueError, match=r"no shift 'late' in the plant file \(shifts: early, night\)"
    ):
        find_shift(PLANT, "late")


def test_cycle_statistics_against_the_target() -> None:
    c = cycle_stats(np.array([200.0, 230.0, 210.0, 400.0, 220.0]), 216.0)
    assert (c.count, c.last_s, c.median_s, c.min_s, c.max_s, c.slow) == (5, 220, 220, 200, 400, 3)
    assert c.p90_s == pytest.approx(230 + 0.6 * 170)  # linear between the 4th and 5th
    empty = cycle_stats(np.empty(0), 216.0)
    assert empty.count == 0 and np.isnan(empty.median_s)
