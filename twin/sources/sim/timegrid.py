"""Exact sample times: start + round(n * 1e9 / rate) ns (halves up), in integer arithmetic.

Floats accumulate error and drift across chunk boundaries; integers do not, so the n-th
sample of a signal always lands on the same nanosecond however ``advance`` is called.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np

from twin.timebase import NS_PER_S

# Rates are floats in the plant file; 1/3 Hz arrives as 0.333..., so snap to a fraction with
# a small denominator. 1000 keeps every intermediate product below int64 within a block.
_MAX_DENOMINATOR = 1000


def rate_label(rate_hz: float) -> str:
    """Compact text for a rate: 10.0 -> "10", 0.5 -> "0.5"."""
    return str(int(rate_hz)) if float(rate_hz).is_integer() else repr(float(rate_hz))


class SampleClock:
    """Sample indices and offsets (ns after start) of one rate; sample n is at round(n * P)."""

    def __init__(self, rate_hz: float) -> None:
        if not (math.isfinite(rate_hz) and rate_hz > 0):
            raise ValueError(f"sample rate must be a positive number, got {rate_hz!r}")
        period = Fraction(NS_PER_S) / Fraction(rate_hz).limit_denominator(_MAX_DENOMINATOR)
        self._a = period.numerator  # period = a / b ns
        self._b = period.denominator

    def first_after(self, lo_ns: int) -> int:
        """The smallest n whose offset is > lo_ns (lo_ns >= 0)."""
        a, b = self._a, self._b
        # round(n a / b) > lo  <=>  2 n a + b >= 2 b (lo + 1)
        return -((b - 2 * b * (lo_ns + 1)) // (2 * a))

    def count(self, lo_ns: int, hi_ns: int) -> tuple[int, int]:
        """(first n, number of samples) with offsets in (lo_ns, hi_ns]."""
        first = self.first_after(lo_ns)
        return first, max(0, self.first_after(hi_ns) - first)

    def offsets(self, first: int, count: int) -> np.ndarray:
        """int64 offsets (ns after start) of samples first .. first + count - 1."""
        a, b = self._a, self._b
        # Split the big part off in Python ints so the numpy part cannot overflow int64.
        q, r = divmod(2 * first * a + b, 2 * b)
        m = np.arange(count, dtype=np.int64)
        return q + (r + 2 * a * m) // (2 * b)


@dataclass(slots=True)
class Times:
    """Sample times of one rate inside one physics block, shared by every group at that rate.

    ``t`` is float seconds since the simulation start (what the models use); ``tick_i`` and
    ``tick_f`` place each sample between two physics ticks of the block for interpolation.
    ``memo`` lets a model reuse intermediate arrays across keys sampled at the same times.
    """

    offsets_ns: np.ndarray
    t: np.ndarray
    tick_i: np.ndarray
    tick_f: np.ndarray
    memo: dict[str, np.ndarray] = field(default_factory=dict)

    @classmethod
    def build(cls, offsets_ns: np.ndarray, block_start_ns: int, tick_ns: int) -> Times:
        rel = offsets_ns - block_start_ns
        # Offsets lie in (block start, block end]: a sample exactly on a tick takes the tick
        # value (f == 1) from the interval that ends there.
        i = (rel - 1) // tick_ns
        f = (rel - i * tick_ns) / tick_ns
        return cls(offsets_ns, offsets_ns / NS_PER_S, i, f)

    def __len__(self) -> int:
        return int(self.t.shape[0])

    def interp(self, ticks: np.ndarray) -> np.ndarray:
        """Linear interpolation of tick values (n, ticks + 1) at the sample times: (n, k)."""
        return ticks[:, self.tick_i] * (1.0 - self.tick_f) + ticks[:, self.tick_i + 1] * self.tick_f
