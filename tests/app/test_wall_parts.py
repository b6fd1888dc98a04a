"""The wall screen's pages and summaries, and its command-line options."""

from __future__ import annotations

import math

import numpy as np
import pytest

from app.cli import parse_args
from app.wall.pages import wall_pages
from app.wall.summary import UNKNOWN, summarise_alarms, summarise_health, summarise_states
from twin.alarms import AlarmKind, AlarmState, AlarmStatus, Priority
from twin.condition.snapshot import FleetHealth, Ne107
from twin.plant.loader import parse_plant
from twin.plant.model import Plant
from twin.status import State


def _status(
    asset: str, priority: Priority, state: AlarmState, raised: int, kind: AlarmKind = AlarmKind.H
) -> AlarmStatus:
    signal = f"{asset}.current" if asset else "plc1"
    return AlarmStatus(
        alarm_id=f"{signal}:{kind}:{raised}",
        signal_id=signal,
        asset_id=asset,
        kind=kind,
        priority=priority,
        state=state,
        since=raised,
        active=state is not AlarmState.UNACK_RTN,
        raised_at=raised,
    )


def test_an_area_with_lines_has_a_page_per_line_and_the_others_one_each(demo_plant) -> None:
    pages = wall_pages(demo_plant)
    areas = [a.name for a in demo_plant.areas]
    assert [p.area for p in pages] == list(range(len(areas)))
    on_line = [p for p in pages if p.line_id is not None]
    # The door-panel line in the press line's area, the moulding cell in extrusion's.
    assert [p.line_id for p in on_line] == [line.id for line in demo_plant.lines]
    assert len(on_line) == 2
    for page, line in zip(on_line, demo_plant.lines, strict=True):
        area = demo_plant.areas[page.area or 0]
        assert area.id == demo_plant.asset(line.output).area_id
        assert page.name.startswith(area.name) and line.name in page.name
    assert all(p.name == areas[i] for i, p in enumerate(pages) if p.line_id is None)


def test_a_plant_without_areas_has_one_page_of_the_whole_plant() -> None:
    plant = Plant("bare", "x", (), ())
    (page,) = wall_pages(plant)
    assert (page.name, page.area, page.line_id) == ("bare", None, None)


def test_standing_alarms_are_counted_by_priority_and_the_most_urgent_come_first() -> None:
    area_of = {"M1": 0, "M2": 0, "M3": 1}
    statuses = [
        _status("M1", Priority.LOW, AlarmState.UNACK_ACTIVE, 10),
        _status("M1", Priority.HIGH, AlarmState.ACK_ACTIVE, 20),
        _status("M2", Priority.HIGH, AlarmState.UNACK_ACTIVE, 30),
        _status("M2", Priority.CRITICAL, AlarmState.SHELVED, 40),  # not annunciated
        _status("M2", Priority.CRITICAL, AlarmState.UNACK_RTN, 50),  # cleared
        _status("M3", Priority.MEDIUM, AlarmState.UNACK_ACTIVE, 60),  # another area
        _status("", Priority.CRITICAL, AlarmState.UNACK_ACTIVE, 5, AlarmKind.CONNECTION),
    ]
    by_id = {s.alarm_id: s for s in statuses}
    summary = summarise_alarms(by_id, area_of, 0, top=3)
    assert dict(summary.counts) == {
        Priority.CRITICAL: 1,  # the lost connection concerns every area
        Priority.HIGH: 2,
        Priority.MEDIUM: 0,
        Priority.LOW: 1,
    }
    assert summary.total == 4
    assert [s.raised_at for s in summary.top] == [5, 30, 20]  # priority, then newest
    other = summarise_alarms(by_id, area_of, 1, top=10)
    assert sorted(s.raised_at or 0 for s in other.top) == [5, 60]
    everywhere = summarise_alarms(by_id, area_of, None, top=10)
    assert everywhere.total == 5


