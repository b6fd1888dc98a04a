"""Lines, shifts and plans in the plant file and in a plan CSV, with located errors."""

from __future__ import annotations

import pytest

from tests.twin.kpi.lines import COUNTER, line_plant, line_toml
from twin.kpi.plan import PlanError, current_shift, parse_plan_csv, read_plan_csv, shift_window
from twin.plant.loader import PlantError, parse_plant

NS = 1_000_000_000


def test_lines_and_shifts_load_with_rules_per_machine() -> None:
    extra = 'cycles = { P1 = { rule = "position", signal = "ram_position", top = 2.0 } }\n'
    plant = line_plant(COUNTER, machines=3, extra=extra)
    line = plant.lines[0]
    assert line.machines == ("P1", "P2", "P3") and line.output == "P3"
    assert line.rules["P1"].rule == "position" and line.rules["P1"].top == 2.0
    assert line.rules["P1"].state == "state"  # the line's cycle table still applies
    assert line.rules["P2"].rule == "counter" and line.plan == {"early": 120}
    assert plant.shifts[0].start_s == 6 * 3600 and plant.shifts[0].length_s == 8 * 3600


def _error(text: str) -> PlantError:
    with pytest.raises(PlantError) as caught:
        parse_plant(text, "line.toml")
    return caught.value


def _line_of(text: str, needle: str) -> int:
    return next(i for i, row in enumerate(text.splitlines(), 1) if needle in row)


@pytest.mark.parametrize(
    ("cycle", "extra", "needle", "words"),
    [
        ('{ rule = "count", signal = "panel_count" }', "", "cycle = ", "must be one of"),
        ('{ rule = "counter", signal = "panel_cnt" }', "", "cycle = ", 'no signal "panel_cnt"'),
        (COUNTER, 'output = "P9"\n', "output = ", 'output "P9"'),
        (COUNTER, 'causes = { 1 = "Running" }\n', "causes = ", "whole number >= 2"),
        (COUNTER, 'cycles = { P7 = { rule = "state" } }\n', "cycles = ", '"P7" is not one'),
    ],
)
def test_line_errors_name_file_line_and_field(
    cycle: str, extra: str, needle: str, words: str
) -> None:
    text = line_toml(cycle, extra=extra)
    err = _error(text)
    assert err.path == "line.toml" and err.line == _line_of(text, needle)
    assert words in err.reason and "line #1" in err.where


def test_plan_for_an_unknown_shift_is_located() -> None:
    text = line_toml(COUNTER).replace("plan = { early = 120 }", "plan = { erly = 120 }")
    err = _error(text)
    assert err.line == _line_of(text, "plan = ") and 'did you mean "early"' in err.reason


def test_shift_time_of_day_is_checked() -> None:
    text = line_toml(COUNTER).replace('start = "06:00"', 'start = "6 am"')
    err = _error(text)
    assert err.line == _line_of(text, "start = ") and "HH:MM" in err.reason


def test_plan_csv_overrides_the_plant_file_and_locates_errors(tmp_path) -> None:
    plant = line_plant(COUNTER)
    path = tmp_path / "plan.csv"
    path.write_text("line,shift,parts\nL,early,140\n", encoding="utf-8")
    assert read_plan_csv(path, plant) == {"L": {"early": 140}}
    cases = [
        ("line,shift\n", 1, "", "header"),
        ("line,shift,parts\nL,early,140\nL,lat,10\n", 3, "shift", "'lat'"),
        ("line,shift,parts\n\nX,early,1\n", 3, "line", "'X'"),
        ("line,shift,parts\nL,early,-4\n", 2, "parts", "whole number"),
        ("line,shift,parts\nL,early,1\nL,early,2\n", 3, "shift", "first at line 2"),
    ]
    for text, line, field, words in cases:
        with pytest.raises(PlanError) as caught:
            parse_plan_csv(text, "plan.csv", plant)
        err = caught.value
        assert (err.line, err.field) == (line, field) and words in err.reason, str(err)
        assert str(err).startswith(f"plan.csv:{line}: ")


def test_shift_windows_repeat_daily_and_cross_midnight() -> None:
    plant = parse_plant(
        line_toml(COUNTER).replace('start = "06:00"', 'start = "22:00"'), "line.toml"
    )
    night = plant.shifts[0]
    day = 86_400 * NS
    assert shift_window(night, 3 * day + 2 * 3600 * NS) == (
        2 * day + 22 * 3600 * NS,
        3 * day + 6 * 3600 * NS,
    )
    found = current_shift(plant, 3 * day + 23 * 3600 * NS)
    assert found is not None and found[1] == 3 * day + 22 * 3600 * NS
