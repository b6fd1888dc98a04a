"""The ingest thread: the single writer of the store, feeding sinks after each batch."""

from __future__ import annotations

import threading

import numpy as np
import pytest

from twin.batch import Batch, ChannelGroup
from twin.ingest.ingestor import Ingestor, Sink
from twin.store.signal_store import SignalStore

GROUP = ChannelGroup("g", ("a.x", "a.y"), 10.0)


def _batch(start: int, k: int = 5) -> Batch:
    t = np.arange(start, start + k, dtype=np.int64) * 100_000_000
    return Batch("g", t, np.vstack([t / 1e8, -t / 1e8]))


def test_batches_from_other_threads_reach_store_and_sinks_in_order() -> None:
    store = SignalStore([GROUP])
    ingestor = Ingestor(store)
    seen: list[int] = []
    done = threading.Event()

    def sink(batch: Batch) -> None:
        seen.append(int(batch.t[0]))
        if len(seen) == 20:
            done.set()

    ingestor.add_sink(sink)
    ingestor.start()
    producer = threading.Thread(
        target=lambda: [ingestor.offer(_batch(5 * i + 1)) for i in range(20)]
    )
    producer.start()
    producer.join()
    assert done.wait(5)
    ingestor.stop()
    assert not ingestor.running
    assert seen == sorted(seen)
    t, v = store.snapshot("a.y", 1000)
    assert len(t) == 100 and ingestor.samples_in == 200
    np.testing.assert_array_equal(v, (-t / 1e8).astype(np.float32))


def test_a_full_queue_drops_and_counts_without_blocking() -> None:
    ingestor = Ingestor(SignalStore([GROUP]), queue_size=3)  # not started: nothing drains
    results = [ingestor.offer(_batch(5 * i + 1)) for i in range(5)]
    assert results == [True, True, True, False, False]
    assert ingestor.dropped_batches == 2


def test_a_bad_batch_is_reported_and_the_next_one_still_lands() -> None:
    store = SignalStore([GROUP])
    ingestor = Ingestor(store)
    ingestor.start()
    ingestor.offer(Batch("unknown", np.array([1], dtype=np.int64), np.zeros((1, 1))))
    ingestor.offer(_batch(1))
    ingestor.stop()  # drains the queue first
    assert ingestor.last_error is not None and "unknown" in ingestor.last_error
    assert len(store.snapshot("a.x", 100)[0]) == 5


def test_a_failing_sink_is_counted_and_never_drops_a_batch_from_the_others() -> None:
    ingestor = Ingestor(SignalStore([GROUP]))
    recorded: list[int] = []

    def broken_alarms(batch: Batch) -> None:
        raise RuntimeError("rule table corrupt")

    ingestor.add_sink(Sink("alarms", broken_alarms))
    ingestor.add_sink(Sink("history", lambda b: recorded.append(int(b.t[0]))))
    for i in range(3):
        ingestor.ingest(_batch(5 * i + 1))
    assert recorded == [int(_batch(5 * i + 1).t[0]) for i in range(3)]
    failure = ingestor.sink_errors["alarms"]
    assert failure.count == 3 and "rule table corrupt" in failure.last
    assert "history" not in ingestor.sink_errors
    assert ingestor.sinks == ("alarms", "history")


def test_two_sinks_of_one_name_are_refused() -> None:
    ingestor = Ingestor(SignalStore([GROUP]))
    ingestor.add_sink(Sink("history", lambda b: None))
    with pytest.raises(ValueError, match="history"):
        ingestor.add_sink(Sink("history", lambda b: None))
