"""The shape every equipment model has: specs of its keys, per-tick physics, sampling.

A model covers all assets of one kind and computes a key for all of them at once (n, k);
the simulator picks the rows a channel group needs, and the model adds measurement noise.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from twin.plant.model import Asset
from twin.sources.sim.drive import Drive
from twin.sources.sim.faults import FaultTimes
from twin.sources.sim.noise import asset_uniforms, gaussian
from twin.sources.sim.params import Params
from twin.sources.sim.timegrid import Times

Bound = float | np.ndarray | None


@dataclass(frozen=True, slots=True)
class KeySpec:
    """A signal key a model produces: unit, measurement noise and physical bounds."""

    unit: str
    sd: float = 0.0  # absolute noise standard deviation, in the unit
    rel: float = 0.0  # noise standard deviation as a fraction of |value|
    lo: float | None = None  # values are clipped into [lo, hi] after the noise
    hi: float | None = None


# Keys every machine gets from its drive (the bare motor kind names its current "current").
DRIVE_SPECS: Mapping[str, KeySpec] = {
    "motor_current": KeySpec("A", sd=0.05, rel=0.01, lo=0.0),
    "voltage": KeySpec("V", sd=1.2, lo=0.0),
    "vibration": KeySpec("mm/s", rel=0.06, lo=0.0),
    "winding_temp": KeySpec("°C", sd=0.15),
    "bearing_temp": KeySpec("°C", sd=0.1),
}


class KindModel:
    """Base of the per-kind models.

    Subclasses set ``kind``, ``specs`` and the drive defaults, read their params in
    ``setup``, and implement ``load`` and ``process_values`` (and ``step`` if they keep
    per-tick state of their own).
    """

    kind: ClassVar[str]
    specs: ClassVar[Mapping[str, KeySpec]]
    current_key: ClassVar[str] = "motor_current"
    rated_current_a: ClassVar[float] = 20.0
    # Cyclic machines learn their typical load from this window of normal running (no
    # faults): it sets the initial temperatures and the base of an overload. 0 means use
    # ``load_mean`` and the load at t = 0 instead (a bare motor's load wanders slowly).
    warmup_window_s: ClassVar[float] = 600.0
    load_mean: ClassVar[float] = 0.6  # fraction of rated current, when there is no window

    def __init__(self, assets: Sequence[Asset], seed: int, faults: FaultTimes, tick_s: float):
        self.assets = tuple(assets)
        self.n = len(self.assets)
        self.seed = seed
        self.faults = faults
        self.tick_s = tick_s
        self.params = Params(self.assets)
        # 8 + 4 uniforms per asset for the drive, 16 for the process model's own character.
        # The drive's last 4 come after the model's, so adding them changed no earlier one.
        u = asset_uniforms(seed, self.kind, [a.id for a in self.assets], 28)
        self.u = u[:, 8:24]
        self.drive = Drive(
            self.params,
            np.hstack([u[:, :8], u[:, 24:]]),
            faults,
            rated_current_a=self.rated_current_a,
            load_mean=self.load_mean,
            tick_s=tick_s,
        )
        self.keys_in_use: frozenset[str] = frozenset()
        self.setup()
        if self.warmup_window_s > 0:
            normal = self.load(np.arange(0.0, self.warmup_window_s, 0.5))
            self.drive.load_mean = normal.mean(axis=1)
            self.drive.initial_ratio_sq = np.mean(normal * normal, axis=1)

    def setup(self) -> None:
        """Read the kind's params into per-asset arrays; runs at the end of ``__init__``."""

    def prepare(self, keys: Collection[str]) -> None:
        """Called once with the keys that will be sampled, before the first ``step``."""
        self.keys_in_use = frozenset(keys)
        self.drive.thermal = bool(self.keys_in_use & {"winding_temp", "bearing_temp"})

    # -- to implement ----------------------------------------------------------------------

    def load(self, t: np.ndarray) -> np.ndarray:
        """Process load of the drive as a fraction of rated current at ``t`` (k,): (n, k)."""
        raise NotImplementedError

    def process_values(self, key: str, times: Times) -> np.ndarray:
        """Noise-free values of a process key (not a drive key) at ``times``: (n, k)."""
        raise NotImplementedError(f"{self.kind} model has no key {key!r}")

    def step(self, ticks: np.ndarray) -> None:
        """Advance per-tick state over one block; ``ticks`` (B + 1,) in s since start."""
        if self.drive.thermal:
            self.drive.step(ticks, self.load(ticks))

    def bounds(self, key: str) -> tuple[Bound, Bound]:
        """Clip bounds of a key, scalars or per-asset arrays (n,)."""
        spec = self.specs[key]
        return spec.lo, spec.hi

    # -- shared ----------------------------------------------------------------------------

    def memo(self, times: Times, name: str, make: Callable[[], np.ndarray]) -> np.ndarray:
        """``make()`` once per sample-time set: keys sampled at one rate share the work."""
        tag = f"{self.kind}.{name}"
        value = times.memo.get(tag)
        if value is None:
            value = times.memo[tag] = make()
        return value

    def load_at(self, times: Times) -> np.ndarray:
        return self.memo(times, "load", lambda: self.load(times.t))

    def values(self, key: str, times: Times) -> np.ndarray:
        """Noise-free values of any key at ``times``: (n, k). May be a shared memo array."""
        drive, t = self.drive, times.t
        if key == self.current_key:
            return drive.current(t, self.load_at(times))
        if key == "voltage":
            return drive.voltage(t)
        if key == "vibration":
            return drive.vibration(t, self.load_at(times))
        if key == "winding_temp":
            return times.interp(drive.winding)
        if key == "bearing_temp":
            return times.interp(drive.bearing)
        return self.process_values(key, times)

    def sample(
        self, key: str, rows: np.ndarray | None, times: Times, rng: np.random.Generator
    ) -> np.ndarray:
        """Measured values of ``key`` for the asset ``rows`` (all if None): a new (r, k) array."""
        v = self.values(key, times)
        if rows is not None:
            v = v[rows]
        spec = self.specs[key]
        if spec.sd or spec.rel:
            z = gaussian(rng, v.shape[0], v.shape[1])
            v = v + (spec.sd + spec.rel * np.abs(v)) * z
        else:
            v = v.copy()  # the caller owns the result; never hand out a memo array
        lo, hi = self.bounds(key)
        # Plain ufuncs rather than np.clip: this runs for every group and block.
        if lo is not None:
            np.maximum(v, _rows(lo, rows), out=v)
        if hi is not None:
            np.minimum(v, _rows(hi, rows), out=v)
        return v


def piecewise(
    conditions: Sequence[np.ndarray],
    choices: Sequence[np.ndarray | float],
    default: np.ndarray | float,
) -> np.ndarray:
    """Like np.select (first true condition wins) but several times cheaper on small arrays."""
    out = np.asarray(default)
    for cond, choice in zip(reversed(conditions), reversed(choices), strict=True):
        out = np.where(cond, choice, out)
    return out


def _rows(bound: float | np.ndarray, rows: np.ndarray | None) -> float | np.ndarray:
    if isinstance(bound, float):
        return bound
    b = bound if rows is None else bound[rows]
    return b[:, None]
