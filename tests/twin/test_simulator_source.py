"""SimulatorSource: the simulator on a thread, paced by an injectable clock."""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Iterator
from types import MappingProxyType

import numpy as np
import pytest

from twin.batch import Batch
from twin.plant.model import Area, Asset, Plant, Signal
from twin.sources.base import Source
from twin.sources.sim import Simulator
from twin.sources.simulator_source import MAX_STEP_NS, SimulatorSource

START = 1_750_000_000_000_000_000
S = 1_000_000_000
WAIT_S = 5.0  # generous timeout for anything a thread should do within milliseconds


def motor_plant() -> Plant:
    signals = tuple(
        Signal(f"m1.{k}", "m1", k, k, "", 10.0, (0.0, 1.0)) for k in ("current", "voltage")
    )
    asset = Asset("m1", "M1", "motor", "bay", (0.0, 0.0, 0.0), 0.0, signals, MappingProxyType({}))
    return Plant("p", "", (Area("bay", "Bay"),), (asset,))


class FakeClock:
    """A clock the test moves by hand; thread-safe enough for an int attribute."""

    def __init__(self, now_ns: int) -> None:
        self.now_ns = now_ns

    def __call__(self) -> int:
        return self.now_ns


def wait_stopped(source: SimulatorSource) -> None:
    """Give the source's thread up to WAIT_S to end by itself."""
    deadline = time.monotonic() + WAIT_S
    while source.running and time.monotonic() < deadline:
        time.sleep(0.001)


@pytest.fixture
def clock() -> FakeClock:
    """The clock that paces ``source``."""
    return FakeClock(START)


@pytest.fixture
def source(clock: FakeClock) -> Iterator[SimulatorSource]:
    src = SimulatorSource(Simulator(motor_plant(), START), tick_s=0.005, clock=clock)
    yield src
    src.stop()
    assert not src.running


def test_is_a_source_with_the_simulators_groups(source: SimulatorSource) -> None:
    as_source: Source = source  # type-checks against the protocol
    assert as_source.name == "simulator"
    assert source.groups() == source.simulator.groups()


def test_batches_follow_the_clock_and_stop_joins(source: SimulatorSource, clock: FakeClock) -> None:
    received: queue.Queue[Batch] = queue.Queue()
    source.start(received.put)
    assert source.running

    clock.now_ns = START + 2 * S
    got: list[Batch] = []
    while sum(len(b) for b in got if b.group.endswith("current@10")) < 20:
        got.append(received.get(timeout=WAIT_S))
    current = [b for b in got if b.group == "sim/motor/current@10"]
    t = np.concatenate([b.t for b in current])
    assert t[0] == START + S // 10 and t[-1] == START + 2 * S
    assert np.all(np.diff(t) == S // 10)

    source.stop()
    assert not source.running
    source.stop()  # idempotent
    assert source.last_error is None


def test_stop_before_start_is_fine_and_a_source_starts_once() -> None:
    src = SimulatorSource(Simulator(motor_plant(), START), clock=FakeClock(START))
    src.stop()
    src.stop()
    assert not src.running
    with pytest.raises(RuntimeError):
        src.start(lambda batch: None)
    src2 = SimulatorSource(Simulator(motor_plant(), START), clock=FakeClock(START))
    src2.start(lambda batch: None)
    with pytest.raises(RuntimeError):
        src2.start(lambda batch: None)
    src2.stop()


def test_stop_wakes_a_slow_ticking_thread_at_once() -> None:
    src = SimulatorSource(Simulator(motor_plant(), START), tick_s=3600.0, clock=FakeClock(START))
    src.start(lambda batch: None)
    src.stop(timeout_s=WAIT_S)
    assert not src.running


def test_an_error_in_advance_is_logged_kept_and_stops_the_thread(
    source: SimulatorSource,
    clock: FakeClock,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    called = threading.Event()

    def broken(until_ns: int) -> list[Batch]:
        called.set()
        raise RuntimeError("model blew up")

    monkeypatch.setattr(source.simulator, "advance", broken)
    clock.now_ns = START + S
    source.start(lambda batch: None)
    assert called.wait(WAIT_S)
    wait_stopped(source)
    assert not source.running
    assert isinstance(source.last_error, RuntimeError)
    assert "model blew up" in caplog.text


def test_an_error_in_the_sink_is_reported_too(source: SimulatorSource, clock: FakeClock) -> None:
    def sink(batch: Batch) -> None:
        raise ValueError("store full")

    clock.now_ns = START + S
    source.start(sink)
    wait_stopped(source)
    assert isinstance(source.last_error, ValueError)


def test_fast_forward_fills_the_gap_synchronously_in_bounded_slices() -> None:
    sim = Simulator(motor_plant(), START)
    src = SimulatorSource(sim, clock=FakeClock(START + 25 * S))
    batches: list[Batch] = []
    src.fast_forward(START + 25 * S, batches.append)
    assert sim.now_ns == START + 25 * S
    current = [b for b in batches if b.group == "sim/motor/current@10"]
    assert sum(len(b) for b in current) == 250
    assert max(int(b.t[-1] - b.t[0]) for b in current) < MAX_STEP_NS
