"""CNC shears, punches and press brakes of an elevator door-panel line: one panel per
cycle (216 s by default, varying; see ``twin.sources.sim.cycles``), a few ram strokes per
panel, idle at top dead centre in between and while stopped."""

from __future__ import annotations

from typing import ClassVar

import numpy as np

from twin.sources.sim.base import DRIVE_SPECS, Bound, KeySpec, KindModel, piecewise
from twin.sources.sim.cycles import DOWN_CAUSES, CycleSchedule
from twin.sources.sim.timegrid import Times

# Stroke profile as fractions of one stroke's duration: a fast approach down to where the
# tool meets the sheet, a slower working stroke to bottom dead centre, a return to the top.
_APPROACH_END = 0.30
_WORK_END = 0.65

# mode: (stroke_mm, strokes_per_cycle, stroke_s, stroke_gap_s, first_stroke_s, rated_force_kn,
#        peak force / rated force, share of the stroke that is working travel).
# Along a door-panel line the shear cuts the blank first, the punches follow, the press brake
# bends last; the defaults stagger them like that within the 216 s cycle.
_MODES: dict[str, tuple[float, float, float, float, float, float, float, float]] = {
    "shear": (100.0, 4, 2.4, 1.2, 20.0, 400.0, 0.55, 0.30),
    "punch": (32.0, 40, 0.6, 0.6, 60.0, 300.0, 0.60, 0.25),
    "brake": (200.0, 6, 4.0, 3.0, 150.0, 1000.0, 0.70, 0.35),
}


