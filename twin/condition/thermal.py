"""The winding temperature that current and ambient explain, against the measured one.

First order, as a motor heats: the winding settles at ambient + rated rise x (I / I_rated)^2
with time constant tau. The residual (measured - model) stays near zero on a healthy motor
whatever its load; it grows when cooling fails (a clogged fan or fins) or the insulation
ages, because then the same current heats the winding more.
"""

from __future__ import annotations

import numpy as np


def steady_temperature(
    ambient_c: np.ndarray, rise_k: np.ndarray, current_ratio_sq: np.ndarray
) -> np.ndarray:
    """Where the winding settles at a held (I / I_rated)^2."""
    return ambient_c + rise_k * current_ratio_sq


def step(model_c: np.ndarray, goal_c: np.ndarray, dt_s: float, tau_s: np.ndarray) -> np.ndarray:
    """The model temperature after ``dt_s`` with the goal held: the exact first-order
    update. NaN in the model (not started) takes the goal; a NaN goal holds the model."""
    decay = np.exp(-dt_s / tau_s)
    out = goal_c + (model_c - goal_c) * decay
    out = np.where(np.isnan(model_c), goal_c, out)
    return np.where(np.isnan(goal_c), model_c, out)


def window_mean(
    model_c: np.ndarray, goal_c: np.ndarray, dt_s: float, tau_s: np.ndarray
) -> np.ndarray:
    """The model's mean over the ``dt_s`` after ``model_c`` with the goal held: what a
    window's mean of the measurement is to be compared with (its end value runs ahead
    of it while the winding heats or cools)."""
    x = dt_s / tau_s
    share = np.where(x > 1e-9, (1.0 - np.exp(-x)) / np.maximum(x, 1e-9), 1.0)
    out = goal_c + (model_c - goal_c) * share
    out = np.where(np.isnan(model_c), goal_c, out)
    return np.where(np.isnan(goal_c), model_c, out)


def time_to_reach(
    now_c: np.ndarray, goal_c: np.ndarray, limit_c: np.ndarray, tau_s: np.ndarray
) -> np.ndarray:
    """Seconds until a first-order approach from ``now_c`` to ``goal_c`` crosses
    ``limit_c``: 0 when already there, inf when the goal stays below the limit."""
    with np.errstate(invalid="ignore", divide="ignore"):
        t = tau_s * np.log((goal_c - now_c) / (goal_c - limit_c))
    t = np.where(goal_c > limit_c, np.maximum(t, 0.0), np.inf)
    t = np.where(now_c >= limit_c, 0.0, t)
    return np.where(np.isnan(t), np.inf, t)
