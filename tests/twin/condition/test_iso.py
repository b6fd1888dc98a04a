"""ISO 20816-3 zones and the asset params behind them."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.twin.condition.fleet import motor
from twin.condition import iso
from twin.condition.profile import FleetProfile


def test_the_zone_table_of_the_standard() -> None:
    cases = [(500.0, False, (2.3, 4.5, 7.1)), (500.0, True, (3.5, 7.1, 11.0)),
             (55.0, False, (1.4, 2.8, 4.5)), (55.0, True, (2.3, 4.5, 7.1)),
             (300.0, False, (1.4, 2.8, 4.5)), (4.0, False, (1.4, 2.8, 4.5))]  # fmt: skip
    kw = np.array([c[0] for c in cases])
    flex = np.array([c[1] for c in cases])
    assert iso.boundaries(kw, flex).tolist() == [list(c[2]) for c in cases]


def _slow_zone(v: float, bounds: tuple[float, float, float]) -> int:
    if v != v:
        return -1
    for z, b in enumerate(bounds):
        if v < b:
            return z
    return 3


@given(
    st.lists(
        st.one_of(st.floats(0, 20), st.just(float("nan")), st.sampled_from([1.4, 2.8, 4.5])),
        min_size=1,
        max_size=50,
    )
)
def test_zones_match_a_per_value_reference(values: list[float]) -> None:
    v = np.array(values)
    bounds = iso.boundaries(np.full(v.size, 55.0), np.zeros(v.size, bool))
    expected = [_slow_zone(x, (1.4, 2.8, 4.5)) for x in values]
    assert iso.zones(v, bounds).tolist() == expected


def test_profile_reads_ratings_foundation_and_insulation() -> None:
    small = motor("S", rated_current_a=8.2)  # 4 kW: group 2 by the fallback
    big = motor("B", rated_power_kw=400.0, foundation="flexible", insulation_class="H")
    p = FleetProfile.from_assets([small, big])
    assert 3.5 < p.rated_kw[0] < 5.0
    assert p.iso_bounds.tolist() == [[1.4, 2.8, 4.5], [3.5, 7.1, 11.0]]
    assert p.insulation_c.tolist() == [155.0, 180.0]
    assert p.alarm_high[0, 4] == 7.1  # the vibration signal's alarm limit


@pytest.mark.parametrize(
    ("params", "field"),
    [({"foundation": "wobbly"}, "foundation"), ({"insulation_class": "Z"}, "insulation_class"),
     ({"rated_power_kw": -3.0}, "rated_power_kw"), ({"thermal_tau_s": "slow"}, "thermal_tau_s")],
)  # fmt: skip
def test_bad_params_name_the_asset_and_the_field(params: dict[str, object], field: str) -> None:
    with pytest.raises(ValueError, match=rf"asset 'X'.*{field}"):
        FleetProfile.from_assets([motor("X", **params)])  # type: ignore[arg-type]


def test_held_zones_keep_their_zone_near_a_boundary() -> None:
    bounds = iso.boundaries(np.full(1, 55.0), np.zeros(1, bool))
    zone = np.full(1, -1, np.int8)
    path = []
    for v in [2.7, 2.85, 2.9, 2.95, 2.85, 2.7, 2.6, 2.9, np.nan, 2.9]:
        zone = iso.held_zones(np.array([v]), bounds, zone)
        path.append(int(zone[0]))
    # up at 2.95 (> 2.8 x 1.05), down at 2.6 (< 2.8 x 0.95); unknown, then the plain zone
    assert path == [1, 1, 1, 2, 2, 2, 1, 1, -1, 2]


@given(st.lists(st.floats(0, 12), min_size=1, max_size=30))
def test_held_zones_never_differ_from_the_plain_zone_by_more_than_the_margin(
    values: list[float],
) -> None:
    bounds = iso.boundaries(np.full(1, 55.0), np.zeros(1, bool))
    zone = np.full(1, -1, np.int8)
    for v in values:
        zone = iso.held_zones(np.array([v]), bounds, zone)
        lo = _slow_zone(v, (1.4 * 1.05, 2.8 * 1.05, 4.5 * 1.05))
        hi = _slow_zone(v, (1.4 * 0.95, 2.8 * 0.95, 4.5 * 0.95))
        assert lo <= zone[0] <= hi
