"""The electric drive inside every simulated asset: current, supply, temperatures, vibration.

A bare motor is a drive with a wandering load; a press or a pump is a drive whose load comes
from its process. Faults act here, so they mean the same thing on every kind of equipment.
"""

from __future__ import annotations

import numpy as np

from twin.sources.sim.faults import (
    IMBALANCE_DROP,
    IMBALANCE_FLICKER,
    OVERLOAD_RATIO,
    FaultTimes,
)
from twin.sources.sim.noise import Wander
from twin.sources.sim.params import Params

# Bearing temperature target: ambient + a fixed rise from friction, a share of the winding
# heat conducted along the shaft, and heat from the vibration energy of a worn bearing.
_BEARING_RISE_K = 10.0
_BEARING_WINDING_SHARE = 0.3
_BEARING_K_PER_MM_S = 4.0
_OVERLOAD_SWING = 0.2


def first_order_lag(start: np.ndarray, goal: np.ndarray, decay: np.ndarray) -> np.ndarray:
    """Integrate x' = (goal - x) / tau exactly over ticks with the goal held over each tick.

    ``start`` (n,), ``goal`` (n, B), ``decay`` = exp(-tick / tau) (n,).
    Returns (n, B + 1) starting with ``start``. The loop runs over ticks on contiguous rows.
    """
    goal_rows = np.ascontiguousarray(goal.T)
    out = np.empty((goal_rows.shape[0] + 1, goal_rows.shape[1]))
    out[0] = start
    tmp = np.empty(goal_rows.shape[1])
    for j, g in enumerate(goal_rows):
        np.subtract(out[j], g, out=tmp)
        tmp *= decay
        np.add(tmp, g, out=out[j + 1])
    return out.T


