"""The health evaluation: per-window means of every monitored signal in, the fleet's
health and each cause's severity out. Vectorised over all assets.

Its input is a plain array of per-window means (and max - min spreads) per asset and
signal key, so the live monitor (which sums batches) and a replay (which reads the
history's per-minute pyramid) feed it alike.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from twin.condition import iso, thermal
from twin.condition.profile import COL, KEYS, FleetProfile
from twin.condition.severity import Findings, severities, status_of
from twin.condition.snapshot import FleetHealth
from twin.condition.trend import Trend, time_to_limit, trend
from twin.condition.words import describe

NS = 1_000_000_000
TRENDED = ("vibration", "bearing_temp", "current", "voltage")
RESIDUAL_NOISE_K = 3.0  # a healthy motor's residual stays within about this


@dataclass(frozen=True)
class WindowMeans:
    """One closed window: its end ``t_ns``; ``mean`` and ``spread`` (max - min) of each
    asset's signals, (n, len(KEYS)), NaN where a window held no sample."""

    t_ns: int
    mean: np.ndarray
    spread: np.ndarray


@dataclass(frozen=True)
class Evaluation:
    """One evaluation: the fleet's health and each cause's severity (n, len(CAUSES))."""

    health: FleetHealth
    severity: np.ndarray
    findings: Findings


