"""Integer values from real devices stay exact: a uint32 counter read from a pymodbus
server through the live store and the SQLite history and back (float32 would round
16,777,219 to 16,777,220: above 2**24 it has no odd integers), a JSON integer above 2**53
from a mosquitto broker, and an OPC UA Int64 node's values from an asyncua server."""

from __future__ import annotations

import json
import struct
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import paho.mqtt.client as mqtt
import pytest
from pymodbus.client import ModbusTcpClient

from db import HistoryReader, HistoryWriter, open_history
from tests.plants import asset, build_plant
from tests.twin.connectors.running import run_source, wait_connected
from tests.twin.connectors.servers import (
    LoopThread,
    ModbusServer,
    Mosquitto,
    UaServer,
    wait_until,
)
from twin.ingest.ingestor import Sink
from twin.ingest.runtime import PlantRuntime
from twin.plant.model import Plant
from twin.sources.connections.factory import build_sources
from twin.sources.connections.modbus import ModbusSource, decode
from twin.sources.connections.mqtt import MqttSource
from twin.sources.connections.opcua import OpcuaSource
from twin.values import NO_INT, exact_of

START = 2**24 - 3  # 16,777,213: the counter steps across 2**24 during the test
STEPS = 8


def halves(value: int) -> list[int]:
    return [value >> 16, value & 0xFFFF]


@pytest.fixture
def counter(modbus_loop: LoopThread) -> Iterator[ModbusServer]:
    holding = {200: START >> 16, 201: START & 0xFFFF, 210: 0, 211: 0}
    srv = ModbusServer(modbus_loop, holding, inputs={0: 0})
    srv.start()
    yield srv
    srv.stop()


def counter_plant(port: int) -> Plant:
    rows = [
        '{ key = "count", rate_hz = 20, normal = [0, 1e9], source = { connection = "plc", '
        'register = 200, type = "uint32" } }',
        '{ key = "level", rate_hz = 20, normal = [0, 1e9], source = { connection = "plc", '
        'register = 210, type = "float32" } }',
    ]
    plc = {
        "id": "plc",
        "protocol": "modbus",
        "host": "127.0.0.1",
        "port": port,
        "poll_interval_ms": 20,
        "timeout_s": 1,
    }
    return build_plant(asset("P01", "press", *rows), connections=[plc], path="counter.toml")


def test_a_uint32_register_defaults_to_int64_and_decodes_to_an_exact_int() -> None:
    assert decode(halves(16_777_219), "uint32") == 16_777_219
    assert isinstance(decode(halves(16_777_219), "uint32"), int)
    # Four-register types: int64 exact far above 2**53, float64 in either word order.
    q = [int.from_bytes(struct.pack(">q", -(2**62) - 5)[i : i + 2], "big") for i in (0, 2, 4, 6)]
    assert decode(q, "int64") == -(2**62) - 5
    d = [int.from_bytes(struct.pack(">d", 0.1)[i : i + 2], "big") for i in (0, 2, 4, 6)]
    assert decode(d, "float64") == 0.1 and decode(d[::-1], "float64", "little") == 0.1
    plant = counter_plant(1502)
    assert plant.signal("P01.count").dtype == "int64"
    assert plant.signal("P01.level").dtype == "float32"