class PressModel(KindModel):
    """Params: mode ("shear"/"punch"/"brake"), stroke_mm, strokes_per_cycle, line_cycle_s
    (216: the stroke pattern's time base), stroke_s, stroke_gap_s, first_stroke_s,
    rated_force_kn, peak_force_kn, panel_count_start, rated_current_a, the drive params and
    the cycle params of ``CycleSchedule`` (cycle_s defaults to line_cycle_s).

    The stroke pattern of a nominal cycle is stretched over each cycle's working time."""

    kind = "press"
    rated_current_a = 45.0
    specs: ClassVar = {
        **DRIVE_SPECS,
        "ram_position": KeySpec("mm", sd=0.05),
        "force": KeySpec("kN", sd=0.8, lo=0.0),
        "panel_count": KeySpec("panels"),
        "scrap_count": KeySpec("panels"),
        "state": KeySpec(""),
        "power": KeySpec("kW", rel=0.01, lo=0.0),
    }

    def setup(self) -> None:
        p = self.params
        modes = p.text("mode", "shear", tuple(_MODES))
        table = np.array([_MODES[m] for m in modes]).reshape(self.n, 8)
        self._mode = np.array([tuple(_MODES).index(m) for m in modes]).reshape(self.n, 1)
        self.stroke_mm = np.maximum(p.num("stroke_mm", table[:, 0]), 0.0)
        self._strokes = np.maximum(np.round(p.num("strokes_per_cycle", table[:, 1])), 0.0)
        self.line_cycle_s = np.maximum(p.num("line_cycle_s", 216.0), 1.0)
        stroke_s = np.maximum(p.num("stroke_s", table[:, 2]), 1e-3)
        gap_s = np.maximum(p.num("stroke_gap_s", table[:, 3]), 0.0)
        self._first = np.clip(p.num("first_stroke_s", table[:, 4]), 0.0, self.line_cycle_s)
        # Squeeze the strokes if they would not fit in what is left of the line cycle.
        busy = np.maximum(self._strokes * (stroke_s + gap_s), 1e-9)
        fit = np.minimum(1.0, (self.line_cycle_s - self._first) / busy)
        self._stroke_s = stroke_s * fit
        self._pitch = (stroke_s + gap_s) * fit
        self.schedule = CycleSchedule(
            self.seed, self.kind, [a.id for a in self.assets], p, self.line_cycle_s
        )
        rated_kn = p.num("rated_force_kn", table[:, 5])
        self._peak_kn = np.maximum(p.num("peak_force_kn", table[:, 6] * rated_kn), 0.0)
        self._contact = self.stroke_mm * (1.0 - table[:, 7])  # ram position at tool contact
        self._count_start = p.num("panel_count_start", 0.0)

    def bounds(self, key: str) -> tuple[Bound, Bound]:
        if key == "ram_position":
            return 0.0, self.stroke_mm
        return super().bounds(key)

    def _phase(self, t: np.ndarray) -> np.ndarray:
        """Progress through the current stroke in [0, 1), or -1 while the ram rests at top."""
        work = self.schedule.progress(t)
        cycle = np.where(work >= 0.0, work * self.line_cycle_s[:, None], -1e9)
        rel = cycle - self._first[:, None]
        index = np.floor(rel / self._pitch[:, None])
        u = (rel - index * self._pitch[:, None]) / self._stroke_s[:, None]
        stroking = (rel >= 0) & (index < self._strokes[:, None]) & (u < 1.0)
        return np.where(stroking, u, -1.0)

    def _work(self, u: np.ndarray) -> np.ndarray:
        """Progress through the working part of the stroke in [0, 1), or -1 outside it."""
        x = (u - _APPROACH_END) / (_WORK_END - _APPROACH_END)
        return np.where((u >= _APPROACH_END) & (u < _WORK_END), x, -1.0)

    def _ram(self, u: np.ndarray) -> np.ndarray:
        stroke, contact = self.stroke_mm[:, None], self._contact[:, None]
        approach = contact * 0.5 * (1.0 - np.cos(np.pi * u / _APPROACH_END))
        # The working stroke starts at speed and decelerates into bottom dead centre.
        work = contact + (stroke - contact) * np.sin(0.5 * np.pi * self._work(u))
        back = stroke * 0.5 * (1.0 + np.cos(np.pi * (u - _WORK_END) / (1.0 - _WORK_END)))
        return piecewise(
            [u < 0.0, u < _APPROACH_END, u < _WORK_END], [np.zeros_like(u), approach, work], back
        )

    def _force(self, u: np.ndarray) -> np.ndarray:
        x = self._work(u)
        inside = x >= 0.0
        xc = np.clip(x, 0.0, 1.0)
        # A shear blade cuts progressively (a broad hump); a punch loads up until the slug
        # breaks through, then the force collapses; a brake's force climbs as the bend
        # tightens, peaks when the sheet bottoms in the die, and is released on the way up.
        shear = np.sin(np.pi * xc) ** 0.6
        punch = np.where(xc < 0.8, (xc / 0.8) ** 1.5, np.maximum(0.0, 1.0 - (xc - 0.8) / 0.06))
        brake = np.where(xc < 0.9, (xc / 0.9) ** 1.5, (1.0 - xc) * 10.0)
        shape = np.choose(self._mode, [shear, punch, brake])
        return np.where(inside, self._peak_kn[:, None] * shape, 0.0)

    def _counts(self, times: Times) -> np.ndarray:
        """Parts made and scrap parts since the start: (2, n, k)."""
        return self.memo(times, "counts", lambda: np.stack(self.schedule.counts(times.t)))

    def _strokes_at(self, times: Times) -> np.ndarray:
        return self.memo(times, "phase", lambda: self._phase(times.t))

    def load(self, t: np.ndarray) -> np.ndarray:
        u = self._phase(t)
        force = self._force(u) / np.maximum(self._peak_kn[:, None], 1e-9)
        moving = (u >= 0.0).astype(float)
        # The hydraulic pump idles unloaded, adds flow for fast moves and pressure for work.
        # Stopped for a cause, the pump is off but for its controls.
        down = self.schedule.state(t) >= DOWN_CAUSES[0]
        return np.where(down, 0.02, 0.25 + 0.1 * moving + 0.55 * force)

    def process_values(self, key: str, times: Times) -> np.ndarray:
        if key == "ram_position":
            return self._ram(self._strokes_at(times))
        if key == "force":
            return self._force(self._strokes_at(times))
        if key == "panel_count":
            return self._count_start[:, None] + self._counts(times)[0]
        if key == "scrap_count":
            return self._counts(times)[1]
        if key == "state":
            return self.schedule.state(times.t)
        if key == "power":
            return self.drive.power_kw(times.t, self.load_at(times))
        return super().process_values(key, times)
