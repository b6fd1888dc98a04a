"""Plant-file loading: the demo plant, files, and one test per kind of mistake (templates and
faults: test_plant_templates.py)."""

from __future__ import annotations

import itertools
import math
import re
from collections import Counter
from pathlib import Path

import pytest

from twin.kinds import BUILTIN_KINDS as EQUIPMENT_KINDS
from twin.plant.loader import PlantError, load_plant, parse_plant
from twin.plant.model import Plant

MOTOR_KEYS = ("winding_temp", "bearing_temp", "current", "voltage", "vibration", "speed")
OPTIONAL_KEYS = {
    "motor": {"acceleration"},
    # an extruder's output and cut pieces, a moulding machine's mould and shots
    "extruder": {"output_m", "piece_count", "mould_position", "shot_count"},
}
CYCLE_KEYS = {"scrap_count", "state", "power"}
KEYS_BY_KIND = {
    "motor": set(MOTOR_KEYS),
    "press": {
        "ram_position",
        "force",
        "motor_current",
        "panel_count",
        "scrap_count",
        "state",
        "power",
    },
    "conveyor": {"belt_speed", "motor_current"},
    "extruder": {"melt_temp", "die_pressure", "screw_speed", "heater_power"} | CYCLE_KEYS,
    "pump": {"flow", "pressure", "motor_current"},
    "loom": {"speed", "warp_tension", "motor_current", "piece_count"} | CYCLE_KEYS,
    "robot": {f"joint{i}" for i in range(1, 7)}
    | {"motor_current", "cycle_count", "state", "power"},
    "elevator": {"car_position", "car_speed", "motor_current", "door_open"},
}

# A small valid plant; each error case below changes one thing in it.
BASE = """\
[plant]
name = "Test plant"

[[areas]]
id = "bay"
name = "Bay"

[templates.m]
kind = "motor"
params = { rated_current_a = 15.0, rated_speed_rpm = 1470 }
[[templates.m.signals]]
key = "current"
unit = "A"
rate_hz = 10
normal = [0, 15]
warn_high = 17
alarm_high = 21

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
key = "current"
warn_high = 18
"""


# --- the demo plant ------------------------------------------------------------------------


def test_demo_plant_has_every_area_and_kind(demo_plant: Plant, demo_plant_path: Path) -> None:
    area_ids = {a.id for a in demo_plant.areas}
    assert area_ids >= {
        "motor_bay", "press_line", "extrusion", "weaving", "robot_cell", "elevator_tower",
    }  # fmt: skip
    kinds = Counter(a.kind for a in demo_plant.assets)
    assert set(kinds) == set(EQUIPMENT_KINDS)
    assert kinds["motor"] >= 24
    assert kinds["loom"] >= 6
    assert kinds["robot"] >= 2
    assert {a.kind for a in demo_plant.assets_in("motor_bay")} == {"motor"}
    assert len(demo_plant.assets_in("weaving")) >= 6
    assert demo_plant.has_asset("M07")
    assert demo_plant.seed == 7
    assert demo_plant.source_path == str(demo_plant_path)


def test_demo_plant_ids_are_unique(demo_plant: Plant) -> None:
    signal_ids = [s.id for s in demo_plant.signals]
    assert len(signal_ids) == len(set(signal_ids))
    assert len({a.id for a in demo_plant.assets}) == len(demo_plant.assets)
    for sig in demo_plant.signals:
        assert sig.id == f"{sig.asset_id}.{sig.key}"


def test_demo_signal_keys_per_kind(demo_plant: Plant) -> None:
    for asset in demo_plant.assets:
        keys = [s.key for s in asset.signals]
        assert set(keys) - OPTIONAL_KEYS.get(asset.kind, set()) == KEYS_BY_KIND[asset.kind], (
            asset.id
        )
    # The simulator relies on these exact motor keys, in this order.
    assert tuple(s.key for s in demo_plant.asset("M01").signals) == MOTOR_KEYS
    # A few motors carry an accelerometer: a waveform channel at kHz for the spectrum.
    accelerometers = [s for s in demo_plant.signals if s.key == "acceleration"]
    assert [s.asset_id for s in accelerometers] == ["M03", "M05", "M09"]
    assert all(s.rate_hz >= 1000 for s in accelerometers)


