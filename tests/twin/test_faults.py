"""The command-line fault spec ASSET:KIND@SECONDS."""

from __future__ import annotations

import pytest

from twin.plant.faults import parse_fault_spec
from twin.plant.model import Area, Asset, Fault, FaultKind, Plant


def _plant(*asset_ids: str) -> Plant:
    assets = tuple(
        Asset(id=a, name=a, kind="motor", area_id="bay", position=(0.0, 0.0, 0.0),
              yaw_deg=0.0, signals=())
        for a in asset_ids
    )  # fmt: skip
    return Plant("Demo workshop", "demo.toml", (Area("bay", "Bay"),), assets)


PLANT = _plant(*(f"M{i:02d}" for i in range(1, 25)), "P01", "press-2")


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("M07:overload@30", Fault("M07", FaultKind.OVERLOAD, 30.0)),
        ("M07:bearing_wear@0", Fault("M07", FaultKind.BEARING_WEAR, 0.0)),
        ("P01:voltage_sag@12.5", Fault("P01", FaultKind.VOLTAGE_SAG, 12.5)),
        ("press-2:sensor_freeze@1e2", Fault("press-2", FaultKind.SENSOR_FREEZE, 100.0)),
        ("M07:overload@30s", Fault("M07", FaultKind.OVERLOAD, 30.0)),
        ("  M07 : overload @ 30 ", Fault("M07", FaultKind.OVERLOAD, 30.0)),
    ],
)
def test_valid_specs(spec: str, expected: Fault) -> None:
    assert parse_fault_spec(spec) == expected
    assert parse_fault_spec(spec, PLANT) == expected


def test_without_a_plant_any_valid_id_is_accepted() -> None:
    assert parse_fault_spec("X99:overload@5").asset_id == "X99"


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("", "empty fault spec; expected ASSET:KIND@SECONDS, e.g. M07:overload@30"),
        ("   ", "empty fault spec"),
        ("M07overload@30", "missing ':' between asset and kind; expected ASSET:KIND@SECONDS"),
        ("M07:overload30", "missing '@' before the time in seconds; expected ASSET:KIND@SECONDS"),
        (":overload@30", "missing asset id before ':'"),
        ("M 07:overload@30", "asset id \"M 07\" may contain only letters, digits, '_' and '-'"),
        ("M07.x:overload@30", 'asset id "M07.x" may contain only letters'),
        ("M07:@30", "missing fault kind between ':' and '@'"),
        ("M07:overlaod@30", 'fault kind must be one of bearing_wear, overload, voltage_sag, '
                            'sensor_freeze, got "overlaod" (did you mean "overload"?)'),
        ("M07:explode@30", 'got "explode"'),
        ("M07:overload@", "missing time in seconds after '@'"),
        ("M07:overload@soon", 'time "soon" is not a number of seconds'),
        ("M07:overload@30@40", 'time "30@40" is not a number of seconds'),
        ("M07:overload@-1", 'time must be a finite number >= 0, got "-1"'),
        ("M07:overload@inf", 'time must be a finite number >= 0, got "inf"'),
        ("M07:overload@nan", 'time must be a finite number >= 0, got "nan"'),
    ],
)  # fmt: skip
def test_malformed_specs(spec: str, message: str) -> None:
    with pytest.raises(ValueError) as info:
        parse_fault_spec(spec, PLANT)
    assert message in str(info.value)


def test_unknown_asset_lists_close_ids() -> None:
    with pytest.raises(ValueError) as info:
        parse_fault_spec("M7:overload@30", PLANT)
    message = str(info.value)
    assert message.startswith('no asset "M7" in plant "Demo workshop"; close: ')
    close = message.split("close: ")[1].split(", ")
    assert "M07" in close and 1 <= len(close) <= 3


def test_unknown_asset_without_close_ids() -> None:
    with pytest.raises(ValueError, match=r'^no asset "ZZZ" in plant "Demo workshop"$'):
        parse_fault_spec("ZZZ:overload@30", PLANT)


def test_the_first_malformed_part_is_reported() -> None:
    # Unknown asset, unknown kind and a bad time: the asset comes first.
    with pytest.raises(ValueError, match='no asset "Q1"'):
        parse_fault_spec("Q1:nope@-3", PLANT)