class HealthEvaluator:
    """Keeps the last ``trend_points`` windows and the thermal model between windows."""

    def __init__(
        self, profile: FleetProfile, *, window_s: float = 60.0, trend_points: int = 30
    ) -> None:
        self.profile = profile
        self.window_s = window_s
        self.trend_points = trend_points
        n, w = len(profile), trend_points
        self._means = np.full((n, len(KEYS), w), np.nan)
        self._resid = np.full((n, w), np.nan)
        self._times = np.full(w, np.nan)  # seconds, relative to the first window
        self._count = 0
        self._t0_ns: int | None = None
        self._last_ns: int | None = None
        self._model = np.full(n, np.nan)  # modelled winding temperature
        self._goal = np.full(n, np.nan)  # where the model heads at the last window's current
        self._seen = np.zeros((n, len(KEYS)), dtype=bool)
        self._flat = np.zeros((n, len(KEYS)), dtype=np.int32)  # windows in a row
        self._missing = np.zeros((n, len(KEYS)), dtype=np.int32)
        self._zone = np.full(n, -1, dtype=np.int8)

    def evaluate(self, w: WindowMeans) -> Evaluation:
        """Take one window (windows must come in time order) and evaluate the fleet."""
        shape = (len(self.profile), len(KEYS))
        if w.mean.shape != shape or w.spread.shape != shape:
            raise ValueError(f"window means must have shape {shape}, got {w.mean.shape}")
        if self._last_ns is not None and w.t_ns <= self._last_ns:
            raise ValueError(f"window at {w.t_ns} ns is not after the last one ({self._last_ns})")
        dt = self.window_s if self._last_ns is None else (w.t_ns - self._last_ns) / NS
        self._last_ns = w.t_ns
        if self._t0_ns is None:
            self._t0_ns = w.t_ns
        resid = self._thermal(w.mean, dt)
        self._zone = iso.held_zones(
            w.mean[:, COL["vibration"]], self.profile.iso_bounds, self._zone
        )
        self._push(w, resid)
        self._sensor_counts(w)
        f = self._findings(w, resid)
        sev = severities(f, self.profile)
        status = status_of(f, sev, self.profile)
        return Evaluation(self._fleet(w.t_ns, f, sev, status), sev, f)

    # --- state ------------------------------------------------------------------------------

    def _thermal(self, mean: np.ndarray, dt: float) -> np.ndarray:
        p = self.profile
        ratio = mean[:, COL["current"]] / p.rated_current_a
        goal = thermal.steady_temperature(p.ambient_c, p.rise_k, ratio * ratio)
        measured = mean[:, COL["winding_temp"]]
        # The model starts from the first measurement: a monitor started on a warm motor
        # knows nothing of its past load.
        start = np.isnan(self._model)
        mean = thermal.window_mean(self._model, goal, dt, p.tau_s)
        self._model = thermal.step(self._model, goal, dt, p.tau_s)
        self._model = np.where(start & ~np.isnan(measured), measured, self._model)
        mean = np.where(start, self._model, mean)
        self._goal = goal
        return measured - mean

    def _push(self, w: WindowMeans, resid: np.ndarray) -> None:
        j = self._count % self.trend_points
        self._means[:, :, j] = w.mean
        self._resid[:, j] = resid
        assert self._t0_ns is not None
        self._times[j] = (w.t_ns - self._t0_ns) / NS
        self._count += 1

    def _sensor_counts(self, w: WindowMeans) -> None:
        has = ~np.isnan(w.mean)
        self._seen |= has
        # Exactly flat over a whole window: a frozen value, not a quiet one.
        flat = has & (w.spread <= 0.0)
        self._flat = np.where(flat, self._flat + 1, 0)
        self._missing = np.where(self._seen & ~has, self._missing + 1, 0)

    def _ordered(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        w = self.trend_points
        order = (np.arange(w) + self._count) % w if self._count >= w else np.arange(self._count)
        return self._times[order], self._means[:, :, order], self._resid[:, order]

    # --- findings ---------------------------------------------------------------------------

    def _findings(self, w: WindowMeans, resid: np.ndarray) -> Findings:
        p, n = self.profile, len(self.profile)
        t, means, resids = self._ordered()
        rows = np.concatenate([means[:, COL[k], :] for k in TRENDED] + [resids], axis=0)
        tr = trend(t, rows, min_points=self.trend_points)
        trends = {k: _part(tr, i, n) for i, k in enumerate((*TRENDED, "residual"))}
        ttl = {}
        for k in TRENDED:
            c = COL[k]
            tk = trends[k]
            slope = np.where(tk.significant, tk.slope, 0.0)
            ttl[k] = time_to_limit(tk.level, slope, p.alarm_high[:, c], p.alarm_low[:, c])

        # A winding that warms because its current rose is explained by the model, so the
        # winding's own trend says nothing; what the model does not explain (the residual)
        # rising at its rate does, and so does the model's own approach to the limit.
        res = trends["residual"]
        c = COL["winding_temp"]
        # Only a residual already above the noise: one recovering from below zero after a
        # load step rises too, and means nothing.
        growing = res.significant & (res.slope > 0) & (resid >= RESIDUAL_NOISE_K)
        res_slope = np.where(growing, res.slope, 0.0)
        ttl["winding_temp"] = np.where(
            growing, time_to_limit(w.mean[:, c], res_slope, p.alarm_high[:, c]), np.inf
        )
        approach = thermal.time_to_reach(
            w.mean[:, COL["winding_temp"]],
            self._goal,
            p.alarm_high[:, COL["winding_temp"]],
            p.tau_s,
        )
        return Findings(
            mean=w.mean,
            zone=self._zone.copy(),
            trends=trends,
            ttl=ttl,
            thermal_ttl=approach,
            residual=resid,
            model=self._model.copy(),
            flat=self._flat.copy(),
            missing=self._missing.copy(),
        )

    def _fleet(self, t_ns: int, f: Findings, sev: np.ndarray, status: np.ndarray) -> FleetHealth:
        known = ~np.isnan(f.mean).all(axis=1)
        health = (100.0 * np.prod(1.0 - sev[:, 1:], axis=1)).astype(np.float32)
        health[~known] = np.nan
        worst = sev[:, 1:].argmax(axis=1) + 1
        cause = np.where(sev[:, 1:].max(axis=1) >= CAUSE_AT, worst, 0).astype(np.int8)
        ttl = np.minimum.reduce([*f.ttl.values(), f.thermal_ttl])
        summary, evidence = describe(f, cause, self.profile)
        return FleetHealth(
            t_ns=t_ns,
            asset_ids=self.profile.asset_ids,
            health=health,
            status=status,
            cause=cause,
            time_to_limit_s=ttl.astype(np.float64),
            summary=summary,
            evidence=evidence,
        )


# A cause is named (summary, evidence) from this severity on.
CAUSE_AT = 0.2


def _part(tr: Trend, i: int, n: int) -> Trend:
    s = slice(i * n, (i + 1) * n)
    return Trend(tr.slope[s], tr.level[s], tr.sigma[s], tr.significant[s])