def test_demo_signals_run_inside_their_warning_limits(demo_plant: Plant) -> None:
    for sig in demo_plant.signals:
        low, high = sig.normal
        lim = sig.limits
        assert lim.warn_high is None or high <= lim.warn_high, sig.id
        assert lim.warn_low is None or low >= lim.warn_low, sig.id
        assert sig.unit or sig.key in ("door_open", "state"), sig.id  # codes: no unit


def test_demo_motor_ratings(demo_plant: Plant) -> None:
    for motor in (a for a in demo_plant.assets if a.kind == "motor"):
        rated = float(motor.params["rated_current_a"])
        current = motor.signal("current")
        assert current is not None and current.limits.warn_high and current.limits.alarm_high
        # Warn ~1.15x and alarm ~1.4x of the nameplate current.
        assert current.limits.warn_high / rated == pytest.approx(1.15, abs=0.02), motor.id
        assert current.limits.alarm_high / rated == pytest.approx(1.4, abs=0.02), motor.id
        assert motor.params["thermal_tau_s"] == 120
        assert {"rated_speed_rpm", "rated_temp_rise_k", "ambient_c"} <= set(motor.params)
    assert demo_plant.signal("M01.current").rate_hz == 10
    assert demo_plant.signal("M01.winding_temp").rate_hz == 1


def test_demo_press_line_cycle(demo_plant: Plant) -> None:
    line = demo_plant.assets_in("press_line")
    assert {a.params.get("mode") for a in line if a.kind == "press"} >= {"shear", "punch"}
    assert all(a.params["line_cycle_s"] == 216 for a in line)
    assert demo_plant.signal("S01.ram_position").rate_hz == 50
    assert demo_plant.signal("S01.panel_count").unit == "panels"


def test_demo_layout_fits_the_floor_without_overlaps(demo_plant: Plant) -> None:
    xy = [(a.id, a.position[0], a.position[1]) for a in demo_plant.assets]
    assert all(0 <= x <= 60 and 0 <= y <= 40 for _, x, y in xy)
    for (ida, xa, ya), (idb, xb, yb) in itertools.combinations(xy, 2):
        assert math.hypot(xa - xb, ya - yb) >= 2.5, (ida, idb)


# A plant of templates, overrides and a second kind (test_plant_templates.py tests its merging).
# An inline signal row, split here only to keep the Python lines short.
_CURRENT_ROW = (
    '{ key = "current", name = "Phase current", unit = "A", rate_hz = 10, normal = [0, 15], '
    "warn_high = 17, alarm_high = 21 }"
)
MERGE = """\
[plant]
name = "Merge"

[[areas]]
id = "bay"

[templates.m]
kind = "motor"
params = { rated_current_a = 15.0, ambient_c = 30 }
signals = [
  CURRENT_ROW,
  { key = "speed", unit = "rpm", rate_hz = 10, normal = [1400, 1500], warn_low = 1380 },
]

[[assets]]
id = "M24"
name = "M24 rewound motor"
template = "m"
area = "bay"
position = [1, 2, 0.5]
yaw = 90
params = { rated_current_a = 16.5, duty = "S1" }
[[assets.signals]]
key = "current"
warn_high = 19.0
source = { topic = "bay/M24/current", scale = [1, 2] }
[[assets.signals]]
key = "oil_temp"
unit = "°C"
rate_hz = 0.5
normal = [20, 60]

[[assets]]
id = "P1"
kind = "pump"
area = "bay"
position = [4, 0, 0]
[[assets.signals]]
key = "flow"
unit = "m³/h"
rate_hz = 10
normal = [0, 40]
""".replace("CURRENT_ROW", _CURRENT_ROW)


# --- files ----------------------------------------------------------------------------------


def test_load_plant_accepts_str_and_path_and_a_bom(tmp_path: Path) -> None:
    path = tmp_path / "bom.toml"
    path.write_bytes(b"\xef\xbb\xbf" + BASE.encode())
    assert load_plant(path).name == "Test plant"
    assert load_plant(str(path)).source_path == str(path)


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nope.toml"
    with pytest.raises(PlantError, match=r"nope\.toml: no such file"):
        load_plant(path)


def test_directory_is_not_a_plant_file(tmp_path: Path) -> None:
    with pytest.raises(PlantError, match="is a directory"):
        load_plant(tmp_path)


