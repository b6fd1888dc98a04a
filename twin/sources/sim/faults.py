"""Scheduled faults as per-asset time arrays, and how far each has developed.

Times are seconds after the simulation start; ``inf`` means "never", which makes the effects
plain vectorised arithmetic with no per-asset branches. A fault's *progress* is 0 before it
starts, rises to 1 over its development time and goes on rising after (a fault that has
developed does not heal); each effect below turns progress into physics, and the drive
(``twin.sources.sim.drive``) applies it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from twin.plant.model import INSTANT_FAULTS, Fault, FaultKind

# Development time of a fault given without one. Overload stays a step and bearing wear its
# fixed-rate ramp (``LEGACY``), as they were before faults took development times.
LEGACY = math.nan
DEFAULT_DEVELOP_S: Mapping[FaultKind, float] = {
    FaultKind.OVERLOAD: 0.0,
    FaultKind.BEARING_WEAR: LEGACY,
    FaultKind.COOLING_LOSS: 1800.0,
    FaultKind.SUPPLY_IMBALANCE: 900.0,
    FaultKind.INSULATION_AGEING: 3600.0,
}

OVERLOAD_RATIO = 1.75  # current / rated while overloaded (the brief: 1.6-1.8x)
SAG_DEPTH = 0.22  # fraction of the supply voltage lost during a sag
SAG_DURATION_S = 20.0
SAG_EDGE_S = 0.2  # sags have short ramps, not steps: contactors and meters smooth them
WEAR_RATE = 0.05  # mm/s of vibration added per second of bearing wear (the legacy ramp)
WEAR_MAX_MM_S = 12.0  # the legacy ramp stops here
# A developing bearing defect grows exponentially (each hour multiplies the vibration), from
# the baseline through ISO 20816-3 zones B (> 2.8) and C (> 4.5) into D (> 7.1 mm/s).
WEAR_END_MM_S = 9.0  # velocity RMS when the fault has developed: well inside zone D
WEAR_WRECK_MM_S = 25.0  # it grows on to this, then the bearing is wrecked
# Cooling loss: the winding's thermal resistance to ambient (fan, fins) grows with the dirt
# on it, at a steady rate: + COOLING_GROWTH times the clean value per development time.
COOLING_GROWTH = 1.5
COOLING_MAX = 5.0  # a fully blocked path still conducts through the frame
# Supply imbalance when developed: the supply is this much down, its phases this unbalanced
# (voltage unbalance factor), and it wavers by this much; development stops at IMBALANCE_MAX.
IMBALANCE_DROP = 0.08
IMBALANCE_VUF = 0.04
IMBALANCE_FLICKER = 0.025
IMBALANCE_MAX = 1.6
# NEMA MG 1: the negative-sequence currents add about 2 % x (unbalance in %)^2 to the
# temperature rise, i.e. a fraction 0.02 x (100 VUF)^2 = 200 VUF^2 (32 % at 4 %).
NEGATIVE_SEQUENCE_HEATING = 200.0
# Insulation ageing: dielectric loss heat (K of winding rise) when developed; it grows
# faster as it goes (hotter insulation ages faster), by e^INSULATION_GROWTH per development
# time, up to INSULATION_MAX_K.
INSULATION_END_K = 20.0
INSULATION_GROWTH = 2.0
INSULATION_MAX_K = 150.0

_DEVELOPING = tuple(k for k in FaultKind if k not in INSTANT_FAULTS)


@dataclass(frozen=True, slots=True)
class Onset:
    """Start and development time of one fault kind, per asset row.

    ``start_s`` is inf where the asset never has it; ``develop_s`` is 0 for a step and NaN
    for the kind's legacy form.
    """

    start_s: np.ndarray  # (n,)
    develop_s: np.ndarray  # (n,)
    any: bool = field(init=False)  # whether any asset ever has it; asked every block

    def __post_init__(self) -> None:
        object.__setattr__(self, "any", bool(np.isfinite(self.start_s).any()))

    def progress(self, t: np.ndarray) -> np.ndarray:
        """(n, k): 0 before the start, (t - start) / develop after; a step is 1 at once."""
        since = t[None, :] - self.start_s[:, None]
        develop = self.develop_s[:, None]
        gradual = develop > 0  # NaN (legacy) compares False: its progress is a step too
        x = np.where(gradual, since / np.where(gradual, develop, 1.0), 1.0)
        return np.where(since >= 0.0, x, 0.0)


@dataclass(frozen=True, slots=True)
class FaultTimes:
    """The faults of the assets of one kind, each array indexed by asset row."""

    onsets: Mapping[FaultKind, Onset]  # every kind that develops
    freeze_s: np.ndarray  # (n,)
    sag_s: np.ndarray  # (n, m): every sag of the asset, inf-padded

    @classmethod
    def build(cls, asset_ids: Sequence[str], faults: Sequence[Fault]) -> FaultTimes:
        row = {a: i for i, a in enumerate(asset_ids)}
        n = len(asset_ids)
        start = {k: np.full(n, np.inf) for k in _DEVELOPING}
        develop = {k: np.full(n, DEFAULT_DEVELOP_S[k]) for k in _DEVELOPING}
        freeze = np.full(n, np.inf)
        sags: list[list[float]] = [[] for _ in range(n)]
        for fault in faults:
            i = row.get(fault.asset_id)
            if i is None:
                continue
            if fault.kind is FaultKind.VOLTAGE_SAG:
                sags[i].append(fault.at_s)
            elif fault.kind is FaultKind.SENSOR_FREEZE:
                freeze[i] = min(freeze[i], fault.at_s)
            elif fault.at_s < start[fault.kind][i]:
                # Faults other than sags last for the rest of the run, so the earliest wins.
                start[fault.kind][i] = fault.at_s
                if fault.develop_s is not None:
                    develop[fault.kind][i] = fault.develop_s
        sag = np.full((n, max((len(s) for s in sags), default=0)), np.inf)
        for i, s in enumerate(sags):
            sag[i, : len(s)] = sorted(s)
        onsets = {k: Onset(start[k], develop[k]) for k in _DEVELOPING}
        return cls(onsets, freeze, sag)

    def _progress(self, kind: FaultKind, t: np.ndarray) -> np.ndarray | None:
        onset = self.onsets[kind]
        return onset.progress(t) if onset.any else None

    # -- electrical ------------------------------------------------------------------------

    def overload_weight(self, t: np.ndarray) -> np.ndarray | None:
        """(n, k) in [0, 1]: how far the load has gone from its own towards the overload
        (a step, or a creep over the development time); None when no asset overloads."""
        x = self._progress(FaultKind.OVERLOAD, t)
        return None if x is None else np.minimum(x, 1.0)

    def supply(self, t: np.ndarray) -> np.ndarray | float:
        """Supply voltage as a fraction of nominal during sags, (n, k), or 1.0 without any."""
        if not np.isfinite(self.sag_s).any():
            return 1.0
        dip = np.zeros((self.sag_s.shape[0], t.shape[0]))
        for j in range(self.sag_s.shape[1]):
            start = self.sag_s[:, j, None]
            # Trapezoid window: 0 before, ramps to 1, holds, ramps back to 0 after 20 s.
            rising = (t[None, :] - start) / SAG_EDGE_S
            falling = (start + SAG_DURATION_S - t[None, :]) / SAG_EDGE_S
            np.maximum(dip, np.clip(np.minimum(rising, falling), 0.0, 1.0), out=dip)
        return 1.0 - SAG_DEPTH * dip

    def imbalance(self, t: np.ndarray) -> np.ndarray | None:
        """(n, k): how far the supply has degraded (1 = developed, at most IMBALANCE_MAX);
        None when no asset's supply does."""
        x = self._progress(FaultKind.SUPPLY_IMBALANCE, t)
        return None if x is None else np.minimum(x, IMBALANCE_MAX)

    # -- mechanical ------------------------------------------------------------------------

    def wear(self, t: np.ndarray, baseline: np.ndarray) -> np.ndarray | float:
        """Extra vibration (mm/s) from bearing wear, (n, k), or 0.0 with no wear faults.

        ``baseline`` (n,) is each asset's healthy velocity RMS. A developing defect
        multiplies the vibration by the same factor every minute, reaching WEAR_END_MM_S
        when developed; the legacy ramp adds WEAR_RATE mm/s every second.
        """
        onset = self.onsets[FaultKind.BEARING_WEAR]
        if not onset.any:
            return 0.0
        since = np.maximum(t[None, :] - onset.start_s[:, None], 0.0)
        base = baseline[:, None]
        ramp = np.minimum(WEAR_RATE * since, np.maximum(WEAR_MAX_MM_S - base, 0.0))
        x = onset.progress(t)
        # e-folds from the baseline to the end value (a baseline near it still grows)
        growth = np.log(np.maximum(WEAR_END_MM_S / base, 1.5))
        grown = base * np.expm1(growth * np.minimum(x, 10.0))  # the cap below binds by x=10
        grown = np.minimum(grown, np.maximum(WEAR_WRECK_MM_S - base, 0.0))
        return np.where(np.isnan(onset.develop_s)[:, None], ramp, grown)

    # -- thermal ---------------------------------------------------------------------------

    def heating(self, t: np.ndarray) -> np.ndarray | float:
        """Factor on the winding's temperature rise over ambient, (n, k), or 1.0: a clogged
        cooling path (thermal resistance) and the negative-sequence losses of an
        unbalanced supply."""
        factor: np.ndarray | float = 1.0
        x = self._progress(FaultKind.COOLING_LOSS, t)
        if x is not None:
            factor = 1.0 + np.minimum(COOLING_GROWTH * x, COOLING_MAX - 1.0)
        level = self.imbalance(t)
        if level is not None:
            vuf_sq = (IMBALANCE_VUF * level) ** 2
            factor = factor * (1.0 + NEGATIVE_SEQUENCE_HEATING * vuf_sq)
        return factor

    def dielectric_k(self, t: np.ndarray) -> np.ndarray | float:
        """Winding temperature rise (K) from ageing insulation, (n, k), or 0.0.

        Ageing insulation has a rising dissipation factor (tan delta), so the winding's
        dielectric losses grow: heat that does not depend on the load current. The winding
        runs hotter than its current and ambient explain, by a residual that grows slowly
        at first and then faster, as hotter insulation ages faster (Arrhenius).
        """
        x = self._progress(FaultKind.INSULATION_AGEING, t)
        if x is None:
            return 0.0
        shape = np.expm1(INSULATION_GROWTH * np.minimum(x, 10.0)) / math.expm1(INSULATION_GROWTH)
        return np.minimum(INSULATION_END_K * shape, INSULATION_MAX_K)


def check_fault(fault: Fault) -> None:
    """Reject faults the simulator cannot place in time."""
    where = f"fault {fault.kind} on {fault.asset_id!r}"
    if not math.isfinite(fault.at_s):
        raise ValueError(f"{where}: at_s must be finite")
    develop = fault.develop_s
    if develop is not None and not (math.isfinite(develop) and develop >= 0.0):
        raise ValueError(f"{where}: develop_s must be finite and >= 0, got {develop!r}")
    if develop is not None and fault.kind in INSTANT_FAULTS:
        raise ValueError(f"{where}: happens at once and takes no develop_s")
