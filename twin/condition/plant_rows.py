"""Where each of a plant's assets sits in a ``FleetHealth``, for views drawn in plant order
(the 3D scene, the fleet map) and for grouping a snapshot's rows by area."""

from __future__ import annotations

import numpy as np

from twin.condition.snapshot import FleetHealth
from twin.plant.model import Plant


class PlantRows:
    """Maps snapshot rows to plant assets; the mapping is worked out once per distinct
    ``asset_ids`` tuple (the snapshots of one fleet share theirs), not once per frame."""

    def __init__(self, plant: Plant) -> None:
        self.plant = plant
        self._asset_index = {a.id: i for i, a in enumerate(plant.assets)}
        area_index = {a.id: i for i, a in enumerate(plant.areas)}
        # An asset naming an area the plant does not list gets one past the last.
        self.asset_area = np.array(
            [area_index.get(a.area_id, len(plant.areas)) for a in plant.assets], dtype=np.int32
        )
        self._ids: tuple[str, ...] | None = None
        self._plant_of_row = np.zeros(0, dtype=np.int64)
        self._row_of_asset = np.full(len(plant.assets), -1, dtype=np.int64)

    def _update(self, ids: tuple[str, ...]) -> None:
        if ids is self._ids:
            return
        plant_of_row = np.array([self._asset_index.get(a, -1) for a in ids], dtype=np.int64)
        row_of_asset = np.full(len(self.plant.assets), -1, dtype=np.int64)
        known = plant_of_row >= 0
        row_of_asset[plant_of_row[known]] = np.nonzero(known)[0]
        self._ids, self._plant_of_row, self._row_of_asset = ids, plant_of_row, row_of_asset

    def plant_of_row(self, health: FleetHealth) -> np.ndarray:
        """Each snapshot row's plant asset index; -1 for an asset the plant lacks."""
        self._update(health.asset_ids)
        return self._plant_of_row

    def row_of_asset(self, health: FleetHealth) -> np.ndarray:
        """Each plant asset's snapshot row; -1 for an asset not monitored."""
        self._update(health.asset_ids)
        return self._row_of_asset

    def area_of_row(self, health: FleetHealth) -> np.ndarray:
        """Each snapshot row's area index into ``plant.areas``; -1 for an unknown asset."""
        plant_rows = self.plant_of_row(health)
        return np.where(plant_rows >= 0, self.asset_area[np.maximum(plant_rows, 0)], -1)

    def health_in_plant_order(self, health: FleetHealth) -> np.ndarray:
        """float32 health per plant asset; NaN where not monitored or not yet known."""
        rows = self.row_of_asset(health)
        values = health.health[np.maximum(rows, 0)].astype(np.float32)
        values[rows < 0] = np.nan
        return values
