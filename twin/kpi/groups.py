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


def quantiles(group: np.ndarray, x: np.ndarray, n: int, qs: tuple[float, ...]) -> np.ndarray:
    """The quantiles ``qs`` of ``x`` per group, one sort for all: (len(qs), n), linear
    interpolation, NaN for an empty group."""
    order = np.lexsort((x, group))
    v = x[order]
    count = np.bincount(group, minlength=n)
    first = np.concatenate([[0], np.cumsum(count)[:-1]])
    top = first + np.maximum(count - 1, 0)
    out = np.full((len(qs), n), np.nan)
    has = count > 0
    if v.size == 0:
        return out
    for row, q in enumerate(qs):
        pos = first + q * np.maximum(count - 1, 0)
        lo = np.floor(pos).astype(np.intp)
        hi = np.minimum(lo + 1, top)
        lo_c, hi_c = np.minimum(lo, v.size - 1), np.minimum(hi, v.size - 1)
        frac = pos - lo
        out[row, has] = (v[lo_c] * (1 - frac) + v[hi_c] * frac)[has]
    return out
