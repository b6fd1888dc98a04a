"""What every view draws in one frame: the plant's values and states at the cursor time.

Computed once per frame and handed to each view, so the 3D scene, the tree, the values
table and the plots always agree on what moment they show.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from twin.plant.model import Plant
from twin.status import StatusEvaluator
from twin.store import SignalStore


@dataclass(frozen=True)
class Frame:
    cursor_ns: int
    values: np.ndarray  # float64, plant signal order
    last_times: np.ndarray  # int64 ns of each value; negative where none
    signal_states: np.ndarray  # int8 twin.status.State
    asset_states: np.ndarray  # int8, plant asset order


class FrameBuilder:
    """Reads the store at a cursor time and evaluates states, for one frame."""

    def __init__(self, plant: Plant, store: SignalStore) -> None:
        self.plant = plant
        self.store = store
        self.evaluator = StatusEvaluator(plant)
        self.signal_ids = self.evaluator.signal_ids

    def build(self, cursor_ns: int) -> Frame:
        values, last_times = self.store.latest_values(self.signal_ids)
        signal_states = self.evaluator.signal_states(values, last_times, cursor_ns)
        return Frame(
            cursor_ns=cursor_ns,
            values=values,
            last_times=last_times,
            signal_states=signal_states,
            asset_states=self.evaluator.asset_states(signal_states),
        )
