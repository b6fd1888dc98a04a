"""The contract every telemetry source keeps (simulator, MQTT, OPC UA, Modbus, replay).

A source declares its channel groups before it starts, runs on its own thread(s), and hands
each batch to the sink it was started with. The sink is thread-safe and never blocks for
long; a source never touches Qt.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol

from twin.batch import Batch, ChannelGroup

BatchSink = Callable[[Batch], object]  # a return value (e.g. accepted or not) is ignored


class Source(Protocol):
    name: str

    def groups(self) -> Sequence[ChannelGroup]:
        """The channel groups this source will fill, fixed before start."""
        ...

    def start(self, sink: BatchSink) -> None:
        """Start producing batches into ``sink`` from the source's own thread."""
        ...

    def stop(self) -> None:
        """Stop and join the source's threads; idempotent."""
        ...
