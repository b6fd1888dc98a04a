"""Fuzzing the Modbus connection through a real pymodbus server: a float32 register pair
set to any bit pattern (NaN and infinity words included), exception responses, and a unit
that stops answering in the middle of the run. The link stays `connected`, every finite
value is polled as written, and each poll that gave no value for a register is counted
once, with its reason."""

from __future__ import annotations

import struct
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.plants import asset, build_plant
from tests.twin.connectors.running import run_source, wait_connected
from tests.twin.connectors.servers import LoopThread, ModbusServer, wait_until
from twin.ingest.runtime import PlantRuntime
from twin.sources.connections.health import ConnState
from twin.sources.connections.modbus import ModbusSource

MARK_REG, ALIAS_REG = 2, 20  # unit 1: float32 at 0-1 and a marker at 2 (one read)


class _Scripted:
    """A server context whose unit 1 can be made to answer with an exception response
    (a device failure) and whose unit 2, an alias of unit 1's registers, can be made to
    stop answering at all."""

    def __init__(self, inner: Any) -> None:
        self._inner = inner
        self.failing = False  # unit 1 answers every read with an exception
        self.muted = False  # unit 2 answers nothing

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)

    def device_ids(self) -> list[int]:
        return [1, 2]

    async def async_getValues(self, device_id: int, *args: Any) -> Any:
        from pymodbus.exceptions import NoSuchIdException

        if device_id == 1 and self.failing:
            raise RuntimeError("device failure")  # the server answers DEVICE_FAILURE
        if device_id == 2:
            if self.muted:
                raise NoSuchIdException("unit 2 is off")  # the server answers nothing
            device_id = 1
        return await self._inner.async_getValues(device_id, *args)

    async def async_setValues(self, device_id: int, *args: Any) -> Any:
        return await self._inner.async_setValues(device_id, *args)


@pytest.fixture
def scripted(modbus_loop: LoopThread) -> Iterator[tuple[ModbusServer, _Scripted]]:
    srv = ModbusServer(modbus_loop, {0: 0, 1: 0, MARK_REG: 0, ALIAS_REG: 7}, inputs={0: 0})
    srv.silent_units = True  # the server ignores requests it cannot route
    srv.start()
    context = _Scripted(srv.server.context)
    srv.server.context = context
    yield srv, context
    srv.stop()


def _plant(port: int) -> Any:
    rows = [
        '{ key = "fuzz", rate_hz = 20, normal = [0, 1], source = { connection = "plc", '
        'register = 0, type = "float32" } }',
        f'{{ key = "mark", rate_hz = 20, normal = [0, 1], source = {{ connection = "plc", '
        f"register = {MARK_REG} }} }}",
        f'{{ key = "other", rate_hz = 20, normal = [0, 1], source = {{ connection = "plc", '
        f"register = {ALIAS_REG}, unit_id = 2 }} }}",
    ]
    plc = {
        "id": "plc",
        "protocol": "modbus",
        "host": "127.0.0.1",
        "port": port,
        "poll_interval_ms": 20,
        "timeout_s": 0.3,
        "unit_retry_s": 0.5,
    }
    return build_plant(asset("P01", "press", *rows), connections=[plc], path="fuzz.toml")


NON_FINITE = [(0x7FC0, 0), (0x7F80, 0), (0xFF80, 0), (0x7F80, 1), (0xFFFF, 0xFFFF)]
words = st.one_of(
    st.tuples(st.integers(0, 0xFFFF), st.integers(0, 0xFFFF)), st.sampled_from(NON_FINITE)
)
steps = st.lists(
    st.one_of(
        words.map(lambda w: ("word", w)),
        st.just(("exception", None)),
        st.just(("mute", None)),
    ),
    min_size=1,
    max_size=6,
)


@dataclass
class Sent:
    marks: dict[int, float] = field(default_factory=dict)  # marker -> float32 value (or NaN)
    exceptions: int = 0
    mutes: int = 0


def _float32(hi: int, lo: int) -> float:
    return float(struct.unpack(">f", struct.pack(">HH", hi, lo))[0])