def _fleet(health: list[float], status: list[int], ttl: list[float]) -> FleetHealth:
    n = len(health)
    return FleetHealth(
        t_ns=0,
        asset_ids=tuple(f"M{i}" for i in range(n)),
        health=np.array(health, dtype=np.float32),
        status=np.array(status, dtype=np.int8),
        cause=np.zeros(n, dtype=np.int8),
        time_to_limit_s=np.array(ttl),
        summary=[""] * n,
        evidence=[""] * n,
    )


def test_health_is_counted_by_status_and_the_worst_of_the_area_listed() -> None:
    nan, inf = math.nan, math.inf
    fleet = _fleet(
        health=[95, 40, 30, nan, 60, 20, 50],
        status=[0, 2, 2, 0, 1, 3, 2],
        ttl=[inf, 600, 7200, inf, inf, 0, 60],
    )
    area = np.array([0, 0, 0, 0, 0, 1, 0])
    summary = summarise_health(fleet, area, 0, worst=3)
    assert summary.counts[Ne107.NORMAL] == 1
    assert summary.counts[Ne107.MAINTENANCE_REQUIRED] == 1
    assert summary.counts[Ne107.OUT_OF_SPECIFICATION] == 3
    assert summary.counts[Ne107.FAILURE] == 0  # M5 is in the other area
    assert summary.counts[UNKNOWN] == 1
    assert summary.monitored == 6
    assert summary.worst == (2, 1, 6)  # out of spec, by health; then maintenance (not shown)
    assert summarise_health(fleet, area, None, worst=1).worst == (5,)
    healthy = summarise_health(_fleet([90], [0], [inf]), np.array([0]), 0, worst=3)
    assert healthy.worst == ()


def test_the_options_start_the_wall_screen_with_its_page_time() -> None:
    args = parse_args(["--wall", "--wall-cycle", "20"])
    assert args.wall and args.wall_cycle == 20.0
    assert parse_args([]).wall_cycle == 15.0 and not parse_args([]).wall


@pytest.mark.parametrize(
    "argv",
    [
        ["--wall-cycle", "1"],
        ["--wall-cycle", "soon"],
        ["--wall", "--screenshot", "x.png", "--after", "5"],
    ],
)
def test_options_that_make_no_sense_are_refused(argv: list[str], capsys) -> None:
    with pytest.raises(SystemExit) as exit_:
        parse_args(argv)
    assert exit_.value.code == 2
    assert "--wall" in capsys.readouterr().err


def test_a_line_file_with_two_lines_in_one_area_gives_each_its_page() -> None:
    plant = parse_plant(
        '[plant]\nname = "p"\n[[areas]]\nid = "a"\nname = "Hall A"\n'
        '[[areas]]\nid = "b"\nname = "Hall B"\n'
        '[templates.press]\nkind = "press"\nsignals = [{ key = "panel_count", unit = "", '
        "rate_hz = 1, normal = [0, 9] }]\n"
        + "".join(
            f'[[assets]]\nid = "P{i}"\ntemplate = "press"\narea = "a"\nposition = [{i}, 0, 0]\n'
            for i in range(2)
        )
        + "".join(
            f'[[lines]]\nid = "L{i}"\nname = "Line {i}"\nmachines = ["P{i}"]\n'
            'target_cycle_s = 60\ncycle = { rule = "counter", signal = "panel_count" }\n'
            for i in range(2)
        ),
        "two_lines.toml",
    )
    pages = wall_pages(plant)
    assert [(p.name, p.area, p.line_id) for p in pages] == [
        ("Hall A · Line 0", 0, "L0"),
        ("Hall A · Line 1", 0, "L1"),
        ("Hall B", 1, None),
    ]


def test_assets_are_counted_by_state_in_their_area_with_the_first_few_named() -> None:
    states = np.array([3, 0, 3, 2, 1, 3, 3, 0], dtype=np.int8)
    area = np.array([0, 0, 0, 0, 0, 1, 0, 1])
    summary = summarise_states(states, area, 0, examples=2)
    assert summary.counts.tolist() == [1, 1, 1, 3]  # normal, no data, warning, alarm
    assert summary.examples[State.ALARM] == (0, 2)  # the first two of 0, 2 and 6
    assert summary.examples[State.WARNING] == (3,)
    assert summarise_states(states, area, None, 9).counts.sum() == states.size
