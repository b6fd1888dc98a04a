"""The fleet's health at one moment, as every view and export reads it.

One ``FleetHealth`` holds every monitored asset in rows (numpy arrays, so 10,000 motors
sort and filter in microseconds); a ``HealthSource`` gives the one at a time, live or in
replay, and the history of one asset's health for a sparkline.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import IntEnum
from typing import TYPE_CHECKING, Protocol

import numpy as np

if TYPE_CHECKING:
    from twin.condition.advisories import AdvisoryEvent


class Ne107(IntEnum):
    """NAMUR NE 107 status, in order of severity (higher is worse)."""

    NORMAL = 0
    MAINTENANCE_REQUIRED = 1
    OUT_OF_SPECIFICATION = 2
    FAILURE = 3


NE107_LABELS = {
    Ne107.NORMAL: "normal",
    Ne107.MAINTENANCE_REQUIRED: "maintenance required",
    Ne107.OUT_OF_SPECIFICATION: "out of specification",
    Ne107.FAILURE: "failure",
}

# Leading causes, the words a maintenance list sorts and filters by.
CAUSES = ("", "bearing", "cooling", "overload", "supply", "insulation", "sensor")


@dataclass(frozen=True)
class FleetHealth:
    """Every monitored asset's health at ``t_ns``; arrays indexed like ``asset_ids``."""

    t_ns: int
    asset_ids: tuple[str, ...]
    health: np.ndarray  # float32, 0 (failed) .. 100 (as new); NaN while not yet known
    status: np.ndarray  # int8 Ne107
    cause: np.ndarray  # int8 index into CAUSES; 0 when nothing stands out
    time_to_limit_s: np.ndarray  # float64, estimated seconds until an alarm limit; inf if none
    # Per asset: the leading cause in words ("" when healthy) and the figures behind it
    # (zone, slope, residual...; "" when none). Any sequence of str: the evaluator's make
    # each row's text when it is first read (``words.py``).
    summary: Sequence[str]
    evidence: Sequence[str]

    def __post_init__(self) -> None:
        n = len(self.asset_ids)
        for name in ("health", "status", "cause", "time_to_limit_s"):
            if getattr(self, name).shape != (n,):
                raise ValueError(f"FleetHealth.{name} must have shape ({n},)")
        if len(self.summary) != n or len(self.evidence) != n:
            raise ValueError(f"FleetHealth.summary and .evidence must hold {n} entries")

    def __len__(self) -> int:
        return len(self.asset_ids)

    def worst_first(self) -> np.ndarray:
        """Row indices ordered worst first: status, then health, then time to limit;
        assets whose health is not yet known come last."""
        health = np.where(np.isnan(self.health), np.inf, self.health)
        return np.lexsort((self.time_to_limit_s, health, -self.status.astype(np.int16)))

    def row_of(self, asset_id: str) -> int | None:
        """The row of ``asset_id``, None when it is not monitored."""
        try:
            return self.asset_ids.index(asset_id)
        except ValueError:
            return None


class HealthSource(Protocol):
    """Where views get health from: the live monitor or a recording's health history."""

    def health_at(self, t_ns: int) -> FleetHealth | None:
        """The fleet's health as it was known at ``t_ns``; None before the first evaluation."""
        ...

    def health_history(
        self, asset_id: str, t0_ns: int, t1_ns: int
    ) -> tuple[np.ndarray, np.ndarray]:
        """(times ns int64, health float32) of one asset's evaluations in [t0, t1]."""
        ...


class AdvisorySource(Protocol):
    """Where the advisory list gets its events: the live monitor or a recording's journal."""

    def advisory_events(self, t0_ns: int, t1_ns: int) -> list[AdvisoryEvent]:
        """Advisory events with t0 <= t < t1, in time order."""
        ...
