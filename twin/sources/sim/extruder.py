"""Plastics extruders and injection moulding machines: a PI-controlled barrel heater, the
screw, and the pressure at the die (extrusion) or in the injection unit (injection).

Both make parts on a ``CycleSchedule`` (spread, micro-stops, breakdowns with a cause,
scrap). A moulding machine's cycle is one shot: the injection cycle is stretched over the
working time, and between shots the mould stands open while the part is taken out. An
extruder runs continuously: a cycle is one piece cut at ``piece_m`` by the cutter, with no
gap between pieces; while stopped the screw stands."""

from __future__ import annotations

from collections.abc import Collection
from typing import ClassVar

import numpy as np

from twin.sources.sim.base import DRIVE_SPECS, KeySpec, KindModel, piecewise
from twin.sources.sim.cycles import DOWN_CAUSES, STATE_RUN, CycleSchedule
from twin.sources.sim.noise import Wander
from twin.sources.sim.params import Params
from twin.sources.sim.timegrid import Times

# Injection cycle, in seconds of a 30 s reference cycle (scaled to cycle_s): inject, hold
# pressure, recover (the screw turns and meters the next shot), cool, then open and eject.
_INJECT_END, _HOLD_END, _RECOVER_END, _COOL_END = 1.5, 6.0, 12.0, 26.0
_REF_CYCLE_S = 30.0
_BACK_PRESSURE_BAR = 80.0
_OPEN_AT, _OPEN_END = 26.5, 28.0  # the mould opens, then ejects, at the end of the shot
_CLOSE_S = 0.8  # the mould closes at the start of the shot, before the screw moves


