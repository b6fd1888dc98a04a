"""Alarm rules from plant files: limits become HH/H/L/LL, the alarm table's settings, and
one test per contradictory setting (refused at load, naming asset, signal and field)."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from twin.alarms import AlarmKind, AlarmRule, Priority, build_rules, signal_rules
from twin.alarms.rules import default_stale_s
from twin.plant.loader import PlantError, load_plant, parse_plant
from twin.plant.model import Plant

# The brief's example, on one line as TOML inline tables must be.
TEMPLATE_ALARM = (
    'alarm = { priority = "high", deadband = 2.0, on_delay_s = 5, off_delay_s = 2, '
    "roc_per_s = 1.5, stale_s = 10 }"
)
BASE = """\
[plant]
name = "Alarm plant"

[[areas]]
id = "bay"

[templates.m]
kind = "motor"
[[templates.m.signals]]
key = "voltage"
unit = "V"
rate_hz = 10
normal = [380, 420]
alarm_low = 360
warn_low = 370
warn_high = 430
alarm_high = 440
@TEMPLATE_ALARM@

[[assets]]
id = "M01"
template = "m"
area = "bay"
position = [0.0, 0.0, 0.0]

[[assets]]
id = "M07"
template = "m"
area = "bay"
position = [3.0, 0.0, 0.0]
[[assets.signals]]
key = "voltage"
alarm = { priorities = { HH = "critical" } }
[[assets.signals]]
key = "speed"
rate_hz = 1
normal = [0, 1500]
warn_high = 1530
""".replace("@TEMPLATE_ALARM@", TEMPLATE_ALARM)


def rules_of(text: str, signal_id: str) -> dict[AlarmKind, AlarmRule]:
    plant = parse_plant(text, "alarms.toml")
    return {r.kind: r for r in build_rules(plant) if r.signal_id == signal_id}


def test_limits_become_alarms_with_the_signal_settings() -> None:
    rules = rules_of(BASE, "M01.voltage")
    assert set(rules) == set(AlarmKind) - {AlarmKind.CONNECTION}  # signals only
    assert [rules[k].limit for k in (AlarmKind.HH, AlarmKind.H, AlarmKind.L, AlarmKind.LL)] == [
        440,
        430,
        370,
        360,
    ]
    assert rules[AlarmKind.ROC].limit == 1.5
    for rule in rules.values():
        assert rule.priority is Priority.HIGH
        assert (rule.on_delay_s, rule.off_delay_s) == (5, 2)
        assert rule.asset_id == "M01"
    assert rules[AlarmKind.H].deadband == 2.0
    assert rules[AlarmKind.NO_DATA].stale_s == 10
    assert rules[AlarmKind.ROC].window_s == 1.0
    assert rules[AlarmKind.HH].alarm_id == "M01.voltage:HH"


def test_an_override_changes_only_the_alarm_keys_it_gives() -> None:
    rules = rules_of(BASE, "M07.voltage")
    assert rules[AlarmKind.HH].priority is Priority.CRITICAL
    assert rules[AlarmKind.H].priority is Priority.HIGH  # the template's priority
    assert rules[AlarmKind.H].deadband == 2.0 and rules[AlarmKind.ROC].limit == 1.5


def test_defaults_without_an_alarm_table() -> None:
    rules = rules_of(BASE, "M07.speed")
    assert set(rules) == {AlarmKind.H, AlarmKind.NO_DATA}
    assert rules[AlarmKind.H].priority is Priority.MEDIUM
    assert rules[AlarmKind.H].deadband == 0 and rules[AlarmKind.H].on_delay_s == 0
    assert rules[AlarmKind.NO_DATA].priority is Priority.LOW
    assert rules[AlarmKind.NO_DATA].stale_s == 3.0  # 3 periods at 1 Hz
    assert default_stale_s(10.0) == 2.0  # at least 2 s
    assert default_stale_s(0.1) == 30.0


def test_no_data_can_be_switched_off_and_priorities_default_per_kind() -> None:
    text = BASE.replace(
        'alarm = { priorities = { HH = "critical" } }',
        'alarm = { no_data = false, priorities = { HH = "critical", L = "low" } }',
    ).replace('priority = "high", ', "")
    rules = rules_of(text, "M07.voltage")
    assert AlarmKind.NO_DATA not in rules
    assert rules[AlarmKind.HH].priority is Priority.CRITICAL
    assert rules[AlarmKind.L].priority is Priority.LOW
    assert rules[AlarmKind.LL].priority is Priority.HIGH
    assert rules[AlarmKind.H].priority is Priority.MEDIUM


def test_demo_plant_rules(demo_plant: Plant) -> None:
    plant = demo_plant
    rules = build_rules(plant)
    limits = sum(
        sum(x is not None for x in (s.limits.alarm_low, s.limits.warn_low, s.limits.warn_high,
                                     s.limits.alarm_high))
        for s in plant.signals
    )  # fmt: skip
    assert len(rules) == limits + len(plant.signals)  # + one no-data alarm per signal
    assert len({r.alarm_id for r in rules}) == len(rules)
    some = plant.signals[0]
    assert rules.of_signal(some.id) == tuple(signal_rules(some))
    assert rules.rule(f"{some.id}:NO_DATA").kind is AlarmKind.NO_DATA
    with pytest.raises(KeyError, match="unknown alarm"):
        rules.index("nope:HH")


@pytest.mark.parametrize(
    ("field", "value"),
    [("deadband", -1.0), ("on_delay_s", -1.0), ("off_delay_s", math.nan), ("stale_s", 0.0),
     ("window_s", -2.0)],
)  # fmt: skip
def test_rules_built_in_code_check_their_fields(field: str, value: float) -> None:
    kw = {"kind": AlarmKind.H, "limit": 1.0, field: value}
    with pytest.raises(ValueError, match=field):
        AlarmRule("a.x", "a", priority=Priority.LOW, **kw)  # type: ignore[arg-type]


def test_rules_built_in_code_need_a_limit() -> None:
    with pytest.raises(ValueError, match="finite limit"):
        AlarmRule("a.x", "a", AlarmKind.HH, Priority.LOW)
    with pytest.raises(ValueError, match="ROC limit"):
        AlarmRule("a.x", "a", AlarmKind.ROC, Priority.LOW, limit=-1.0)
    AlarmRule("a.x", "a", AlarmKind.NO_DATA, Priority.LOW)  # no limit needed


# --- contradictions are refused at load ----------------------------------------------------

OVERRIDE_ALARM = 'alarm = { priorities = { HH = "critical" } }'
T_WHERE = 'template "m", signal "voltage"'
A_WHERE = 'asset "M07", signal "voltage"'


def _t(new: str) -> str:
    return BASE.replace(TEMPLATE_ALARM, new)


def _a(new: str) -> str:
    return BASE.replace(OVERRIDE_ALARM, new)


# (id, plant text, place, fragments, text of the line it must name)
CONTRADICTIONS = [
    ("high-above-high-high", BASE.replace("warn_high = 430", "warn_high = 450"), T_WHERE,
     ["warn_high (450.0) is above alarm_high (440.0)"], "warn_high = 450"),
    ("high-above-high-high-override", BASE.replace(OVERRIDE_ALARM, "alarm_high = 420"), A_WHERE,
     ["warn_high (430.0) is above alarm_high (420.0)"], "warn_high = 430"),
    ("negative-deadband", _t("alarm = { deadband = -1.0 }"), T_WHERE,
     ["alarm.deadband must be >= 0, got -1.0"], "deadband = -1.0"),
    ("negative-deadband-override", _a("alarm = { deadband = -0.5 }"), A_WHERE,
     ["alarm.deadband must be >= 0, got -0.5"], "deadband = -0.5"),
    ("negative-on-delay", _t("alarm = { on_delay_s = -5 }"), T_WHERE,
     ["alarm.on_delay_s must be >= 0, got -5"], "on_delay_s = -5"),
    ("negative-off-delay", _a("alarm = { off_delay_s = -2 }"), A_WHERE,
     ["alarm.off_delay_s must be >= 0, got -2"], "off_delay_s = -2"),
    ("unknown-priority", _t('alarm = { priority = "urgent" }'), T_WHERE,
     ["alarm.priority must be one of low, medium, high, critical, got \"urgent\""],
     'priority = "urgent"'),
    ("misspelt-priority", _a('alarm = { priority = "hihg" }'), A_WHERE,
     ['alarm.priority must be one of', '(did you mean "high"?)'], 'priority = "hihg"'),
    ("unknown-kind-priority", _a('alarm = { priorities = { HHH = "high" } }'), A_WHERE,
     ['alarm.priorities has an unknown alarm kind "HHH" (did you mean "HH"?)'], "HHH"),
    ("unknown-per-kind-priority", _a('alarm = { priorities = { LL = "severe" } }'), A_WHERE,
     ["alarm.priorities.LL must be one of low, medium, high, critical, got \"severe\""],
     "severe"),
    ("unknown-key", _t("alarm = { deadbnd = 1 }"), T_WHERE,
     ['alarm has an unknown key "deadbnd" (did you mean "deadband"?)'], "deadbnd"),
    ("not-a-table", _t('alarm = "high"'), T_WHERE,
     ['alarm must be a table, got "high"'], 'alarm = "high"'),
    ("deadband-wider-than-band", _t("alarm = { deadband = 60 }"), T_WHERE,
     ["alarm.deadband (60) must be smaller than the gap between warn_low (370) and "
      "warn_high (430)"], "deadband = 60"),
    ("stale-shorter-than-a-period", _t("alarm = { stale_s = 0.1 }"), T_WHERE,
     ["alarm.stale_s (0.1) must be longer than one sample period (0.1 s at 10 Hz)"],
     "stale_s = 0.1"),
    ("roc-not-positive", _t("alarm = { roc_per_s = 0 }"), T_WHERE,
     ["alarm.roc_per_s must be > 0, got 0"], "roc_per_s = 0"),
    ("roc-window-without-roc", _t("alarm = { roc_window_s = 2 }"), T_WHERE,
     ["alarm.roc_window_s is set but roc_per_s is not"], "roc_window_s = 2"),
    ("priority-for-missing-limit", BASE.replace("warn_high = 1530",
     'warn_high = 1530\nalarm = { priorities = { HH = "high" } }'), 'asset "M07", signal "speed"',
     ["alarm.priorities.HH is set but the signal has no alarm_high"], "alarm = {"),
    ("no-data-not-bool", _t('alarm = { no_data = "no" }'), T_WHERE,
     ['alarm.no_data must be true or false, got "no"'], "no_data"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "where", "fragments", "line_text"),
    [pytest.param(text, w, f, line, id=name) for name, text, w, f, line in CONTRADICTIONS],
)
def test_contradictory_alarm_settings_are_refused(
    tmp_path: Path, text: str, where: str, fragments: list[str], line_text: str
) -> None:
    path = tmp_path / "alarms.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(PlantError) as info:
        load_plant(path)
    err = info.value
    message = str(err)
    assert err.where == where, message
    for fragment in fragments:
        assert fragment in message, message
    assert err.line is not None, message
    assert message.startswith(f"{path}:{err.line}: {where}: ")
    assert line_text in text.splitlines()[err.line - 1], message
