"""Time conventions: int64 nanoseconds since the epoch (UTC) everywhere in the core."""

from __future__ import annotations

import time

NS_PER_S = 1_000_000_000


def now_ns() -> int:
    """Wall-clock time now, in ns since the epoch."""
    return time.time_ns()


def seconds_to_ns(seconds: float) -> int:
    return round(seconds * NS_PER_S)


def ns_to_seconds(ns: int) -> float:
    return ns / NS_PER_S