class ExtruderModel(KindModel):
    """Params: type ("extrusion"/"injection"), melt_setpoint_c, heater_kw (24),
    heater_tau_s (240), rated_screw_rpm (60 / 120), die_pressure_bar (extrusion, 180),
    injection_pressure_bar (1100), shot_cycle_s (injection, 30; ``cycle_s`` overrides it),
    mould_stroke_mm (injection, 400), piece_m (extrusion, 6), line_speed_m_min (extrusion,
    3), count_start, rated_current_a and the cycle params of ``CycleSchedule``.

    Keys besides the process's: shot_count (shots, 0 on an extruder), piece_count (pieces
    cut, 0 on a moulding machine), scrap_count (rejected shots or pieces), output_m (metres
    extruded), mould_position (mm open), state and power."""

    kind = "extruder"
    rated_current_a = 40.0
    specs: ClassVar = {
        **DRIVE_SPECS,
        "melt_temp": KeySpec("°C", sd=0.3),
        "die_pressure": KeySpec("bar", sd=1.5, rel=0.005, lo=0.0),
        "screw_speed": KeySpec("rpm", sd=0.3, lo=0.0),
        "heater_power": KeySpec("kW", sd=0.05, lo=0.0),
        "shot_count": KeySpec("shots"),
        "piece_count": KeySpec("pieces"),
        "scrap_count": KeySpec("parts"),
        "output_m": KeySpec("m"),
        "mould_position": KeySpec("mm", sd=0.05, lo=0.0),
        "state": KeySpec(""),
        "power": KeySpec("kW", rel=0.01, lo=0.0),
    }

    def setup(self) -> None:
        p, u = self.params, self.u
        types = p.text("type", "extrusion", ("extrusion", "injection"))
        self._inj = np.array([t == "injection" for t in types])
        self._setpoint = p.num("melt_setpoint_c", 205.0 + 20.0 * u[:, 0])
        self._p_max = np.maximum(p.num("heater_kw", 24.0), 1e-3)
        tau = np.maximum(p.num("heater_tau_s", 240.0), 1e-3)
        self._decay = np.exp(-self.tick_s / tau)
        self._screw_rpm = p.num("rated_screw_rpm", np.where(self._inj, 120.0, 60.0))
        self._die_bar = p.num("die_pressure_bar", 180.0)
        self._inject_bar = p.num("injection_pressure_bar", 1100.0)
        self._setup_cycles(p)
        self._wander = Wander(u[:, 2:6], [(90.0, 400.0), (15.0, 45.0)], [0.6, 0.4])
        # Cooling by the cold material the screw draws in, in kelvin of heater equilibrium.
        mean_cool = np.where(self._inj, 10.0 + 30.0 * 6.0 / _REF_CYCLE_S, 25.0)
        ambient = self.drive.ambient
        # Heater gain (K per kW) such that the steady state needs ~55% of the heater.
        self._gain = (self._setpoint - ambient + mean_cool) / (0.55 * self._p_max)
        self._kp = 4.0 / self._gain  # loop gain 4: brisk but well damped
        self._ki = self._kp / (tau / 2.0)
        self.melt = np.empty((0, 0))
        self.heater = np.empty((0, 0))
        self._integral = np.empty(0)
        self._heating = False

    def _setup_cycles(self, p: Params) -> None:
        inj = self._inj
        self._piece_m = np.maximum(p.num("piece_m", 6.0), 1e-3)
        speed = np.maximum(p.num("line_speed_m_min", 3.0), 1e-3)
        shot = np.maximum(p.num("shot_cycle_s", _REF_CYCLE_S), 1.0)
        cycle = np.where(inj, shot, self._piece_m / speed * 60.0)
        # The cutter cuts on the fly: an extruder has no gap between pieces, and stops rarely.
        defaults = {
            "handling_share": np.where(inj, 0.1, 0.0),
            "microstop_p": np.where(inj, 0.03, 0.01),
            "mtbf_h": np.where(inj, 10.0, 16.0),
            "mttr_min": np.where(inj, 15.0, 25.0),
            "scrap_p": np.where(inj, 0.02, 0.01),
        }
        ids = [a.id for a in self.assets]
        self.schedule = CycleSchedule(self.seed, self.kind, ids, p, cycle, defaults)
        self._mould_mm = np.maximum(p.num("mould_stroke_mm", 400.0), 0.0)
        self._count_start = p.num("count_start", 0.0)

    def prepare(self, keys: Collection[str]) -> None:
        super().prepare(keys)
        self._heating = bool(self.keys_in_use & {"melt_temp", "heater_power", "die_pressure"})

    # -- screw and cycle -------------------------------------------------------------------

    def _cycle_time(self, t: np.ndarray) -> np.ndarray:
        """Seconds into the injection cycle, on the 30 s reference scale; between shots the
        end of the cycle (the mould open, the screw still)."""
        u = self.schedule.progress(t)
        return np.where(u >= 0.0, u * _REF_CYCLE_S, _REF_CYCLE_S)

    def _running(self, t: np.ndarray) -> np.ndarray:
        return self.schedule.state(t) == STATE_RUN

    def _screw(self, t: np.ndarray) -> np.ndarray:
        steady = self._screw_rpm[:, None] * (1.0 + 0.02 * self._wander(t)) * self._running(t)
        c = self._cycle_time(t)
        # The screw spins up and down over ~0.3 s at the ends of recovery.
        ramp = np.clip(np.minimum(c - _HOLD_END, _RECOVER_END - c) / 0.3, 0.0, 1.0)
        return np.where(self._inj[:, None], self._screw_rpm[:, None] * ramp, steady)

    def _cooling(self, t: np.ndarray) -> np.ndarray:
        relative = self._screw(t) / np.maximum(self._screw_rpm[:, None], 1e-9)
        return np.where(self._inj[:, None], 10.0 + 30.0 * relative, 25.0 * relative)

    def _injection_bar(self, t: np.ndarray) -> np.ndarray:
        c, peak = self._cycle_time(t), self._inject_bar[:, None]
        return piecewise(
            [c < _INJECT_END, c < _HOLD_END, c < _RECOVER_END],
            [peak * (c / _INJECT_END) ** 0.7, 0.5 * peak, np.full_like(c, _BACK_PRESSURE_BAR)],
            5.0,
        )

    def _mould(self, t: np.ndarray) -> np.ndarray:
        """Mould opening in mm: closed through the shot, open at its end and between shots."""
        c = self._cycle_time(t)
        closing = 1.0 - c / (_CLOSE_S * _REF_CYCLE_S / 30.0)
        opening = (c - _OPEN_AT) / (_OPEN_END - _OPEN_AT)
        share = np.clip(np.maximum(closing, opening), 0.0, 1.0)
        return np.where(self._inj[:, None], self._mould_mm[:, None] * share, 0.0)

    def load(self, t: np.ndarray) -> np.ndarray:
        c = self._cycle_time(t)
        screw = self._screw(t) / np.maximum(self._screw_rpm[:, None], 1e-9)
        injection = piecewise(
            [c < _INJECT_END, c < _HOLD_END, c < _RECOVER_END], [0.95, 0.5, 0.75], 0.2
        )
        running = np.where(self._inj[:, None], injection, 0.1 + 0.6 * screw)
        # Stopped for a cause the drives are off but for the controls and the hydraulics.
        return np.where(self.schedule.state(t) >= DOWN_CAUSES[0], 0.03, running)

    def _counts(self, times: Times) -> np.ndarray:
        """Parts made and scrap parts since the start: (2, n, k)."""
        return self.memo(times, "counts", lambda: np.stack(self.schedule.counts(times.t)))

    def _output_m(self, times: Times) -> np.ndarray:
        """Metres extruded: the pieces cut and the part of the piece under way."""
        done = self._counts(times)[0] + np.maximum(self.schedule.progress(times.t), 0.0)
        return np.where(self._inj[:, None], 0.0, done * self._piece_m[:, None])

    # -- barrel heater ---------------------------------------------------------------------

    def step(self, ticks: np.ndarray) -> None:
        super().step(ticks)
        if not self._heating:
            return
        cool = self._cooling(ticks)
        supply = np.broadcast_to(self.drive.supply(ticks), cool.shape)
        ambient, sp = self.drive.ambient, self._setpoint
        temp = np.empty_like(cool)
        power = np.empty_like(cool)
        if self.melt.size == 0:
            # Start in steady state: at the setpoint, integral holding the needed power.
            self._integral = (sp - ambient + cool[:, 0]) / self._gain
            temp[:, 0], power[:, 0] = sp, self._integral
        else:
            temp[:, 0], power[:, 0] = self.melt[:, -1], self.heater[:, -1]
        # Everything that does not depend on the loop state is computed up front: the loop
        # runs once per tick on a handful of extruders, so numpy call overhead dominates.
        base = ambient[:, None] - cool  # heater equilibrium without heating
        supply_sq = supply**2  # resistive heaters: power follows the square of the voltage
        ki_dt = self._ki * self.tick_s
        integral = self._integral
        for j in range(1, cool.shape[1]):
            # Zero-order hold: the power chosen at tick j-1 heats until tick j.
            equilibrium = base[:, j - 1] + self._gain * power[:, j - 1]
            temp[:, j] = equilibrium + self._decay * (temp[:, j - 1] - equilibrium)
            error = sp - temp[:, j]
            wanted = self._kp * error + integral
            command = np.minimum(np.maximum(wanted, 0.0), self._p_max)
            # Integrate only while unsaturated, so the loop does not wind up in a sag.
            integral = integral + ki_dt * error * (wanted == command)
            power[:, j] = command * supply_sq[:, j]
        self._integral = integral
        self.melt, self.heater = temp, power

    def process_values(self, key: str, times: Times) -> np.ndarray:
        t = times.t
        if key == "melt_temp":
            return times.interp(self.melt)
        if key == "heater_power":
            return times.interp(self.heater)
        if key == "screw_speed":
            return self._screw(t)
        if key == "die_pressure":
            screw = self._screw(t) / np.maximum(self._screw_rpm[:, None], 1e-9)
            # Colder melt is more viscous, so the die needs more pressure.
            colder = self._setpoint[:, None] - times.interp(self.melt)
            die = self._die_bar[:, None] * np.maximum(screw, 0.0) ** 0.7 * np.exp(0.015 * colder)
            return np.where(self._inj[:, None], self._injection_bar(t), die)
        return self._cycle_values(key, times)

    def _cycle_values(self, key: str, times: Times) -> np.ndarray:
        inj = self._inj[:, None]
        if key in ("shot_count", "piece_count"):
            made = self._count_start[:, None] + self._counts(times)[0]
            return np.where(inj == (key == "shot_count"), made, 0.0)
        if key == "scrap_count":
            return self._counts(times)[1]
        if key == "output_m":
            return self._output_m(times)
        if key == "mould_position":
            return self._mould(times.t)
        if key == "state":
            return self.schedule.state(times.t)
        if key == "power":
            return self.drive.power_kw(times.t, self.load_at(times))
        return super().process_values(key, times)
