"""The command-line fault spec ASSET:KIND@START[+DEVELOP]."""

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
        ("M07:bearing_wear@600+2h", Fault("M07", FaultKind.BEARING_WEAR, 600.0, 7200.0)),
        ("M07:overload@10m+0", Fault("M07", FaultKind.OVERLOAD, 600.0, 0.0)),
        ("M07:cooling_loss@1.5h+90m", Fault("M07", FaultKind.COOLING_LOSS, 5400.0, 5400.0)),
        ("M07:supply_imbalance@600s + 45s", Fault("M07", FaultKind.SUPPLY_IMBALANCE, 600, 45)),
        ("M07:insulation_ageing@1e+2+1e2", Fault("M07", FaultKind.INSULATION_AGEING, 100, 100)),
        ("M07:insulation_ageing@2 h", Fault("M07", FaultKind.INSULATION_AGEING, 7200.0)),
        ("P01:sensor_freeze@.5m", Fault("P01", FaultKind.SENSOR_FREEZE, 30.0)),
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
        ("", "empty fault spec; expected ASSET:KIND@START[+DEVELOP], e.g. M07:overload@30"),
        ("   ", "empty fault spec"),
        ("M07overload@30", "missing ':' between asset and kind; expected ASSET:KIND@START"),
        ("M07:overload30", "missing '@' before the start time; expected ASSET:KIND@START"),
        (":overload@30", "missing asset id before ':'"),
        ("M 07:overload@30", "asset id \"M 07\" may contain only letters, digits, '_' and '-'"),
        ("M07.x:overload@30", 'asset id "M07.x" may contain only letters'),
        ("M07:@30", "missing fault kind between ':' and '@'"),
        ("M07:overlaod@30", 'fault kind must be one of bearing_wear, overload, voltage_sag, '
                            'sensor_freeze, cooling_loss, supply_imbalance, insulation_ageing, '
                            'got "overlaod" (did you mean "overload"?)'),
        ("M07:explode@30", 'got "explode"'),
        ("M07:overload@", "missing start time after '@'"),
        ("M07:overload@+2h", "missing start time after '@'"),
        ("M07:overload@soon", 'start time "soon" is not a time: seconds, or a number with s, m '
                              'or h (600, 10m, 1.5h)'),
        ("M07:overload@30@40", 'start time "30@40" is not a time'),
        ("M07:overload@10d", 'start time "10d" is not a time'),
        ("M07:overload@-1", 'start time must be a finite time >= 0, got "-1"'),
        ("M07:overload@inf", 'start time must be a finite time >= 0, got "inf"'),
        ("M07:overload@nan", 'start time must be a finite time >= 0, got "nan"'),
        ("M07:overload@1e400", 'start time must be a finite time >= 0, got "1e400"'),
        ("M07:overload@30+", "missing development time after '+'"),
        ("M07:overload@30+soon", 'development time "soon" is not a time'),
        ("M07:overload@30+-5", 'development time must be a finite time >= 0, got "-5"'),
        ("M07:overload@30+1h+1h", 'development time "1h+1h" is not a time'),
        ("M07:voltage_sag@30+1h", "development time does not apply to voltage_sag, which "
                                  "happens at once; drop '+DEVELOP'"),
        ("M07:sensor_freeze@30+0", "development time does not apply to sensor_freeze"),
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


def test_the_start_is_reported_before_the_development_time() -> None:
    with pytest.raises(ValueError, match=r'^start time "x" is not a time'):
        parse_fault_spec("M07:overload@x+y", PLANT)
