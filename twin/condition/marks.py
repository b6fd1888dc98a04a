"""The frequencies worth marking on the spectrum of an asset's waveform channel.

For vibration: the shaft frequency and its harmonics, and the bearing defect frequencies
(BPFO, BPFI, BSF, FTF) from the bearing's geometry or its maker's orders in the asset's
params, else those of a typical 6205 deep-groove bearing. For a motor current: the supply
line and the (1 - 2s) f and (1 + 2s) f sidebands a broken rotor bar puts beside it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from twin.condition.spectra import (
    BearingFrequencies,
    bearing_frequencies,
    from_orders,
    rotor_bar_sidebands,
    slip,
)
from twin.plant.model import Asset, Plant, Signal

# A signal sampled this fast is a waveform (raw acceleration, phase current), not a level.
WAVEFORM_HZ = 200.0
# BPFO, BPFI, BSF, FTF of a typical 6205 bearing (9 balls, 7.94 mm on a 39.04 mm pitch), in
# orders of the shaft speed; the simulator's outer-race tone sits at its BPFO.
TYPICAL_ORDERS = (3.58, 5.42, 2.36, 0.40)
GEOMETRY_PARAMS = ("bearing_balls", "bearing_ball_d_mm", "bearing_pitch_d_mm")
ORDER_PARAMS = ("bpfo_order", "bpfi_order", "bsf_order", "ftf_order")
SHAFT_HARMONICS = 3
DEFAULT_SUPPLY_HZ = 50.0


@dataclass(frozen=True, slots=True)
class Mark:
    """One marked frequency: its label, Hz, and family ("shaft", "bearing", "supply",
    "sideband"), which sets its colour."""

    label: str
    hz: float
    family: str


class MarkError(ValueError):
    """An asset param needed for the marks is not usable; the message names it."""


def waveform_signals(plant: Plant) -> tuple[Signal, ...]:
    """The plant's waveform channels (signals at WAVEFORM_HZ or faster), in plant order."""
    return tuple(s for s in plant.signals if s.rate_hz >= WAVEFORM_HZ)


def is_current(signal: Signal) -> bool:
    """A current waveform (marked with the rotor-bar sidebands) rather than a vibration."""
    return signal.unit.strip() == "A"


def marks_for(asset: Asset, signal: Signal, speed_rpm: float | None) -> tuple[Mark, ...]:
    """The marks of ``signal`` on ``asset`` at a measured ``speed_rpm`` (None or NaN: the
    asset's ``rated_speed_rpm``; neither: no speed-related marks), sorted by frequency."""
    rpm = _speed(asset, speed_rpm)
    marks = _current_marks(asset, rpm) if is_current(signal) else _vibration_marks(asset, rpm)
    return tuple(sorted(marks, key=lambda m: m.hz))


def bearing_of(asset: Asset, shaft_hz: float) -> BearingFrequencies:
    """The defect frequencies of the asset's bearing at ``shaft_hz``: from its geometry
    params when it has them, else its order params, else TYPICAL_ORDERS."""
    p = asset.params
    if any(k in p for k in GEOMETRY_PARAMS):
        balls, ball_d, pitch_d = (_param(asset, k) for k in GEOMETRY_PARAMS)
        contact = _param(asset, "bearing_contact_deg", 0.0)
        try:
            return bearing_frequencies(shaft_hz, round(balls), ball_d, pitch_d, contact)
        except ValueError as exc:
            raise MarkError(f"asset {asset.id}: {exc}") from None
    if any(k in p for k in ORDER_PARAMS):
        orders = tuple(
            _param(asset, k, d) for k, d in zip(ORDER_PARAMS, TYPICAL_ORDERS, strict=True)
        )
        return from_orders(shaft_hz, orders)  # type: ignore[arg-type]
    return from_orders(shaft_hz, TYPICAL_ORDERS)


def _vibration_marks(asset: Asset, rpm: float | None) -> list[Mark]:
    if rpm is None:
        return []
    shaft_hz = rpm / 60.0
    marks = [Mark(f"{k}×", k * shaft_hz, "shaft") for k in range(1, SHAFT_HARMONICS + 1)]
    b = bearing_of(asset, shaft_hz)
    names = ("BPFO", "BPFI", "BSF", "FTF")
    marks += [Mark(n, hz, "bearing") for n, hz in zip(names, b.as_tuple(), strict=True)]
    return marks


def _current_marks(asset: Asset, rpm: float | None) -> list[Mark]:
    supply = _param(asset, "supply_hz", DEFAULT_SUPPLY_HZ)
    marks = [Mark("f", supply, "supply")]
    rated = _param(asset, "rated_speed_rpm", math.nan)
    if rpm is None or not math.isfinite(rated) or rated <= 0:
        return marks
    poles = 2 * max(1, math.floor(supply * 60.0 / rated))
    s = slip(supply, poles, rpm)
    if s <= 0:  # at or above synchronous speed: no slip, the sidebands sit on the line
        return marks
    lo, hi = rotor_bar_sidebands(supply, s)
    return [*marks, Mark("(1−2s)f", lo, "sideband"), Mark("(1+2s)f", hi, "sideband")]


def _speed(asset: Asset, measured: float | None) -> float | None:
    if measured is not None and math.isfinite(measured) and measured > 0:
        return float(measured)
    rated = _param(asset, "rated_speed_rpm", math.nan)
    return rated if math.isfinite(rated) and rated > 0 else None


def _param(asset: Asset, key: str, default: float | None = None) -> float:
    """A number from the asset's params; MarkError naming the asset and param otherwise."""
    params: Mapping[str, float | str] = asset.params
    if key not in params:
        if default is None:
            raise MarkError(f"asset {asset.id}: param {key} is missing (needed with the others)")
        return default
    value = params[key]
    try:
        return float(value)
    except (TypeError, ValueError):
        raise MarkError(f"asset {asset.id}: param {key} = {value!r} is not a number") from None
