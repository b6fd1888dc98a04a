"""Robust trends against a slow reference, and times to a limit on known ramps."""

from __future__ import annotations

import statistics

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from twin.condition.trend import pair_index, theil_sen, time_to_limit, trend

MINUTE = 60.0
T = np.arange(30) * MINUTE


def _slow_slope(t: list[float], y: list[float]) -> float:
    """Median slope over the same pairs, one pair at a time, NaN points left out."""
    w = len(t)
    lo = max(1, w // 2)
    slopes = [
        (y[j] - y[i]) / (t[j] - t[i])
        for h in range(lo, min(w, lo + max(1, w // 6)))
        for i in range(w - h)
        for j in [i + h]
        if y[i] == y[i] and y[j] == y[j]
    ]
    return statistics.median(slopes) if slopes else float("nan")


@settings(max_examples=60, deadline=None)
@given(
    st.integers(2, 40),
    st.integers(0, 2**32 - 1),
    st.floats(0.0, 0.3),
)
def test_theil_sen_matches_the_per_pair_reference(w: int, seed: int, nan_share: float) -> None:
    rng = np.random.default_rng(seed)
    y = 50 + rng.normal(size=(5, w)).cumsum(axis=1)
    y[rng.random(y.shape) < nan_share] = np.nan
    t = np.arange(w) * MINUTE
    got = theil_sen(t, y)
    want = [_slow_slope(t.tolist(), row.tolist()) for row in y]
    np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-6)


def test_pairs_are_about_half_a_window_apart() -> None:
    i, j = pair_index(30)
    assert ((j - i) >= 15).all() and ((j - i) < 20).all() and len(i) == 65


def test_slope_of_a_ramp_survives_outliers() -> None:
    y = 2.0 + 0.4 / 3600 * T  # 0.4 mm/s per hour
    y = np.tile(y, (3, 1))
    y[1, [3, 17, 25]] += 5.0  # spikes
    y[2, 10:13] = np.nan  # a gap
    tr = trend(T, y)
    np.testing.assert_allclose(tr.slope * 3600, 0.4, rtol=1e-4)
    np.testing.assert_allclose(tr.level, y[0, -1], rtol=1e-6)
    assert tr.significant.all()


def test_noise_and_a_settling_warm_up_are_not_trends() -> None:
    rng = np.random.default_rng(4)
    noise = 48 + 0.1 * rng.standard_normal((200, 30))
    settling = 30 + 20 * (1 - np.exp(-T / 400.0))  # a bearing warming after a start
    tr = trend(T, np.vstack([noise, settling]))
    assert tr.significant[:200].mean() < 0.02
    assert not tr.significant[200]


def test_too_few_points_give_no_trend() -> None:
    y = np.full((1, 30), np.nan)
    y[0, -5:] = [1, 2, 3, 4, 5]
    tr = trend(T, y, min_points=10)
    assert np.isnan(tr.slope[0]) and not tr.significant[0]


def test_time_to_limit_on_known_ramps() -> None:
    level = np.array([3.0, 3.0, 8.0, 3.0, 3.0, 400.0])
    slope = np.array([0.5, -0.5, 0.5, 0.0, np.nan, -10.0]) / 3600  # per hour -> per s
    high = np.array([7.1, 7.1, 7.1, 7.1, 7.1, 440.0])
    low = np.array([np.nan] * 5 + [360.0])
    ttl = time_to_limit(level, slope, high, low)
    np.testing.assert_allclose(ttl[0], 4.1 / 0.5 * 3600)
    assert ttl[1] == np.inf and ttl[2] == 0.0 and ttl[3] == np.inf and ttl[4] == np.inf
    np.testing.assert_allclose(ttl[5], 4 * 3600)
