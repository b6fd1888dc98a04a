"""Conveyors, looms and pumps: small process models on top of a drive."""

from __future__ import annotations

from typing import ClassVar

import numpy as np

from twin.sources.sim.base import DRIVE_SPECS, KeySpec, KindModel
from twin.sources.sim.cycles import DOWN_CAUSES, STATE_RUN, CycleSchedule
from twin.sources.sim.noise import Wander
from twin.sources.sim.timegrid import Times

_CURVE = 0.2  # pump curve droop: pressure at rated flow = (1 - _CURVE) x shut-off pressure


class ConveyorModel(KindModel):
    """A transfer conveyor that indexes the sheet/panel along the line a few times per line
    cycle. Params: line_cycle_s (216), cycle_offset_s, index_moves (2), index_start_s,
    index_s (18), rated_speed_m_s (0.3), accel_s (2), rated_current_a."""

    kind = "conveyor"
    rated_current_a = 6.0
    specs: ClassVar = {**DRIVE_SPECS, "belt_speed": KeySpec("m/s", sd=0.003, lo=0.0)}

    def setup(self) -> None:
        p = self.params
        cycle = np.maximum(p.num("line_cycle_s", 216.0), 1.0)
        moves = np.maximum(np.round(p.num("index_moves", 2.0)), 1.0)
        self._spacing = cycle / moves
        self._offset = p.num("cycle_offset_s", 0.0) - p.num("index_start_s", 0.0)
        self._move_s = np.clip(p.num("index_s", 18.0), 1e-3, self._spacing)
        self._accel_s = np.clip(p.num("accel_s", 2.0), 1e-3, self._move_s / 2)
        self._vmax = np.maximum(p.num("rated_speed_m_s", 0.3), 0.0)

    def _progress(self, t: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(time into the current index move, speed as a fraction of belt_speed)."""
        tau = np.mod(t[None, :] + self._offset[:, None], self._spacing[:, None])
        ta = self._accel_s[:, None]
        # Trapezoid: ramp up, run, ramp down, then stand while the presses work.
        frac = np.clip(np.minimum(tau / ta, (self._move_s[:, None] - tau) / ta), 0.0, 1.0)
        return tau, frac

    def load(self, t: np.ndarray) -> np.ndarray:
        tau, frac = self._progress(t)
        accelerating = (tau < self._accel_s[:, None]).astype(float)
        return 0.05 + 0.6 * frac + 0.25 * accelerating

    def process_values(self, key: str, times: Times) -> np.ndarray:
        if key == "belt_speed":
            return self._vmax[:, None] * self._progress(times.t)[1]
        return super().process_values(key, times)


class LoomModel(KindModel):
    """A weaving loom. Params: rated_ppm (default 620-780), warp_tension_n, piece_m (30:
    the cloth between two cut marks), picks_per_cm (30: the weft density), piece_count_start,
    rated_current_a and the cycle params of ``CycleSchedule``: a cycle is one piece, woven
    without a handling gap, with warp breaks as stops inside it (stops_per_h 4, stop_s 120)
    and breakdowns between pieces. The warp tension oscillates at the pick rate (it aliases
    at low sample rates); the loom runs at ``speed`` only while weaving, else it stands."""

    kind = "loom"
    rated_current_a = 12.0
    specs: ClassVar = {
        **DRIVE_SPECS,
        "speed": KeySpec("picks/min", sd=1.0, lo=0.0),
        "warp_tension": KeySpec("N", rel=0.01, lo=0.0),
        "piece_count": KeySpec("pieces"),
        "scrap_count": KeySpec("pieces"),
        "state": KeySpec(""),
        "power": KeySpec("kW", rel=0.01, lo=0.0),
    }

    def setup(self) -> None:
        p, u = self.params, self.u
        self._ppm = np.maximum(p.num("rated_ppm", 620.0 + 160.0 * u[:, 0]), 0.0)
        self._tension = p.num("warp_tension_n", 2100.0 + 200.0 * u[:, 1])
        self._speed_wander = Wander(u[:, 2:6], [(60.0, 240.0), (8.0, 25.0)], [0.7, 0.3])
        self._tension_wander = Wander(u[:, 6:8], [(300.0, 900.0)], [1.0])
        self._phase0 = 2 * np.pi * u[:, 8:10]
        picks = np.maximum(p.num("piece_m", 30.0) * 100.0 * p.num("picks_per_cm", 30.0), 1.0)
        defaults = {
            "handling_share": 0.0,
            "microstop_p": 0.0,
            "cycle_spread": 0.01,
            "stops_per_h": 4.0,
            "stop_s": 120.0,
            "mtbf_h": 24.0,
            "mttr_min": 20.0,
            "scrap_p": 0.01,
        }
        cycle = picks / np.maximum(self._ppm, 1e-3) * 60.0
        ids = [a.id for a in self.assets]
        self.schedule = CycleSchedule(self.seed, self.kind, ids, p, cycle, defaults)
        self._count_start = p.num("piece_count_start", 0.0)

    def _pick_phase(self, t: np.ndarray) -> np.ndarray:
        # The phase is the integral of the speed, so it stays continuous as the speed wanders.
        cycles = (self._ppm / 60.0)[:, None] * (t[None, :] + 0.015 * self._speed_wander.integral(t))
        return 2 * np.pi * cycles + self._phase0[:, :1]

    def _running(self, t: np.ndarray) -> np.ndarray:
        return self.schedule.state(t) == STATE_RUN

    def _speed(self, t: np.ndarray) -> np.ndarray:
        running = self._ppm[:, None] * (1.0 + 0.015 * self._speed_wander(t))
        return np.where(self._running(t), running, 0.0)

    def load(self, t: np.ndarray) -> np.ndarray:
        state = self.schedule.state(t)
        relative = 1.0 + 0.015 * self._speed_wander(t)
        weaving = 0.62 * relative + 0.06 * np.sin(self._pick_phase(t))
        # Standing at a warp break the drive holds the loom; stopped for a cause it is off.
        return np.where(state == STATE_RUN, weaving, np.where(state >= DOWN_CAUSES[0], 0.02, 0.05))

    def _counts(self, times: Times) -> np.ndarray:
        """Pieces made and pieces graded scrap since the start: (2, n, k)."""
        return self.memo(times, "counts", lambda: np.stack(self.schedule.counts(times.t)))

    def process_values(self, key: str, times: Times) -> np.ndarray:
        t = times.t
        if key == "speed":
            return self._speed(t)
        if key == "warp_tension":
            phase = self._pick_phase(t)
            mean = self._tension[:, None] * (1.0 + 0.02 * self._tension_wander(t))
            ripple = 0.09 * np.sin(phase) + 0.03 * np.sin(2 * phase + self._phase0[:, 1:2])
            return mean + self._tension[:, None] * ripple * self._running(t)
        if key == "piece_count":
            return self._count_start[:, None] + self._counts(times)[0]
        if key == "scrap_count":
            return self._counts(times)[1]
        if key == "state":
            return self.schedule.state(times.t)
        if key == "power":
            return self.drive.power_kw(t, self.load_at(times))
        return super().process_values(key, times)


class PumpModel(KindModel):
    """A centrifugal pump on a varying demand. Params: rated_flow_m3h (60),
    rated_pressure_bar (6), demand_min/max (0.75/0.95), efficiency (0.72), rated_current_a
    (defaults to the motor sized 10% above the rated duty point)."""

    kind = "pump"
    specs: ClassVar = {
        **DRIVE_SPECS,
        "flow": KeySpec("m³/h", rel=0.01, lo=0.0),
        "pressure": KeySpec("bar", sd=0.03, lo=0.0),
    }

    def setup(self) -> None:
        p, u = self.params, self.u
        self._q_rated = np.maximum(p.num("rated_flow_m3h", 60.0), 1e-6)
        p_rated = np.maximum(p.num("rated_pressure_bar", 6.0), 0.0)
        lo, hi = p.num("demand_min", 0.75), p.num("demand_max", 0.95)
        self._mid, self._amp = (lo + hi) / 2, (hi - lo) / 2
        self._demand = Wander(u[:, 0:4], [(120.0, 600.0), (20.0, 60.0)], [0.7, 0.3])
        # Flat-ish pump curve: pressure falls with the square of flow from shut-off.
        self._shutoff = p_rated / (1.0 - _CURVE)
        efficiency = np.clip(p.num("efficiency", 0.72), 0.05, 1.0)
        volts = self.drive.rated_v
        # kW at the shaft per unit of Q x p (m³/h x bar), and the amps that takes.
        self._kw_per_qp = 1.0 / (36.0 * efficiency)
        self._amps_per_kw = 1000.0 / (np.sqrt(3.0) * volts * 0.85)
        rated_kw = self._q_rated * p_rated * self._kw_per_qp
        default_amps = 1.1 * rated_kw * self._amps_per_kw
        self.drive.rated_a = np.maximum(p.num("rated_current_a", default_amps), 1e-6)

    def _flow(self, t: np.ndarray) -> np.ndarray:
        return self._q_rated[:, None] * (self._mid[:, None] + self._amp[:, None] * self._demand(t))

    def _pressure(self, flow: np.ndarray) -> np.ndarray:
        x = flow / self._q_rated[:, None]
        return self._shutoff[:, None] * (1.0 - _CURVE * x * x)

    def load(self, t: np.ndarray) -> np.ndarray:
        flow = self._flow(t)
        kw = flow * self._pressure(flow) * self._kw_per_qp[:, None]
        return kw * self._amps_per_kw[:, None] / self.drive.rated_a[:, None]

    def process_values(self, key: str, times: Times) -> np.ndarray:
        flow = self.memo(times, "flow", lambda: self._flow(times.t))
        if key == "flow":
            return flow
        if key == "pressure":
            return self._pressure(flow)
        return super().process_values(key, times)
