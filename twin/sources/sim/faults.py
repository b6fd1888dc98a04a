"""Scheduled faults as per-asset time arrays, and the fault effects shared by all drives.

Times are seconds after the simulation start; ``inf`` means "never", which makes the effects
plain vectorised arithmetic with no per-asset branches.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from twin.plant.model import Fault, FaultKind

OVERLOAD_RATIO = 1.75  # current / rated while overloaded (the brief: 1.6-1.8x)
SAG_DEPTH = 0.22  # fraction of the supply voltage lost during a sag
SAG_DURATION_S = 20.0
SAG_EDGE_S = 0.2  # sags have short ramps, not steps: contactors and meters smooth them
WEAR_RATE = 0.05  # mm/s of vibration added per second of bearing wear
WEAR_MAX_MM_S = 12.0  # vibration stops growing here (the bearing is wrecked)


@dataclass(frozen=True, slots=True)
class FaultTimes:
    """Fault start times of the assets of one kind, each array indexed by asset row."""

    overload_s: np.ndarray  # (n,)
    wear_s: np.ndarray  # (n,)
    freeze_s: np.ndarray  # (n,)
    sag_s: np.ndarray  # (n, m): every sag of the asset, inf-padded

    @classmethod
    def build(cls, asset_ids: Sequence[str], faults: Sequence[Fault]) -> FaultTimes:
        row = {a: i for i, a in enumerate(asset_ids)}
        n = len(asset_ids)
        first = {k: np.full(n, np.inf) for k in FaultKind if k is not FaultKind.VOLTAGE_SAG}
        sags: list[list[float]] = [[] for _ in range(n)]
        for fault in faults:
            i = row.get(fault.asset_id)
            if i is None:
                continue
            if fault.kind is FaultKind.VOLTAGE_SAG:
                sags[i].append(fault.at_s)
            else:
                # Faults other than sags last for the rest of the run, so the earliest wins.
                first[fault.kind][i] = min(first[fault.kind][i], fault.at_s)
        sag = np.full((n, max((len(s) for s in sags), default=0)), np.inf)
        for i, s in enumerate(sags):
            sag[i, : len(s)] = sorted(s)
        return cls(
            first[FaultKind.OVERLOAD],
            first[FaultKind.BEARING_WEAR],
            first[FaultKind.SENSOR_FREEZE],
            sag,
        )

    @property
    def any_overload(self) -> bool:
        return bool(np.isfinite(self.overload_s).any())

    @property
    def any_wear(self) -> bool:
        return bool(np.isfinite(self.wear_s).any())

    @property
    def any_sag(self) -> bool:
        return bool(np.isfinite(self.sag_s).any())

    def overloaded(self, t: np.ndarray) -> np.ndarray | None:
        """Boolean (n, k): overloaded at ``t``; None when no asset of the kind ever is."""
        if not self.any_overload:
            return None
        return t[None, :] >= self.overload_s[:, None]

    def supply(self, t: np.ndarray) -> np.ndarray | float:
        """Supply voltage as a fraction of nominal, (n, k), or 1.0 when there are no sags."""
        if not self.any_sag:
            return 1.0
        dip = np.zeros((self.sag_s.shape[0], t.shape[0]))
        for j in range(self.sag_s.shape[1]):
            start = self.sag_s[:, j, None]
            # Trapezoid window: 0 before, ramps to 1, holds, ramps back to 0 after 20 s.
            rising = (t[None, :] - start) / SAG_EDGE_S
            falling = (start + SAG_DURATION_S - t[None, :]) / SAG_EDGE_S
            np.maximum(dip, np.clip(np.minimum(rising, falling), 0.0, 1.0), out=dip)
        return 1.0 - SAG_DEPTH * dip

    def wear(self, t: np.ndarray, baseline: np.ndarray) -> np.ndarray | float:
        """Extra vibration (mm/s) from bearing wear, (n, k), or 0.0 with no wear faults."""
        if not self.any_wear:
            return 0.0
        ramp = WEAR_RATE * np.maximum(t[None, :] - self.wear_s[:, None], 0.0)
        return np.minimum(ramp, np.maximum(WEAR_MAX_MM_S - baseline, 0.0)[:, None])


def check_fault(fault: Fault) -> None:
    """Reject faults the simulator cannot place in time."""
    if not math.isfinite(fault.at_s):
        raise ValueError(f"fault {fault.kind} on {fault.asset_id!r}: at_s must be finite")