def test_a_uint32_counter_across_2_24_is_exact_in_the_store_and_the_history(
    counter: ModbusServer, tmp_path: Path
) -> None:
    plant = counter_plant(counter.port)
    (source,) = build_sources(plant)
    assert isinstance(source, ModbusSource)
    runtime = PlantRuntime(plant, [source])
    # Separate groups per value type: the float32 level is not widened, the counter not cast.
    assert {g.key: g.dtype for g in source.groups()} == {
        "modbus/plc": "float32",
        "modbus/plc/int64": "int64",
    }
    history = open_history(tmp_path / "counter.sqlite")
    writer = HistoryWriter(history, source.groups(), flush_interval_s=0.05)
    runtime.connect([Sink("history", writer.offer)])
    runtime.start()
    client = ModbusTcpClient("127.0.0.1", port=counter.port, timeout=2)
    expected = [START + i for i in range(STEPS)]
    try:
        assert client.connect()

        def stored(value: int) -> Callable[[], bool]:
            return lambda: exact_of(runtime.store.latest_values(("P01.count",))[0], 0) == value

        for value in expected:  # each value held until the store has seen it
            assert not client.write_registers(200, halves(value), device_id=1).isError()
            wait_until(stored(value), 5, f"counter {value} in the store")
        _t, live = runtime.store.snapshot("P01.count", 100_000)
        assert live.dtype == np.int64
        assert set(expected) <= set(live.tolist())
        assert 16_777_219 in live.tolist()  # float32 would hold 16,777,220 instead
    finally:
        client.close()
        runtime.stop()
        writer.close()
    reader = HistoryReader(history)
    t, v = reader.read("P01.count", 0, 2**62)
    assert v.dtype == np.int64 and np.all(np.diff(t) > 0)
    recorded = [x for x in v.tolist() if x != NO_INT]
    assert sorted(set(recorded)) == expected  # every step, bit-exact, nothing rounded
    assert recorded == sorted(recorded)
    history.close()


def test_an_mqtt_json_integer_above_2_53_reaches_an_int64_signal_exactly(
    broker: Mosquitto, publisher: mqtt.Client
) -> None:
    row = (
        '{ key = "energy", rate_hz = 10, normal = [0, 1e19], dtype = "int64", source = { '
        'connection = "broker", topic = "m/energy", json_path = "wh" } }'
    )
    connection = {"id": "broker", "protocol": "mqtt", "host": "127.0.0.1", "port": broker.port}
    plant = build_plant(asset("M01", "motor", row), connections=[connection], path="m.toml")
    runtime, source = run_source(plant, MqttSource)
    sent = [2**53 + 1, 2**53 + 3, 2**62 + 7]  # float64 would turn each into an even neighbour
    try:
        wait_connected(source)
        for value in sent:
            publisher.publish("m/energy", json.dumps({"wh": value}), qos=1).wait_for_publish(5)
        wait_until(
            lambda: len(runtime.store.snapshot("M01.energy", 100)[0]) >= 3, 5, "three values"
        )
        _t, v = runtime.store.snapshot("M01.energy", 100)
        assert v.dtype == np.int64 and v.tolist() == sent
    finally:
        runtime.stop()


def test_an_opc_ua_int64_variable_reaches_its_signal_exactly(ua_server: UaServer) -> None:
    from asyncua import ua

    node = ua_server.add_variable("M01", "Energy", 2**62 + 7)  # a Python int: an Int64 node
    row = (
        '{ key = "energy", rate_hz = 10, normal = [0, 1e19], source = { connection = "ua", '
        f'node = "{node}", type = "Int64" }} }}'
    )
    connection = {
        "id": "ua",
        "protocol": "opcua",
        "host": "127.0.0.1",
        "port": ua_server.port,
        "path": ua_server.PATH,
        "publishing_interval_ms": 20,
    }
    plant = build_plant(asset("M01", "motor", row), connections=[connection], path="ua.toml")
    assert plant.signal("M01.energy").dtype == "int64"  # from the binding's type
    runtime, source = run_source(plant, OpcuaSource)
    try:
        wait_connected(source, timeout=15)

        def values() -> list[int]:
            v = runtime.store.snapshot("M01.energy", 100)[1]
            return [x for x in v.tolist() if x != NO_INT]

        wait_until(lambda: 2**62 + 7 in values(), 10, "the initial value")
        variant = ua.Variant(2**62 + 9, ua.VariantType.Int64)
        ua_server.loop.run(ua_server.vars["M01.Energy"].write_value(variant))
        wait_until(lambda: 2**62 + 9 in values(), 10, "the written value")
        assert runtime.store.ring(runtime.store.locate("M01.energy")[0]).dtype == np.int64
        assert set(values()) == {2**62 + 7, 2**62 + 9}
    finally:
        runtime.stop()
