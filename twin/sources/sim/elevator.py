"""Elevator cars in a test tower: trips between floors with a trapezoidal speed profile
and a door dwell at every stop."""

from __future__ import annotations

from typing import ClassVar

import numpy as np

from twin.sources.sim.base import DRIVE_SPECS, Bound, KeySpec, KindModel, piecewise
from twin.sources.sim.noise import noise_rng
from twin.sources.sim.timegrid import Times

_DOOR_MOVE_S = 1.0  # doors take this long to open and again to close
_FULL_RUN_SHARE = 0.3  # a test tower does many full-height runs


class _Trips:
    """The trip schedule of one car, generated trip by trip from its own random stream, so it
    is the same however far ahead it has been extended."""

    def __init__(
        self, rng: np.random.Generator, levels: np.ndarray, vmax: float, acc: float, dwell: float
    ) -> None:
        self._rng, self._levels, self._vmax, self._acc = rng, levels, vmax, acc
        self.dwell = dwell
        self._floor = int(rng.integers(len(levels)))
        self._next_start = -float(rng.uniform(0.0, 20.0))  # the plant was already running
        self._rows: list[tuple[float, float, float, float]] = []  # start, from, to, move_s
        self.table = np.empty((0, 4))

    def _next_floor(self) -> int:
        top = len(self._levels) - 1
        if self._rng.random() < _FULL_RUN_SHARE:
            return top if self._floor < top / 2 else 0
        pick = int(self._rng.integers(top))  # any floor but the current one
        return pick if pick < self._floor else pick + 1

    def _move_s(self, distance: float) -> float:
        v, a = self._vmax, self._acc
        if distance >= v * v / a:
            return 2 * v / a + (distance - v * v / a) / v
        return 2 * np.sqrt(distance / a)

    def cover(self, t_hi: float) -> None:
        """Make ``table`` hold every trip that starts by ``t_hi``."""
        if self._next_start > t_hi:
            return
        while self._next_start <= t_hi:
            dest = self._next_floor()
            src, dst = self._levels[self._floor], self._levels[dest]
            move = self._move_s(abs(dst - src))
            self._rows.append((self._next_start, src, dst, move))
            self._next_start += move + self.dwell + 2 * _DOOR_MOVE_S
            self._floor = dest
        self.table = np.array(self._rows).reshape(-1, 4)

    def forget_before(self, t: float) -> None:
        """Drop trips that ended before ``t``: the simulation never looks back past it."""
        keep = 0
        while keep + 1 < len(self._rows) and self._rows[keep + 1][0] <= t:
            keep += 1
        if keep:
            del self._rows[:keep]
            self.table = np.array(self._rows).reshape(-1, 4)


class ElevatorModel(KindModel):
    """Params: height_m (or tower_height_m, 60), floors (16), rated_speed_m_s (2.5),
    accel_m_s2 (0.9), door_dwell_s (6), rated_current_a. car_speed is signed, up positive."""

    kind = "elevator"
    rated_current_a = 40.0
    specs: ClassVar = {
        **DRIVE_SPECS,
        "car_position": KeySpec("m", sd=0.001),
        "car_speed": KeySpec("m/s", sd=0.003),
        "door_open": KeySpec("0/1"),
    }

    def setup(self) -> None:
        p = self.params
        self.height_m = np.maximum(p.num("height_m", p.num("tower_height_m", 60.0)), 0.0)
        floors = np.maximum(np.round(p.num("floors", 16.0)), 2).astype(int)
        self._vmax = vmax = np.maximum(p.num("rated_speed_m_s", 2.5), 1e-3)
        self._acc = np.maximum(p.num("accel_m_s2", 0.9), 1e-3)
        dwell = np.maximum(p.num("door_dwell_s", 6.0), 0.0)
        self._trips = [
            _Trips(
                noise_rng(self.seed, self.kind, "trips", asset.id),
                np.linspace(0.0, self.height_m[i], floors[i]),
                float(vmax[i]),
                float(self._acc[i]),
                float(dwell[i]),
            )
            for i, asset in enumerate(self.assets)
        ]

    def bounds(self, key: str) -> tuple[Bound, Bound]:
        if key == "car_position":
            return 0.0, self.height_m
        return super().bounds(key)

    def _kinematics(self, t: np.ndarray) -> np.ndarray:
        """(4, n, k): position, velocity, acceleration, door open."""
        out = np.zeros((4, self.n, t.shape[0]))
        if t.shape[0] == 0:
            return out
        for i, trips in enumerate(self._trips):
            trips.cover(float(t[-1]))
            rows = trips.table[np.searchsorted(trips.table[:, 0], t, "right") - 1]
            start, src, dst, move = rows.T
            a, tau = self._acc[i], t - start
            dist, sign = np.abs(dst - src), np.sign(dst - src)
            ta = np.minimum(self._vmax[i] / a, np.sqrt(dist / a))  # time spent accelerating
            peak = a * ta
            phases = [tau < ta, tau < move - ta, tau < move]  # accelerate, cruise, brake
            covered = piecewise(
                phases,
                [
                    0.5 * a * tau**2,
                    0.5 * a * ta**2 + peak * (tau - ta),
                    dist - 0.5 * a * (move - tau) ** 2,
                ],
                dist,  # standing at the landing
            )
            out[0, i] = src + sign * covered
            out[1, i] = sign * piecewise(phases, [a * tau, peak, a * (move - tau)], 0.0)
            out[2, i] = sign * piecewise(phases, [a, 0.0, -a], 0.0)
            opened = tau - move - _DOOR_MOVE_S
            out[3, i] = (opened >= 0.0) & (opened < trips.dwell)
        return out

    def step(self, ticks: np.ndarray) -> None:
        # Every time sampled in this block is at or after its first tick.
        for trips in self._trips:
            trips.forget_before(float(ticks[0]))
        super().step(ticks)

    def load(self, t: np.ndarray) -> np.ndarray:
        _, vel, acc, _ = self._kinematics(t)
        moving = vel != 0.0
        # Accelerating costs up to ~1.5x rated; the counterweight makes down runs lighter.
        running = 0.45 + 0.85 * acc / self._acc[:, None] + 0.15 * np.sign(vel)
        return np.where(moving, np.maximum(running, 0.05), 0.03)

    def process_values(self, key: str, times: Times) -> np.ndarray:
        index = {"car_position": 0, "car_speed": 1, "door_open": 3}.get(key)
        if index is None:
            return super().process_values(key, times)
        return self.memo(times, "kinematics", lambda: self._kinematics(times.t))[index]
