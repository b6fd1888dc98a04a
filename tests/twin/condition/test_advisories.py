"""Advisory state machines: hysteresis and hold times keep noise at a boundary quiet."""

from __future__ import annotations

import numpy as np
import pytest

from twin.condition.advisories import CLEAR, RAISE, AdvisoryTracker
from twin.condition.snapshot import CAUSES, FleetHealth

BEARING = CAUSES.index("bearing")


def fleet(n: int, t: int) -> FleetHealth:
    return FleetHealth(
        t, tuple(f"M{i}" for i in range(n)), np.full(n, 80, np.float32), np.zeros(n, np.int8),
        np.zeros(n, np.int8), np.full(n, np.inf), ("",) * n, ("e",) * n,
    )  # fmt: skip


def run(tracker: AdvisoryTracker, sev_of_bearing: np.ndarray) -> list[tuple[int, str, str]]:
    """Feed (windows, assets) bearing severities; (window, asset, action) per event."""
    n = sev_of_bearing.shape[1]
    out = []
    for w, row in enumerate(sev_of_bearing):
        sev = np.zeros((n, len(CAUSES)))
        sev[:, BEARING] = row
        out += [(w, e.asset_id, e.action) for e in tracker.update(sev, fleet(n, w))]
    return out


def test_noise_at_the_raise_boundary_raises_once_and_never_chatters() -> None:
    rng = np.random.default_rng(1)
    sev = 0.3 + rng.uniform(-0.08, 0.08, size=(2000, 50))
    events = run(AdvisoryTracker(tuple(f"M{i}" for i in range(50))), sev)
    per_asset = {a: [e for e in events if e[1] == a] for a in {e[1] for e in events}}
    assert all(len(v) == 1 and v[0][2] == RAISE for v in per_asset.values())


def test_noise_at_the_clear_boundary_clears_at_most_once() -> None:
    rng = np.random.default_rng(2)
    sev = np.vstack([np.full((5, 50), 0.6), 0.15 + rng.uniform(-0.05, 0.05, size=(2000, 50))])
    events = run(AdvisoryTracker(tuple(f"M{i}" for i in range(50))), sev)
    for a in {e[1] for e in events}:
        actions = [e[2] for e in events if e[1] == a]
        assert actions in ([RAISE], [RAISE, CLEAR])


def test_raise_and_clear_after_their_hold_times() -> None:
    sev = np.array([[0.0]] * 2 + [[0.5]] * 10 + [[0.1]] * 12)
    tracker = AdvisoryTracker(("M0",), raise_windows=3, clear_windows=10)
    assert run(tracker, sev) == [(4, "M0", RAISE), (21, "M0", CLEAR)]
    assert tracker.raised() == []


def test_events_carry_the_evidence() -> None:
    tracker = AdvisoryTracker(("M0",), raise_windows=1)
    sev = np.zeros((1, len(CAUSES)))
    sev[0, BEARING] = 0.7
    (e,) = tracker.update(sev, fleet(1, 42))
    assert (e.t_ns, e.cause, e.severity, e.health, e.evidence) == (42, "bearing", 0.7, 80.0, "e")


def test_clear_level_must_be_below_raise_level() -> None:
    with pytest.raises(ValueError, match="clear_at"):
        AdvisoryTracker(("M0",), raise_at=0.2, clear_at=0.3)
