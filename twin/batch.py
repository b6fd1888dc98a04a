"""The unit of data that flows from sources to the store and the history.

A source declares its channel groups up front (signals that are sampled together at one
rate, e.g. the winding temperature of every motor in a bay), then emits batches that fill
whole groups at once. One batch is one 2-D block append in the store, so the cost per call
does not grow with the number of signals in the group.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True, slots=True)
class ChannelGroup:
    """Signals that a source samples together, at the same timestamps."""

    key: str
    signal_ids: tuple[str, ...]
    rate_hz: float
    # The value type of every channel (twin.values.DTYPES): a group holds one type.
    dtype: str = "float32"

    @property
    def channels(self) -> int:
        return len(self.signal_ids)


@dataclass(frozen=True, slots=True)
class Batch:
    """Samples for every channel of one group.

    ``t`` is int64 nanoseconds since the epoch (UTC), shape (k,), strictly increasing.
    ``v`` is shape (channels, k), of the group's value type or any other (the store casts
    it); NaN (NO_INT in int64, see twin.values) marks a missing value.
    """

    group: str
    t: np.ndarray
    v: np.ndarray

    def __post_init__(self) -> None:
        if self.t.ndim != 1 or self.v.ndim != 2 or self.v.shape[1] != self.t.shape[0]:
            raise ValueError(
                f"batch for group {self.group!r}: t has shape {self.t.shape} and v has shape "
                f"{self.v.shape}; expected (k,) and (channels, k)"
            )

    def __len__(self) -> int:
        return int(self.t.shape[0])