def _latest(runtime: PlantRuntime, key: str) -> float:
    return runtime.store.value_at(f"P01.{key}", 2**62)


def _rows(runtime: PlantRuntime) -> dict[str, np.ndarray]:
    return {
        key: runtime.store.snapshot(f"P01.{key}", 1_000_000)[1].astype(np.float64)
        for key in ("fuzz", "mark", "other")
    }


def test_fuzzed_registers_and_failing_units_never_drop_the_link(
    scripted: tuple[ModbusServer, _Scripted],
) -> None:
    server, context = scripted
    runtime, source = run_source(_plant(server.port), ModbusSource)
    sent = Sent()

    def write(*regs: int) -> None:
        server.loop.run(context.async_setValues(1, 16, 0, list(regs)))

    try:
        wait_connected(source)

        @settings(
            max_examples=20,
            deadline=None,
            database=None,
            suppress_health_check=[HealthCheck.too_slow],
        )
        @given(steps)
        def run_steps(batch: list[tuple[str, Any]]) -> None:
            for kind, arg in batch:
                if kind == "word":
                    mark = len(sent.marks) + 1
                    sent.marks[mark] = _float32(*arg)
                    write(*arg, mark)
                    wait_until(partial(_latest_is, runtime, "mark", mark), 5, f"mark {mark}")
                elif kind == "exception":
                    sent.exceptions += 1
                    before = source.health.snapshot().bad_kinds.get("exception_response", 0)
                    context.failing = True
                    wait_until(partial(_bad_over, source, "exception_response", before + 1), 5)
                    context.failing = False
                    wait_until(lambda: np.isfinite(_latest(runtime, "mark")), 5, "unit 1")
                else:
                    sent.mutes += 1
                    context.muted = True
                    wait_until(lambda: source.health.snapshot().problem is not None, 5)
                    polls = _polls(runtime)
                    wait_until(partial(_polls_over, runtime, polls + 5), 5, "unit 1 polled on")
                    context.muted = False
                    wait_until(lambda: np.isfinite(_latest(runtime, "other")), 5, "unit 2")
                assert source.health.state is ConnState.CONNECTED

        run_steps()
        snap = source.health.snapshot()
        assert snap.state is ConnState.CONNECTED and snap.connects == 1 and source.running
    finally:
        runtime.stop()
    rows = _rows(runtime)
    polled = np.isfinite(rows["mark"])  # unit 1 answered (the stop's final NaN row is not)
    # Every marker's polls hold the value as written: finite ones exactly, others as NaN.
    for mark, value in sent.marks.items():
        got = rows["fuzz"][polled & (rows["mark"] == mark)]
        assert len(got) >= 1, mark
        if np.isfinite(np.float32(value)):
            assert np.all(got == np.float32(value)), (mark, value, got)
        else:
            assert np.all(np.isnan(got)), (mark, value, got)
    # Each poll that gave no value is counted once, under its reason and its block.
    kinds, bad = dict(snap.bad_kinds), dict(snap.bad)
    assert kinds.get("non_finite", 0) == int((polled & np.isnan(rows["fuzz"])).sum())
    failed = ~polled & np.isfinite(rows["other"])  # unit 1 failed, unit 2 answered
    assert kinds.get("exception_response", 0) == int(failed.sum())
    assert sum(bad.values()) == sum(kinds.values())
    assert set(bad) <= {"unit 1 holding 0-2"}
    assert (sent.exceptions > 0) == (kinds.get("exception_response", 0) > 0)


def _latest_is(runtime: PlantRuntime, key: str, value: float) -> bool:
    return _latest(runtime, key) == value


def _polls(runtime: PlantRuntime) -> int:
    return len(runtime.store.snapshot("P01.mark", 1_000_000)[0])


def _polls_over(runtime: PlantRuntime, n: int) -> bool:
    return _polls(runtime) > n


def _bad_over(source: ModbusSource, kind: str, n: int) -> bool:
    return source.health.snapshot().bad_kinds.get(kind, 0) > n
