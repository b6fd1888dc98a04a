"""Robust trends over windows of per-minute means, and the time until a limit.

The slope is a Theil-Sen estimate restricted to pairs about half the window apart (the
median of (y_j - y_i) / (t_j - t_i) over pairs with w/2 <= j - i < w/2 + w/6): the long
baselines carry the slope, and it needs a sixth of the pairs a full Theil-Sen would, so
50,000 rows of 30 points take a fraction of a second. Slopes are computed in float32 from
values taken relative to each row's largest. Rows are independent; NaN points are left
out.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# A slope counts as real when it moves the level by this many noise sigmas over the window.
SIGNIFICANT_SIGMAS = 4.0
_MAD_TO_SIGMA = 1.4826


def _nanmedian(x: np.ndarray, axis: int) -> np.ndarray:
    """np.median when nothing is missing (much faster), np.nanmedian otherwise; all-NaN
    rows give NaN without a warning."""
    if x.shape[axis] == 0:
        return np.full(np.delete(x.shape, axis), np.nan)
    nan = np.isnan(x)
    if not nan.any():
        return np.median(x, axis=axis)
    out = np.full(np.delete(x.shape, axis), np.nan)
    ok = ~nan.all(axis=axis)
    if ok.any():
        out[ok] = np.nanmedian(np.compress(ok, x, axis=1 - axis), axis=axis)
    return out


def pair_index(w: int) -> tuple[np.ndarray, np.ndarray]:
    """(i, j) of the pairs with w // 2 <= j - i < w // 2 + max(1, w // 6), at least lag 1."""
    lo = max(1, w // 2)
    lags = np.arange(lo, min(w, lo + max(1, w // 6)))
    if lags.size == 0:
        return np.empty(0, np.intp), np.empty(0, np.intp)
    i = np.concatenate([np.arange(w - h) for h in lags]).astype(np.intp)
    j = i + np.repeat(lags, w - lags)
    return i, j


def theil_sen(t: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Slope per row of ``y`` (m, w) at times ``t`` (w,), in y units per t unit."""
    i, j = pair_index(y.shape[1])
    ref = np.fmax.reduce(y, axis=1)[:, None]  # NaN-blind; small numbers keep their digits
    rel = (y - ref).astype(np.float32)
    slopes = (rel[:, j] - rel[:, i]) / (t[j] - t[i]).astype(np.float32)
    return _nanmedian(slopes, axis=1).astype(np.float64)


@dataclass(frozen=True)
class Trend:
    """Per row: robust ``slope`` (per second), ``level`` at the window's last time, noise
    ``sigma`` about the line, ``significant`` (the slope stands out of the noise)."""

    slope: np.ndarray
    level: np.ndarray
    sigma: np.ndarray
    significant: np.ndarray


def trend(t_s: np.ndarray, y: np.ndarray, *, min_points: int = 10) -> Trend:
    """The robust trend of each row of ``y`` (m, w) over times ``t_s`` (w,) in seconds.

    Rows with fewer than ``min_points`` values get NaN and are not significant. A slope
    is significant when it stands out of the noise about the line and the later half of
    the window keeps at least half of it: a level settling after a start (a warming
    bearing) slows down, a developing fault does not.
    """
    t = np.asarray(t_s, dtype=float) - float(t_s[-1])
    slope = theil_sen(t, y)
    half = y.shape[1] // 2
    recent = theil_sen(t[half:], y[:, half:]) if y.shape[1] - half >= 4 else slope
    level = _nanmedian(y - slope[:, None] * t, axis=1)
    resid = y - (level[:, None] + slope[:, None] * t)
    sigma = _MAD_TO_SIGMA * _nanmedian(np.abs(resid), axis=1)
    count = (~np.isnan(y)).sum(axis=1)
    span = float(t[-1] - t[0]) if t.size > 1 else 0.0
    # A noise floor, so that a perfectly straight line (sigma 0) of any slope is not
    # "significant" from rounding alone.
    floor = 1e-9 * np.maximum(np.abs(level), 1.0)
    with np.errstate(invalid="ignore"):
        significant = np.abs(slope) * span >= SIGNIFICANT_SIGMAS * np.maximum(sigma, floor)
        significant &= recent * np.sign(slope) >= 0.5 * np.abs(slope)
    short = count < min_points
    slope = np.where(short, np.nan, slope)
    level = np.where(short, np.nan, level)
    return Trend(slope, level, sigma, significant & ~short)


def time_to_limit(
    level: np.ndarray, slope: np.ndarray, high: np.ndarray, low: np.ndarray | None = None
) -> np.ndarray:
    """Seconds until a straight line from ``level`` at ``slope`` (per s) reaches ``high``
    (rising) or ``low`` (falling): 0 when already beyond it, inf when moving away, flat,
    unknown (NaN) or without that limit."""
    out = np.full(np.shape(level), np.inf)
    with np.errstate(invalid="ignore", divide="ignore"):
        up = (slope > 0) & ~np.isnan(high)
        out = np.where(up, np.maximum((high - level) / slope, 0.0), out)
        out = np.where(~np.isnan(high) & (level >= high), 0.0, out)
        if low is not None:
            down = (slope < 0) & ~np.isnan(low)
            out = np.where(down, np.minimum(out, np.maximum((low - level) / slope, 0.0)), out)
            out = np.where(~np.isnan(low) & (level <= low), 0.0, out)
    return np.where(np.isnan(out), np.inf, out)
