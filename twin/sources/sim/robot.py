"""Six-axis robot arms doing pick-and-place: minimum-jerk moves between taught poses.

Each pick-and-place is one cycle of a ``CycleSchedule`` (spread, micro-stops, breakdowns
with a cause): the program is stretched over the cycle's working time, and between cycles,
waiting or stopped, the arm rests at home."""

from __future__ import annotations

from typing import ClassVar

import numpy as np

from twin.sources.sim.base import DRIVE_SPECS, Bound, KeySpec, KindModel
from twin.sources.sim.cycles import DOWN_CAUSES, CycleSchedule
from twin.sources.sim.timegrid import Times

JOINTS = 6
# Soft joint limits in degrees of a typical 20 kg 6-axis arm.
LIMITS_LO = np.array([-170.0, -90.0, -175.0, -380.0, -115.0, -380.0])
LIMITS_HI = np.array([170.0, 150.0, 70.0, 380.0, 115.0, 380.0])

# Taught poses (deg): home, above pick, pick, above place, place.
_HOME, _ABOVE_PICK, _PICK, _ABOVE_PLACE, _PLACE = range(5)
_POSES = np.array(
    [
        [0.0, -20.0, 40.0, 0.0, 70.0, 0.0],
        [-65.0, 10.0, 30.0, 10.0, 50.0, -65.0],
        [-65.0, 30.0, 40.0, 15.0, 20.0, -65.0],
        [70.0, 5.0, 35.0, -60.0, 50.0, 160.0],
        [70.0, 28.0, 42.0, -90.0, 22.0, 160.0],
    ]
)
# The program: (fraction of the cycle, pose). Repeated poses are dwells (gripper acting).
_PROGRAM = (
    (0.00, _HOME), (0.15, _ABOVE_PICK), (0.25, _PICK), (0.32, _PICK), (0.42, _ABOVE_PICK),
    (0.62, _ABOVE_PLACE), (0.72, _PLACE), (0.79, _PLACE), (0.89, _ABOVE_PLACE), (1.00, _HOME),
)  # fmt: skip
_FRACTIONS = np.array([f for f, _ in _PROGRAM])
_SEQUENCE = np.array([p for _, p in _PROGRAM])
_NORM_SPEED_DEG_S = 150.0  # summed joint speed that draws rated current


def _min_jerk(s: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Minimum-jerk blend of s in [0, 1] and its derivative: zero speed and acceleration
    at both ends, as robot controllers plan point-to-point moves."""
    s2 = s * s
    return s2 * s * (10.0 - 15.0 * s + 6.0 * s2), 30.0 * s2 * (1.0 - s) ** 2


class RobotModel(KindModel):
    """Params: cycle_s (pick-and-place cycle, default 8-14 s), cycle_count_start,
    rated_current_a and the cycle params of ``CycleSchedule`` (no scrap by default: a robot
    moves the parts others make). Keys joint1..joint6 in degrees, within the joint limits;
    cycle_count (cycles since the start), state (0 idle, 1 running, 2+ stopped for a
    cause) and power."""

    kind = "robot"
    rated_current_a = 8.0
    specs: ClassVar = {
        **DRIVE_SPECS,
        **{f"joint{j + 1}": KeySpec("deg", sd=0.01) for j in range(JOINTS)},
        "cycle_count": KeySpec("cycles"),
        "state": KeySpec(""),
        "power": KeySpec("kW", rel=0.01, lo=0.0),
    }

    def setup(self) -> None:
        p, u = self.params, self.u
        cycle = np.maximum(p.num("cycle_s", 8.0 + 6.0 * u[:, 0]), 1.0)
        defaults = {"scrap_p": 0.0, "mtbf_h": 24.0, "mttr_min": 8.0, "microstop_s": 20.0}
        ids = [a.id for a in self.assets]
        self.schedule = CycleSchedule(self.seed, self.kind, ids, p, cycle, defaults)
        self._count_start = p.num("cycle_count_start", 0.0)
        # Each cell has its own pick and place spots: turn the base and tilt a little.
        poses = np.broadcast_to(_POSES, (self.n, *_POSES.shape)).copy()
        base_shift = 40.0 * (u[:, 2:4] - 0.5)  # (n, 2): pick side, place side
        tilt = 10.0 * (u[:, 4:9] - 0.5)  # (n, 5): per pose, joints 2 and 3
        for pose, side in ((_ABOVE_PICK, 0), (_PICK, 0), (_ABOVE_PLACE, 1), (_PLACE, 1)):
            poses[:, pose, 0] += base_shift[:, side]
            poses[:, pose, 5] += base_shift[:, side]
        poses[:, :, 1] += tilt
        poses[:, :, 2] -= 0.5 * tilt
        self._poses = np.clip(poses, LIMITS_LO, LIMITS_HI)[:, _SEQUENCE, :]  # (n, K, 6)

    def bounds(self, key: str) -> tuple[Bound, Bound]:
        if key.startswith("joint"):
            j = int(key[5:]) - 1
            return float(LIMITS_LO[j]), float(LIMITS_HI[j])
        return super().bounds(key)

    def _segments(self, t: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(segment index, blend, d(blend)/dt in 1/s), each (n, k); at home between cycles."""
        phase = self.schedule.progress(t)
        home = phase < 0.0
        phase = np.maximum(phase, 0.0)
        seg = np.clip(np.searchsorted(_FRACTIONS, phase, side="right") - 1, 0, len(_PROGRAM) - 2)
        width = _FRACTIONS[seg + 1] - _FRACTIONS[seg]
        s = np.clip((phase - _FRACTIONS[seg]) / width, 0.0, 1.0)
        blend, rate = _min_jerk(s)
        rows, i = self.schedule.at(t)
        working_s = self.schedule.end[rows, i] - self.schedule.work[rows, i]
        rate = np.where(home, 0.0, rate / (width * np.maximum(working_s, 1e-9)))
        return np.where(home, 0, seg), np.where(home, 0.0, blend), rate

    def _joint(self, seg: np.ndarray, blend: np.ndarray, j: int) -> np.ndarray:
        rows = np.arange(self.n)[:, None]
        start = self._poses[rows, seg, j]
        return start + (self._poses[rows, seg + 1, j] - start) * blend

    def load(self, t: np.ndarray) -> np.ndarray:
        seg, _, rate = self._segments(t)
        rows = np.arange(self.n)[:, None]
        travel = np.abs(self._poses[rows, seg + 1, :] - self._poses[rows, seg, :]).sum(axis=-1)
        # Holding against gravity costs a base current; moving costs in proportion to speed.
        # Stopped for a cause, the brakes hold the arm and only the controller draws.
        moving = 0.25 + 0.5 * np.minimum(travel * rate / _NORM_SPEED_DEG_S, 1.3)
        return np.where(self.schedule.state(t) >= DOWN_CAUSES[0], 0.03, moving)

    def process_values(self, key: str, times: Times) -> np.ndarray:
        if key.startswith("joint") and key in self.specs:
            seg = self.memo(times, "seg", lambda: self._segments(times.t)[0])
            blend = self.memo(times, "blend", lambda: self._segments(times.t)[1])
            return self._joint(seg, blend, int(key[5:]) - 1)
        if key == "cycle_count":
            return self._count_start[:, None] + self.schedule.counts(times.t)[0]
        if key == "state":
            return self.schedule.state(times.t)
        if key == "power":
            return self.drive.power_kw(times.t, self.load_at(times))
        return super().process_values(key, times)
