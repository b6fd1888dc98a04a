"""What the monitor knows about each asset: ratings, limits and where its signals sit.

Built once from the plant file. Asset params read here (all optional):

- ``rated_power_kw``: for the ISO 20816-3 group; default sqrt(3) x rated voltage x rated
  current x 0.85 (power factor) x 0.9 (efficiency), i.e. the shaft power of the rating.
- ``foundation``: "rigid" (default: a motor bolted to a floor or a base frame) or
  "flexible".
- ``insulation_class``: "B" (130 C), "F" (155 C, the default) or "H" (180 C).
- ``rated_current_a``, ``rated_voltage_v`` (400), ``ambient_c`` (30),
  ``rated_temp_rise_k`` (50), ``thermal_tau_s`` (120): the simulator's own params.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from twin.condition import iso
from twin.plant.model import Asset, Plant

# The signal keys the monitor reads, in column order of its arrays.
KEYS = ("winding_temp", "bearing_temp", "current", "voltage", "vibration", "speed")
COL = {k: i for i, k in enumerate(KEYS)}
INSULATION_LIMIT_C = {"B": 130.0, "F": 155.0, "H": 180.0}
_POWER_FACTOR = 0.85
_EFFICIENCY = 0.9


def _num(asset: Asset, name: str, default: float, *, positive: bool = True) -> float:
    value = asset.params.get(name, default)
    bad = isinstance(value, str) or not math.isfinite(float(value))
    if bad or (positive and float(value) <= 0):
        what = "a positive number" if positive else "a number"
        raise ValueError(f"asset {asset.id!r}: param {name!r} must be {what}, got {value!r}")
    return float(value)


def _choice(asset: Asset, name: str, default: str, allowed: tuple[str, ...]) -> str:
    value = asset.params.get(name, default)
    if not isinstance(value, str) or value not in allowed:
        raise ValueError(
            f"asset {asset.id!r}: param {name!r} must be one of {', '.join(allowed)}, got {value!r}"
        )
    return value


def _limit(asset: Asset, key: str, which: str) -> float:
    sig = asset.signal(key)
    value = None if sig is None else getattr(sig.limits, which)
    return math.nan if value is None else float(value)


@dataclass(frozen=True)
class FleetProfile:
    """Per-asset constants as arrays indexed like ``asset_ids``; limits are (n, len(KEYS))
    with NaN where a signal or a limit is missing."""

    asset_ids: tuple[str, ...]
    signal_ids: tuple[tuple[str | None, ...], ...]  # [asset][key column]
    rated_kw: np.ndarray
    flexible: np.ndarray
    iso_bounds: np.ndarray  # (n, 3) mm/s
    rated_current_a: np.ndarray
    rated_voltage_v: np.ndarray
    ambient_c: np.ndarray
    rise_k: np.ndarray
    tau_s: np.ndarray
    insulation_c: np.ndarray
    alarm_high: np.ndarray
    alarm_low: np.ndarray
    warn_high: np.ndarray
    warn_low: np.ndarray

    def __len__(self) -> int:
        return len(self.asset_ids)

    @classmethod
    def from_plant(cls, plant: Plant) -> FleetProfile:
        """Every asset with at least one of the monitored signals (``KEYS``), in plant
        order; bad params raise ValueError naming the asset and the param."""
        assets = [a for a in plant.assets if any(a.signal(k) for k in KEYS)]
        return cls.from_assets(assets)

    @classmethod
    def from_assets(cls, assets: list[Asset]) -> FleetProfile:
        rated_a = np.array([_num(a, "rated_current_a", 10.0) for a in assets])
        rated_v = np.array([_num(a, "rated_voltage_v", 400.0) for a in assets])
        shaft_kw = math.sqrt(3.0) * rated_v * rated_a * _POWER_FACTOR * _EFFICIENCY / 1000.0
        kw = np.array(
            [_num(a, "rated_power_kw", float(p)) for a, p in zip(assets, shaft_kw, strict=False)]
        )
        flexible = np.array(
            [_choice(a, "foundation", "rigid", iso.FOUNDATIONS) == "flexible" for a in assets],
            dtype=bool,
        )
        classes = tuple(INSULATION_LIMIT_C)
        insulation = [
            INSULATION_LIMIT_C[_choice(a, "insulation_class", "F", classes)] for a in assets
        ]

        def limits(which: str) -> np.ndarray:
            out = np.array([[_limit(a, k, which) for k in KEYS] for a in assets], dtype=float)
            return out.reshape(len(assets), len(KEYS))

        return cls(
            asset_ids=tuple(a.id for a in assets),
            signal_ids=tuple(
                tuple((s.id if (s := a.signal(k)) else None) for k in KEYS) for a in assets
            ),
            rated_kw=kw,
            flexible=flexible,
            iso_bounds=iso.boundaries(kw, flexible).reshape(len(assets), 3),
            rated_current_a=rated_a,
            rated_voltage_v=rated_v,
            ambient_c=np.array([_num(a, "ambient_c", 30.0, positive=False) for a in assets]),
            rise_k=np.array([_num(a, "rated_temp_rise_k", 50.0) for a in assets]),
            tau_s=np.array([_num(a, "thermal_tau_s", 120.0) for a in assets]),
            insulation_c=np.array(insulation, dtype=float),
            alarm_high=limits("alarm_high"),
            alarm_low=limits("alarm_low"),
            warn_high=limits("warn_high"),
            warn_low=limits("warn_low"),
        )

    def cells(self) -> dict[str, int]:
        """Signal id -> flat index row * len(KEYS) + column of the monitored signals."""
        return {
            sid: r * len(KEYS) + c
            for r, sids in enumerate(self.signal_ids)
            for c, sid in enumerate(sids)
            if sid is not None
        }
