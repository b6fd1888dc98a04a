"""The thermal model against a fine-step integration of the same equation."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from twin.condition import thermal


def _euler(start: float, goal: float, dt: float, tau: float, steps: int = 20_000) -> float:
    x, h = start, dt / steps
    for _ in range(steps):
        x += h * (goal - x) / tau
    return x


@settings(max_examples=25, deadline=None)
@given(st.floats(20, 150), st.floats(20, 150), st.floats(1, 600), st.floats(10, 2000))
def test_step_is_the_exact_first_order_update(
    start: float, goal: float, dt: float, tau: float
) -> None:
    got = thermal.step(np.array([start]), np.array([goal]), dt, np.array([tau]))[0]
    assert abs(got - _euler(start, goal, dt, tau)) < 1e-2


def test_step_starts_from_the_goal_and_holds_without_one() -> None:
    out = thermal.step(
        np.array([np.nan, 60.0]), np.array([70.0, np.nan]), 60, np.array([120.0, 120.0])
    )
    assert out.tolist() == [70.0, 60.0]


def test_time_to_reach_a_limit_matches_stepping_the_model() -> None:
    now, goal, limit, tau = (
        np.array([80.0]),
        np.array([160.0]),
        np.array([130.0]),
        np.array([120.0]),
    )
    ttl = thermal.time_to_reach(now, goal, limit, tau)[0]
    x, t = 80.0, 0.0
    while x < 130.0:
        x = thermal.step(np.array([x]), goal, 0.01, tau)[0]
        t += 0.01
    assert abs(ttl - t) < 0.05
    below = thermal.time_to_reach(
        np.array([80.0, 140.0]),
        np.array([120.0, 150.0]),
        np.array([130.0] * 2),
        np.array([120.0] * 2),
    )
    assert below.tolist() == [np.inf, 0.0]


def test_steady_temperature_at_rated_current() -> None:
    assert (
        thermal.steady_temperature(np.array([30.0]), np.array([50.0]), np.array([1.0]))[0] == 80.0
    )


@settings(max_examples=15, deadline=None)
@given(st.floats(20, 150), st.floats(20, 150), st.floats(1, 600), st.floats(10, 2000))
def test_window_mean_is_the_mean_of_the_model_over_the_window(
    start: float, goal: float, dt: float, tau: float
) -> None:
    steps = 4000
    xs = [
        thermal.step(np.array([start]), np.array([goal]), dt * (k + 0.5) / steps, np.array([tau]))[
            0
        ]
        for k in range(steps)
    ]  # midpoint rule over the window
    got = thermal.window_mean(np.array([start]), np.array([goal]), dt, np.array([tau]))[0]
    assert abs(got - sum(xs) / steps) < 1e-3
