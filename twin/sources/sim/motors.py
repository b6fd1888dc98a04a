"""Industrial induction motors: a drive with a slowly wandering mechanical load."""

from __future__ import annotations

from collections.abc import Collection
from typing import ClassVar

import numpy as np

from twin.sources.sim.base import DRIVE_SPECS, KeySpec, KindModel
from twin.sources.sim.noise import Wander
from twin.sources.sim.timegrid import Times

_BPFO_ORDER = 3.58  # outer-race defect frequency / shaft frequency of a typical 6205 bearing


class MotorModel(KindModel):
    """Params: rated_current_a, rated_speed_rpm, rated_voltage_v, supply_hz, load_min/max,
    ambient_c, rated_temp_rise_k, thermal_tau_s, bearing_tau_s, vibration_mm_s,
    energy_start_kwh."""

    kind = "motor"
    current_key = "current"
    rated_current_a = 30.0
    load_mean = 0.725
    warmup_window_s = 0.0
    specs: ClassVar = {
        "current": DRIVE_SPECS["motor_current"],
        "voltage": DRIVE_SPECS["voltage"],
        "vibration": DRIVE_SPECS["vibration"],
        "winding_temp": DRIVE_SPECS["winding_temp"],
        "bearing_temp": DRIVE_SPECS["bearing_temp"],
        "speed": KeySpec("rpm", sd=0.6, lo=0.0),
        "power": KeySpec("kW", rel=0.01, lo=0.0),
        "energy": KeySpec("kWh"),  # a meter register: no noise
        "acceleration": KeySpec("m/s²", sd=0.05),  # raw vibration, for kHz rates
    }

    def setup(self) -> None:
        p, u = self.params, self.u
        lo = p.num("load_min", 0.6)
        hi = p.num("load_max", 0.85)
        self._load_mid = (lo + hi) / 2
        self._load_amp = (hi - lo) / 2
        self._wander = Wander(u[:, 0:4], [(200.0, 900.0), (30.0, 90.0)], [0.65, 0.35])
        self.rated_rpm = p.num("rated_speed_rpm", 1480.0)
        supply_hz = p.num("supply_hz", 50.0)
        pole_pairs = np.maximum(1.0, np.floor(supply_hz * 60.0 / self.rated_rpm))
        self.sync_rpm = supply_hz * 60.0 / pole_pairs
        self._slip_rated = np.maximum(self.sync_rpm - self.rated_rpm, 0.0)
        self._phase = 2 * np.pi * u[:, 4:6]
        self._energy_start = p.num("energy_start_kwh", 1000.0 + 9000.0 * u[:, 6])
        self.energy = np.empty((0, 0))
        self._metering = False

    def prepare(self, keys: Collection[str]) -> None:
        super().prepare(keys)
        self._metering = "energy" in self.keys_in_use

    def load(self, t: np.ndarray) -> np.ndarray:
        return self._load_mid[:, None] + self._load_amp[:, None] * self._wander(t)

    def step(self, ticks: np.ndarray) -> None:
        if not (self.drive.thermal or self._metering):
            return
        load = self.load(ticks)
        self.drive.step(ticks, load)
        if not self._metering:
            return
        power = self.drive.power_kw(ticks, load)
        e = np.empty_like(power)
        e[:, 0] = self._energy_start if self.energy.size == 0 else self.energy[:, -1]
        kwh = 0.5 * (power[:, :-1] + power[:, 1:]) * (self.tick_s / 3600.0)
        e[:, 1:] = e[:, :1] + np.cumsum(kwh, axis=1)
        self.energy = e

    def process_values(self, key: str, times: Times) -> np.ndarray:
        t, drive = times.t, self.drive
        if key == "speed":
            # Slip grows with torque, which is current x flux; flux falls with the supply.
            supply = drive.supply(t)
            ratio = drive.current_ratio(t, self.load_at(times))
            slip = self._slip_rated[:, None] * ratio / supply
            return np.maximum(self.sync_rpm[:, None] - slip, 0.0)
        if key == "power":
            return drive.power_kw(t, self.load_at(times))
        if key == "energy":
            return times.interp(self.energy)
        if key == "acceleration":
            return self._acceleration(times)
        return super().process_values(key, times)

    def _acceleration(self, times: Times) -> np.ndarray:
        """Raw acceleration: 1x and 2x shaft harmonics sized from the velocity RMS, plus an
        outer-race defect tone that grows with bearing wear."""
        t = times.t[None, :]
        shaft_hz = (self.rated_rpm / 60.0)[:, None]
        velocity = self.drive.vibration(times.t, self.load_at(times))  # mm/s RMS
        wear = np.broadcast_to(self.drive.wear(times.t), velocity.shape)
        healthy = velocity - wear
        w1 = 2 * np.pi * shaft_hz
        a1 = np.sqrt(2.0) * healthy * 1e-3 * w1  # m/s^2 peak of the 1x tone
        out = a1 * np.sin(w1 * t + self._phase[:, :1])
        out += 0.35 * a1 * np.sin(2 * w1 * t + self._phase[:, 1:2])
        wd = _BPFO_ORDER * w1
        out += np.sqrt(2.0) * wear * 1e-3 * wd * np.sin(wd * t)
        return out
