"""Value types of signals: float32 (the default), float64, and int64 for counters and
energy, kept exactly from the source to the store, the history and the displays.

"No value": NaN in float arrays; ``NO_INT`` (INT64_MIN) in int64 arrays. No counter or
meter reads -9,223,372,036,854,775,808, and the sentinel keeps an int64 array one plain
array (no mask to carry beside it). Readers that compute in floats (plots, alarms, states)
see int64 values through ``to_float``: the sentinel becomes NaN, the rest float64 (exact
up to 2**53); displays that must show the exact integer use ``ExactValues.exact``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np

DTYPES = ("float32", "float64", "int64")
DEFAULT_DTYPE = "float32"
#: "No value" in an int64 array.
NO_INT = int(np.iinfo(np.int64).min)
_INT_MAX = int(np.iinfo(np.int64).max)


def check_dtype(name: object) -> np.dtype:
    """The numpy dtype of a signal type name; ValueError naming the allowed ones."""
    if name not in DTYPES:
        raise ValueError(f"value type must be one of {', '.join(DTYPES)}, not {name!r}")
    return np.dtype(str(name))


def is_int(dtype: Any) -> bool:
    return np.dtype(dtype).kind in "iu"


def missing(v: np.ndarray) -> np.ndarray:
    """Boolean mask of "no value" entries (NaN, or NO_INT in an int64 array)."""
    return v == NO_INT if v.dtype.kind in "iu" else np.isnan(v)


def to_float(v: np.ndarray) -> np.ndarray:
    """Values as float64 for arithmetic and drawing; int64's NO_INT becomes NaN. Float
    arrays are returned as they are."""
    if v.dtype.kind not in "iu":
        return v
    out = v.astype(np.float64)
    out[v == NO_INT] = np.nan
    return out


def cast(v: np.ndarray, dtype: Any) -> np.ndarray:
    """Values of any numeric dtype as ``dtype``: float -> int64 maps NaN, +/-inf and
    out-of-range values to NO_INT and rounds the rest; int64 -> float maps NO_INT to NaN."""
    dt = np.dtype(dtype)
    if v.dtype == dt:
        return v
    if dt.kind in "iu":
        if v.dtype.kind in "iu":
            return v.astype(dt)
        f = np.asarray(v, np.float64)
        ok = np.isfinite(f) & (f >= -(2.0**63)) & (f < 2.0**63)
        out = np.full(f.shape, NO_INT, dt)
        out[ok] = np.rint(f[ok]).astype(dt)
        return out
    return to_float(v).astype(dt, copy=False) if v.dtype.kind in "iu" else v.astype(dt)


def from_python(values: Iterable[object], dtype: Any) -> np.ndarray:
    """Python numbers (ints kept exact, floats, NaN for none) as an array of ``dtype``."""
    dt = np.dtype(dtype)
    if dt.kind not in "iu":
        return np.array([float(x) for x in values], dt)  # type: ignore[arg-type]
    return np.array([_as_int(x) for x in values], dt)


def _as_int(x: object) -> int:
    if isinstance(x, bool | np.bool_):
        return int(x)
    if isinstance(x, int | np.integer):
        i = int(x)
        return i if NO_INT < i <= _INT_MAX else NO_INT
    f = float(x)  # type: ignore[arg-type]
    if not math.isfinite(f) or not -(2.0**63) < f < 2.0**63:
        return NO_INT
    return round(f)


def format_exact(value: int) -> str:
    """An int64 value in full with thousands separators; "—" for no value."""
    return "—" if value == NO_INT else f"{value:,}"


class ExactValues(np.ndarray):
    """float64 values (each signal's value at a cursor) that also carry the exact int64
    value of the integer signals among them: ``exact`` maps an index to its int (NO_INT:
    no value). Arithmetic on it gives plain arrays; only this array carries ``exact``."""

    exact: Mapping[int, int]

    @staticmethod
    def of(values: np.ndarray, exact: Mapping[int, int]) -> np.ndarray:
        """``values`` as an ExactValues when ``exact`` has entries, else as they are."""
        if not exact:
            return values
        out = values.view(ExactValues)
        out.exact = dict(exact)
        return out

    def __array_finalize__(self, obj: object) -> None:
        self.exact = {}


def exact_of(values: np.ndarray, index: int) -> int | None:
    """The exact int64 of ``values[index]`` when ``values`` carries one, else None."""
    exact = getattr(values, "exact", None)
    return None if not exact else exact.get(index)
