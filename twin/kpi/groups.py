"""Per-group statistics over flat arrays: counts, sums, quantiles, the last value."""

from __future__ import annotations

import numpy as np


def counts(group: np.ndarray, n: int) -> np.ndarray:
    return np.bincount(group, minlength=n).astype(float)


def sums(group: np.ndarray, x: np.ndarray, n: int) -> np.ndarray:
    return np.bincount(group, weights=x, minlength=n)


def last(group: np.ndarray, x: np.ndarray, n: int) -> np.ndarray:
    """The value last in array order per group (NaN for an empty group)."""
    where = np.full(n, -1, np.intp)
    np.maximum.at(where, group, np.arange(group.shape[0]))
    out = np.full(n, np.nan)
    has = where >= 0
    out[has] = x[where[has]]
    return out


def quantile(group: np.ndarray, x: np.ndarray, n: int, q: float) -> np.ndarray:
    """The ``q`` quantile of ``x`` per group (linear interpolation; NaN for none)."""
    order = np.lexsort((x, group))
    g, v = group[order], x[order]
    count = np.bincount(g, minlength=n)
    first = np.concatenate([[0], np.cumsum(count)[:-1]])
    pos = first + q * np.maximum(count - 1, 0)
    lo = np.floor(pos).astype(np.intp)
    hi = np.minimum(lo + 1, first + np.maximum(count - 1, 0))
    out = np.full(n, np.nan)
    has = count > 0
    if v.size:
        lo_c, hi_c = np.minimum(lo, v.size - 1), np.minimum(hi, v.size - 1)
        frac = pos - lo
        value = v[lo_c] * (1 - frac) + v[hi_c] * frac
        out[has] = value[has]
    return out
