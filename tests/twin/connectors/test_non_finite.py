"""NaN and infinity from an OPC UA server or in Modbus float32 registers: bad data of that
node / register block, unless the binding says ``allow_non_finite = true`` (real servers)."""

from __future__ import annotations

import math
from collections.abc import Iterator
from functools import partial

import numpy as np
import pytest

from tests.plants import asset, build_plant
from tests.twin.connectors.running import run_source, wait_connected
from tests.twin.connectors.servers import LoopThread, ModbusServer, UaServer, wait_until
from tests.twin.connectors.test_modbus import words
from tests.twin.connectors.test_opcua import last, make_plant, run
from twin.ingest.runtime import PlantRuntime
from twin.sources.connections.health import ConnState
from twin.sources.connections.modbus import ModbusSource


def _is_nan(runtime: PlantRuntime, signal_id: str) -> bool:
    value = last(runtime, signal_id)
    return value is not None and math.isnan(value)


def test_opcua_infinity_is_bad_data_unless_the_binding_allows_it(ua_server: UaServer) -> None:
    node = ua_server.node("M01.Temp")
    rows = (
        f'{{ key = "strict", rate_hz = 10, normal = [0, 100], '
        f'source = {{ connection = "ua", node = "{node}" }} }}',
        f'{{ key = "lax", rate_hz = 10, normal = [0, 100], '
        f'source = {{ connection = "ua", node = "{node}", allow_non_finite = true }} }}',
    )
    runtime, source = run(make_plant(ua_server, *rows))
    try:
        wait_connected(source)
        wait_until(lambda: last(runtime, "M01.lax") == 20.0, 5, "the initial value")
        ua_server.write("M01.Temp", math.inf)
        # The store keeps a non-finite value as NaN (a gap) either way; only the signal
        # whose binding does not allow it counts it as bad data.
        for key in ("M01.lax", "M01.strict"):
            wait_until(partial(_is_nan, runtime, key), 5, f"{key} non-finite")
        snap = source.health.snapshot()
        assert dict(snap.bad) == {node: 1} and dict(snap.bad_kinds) == {"non_finite": 1}
        ua_server.write("M01.Temp", 25.0)
        wait_until(lambda: last(runtime, "M01.strict") == 25.0, 5, "a finite value again")
        assert source.health.state is ConnState.CONNECTED
    finally:
        runtime.stop()


@pytest.fixture
def nan_server(modbus_loop: LoopThread) -> Iterator[ModbusServer]:
    regs = [*words(">f", math.inf), *words(">f", 1.5)]  # 0-1: infinity, 2-3: 1.5
    srv = ModbusServer(modbus_loop, dict(enumerate(regs)), inputs={0: 0})
    srv.start()
    yield srv
    srv.stop()


def test_a_modbus_infinity_word_is_bad_data_unless_the_binding_allows_it(
    nan_server: ModbusServer,
) -> None:
    def row(key: str, register: int, extra: str = "") -> str:
        return (
            f'{{ key = "{key}", rate_hz = 20, normal = [0, 1], source = {{ connection = "plc", '
            f'register = {register}, type = "float32"{extra} }} }}'
        )

    plc = {"id": "plc", "protocol": "modbus", "host": "127.0.0.1", "port": nan_server.port}
    rows = [row("strict", 0), row("lax", 0, ", allow_non_finite = true"), row("good", 2)]
    plant = build_plant(asset("P01", "press", *rows), connections=[plc], path="nan.toml")
    runtime, source = run_source(plant, ModbusSource)
    try:
        wait_connected(source)
        wait_until(lambda: source.health.snapshot().messages >= 3, 5, "three polls")
        snap = source.health.snapshot()
        assert np.all(runtime.store.snapshot("P01.good", 1000)[1] == 1.5)
        assert np.isnan(runtime.store.value_at("P01.strict", 2**62))  # no value
        assert not np.isfinite(runtime.store.value_at("P01.lax", 2**62))  # the value it is
        assert dict(snap.bad_kinds) == {"non_finite": snap.bad_total}
        assert set(snap.bad) == {"unit 1 holding 0-3"}
        # Once per poll, for the strict binding only: a poll is counted as a message after
        # its reply was handled.
        assert snap.messages <= snap.bad_total <= snap.messages + 1
        assert snap.state is ConnState.CONNECTED
    finally:
        runtime.stop()
