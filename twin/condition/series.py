"""Fleet health snapshots kept in time order: a ``HealthSource`` for replays, tests and
the live monitor's recent past.

``health_at(t)`` answers with the last snapshot at or before ``t``, so a cursor moved
anywhere in a replay sees the health as it was known then.
"""

from __future__ import annotations

import bisect
import threading
from collections.abc import Iterable

import numpy as np

from twin.condition.snapshot import FleetHealth


class SnapshotSeries:
    """``FleetHealth`` snapshots in time order; safe to ``add`` from one thread while
    others read."""

    def __init__(self, snapshots: Iterable[FleetHealth] = (), keep: int | None = None) -> None:
        """``keep``: the most snapshots held, oldest dropped first (None: all)."""
        if keep is not None and keep < 1:
            raise ValueError(f"SnapshotSeries keep must be at least 1, not {keep}")
        self._keep = keep
        self._times: list[int] = []
        self._snapshots: list[FleetHealth] = []
        # Row lookup per distinct asset_ids tuple (snapshots of one fleet share theirs).
        self._rows: dict[int, tuple[tuple[str, ...], dict[str, int]]] = {}
        self._lock = threading.Lock()
        for snapshot in snapshots:
            self.add(snapshot)

    def __len__(self) -> int:
        return len(self._snapshots)

    def add(self, snapshot: FleetHealth) -> None:
        """Append ``snapshot``; it must not be older than the last one added."""
        with self._lock:
            if self._times and snapshot.t_ns < self._times[-1]:
                raise ValueError(
                    f"FleetHealth at t_ns={snapshot.t_ns} is older than the last snapshot "
                    f"(t_ns={self._times[-1]}): snapshots must be added in time order"
                )
            self._times.append(snapshot.t_ns)
            self._snapshots.append(snapshot)
            if self._keep is not None and len(self._times) > self._keep:
                del self._times[0], self._snapshots[0]

    def health_at(self, t_ns: int) -> FleetHealth | None:
        """The last snapshot at or before ``t_ns``; None before the first."""
        with self._lock:
            i = bisect.bisect_right(self._times, t_ns)
            return self._snapshots[i - 1] if i else None

    def health_history(
        self, asset_id: str, t0_ns: int, t1_ns: int
    ) -> tuple[np.ndarray, np.ndarray]:
        """(times ns int64, health float32) of ``asset_id`` in the snapshots of [t0, t1]."""
        with self._lock:
            lo = bisect.bisect_left(self._times, t0_ns)
            hi = bisect.bisect_right(self._times, t1_ns)
            chosen = self._snapshots[lo:hi]
        times: list[int] = []
        values: list[float] = []
        for snapshot in chosen:
            row = self._row(snapshot.asset_ids, asset_id)
            if row is not None:
                times.append(snapshot.t_ns)
                values.append(float(snapshot.health[row]))
        return np.array(times, dtype=np.int64), np.array(values, dtype=np.float32)

    def _row(self, asset_ids: tuple[str, ...], asset_id: str) -> int | None:
        # Keyed by identity, holding the tuple so that its id is not reused meanwhile.
        entry = self._rows.get(id(asset_ids))
        if entry is None or entry[0] is not asset_ids:
            entry = (asset_ids, {a: i for i, a in enumerate(asset_ids)})
            self._rows[id(asset_ids)] = entry
        return entry[1].get(asset_id)
