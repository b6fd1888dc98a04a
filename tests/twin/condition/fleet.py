"""A small motor fleet and its telemetry for the condition tests: the demo plant's six
signals per motor, with the limits ``scripts/make_plant.py`` gives them, and batches of
per-second samples built from a function of time per motor and signal."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence

import numpy as np

from twin.batch import Batch, ChannelGroup
from twin.condition.profile import KEYS
from twin.plant.model import Area, Asset, Limits, Plant, Signal

NS = 1_000_000_000
T0 = 1_750_000_020 * NS  # a minute boundary
RATED_A = 28.5
LIMITS = {
    "winding_temp": Limits(warn_high=110, alarm_high=130),
    "bearing_temp": Limits(warn_high=85, alarm_high=95),
    "current": Limits(warn_high=32.8, alarm_high=39.9),
    "voltage": Limits(alarm_low=360, warn_low=370, warn_high=430, alarm_high=440),
    "vibration": Limits(warn_high=4.5, alarm_high=7.1),
    "speed": Limits(alarm_low=1325, warn_low=1405, warn_high=1530, alarm_high=1560),
}
PARAMS = {
    "rated_current_a": RATED_A, "rated_speed_rpm": 1475, "thermal_tau_s": 120,
    "rated_temp_rise_k": 50, "ambient_c": 30,
}  # fmt: skip


def motor(asset_id: str, **params: float | str) -> Asset:
    signals = tuple(
        Signal(f"{asset_id}.{k}", asset_id, k, k, "", 1.0, (0.0, 1.0), LIMITS[k]) for k in KEYS
    )
    return Asset(asset_id, asset_id, "motor", "hall", (0, 0, 0), 0, signals, {**PARAMS, **params})


def plant(n: int, **params: float | str) -> Plant:
    assets = tuple(motor(f"M{i + 1:03d}", **params) for i in range(n))
    return Plant("test", "", (Area("hall", "Hall"),), assets)


def groups(p: Plant) -> list[ChannelGroup]:
    """One group per signal key, each holding that signal of every motor (as the
    simulator groups them)."""
    return [
        ChannelGroup(f"sim/motor/{k}@1", tuple(f"{a.id}.{k}" for a in p.assets), 1.0) for k in KEYS
    ]


Shape = Callable[[np.ndarray], np.ndarray]  # seconds (k,) -> values (k,)


def healthy(rng: np.random.Generator, load: float = 0.7) -> dict[str, Shape]:
    """A healthy motor's signals: load wandering with a 11-minute period, the winding at
    its thermal steady state, noise on every sample."""

    def ratio(t: np.ndarray) -> np.ndarray:
        return load + 0.06 * np.sin(2 * np.pi * t / 660.0)

    def noise(sd: float) -> Callable[[np.ndarray], np.ndarray]:
        return lambda t: sd * rng.standard_normal(t.shape)

    n = {
        k: noise(sd)
        for k, sd in (("w", 0.3), ("b", 0.1), ("c", 0.3), ("v", 1.0), ("x", 0.05), ("s", 1.0))
    }
    return {
        "winding_temp": lambda t: 30 + 50 * ratio(t) ** 2 + n["w"](t),
        "bearing_temp": lambda t: 48 + n["b"](t),
        "current": lambda t: RATED_A * ratio(t) + n["c"](t),
        "voltage": lambda t: 400 + n["v"](t),
        "vibration": lambda t: 1.8 + n["x"](t),
        "speed": lambda t: 1470 + n["s"](t),
    }


def batches(
    p: Plant, shapes: Sequence[Mapping[str, Shape]], seconds: int, per_batch: int = 60
) -> Iterator[Batch]:
    """Batches of ``per_batch`` 1 Hz samples per group for ``seconds`` from T0."""
    for start in range(0, seconds, per_batch):
        s = np.arange(start, min(seconds, start + per_batch), dtype=float)
        t = T0 + (s * NS).astype(np.int64)
        for g, k in zip(groups(p), KEYS, strict=False):
            yield Batch(g.key, t, np.stack([shape[k](s) for shape in shapes]))