class Drive:
    """Vectorised electrical and thermal state of the drives of n assets.

    ``load`` arguments are the process load as a fraction of rated current, shape (n, k).
    """

    def __init__(
        self,
        params: Params,
        u: np.ndarray,
        faults: FaultTimes,
        *,
        rated_current_a: float,
        load_mean: float,
        tick_s: float,
    ) -> None:
        """``u``: (n, 12) per-asset uniforms; ``load_mean``: the process's typical load."""
        self.faults = faults
        self.rated_a = params.num("rated_current_a", rated_current_a)
        self.rated_v = params.num("rated_voltage_v", 400.0)
        self.ambient = params.num("ambient_c", 30.0)
        self.rise = params.num("rated_temp_rise_k", 50.0)
        self.tau = np.maximum(params.num("thermal_tau_s", 120.0), 1e-3)
        self.bearing_tau = np.maximum(params.num("bearing_tau_s", 400.0), 1e-3)
        # Exact decay of a first-order lag over one physics tick.
        self._decay = np.exp(-tick_s / self.tau)
        self._bearing_decay = np.exp(-tick_s / self.bearing_tau)
        self.vib_base = params.num("vibration_mm_s", 1.0 + 1.2 * u[:, 0])
        self.load_mean: np.ndarray | float = load_mean  # models may refine it per asset
        self._supply_wander = Wander(u[:, 1:5], [(120.0, 400.0), (15.0, 40.0)], [0.7, 0.3])
        # How a degrading supply wavers: fast swings on top of slower ones.
        self._flicker = Wander(u[:, 8:12], [(20.0, 90.0), (3.0, 12.0)], [0.5, 0.5])
        self.thermal = False  # set when a temperature signal of this kind is sampled
        # Mean (current / rated)^2 the plant ran at before the start, if the model knows it
        # better than the load at t = 0 (cyclic machines); sets the initial temperatures.
        self.initial_ratio_sq: np.ndarray | None = None
        self.winding = np.empty((0, 0))  # (n, ticks + 1) of the current block
        self.bearing = np.empty((0, 0))

    # -- electrical ------------------------------------------------------------------------

    def effective_load(self, t: np.ndarray, load: np.ndarray) -> np.ndarray:
        """Load fraction after an overload fault (seized gearbox, jammed feed, a conveyor
        loaded ever heavier, ...): a step, or a creep over the development time."""
        weight = self.faults.overload_weight(t)
        if weight is None:
            return load
        # The drive sits near the overload ratio with a fifth of its normal load swing on top
        # (a press still shows its strokes), and never draws less than it would anyway.
        mean = np.broadcast_to(self.load_mean, (load.shape[0],))[:, None]
        overloaded = OVERLOAD_RATIO + _OVERLOAD_SWING * (load - mean)
        creeping = load + weight * (overloaded - load)
        loaded = np.maximum(load, np.where(weight >= 1.0, overloaded, creeping))
        return np.where(weight > 0.0, loaded, load)

    def supply(self, t: np.ndarray) -> np.ndarray | float:
        """Supply voltage as a fraction of nominal: sags, and a degrading supply that sinks
        and wavers more and more."""
        sags = self.faults.supply(t)
        level = self.faults.imbalance(t)
        if level is None:
            return sags
        return sags * (1.0 - level * (IMBALANCE_DROP + IMBALANCE_FLICKER * self._flicker(t)))

    def current_ratio(self, t: np.ndarray, load: np.ndarray) -> np.ndarray:
        """Current / rated current. The load draws constant power, so a sag raises current."""
        return self.effective_load(t, load) / self.supply(t)

    def current(self, t: np.ndarray, load: np.ndarray) -> np.ndarray:
        return self.rated_a[:, None] * self.current_ratio(t, load)

    def voltage(self, t: np.ndarray) -> np.ndarray:
        nominal = self.rated_v[:, None] * (1.0 + 0.004 * self._supply_wander(t))
        return nominal * self.supply(t)

    def power_kw(self, t: np.ndarray, load: np.ndarray, power_factor: float = 0.85) -> np.ndarray:
        return np.sqrt(3.0) * self.voltage(t) * self.current(t, load) * power_factor / 1000.0

    # -- mechanical ------------------------------------------------------------------------

    def wear(self, t: np.ndarray) -> np.ndarray | float:
        return self.faults.wear(t, self.vib_base)

    def vibration(self, t: np.ndarray, load: np.ndarray) -> np.ndarray:
        """Velocity RMS in mm/s: a per-asset baseline, a little load dependence, wear."""
        shaped = self.vib_base[:, None] * (0.85 + 0.3 * np.minimum(load, 1.2))
        return shaped + self.wear(t)

    # -- thermal ---------------------------------------------------------------------------

    def _bearing_target(self, winding: np.ndarray, excess: np.ndarray) -> np.ndarray:
        """Bearing temperature goal for winding temperatures and wear vibration, (n, k)."""
        ambient = self.ambient[:, None]
        return (
            ambient
            + _BEARING_RISE_K
            + _BEARING_WINDING_SHARE * (winding - ambient)
            + _BEARING_K_PER_MM_S * excess
        )

    def step(self, ticks: np.ndarray, load: np.ndarray) -> None:
        """Integrate winding and bearing temperature over one block of physics ticks.

        ``ticks`` (B + 1,) are tick times in s (the first is the end of the previous block);
        ``load`` (n, B + 1) is the process load at those times. First-order lags with the
        exact decay per tick and the input averaged over the tick.
        """
        if not self.thermal:
            return
        ratio = self.current_ratio(ticks, load)
        # Copper losses go with current squared; faults scale the rise (cooling, unbalance)
        # or add heat of their own (dielectric losses).
        rise = self.rise[:, None] * ratio * ratio
        heating, dielectric = self.faults.heating(ticks), self.faults.dielectric_k(ticks)
        if isinstance(heating, np.ndarray):  # healthy kinds skip the arithmetic
            rise = rise * heating
        target = self.ambient[:, None] + rise
        if isinstance(dielectric, np.ndarray):
            target = target + dielectric
        excess = np.broadcast_to(self.wear(ticks), target.shape)
        if self.winding.size == 0:
            # Start in steady state, as if the plant had been running for a while.
            if self.initial_ratio_sq is None:
                w0 = target[:, 0]
            else:
                w0 = self.ambient + self.rise * self.initial_ratio_sq
            b0 = self._bearing_target(w0[:, None], excess[:, :1])[:, 0]
        else:
            w0, b0 = self.winding[:, -1], self.bearing[:, -1]
        w = first_order_lag(w0, 0.5 * (target[:, :-1] + target[:, 1:]), self._decay)
        # The winding does not depend on the bearing, so the bearing's input is known now.
        b_goal = self._bearing_target(
            0.5 * (w[:, :-1] + w[:, 1:]), 0.5 * (excess[:, :-1] + excess[:, 1:])
        )
        b = first_order_lag(b0, b_goal, self._bearing_decay)
        self.winding, self.bearing = w, b