def test_unreadable_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # chmod cannot lock out root (CI containers), so make the read itself fail.
    def denied(self: Path) -> bytes:
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "read_bytes", denied)
    path = tmp_path / "locked.toml"
    with pytest.raises(PlantError, match=r"locked\.toml: cannot read the file: Permission denied"):
        load_plant(path)


def test_file_not_utf8_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "latin1.toml"
    path.write_bytes(BASE.replace('"Bay"', '"Bäy"').encode("latin-1"))
    with pytest.raises(PlantError) as info:
        load_plant(path)
    assert str(info.value).startswith(f"{path}:6: not UTF-8 text (byte 0xe4")
    assert info.value.line == 6


# --- one test per kind of mistake ---------------------------------------------------------


def _edit(old: str, new: str, count: int = 1) -> str:
    assert old in BASE, old
    return BASE.replace(old, new, count)


FAULT = '\n[[faults]]\nasset = "M07"\nkind = "overload"\nat = 30\n'

# (id, plant text, fragments the message must contain, text of the line it must name or None)
ERRORS = [
    ("syntax", _edit("[3.0, 0.0, 0.0]", "[3.0, 0.0,, 0.0]"),
     ["TOML syntax error", "Invalid value"], "[3.0, 0.0,, 0.0]"),
    ("no-plant-table", _edit('[plant]\nname = "Test plant"\n', ""),
     ["missing the [plant] table"], None),
    ("no-plant-name", _edit('name = "Test plant"', "seed = 3"),
     ['[plant]: missing required key "name"'], "[plant]"),
    ("plant-name-type", _edit('name = "Test plant"', "name = 5"),
     ["[plant]: name must be a non-empty string, got 5"], "name = 5"),
    ("seed", _edit('name = "Test plant"', 'name = "T"\nseed = -1'),
     ["seed must be a non-negative integer, got -1"], "seed = -1"),
    ("unknown-top-level", _edit("[[areas]]", "[[area]]"),
     ['unknown top-level table "area" (did you mean "areas"?)'], "[[area]]"),
    ("areas-not-array", _edit("[[areas]]", "[areas]"),
     ["areas must be an array of tables"], "[areas]"),
    ("duplicate-area", BASE + '\n[[areas]]\nid = "bay"\n',
     ['area "bay": duplicate area id "bay" (first defined at line 5)'], 'id = "bay"'),
    ("duplicate-asset", _edit('id = "M07"', 'id = "M01"'),
     ['asset "M01": duplicate asset id "M01" (first defined at line 20)'], 'id = "M01"'),
    ("duplicate-signal", BASE + '[[assets.signals]]\nkey = "current"\nwarn_high = 19\n',
     ['asset "M07", signal "current": duplicate signal key "current"'], 'key = "current"'),
    ("asset-id-chars", _edit('id = "M07"', 'id = "M 07"'),
     ['asset #2: id "M 07" may contain only letters, digits'], 'id = "M 07"'),
    ("signal-key-dot", _edit('key = "current"', 'key = "cur.rent"'),
     ['template "m", signal #1: key "cur.rent" must not contain \'.\''], 'key = "cur.rent"'),
    ("template-name", BASE.replace("templates.m", 'templates."m 1"').replace('"m"', '"m 1"'),
     ['template "m 1": template name "m 1" may contain only letters'], '[templates."m 1"]'),
    ("unknown-area", _edit('area = "bay"\nposition = [3.0', 'area = "bya"\nposition = [3.0'),
     ['asset "M07": area "bya" is not defined (did you mean "bay"?)'], 'area = "bya"'),
    ("unknown-template", _edit('template = "m"', 'template = "n"'),
     ['asset "M01": template "n" is not defined; valid: m'], 'template = "n"'),
    ("unknown-kind", _edit('kind = "motor"', 'kind = "moter"'),
     ['template "m": kind must be one of motor, press, extruder', 'got "moter"',
      '(did you mean "motor"?)'], 'kind = "moter"'),
    ("no-template-or-kind", _edit('template = "m"\n', ""),
     ['asset "M01": needs a template = "..." or a kind = "..."'], "[[assets]]"),
    ("kind-conflict", _edit('template = "m"', 'template = "m"\nkind = "pump"'),
     ['asset "M01": kind "pump" differs from its template\'s kind "motor"'], 'kind = "pump"'),
    ("position-length", _edit("[0.0, 0.0, 0.0]", "[0.0, 0.0]"),
     ['asset "M01": position must be a list of 3 numbers [x, y, z], got [0.0, 0.0]'],
     "position = [0.0, 0.0]"),
    ("position-type", _edit("[0.0, 0.0, 0.0]", '["a", 0, 0]'),
     ['asset "M01": position must be a list of 3 numbers', 'got ["a", 0, 0]'], "position"),
    ("position-missing", _edit("position = [0.0, 0.0, 0.0]\n", ""),
     ['asset "M01": missing required key "position"'], "[[assets]]"),
    ("yaw-type", _edit('area = "bay"\n', 'area = "bay"\nyaw = "north"\n'),
     ['asset "M01": yaw must be a number, got "north"'], 'yaw = "north"'),
    ("params-type", _edit("rated_current_a = 15.0", "rated_current_a = true"),
     ['template "m": params entry rated_current_a must be a number or a string, got true'],
     "params = {"),
    ("signals-type", _edit('template = "m"', 'template = "m"\nsignals = 5'),
     ['asset "M01": signals must be an array of tables'], "signals = 5"),
    ("rate-zero", _edit("rate_hz = 10", "rate_hz = 0"),
     ['template "m", signal "current": rate_hz must be > 0 and <= 100000 Hz, got 0'],
     "rate_hz = 0"),
    ("rate-too-high", _edit("rate_hz = 10", "rate_hz = 200000"),
     ["rate_hz must be > 0 and <= 100000 Hz, got 200000"], "rate_hz = 200000"),
    ("rate-type", _edit("rate_hz = 10", 'rate_hz = "10"'),
     ['rate_hz must be a number, got "10"'], 'rate_hz = "10"'),
    ("normal-reversed", _edit("normal = [0, 15]", "normal = [15, 0]"),
     ['signal "current": normal must have low < high, got [15, 0]'], "normal = [15, 0]"),
    ("normal-length", _edit("normal = [0, 15]", "normal = [0]"),
     ["normal must be a list of 2 numbers [low, high], got [0]"], "normal = [0]"),
    ("missing-normal", _edit("normal = [0, 15]\n", ""),
     ['template "m", signal "current": missing required key "normal"'],
     "[[templates.m.signals]]"),
    ("new-signal-missing-rate", BASE + '[[assets.signals]]\nkey = "speed"\nnormal = [0, 9]\n',
     ['asset "M07", signal "speed": missing required key "rate_hz"'], "[[assets.signals]]"),
    ("limits-in-template", _edit("warn_high = 17", "warn_high = 25"),
     ['template "m", signal "current": warn_high (25.0) is above alarm_high (21.0)'],
     "warn_high = 25"),
    ("limits-via-override", _edit("warn_high = 18", "warn_high = 140"),
     ['asset "M07", signal "current": warn_high (140.0) is above alarm_high (21.0)'],
     "warn_high = 140"),
    ("limits-low-equals-high", _edit("warn_high = 17", "warn_low = 17\nwarn_high = 17"),
     ["warn_low (17.0) must be below warn_high (17.0)"], "warn_low = 17"),
    ("limits-low-side", _edit("warn_high = 17", "alarm_low = 5\nwarn_low = 2\nwarn_high = 17"),
     ["alarm_low (5.0) is above warn_low (2.0)"], "alarm_low = 5"),
    ("limit-nan", _edit("alarm_high = 21", "alarm_high = nan"),
     ['signal "current": alarm_high must be a finite number, got nan'], "alarm_high = nan"),
    ("limit-inf", _edit("warn_high = 18", "warn_high = inf"),
     ['asset "M07", signal "current": warn_high must be a finite number, got inf'],
     "warn_high = inf"),
    ("unknown-signal-key", _edit("warn_high = 18", "warn_hihg = 18"),
     ['asset "M07", signal "current": unknown key "warn_hihg" (did you mean "warn_high"?)'],
     "warn_hihg = 18"),
    ("unknown-asset-key", _edit("position = [3.0", "postion = [3.0"),
     ['asset "M07": unknown key "postion" (did you mean "position"?)'], "postion = [3.0"),
    ("fault-unknown-asset", BASE + FAULT.replace('"M07"', '"M7"'),
     ['fault #1: asset "M7" is not defined (did you mean'], 'asset = "M7"'),
    ("fault-unknown-kind", BASE + FAULT.replace("overload", "overlaod"),
     ["fault #1: kind must be one of bearing_wear, overload", '(did you mean "overload"?)'],
     'kind = "overlaod"'),
    ("fault-negative-time", BASE + FAULT.replace("30", "-5"),
     ["fault #1: at must be >= 0, got -5"], "at = -5"),
    ("fault-missing-time", BASE + FAULT.replace("at = 30\n", ""),
     ['fault #1: missing required key "at"'], "[[faults]]"),
    ("fault-time-not-a-time", BASE + FAULT.replace("30", '"soon"'),
     ['fault #1: at "soon" is not a time: seconds, or a number with s, m or h'], 'at = "soon"'),
    ("fault-develop-unit", BASE + FAULT + 'develop = "2d"\n',
     ['fault #1: develop "2d" is not a time'], 'develop = "2d"'),
    ("fault-develop-negative", BASE + FAULT + "develop = -60\n",
     ["fault #1: develop must be >= 0, got -60"], "develop = -60"),
    ("fault-develop-boolean", BASE + FAULT + "develop = true\n",
     ["fault #1: develop must be a number, got true"], "develop = true"),
    ("fault-develop-instant", BASE + FAULT.replace("overload", "voltage_sag") + "develop = 5\n",
     ["fault #1: develop does not apply to voltage_sag, which happens at once"], "develop = 5"),
    ("fault-develop-typo", BASE + FAULT + 'develp = "1h"\n',
     ['fault #1: unknown key "develp" (did you mean "develop"?)'], 'develp = "1h"'),
]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "fragments", "line_text"),
    [pytest.param(text, frags, line, id=name) for name, text, frags, line in ERRORS],
)
def test_error_names_file_line_place_and_field(
    tmp_path: Path, text: str, fragments: list[str], line_text: str | None
) -> None:
    path = tmp_path / "bad_plant.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(PlantError) as info:
        load_plant(path)
    err = info.value
    message = str(err)
    assert "\n" not in message
    for fragment in fragments:
        assert fragment in message
    if line_text is None:
        assert message.startswith(f"{path}: ")
    else:
        assert err.line is not None, message
        assert message.startswith(f"{path}:{err.line}: ")
        assert line_text in text.splitlines()[err.line - 1], message


