"""Modbus TCP connector against real servers on 127.0.0.1: pymodbus's, and for the core
behaviour (the ``server`` and ``gateway`` fixtures) modbus-tk's as well."""

from __future__ import annotations

import struct
import time
from collections.abc import Callable, Iterator, Mapping

import numpy as np
import pytest

from tests.plants import asset, build_plant
from tests.twin.connectors.running import run_source, wait_connected
from tests.twin.connectors.servers import LoopThread, ModbusServer, wait_until
from tests.twin.connectors.servers.script import AnyModbusServer
from twin.ingest.runtime import PlantRuntime
from twin.plant.model import Plant
from twin.sources.connections.config import ModbusBinding
from twin.sources.connections.health import ConnState
from twin.sources.connections.modbus import ModbusSource, decode, plan_reads

type MakeModbus = Callable[[Mapping[int, int], Mapping[int, int]], AnyModbusServer]


def words(fmt: str, value: float, order: str = "big") -> list[int]:
    """Registers holding ``value`` packed big-endian with ``fmt``, words in ``order``."""
    raw = struct.pack(fmt, value)
    regs = [int.from_bytes(raw[i : i + 2], "big") for i in range(0, len(raw), 2)]
    return regs[::-1] if order == "little" else regs


# (key, register, type, word order, value written, extra binding keys, expected value)
CASES = [
    ("i16", 100, "int16", "big", words(">h", -1234), "", -1234.0),
    ("u16", 101, "uint16", "big", words(">H", 60000), "", 60000.0),
    ("i32", 102, "int32", "big", words(">i", -123456789), "", -123456789.0),
    ("u32", 104, "uint32", "little", words(">I", 3_000_000_000, "little"), "", 3e9),
    ("f32", 106, "float32", "big", words(">f", 3.14159), "", float(np.float32(3.14159))),
    ("f32le", 108, "float32", "little", words(">f", -2.5, "little"), "", -2.5),
    ("i32le", 110, "int32", "little", words(">i", -7, "little"), "", -7.0),
    ("scaled", 112, "int16", "big", words(">h", 250), ", scale = 0.1, offset = -5", 20.0),
    ("sparse_a", 120, "uint16", "big", [11], "", 11.0),  # 121-123 are not mapped
    ("sparse_b", 124, "uint16", "big", [12], "", 12.0),
    ("far", 300, "uint16", "big", [99], "", 99.0),
]


def case_registers() -> dict[int, int]:
    holding: dict[int, int] = {}
    for _, reg, _, _, regs, _, _ in CASES:
        holding.update({reg + i: w for i, w in enumerate(regs)})
    return holding


INPUTS = {0: 4321, 1: 1}


@pytest.fixture
def server(any_modbus: MakeModbus) -> AnyModbusServer:
    """The CASES' registers, served by each implementation in turn."""
    return any_modbus(case_registers(), INPUTS)


@pytest.fixture
def pymodbus_server(modbus_loop: LoopThread) -> Iterator[ModbusServer]:
    srv = ModbusServer(modbus_loop, case_registers(), INPUTS)
    srv.start()
    yield srv
    srv.stop()


def make_plant(port: int, *extra_rows: str, **options: object) -> Plant:
    """The CASES (and ``extra_rows``) bound to the server; ``options`` override the
    connection's (None removes one)."""
    rows = [
        f'{{ key = "{key}", rate_hz = 20, normal = [0, 1], source = {{ connection = "plc", '
        f'register = {reg}, type = "{typ}", word_order = "{order}"{extra} }} }}'
        for key, reg, typ, order, _, extra, _ in CASES
    ]
    rows.append(
        '{ key = "input", rate_hz = 20, normal = [0, 1], source = { connection = "plc", '
        'register = 0, kind = "input", unit_id = 1 } }'
    )
    rows.extend(extra_rows)
    plc: dict[str, object] = {
        "id": "plc",
        "protocol": "modbus",
        "host": "127.0.0.1",
        "port": port,
        "poll_interval_ms": 50,
        "timeout_s": 1,
        "reconnect_min_s": 0.05,
        "reconnect_max_s": 0.3,
    }
    plc.update(options)
    plc = {k: v for k, v in plc.items() if v is not None}
    return build_plant(asset("P01", "press", *rows), connections=[plc], path="modbus.toml")


def run(plant: Plant) -> tuple[PlantRuntime, ModbusSource]:
    return run_source(plant, ModbusSource)


def latest(runtime: PlantRuntime, key: str) -> float:
    return runtime.store.value_at(f"P01.{key}", 2**62)


def test_registers_of_each_type_and_word_order_decode(server: AnyModbusServer) -> None:
    runtime, source = run(make_plant(server.port))
    try:
        wait_until(lambda: np.isfinite(latest(runtime, "sparse_b")), 5, "all values")
        for key, *_, expected in CASES:
            assert latest(runtime, key) == pytest.approx(expected, rel=1e-6), key
        assert latest(runtime, "input") == 4321
        assert runtime.store.locate("P01.i16") == ("modbus/plc", 0)
        snap = source.health.snapshot()
        # 100-124 merged over small gaps, refused once (121-123 are not mapped), then read
        # as its contiguous runs.
        assert dict(snap.bad) == {"unit 1 holding 100-124": 1}
        labels = sorted(b.label for b in source.blocks)
        assert labels == [
            "unit 1 holding 100-112",
            "unit 1 holding 120-120",
            "unit 1 holding 124-124",
            "unit 1 holding 300-300",
            "unit 1 input 0-0",
        ]
        assert snap.state is ConnState.CONNECTED
    finally:
        runtime.stop()


