"""Advisories: a maintenance notice per (asset, cause), raised and cleared with hysteresis.

Not alarms: nobody acknowledges them. A severity must stay at or above ``raise_at`` for
``raise_windows`` evaluations in a row to raise, and below ``clear_at`` (lower) for
``clear_windows`` in a row to clear, so a value wobbling at a boundary does not chatter.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from twin.condition.snapshot import CAUSES, FleetHealth

RAISE = "raise"
CLEAR = "clear"


@dataclass(frozen=True, slots=True)
class AdvisoryEvent:
    """An advisory raised or cleared at ``t_ns``, with what the monitor saw then."""

    t_ns: int
    asset_id: str
    cause: str  # one of CAUSES (never "")
    action: str  # RAISE | CLEAR
    severity: float  # 0..1
    health: float  # the asset's health index then
    summary: str
    evidence: str


class AdvisoryTracker:
    """The state machine of every (asset, cause), vectorised."""

    def __init__(
        self,
        asset_ids: tuple[str, ...],
        *,
        raise_at: float = 0.3,
        clear_at: float = 0.15,
        raise_windows: int = 3,
        clear_windows: int = 10,
    ) -> None:
        if not 0.0 <= clear_at < raise_at:
            raise ValueError(
                f"advisories: need 0 <= clear_at < raise_at, got {clear_at}, {raise_at}"
            )
        self.asset_ids = asset_ids
        self.raise_at, self.clear_at = raise_at, clear_at
        self.raise_windows, self.clear_windows = raise_windows, clear_windows
        shape = (len(asset_ids), len(CAUSES))
        self.active = np.zeros(shape, dtype=bool)
        self._above = np.zeros(shape, dtype=np.int32)
        self._below = np.zeros(shape, dtype=np.int32)

    def update(self, severity: np.ndarray, fleet: FleetHealth) -> list[AdvisoryEvent]:
        """Advance every state machine by one evaluation; the raise and clear events."""
        sev = np.nan_to_num(severity)
        sev[:, 0] = 0.0  # column 0 is "no cause"
        self._above = np.where(sev >= self.raise_at, self._above + 1, 0)
        self._below = np.where(sev < self.clear_at, self._below + 1, 0)
        rise = ~self.active & (self._above >= self.raise_windows)
        fall = self.active & (self._below >= self.clear_windows)
        self.active = (self.active | rise) & ~fall
        events = [
            self._event(RAISE, r, c, sev, fleet) for r, c in zip(*np.nonzero(rise), strict=False)
        ]
        events += [
            self._event(CLEAR, r, c, sev, fleet) for r, c in zip(*np.nonzero(fall), strict=False)
        ]
        return events

    def _event(
        self, action: str, r: int, c: int, sev: np.ndarray, fleet: FleetHealth
    ) -> AdvisoryEvent:
        # The summary is the asset's leading cause; when this cause is not the leading
        # one, its name still heads the event and the evidence holds the figures.
        summary = fleet.summary[r] if fleet.cause[r] == c else CAUSES[c]
        return AdvisoryEvent(
            t_ns=fleet.t_ns,
            asset_id=self.asset_ids[r],
            cause=CAUSES[c],
            action=action,
            severity=float(sev[r, c]),
            health=float(fleet.health[r]),
            summary=summary,
            evidence=fleet.evidence[r],
        )

    def raised(self) -> list[tuple[str, str]]:
        """The (asset id, cause) of every raised advisory."""
        return [
            (self.asset_ids[r], CAUSES[c]) for r, c in zip(*np.nonzero(self.active), strict=False)
        ]