def test_error_attributes() -> None:
    with pytest.raises(PlantError) as info:
        parse_plant(_edit("warn_high = 18", "warn_high = 140"), "demo.toml")
    err = info.value
    assert (err.path, err.line) == ("demo.toml", 32)
    assert err.where == 'asset "M07", signal "current"'
    assert str(err) == (
        'demo.toml:32: asset "M07", signal "current": warn_high (140.0) is above alarm_high (21.0)'
    )


def test_errors_in_inline_signal_arrays_name_the_row() -> None:
    text = MERGE.replace("warn_low = 1380", "warn_low = 1380, alarm_lo = 1300")
    with pytest.raises(PlantError) as info:
        parse_plant(text, "merge.toml")
    assert 'template "m", signal "speed": unknown key "alarm_lo"' in str(info.value)
    assert info.value.line == 12


def test_demo_error_names_the_demo_line(demo_plant_path: Path) -> None:
    text = demo_plant_path.read_text(encoding="utf-8").replace('id = "M12"', 'id = "M11"')
    with pytest.raises(PlantError) as info:
        parse_plant(text, "demo_workshop.toml")
    assert info.value.line is not None
    assert re.fullmatch(r'id = "M11"', text.splitlines()[info.value.line - 1])
    assert "first defined at line" in str(info.value)


# --- robustness: any mangled file gives a PlantError, never a traceback -------------------

_VALUES = ["true", '"x"', "[]", "{}", "-1", "nan", "[1, 2, 3]", '{ a = "b" }', "1e309"]


def _mutations() -> list[str]:
    lines = MERGE.splitlines()
    out = ["\n".join(lines[:i] + lines[i + 1 :]) for i in range(len(lines))]  # drop a line
    for i, line in enumerate(lines):  # replace a value
        if " = " in line and not line.startswith(" "):
            key = line.split(" = ", 1)[0]
            out += ["\n".join([*lines[:i], f"{key} = {v}", *lines[i + 1 :]]) for v in _VALUES]
    return out


def test_mangled_files_fail_cleanly() -> None:
    for text in _mutations():
        try:
            parse_plant(text, "mangled.toml")
        except PlantError as err:
            assert str(err).startswith("mangled.toml")