def test_server_restart_reconnects_with_a_nan_gap(server: AnyModbusServer) -> None:
    runtime, source = run(make_plant(server.port))
    try:
        wait_until(lambda: np.isfinite(latest(runtime, "far")), 5, "first values")
        server.stop()
        wait_until(lambda: np.isnan(latest(runtime, "far")), 5, "the gap")
        wait_until(lambda: source.health.state is ConnState.RECONNECTING, 5, "reconnecting")
        assert "modbus://127.0.0.1" in (source.health.snapshot().last_error or "")
        server.start()
        wait_until(lambda: np.isfinite(latest(runtime, "far")), 10, "values again")
        assert source.health.snapshot().connects == 2
        t, v = runtime.store.snapshot("P01.far", 10_000)
        assert np.isnan(v).any() and np.all(np.diff(t) > 0)
    finally:
        runtime.stop()


@pytest.fixture
def gateway(any_modbus: MakeModbus) -> AnyModbusServer:
    """Unit 1 maps register 300 (= 99); requests for any other unit go unanswered."""
    return any_modbus({300: 99}, {0: 1})


def test_a_unit_that_never_answers_is_named_while_the_other_units_stay_polled(
    gateway: AnyModbusServer,
) -> None:
    mute = (
        '{ key = "mute", rate_hz = 20, normal = [0, 1], source = { connection = "plc", '
        "register = 5, unit_id = 7 } }"
    )
    # Unit 1 answers every read: with a value (300) or an exception (the CASES' other
    # registers, which this server does not map).
    plant = make_plant(gateway.port, mute, timeout_s=1.0, unit_retry_s=1)
    runtime, source = run(plant)
    try:
        wait_until(
            lambda: source.health.snapshot().problem == "unit 7 does not respond", 10, "problem"
        )
        states = set()
        first = len(runtime.store.snapshot("P01.far", 100_000)[0])
        until = time.monotonic() + 3.0  # three unit retries: the link must hold through them
        while time.monotonic() < until:
            states.add(source.health.state)
            time.sleep(0.02)
        snap = source.health.snapshot()
        assert states == {ConnState.CONNECTED} and snap.connects == 1
        t, v = runtime.store.snapshot("P01.far", 100_000)
        assert len(t) - first >= 20 and np.all(v[first:] == 99)  # unit 1: polled on
        assert np.isnan(latest(runtime, "mute"))
        assert snap.problem == "unit 7 does not respond"
        assert snap.last_error == "unit 7 does not respond" and snap.last_error_ns is not None
    finally:
        runtime.stop()


OUTAGE_S = 10.0


def test_an_outage_leaves_a_data_gap_at_most_2_s_longer_than_itself(
    pymodbus_server: ModbusServer,
) -> None:
    # The default backoff (no reconnect_* options) is the one under test (on one server:
    # the backoff is TwinDeck's alone).
    server = pymodbus_server
    plant = make_plant(
        server.port, poll_interval_ms=100, reconnect_min_s=None, reconnect_max_s=None
    )
    runtime, source = run(plant)
    try:
        wait_until(lambda: np.isfinite(latest(runtime, "far")), 5, "first values")
        server.stop()
        down = time.monotonic()
        time.sleep(OUTAGE_S)  # the outage itself: the server is away this long
        server.start()
        outage = time.monotonic() - down
        wait_connected(source, connects=2, timeout=30)
        wait_until(lambda: np.isfinite(latest(runtime, "far")), 5, "values again")
        t, v = runtime.store.snapshot("P01.far", 100_000)
        gaps = np.diff(t[np.isfinite(v)]) / 1e9
        assert gaps.max() >= OUTAGE_S  # the outage is in there
        assert gaps.max() <= outage + 2.0, (gaps.max(), outage)
        assert source.health.snapshot().problem is None
    finally:
        runtime.stop()


def test_decode_matches_pymodbus_conversions() -> None:
    from pymodbus.client import ModbusTcpClient as C

    dt = C.DATATYPE
    for typ, value, pm in [
        ("int16", -5, dt.INT16),
        ("uint16", 65535, dt.UINT16),
        ("int32", -70000, dt.INT32),
        ("uint32", 4_000_000_000, dt.UINT32),
        ("float32", 1.5, dt.FLOAT32),
    ]:
        for order in ("big", "little"):
            regs = C.convert_to_registers(value, pm, word_order=order)
            assert decode(regs, typ, order) == value, (typ, order)


def test_plan_reads_merges_near_registers_within_the_request_limit() -> None:
    def b(reg: int, typ: str = "uint16", kind: str = "holding", unit: int = 1) -> ModbusBinding:
        return ModbusBinding(register=reg, type=typ, kind=kind, unit_id=unit)

    blocks = plan_reads([b(10), b(11, "float32"), b(20), b(40), b(10, kind="input"), b(10, unit=2)])
    assert [(x.unit_id, x.kind, x.start, x.count) for x in blocks] == [
        (1, "holding", 10, 11),  # 10, 11-12, 20: gaps of 7 registers at most
        (1, "holding", 40, 1),
        (1, "input", 10, 1),
        (2, "holding", 10, 1),
    ]
    assert [m[1] for m in blocks[0].members] == [0, 1, 10]
    # A read never exceeds max_registers.
    many = plan_reads([b(r) for r in range(0, 300)], max_gap=0, max_registers=125)
    assert [(x.start, x.count) for x in many] == [(0, 125), (125, 125), (250, 50)]
