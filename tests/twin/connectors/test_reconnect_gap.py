"""An outage of the broker (MQTT) or the server (OPC UA) leaves a data gap at most 2 s
longer than itself: the connectors' default backoff is capped at 2 s and its wait ends as
soon as the peer accepts TCP connections again (as Modbus's, in test_modbus.py)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import paho.mqtt.client as mqtt
import pytest
from paho.mqtt.enums import CallbackAPIVersion

from tests.plants import asset, build_plant
from tests.twin.connectors.running import run_source, wait_connected
from tests.twin.connectors.servers import Mosquitto, UaServer, wait_until
from twin.ingest.runtime import PlantRuntime
from twin.sources.connections.mqtt import MqttSource
from twin.sources.connections.opcua import OpcuaSource

OUTAGE_S = 8.0
EXCESS_S = 2.0
TOPIC = "gap/M01/temp"


def _finite_gaps(runtime: PlantRuntime, signal_id: str) -> np.ndarray:
    """Seconds between consecutive finite samples of ``signal_id``."""
    t, v = runtime.store.snapshot(signal_id, 100_000)
    return np.diff(t[np.isfinite(v)]) / 1e9


def _latest_is_finite(runtime: PlantRuntime, signal_id: str) -> bool:
    return bool(np.isfinite(runtime.store.value_at(signal_id, 2**62)))


@pytest.fixture
def ticker(broker: Mosquitto) -> Iterator[None]:
    """A device publishing a value every 50 ms, reconnecting at once after an outage (its
    own reconnect delay must not be what the test measures)."""
    client = mqtt.Client(CallbackAPIVersion.VERSION2, client_id=f"ticker-{time.time_ns()}")
    client.connect("127.0.0.1", broker.port)
    stop = threading.Event()

    def tick() -> None:
        n = 0
        while not stop.wait(0.05):
            if not client.is_connected():
                try:
                    client.reconnect()
                except OSError:
                    continue
            client.loop(0.01)
            client.publish(TOPIC, str(n := n + 1))
            client.loop(0.01)

    thread = threading.Thread(target=tick, daemon=True)
    thread.start()
    yield
    stop.set()
    thread.join(5)
    client.disconnect()


def test_a_broker_outage_leaves_a_data_gap_at_most_2_s_longer_than_itself(
    broker: Mosquitto, ticker: None
) -> None:
    # No reconnect_* options: the default backoff is the one under test.
    conn = {"id": "broker", "protocol": "mqtt", "host": "127.0.0.1", "port": broker.port}
    row = (
        '{ key = "temp", rate_hz = 20, normal = [0, 1e9], '
        f'source = {{ connection = "broker", topic = "{TOPIC}" }} }}'
    )
    plant = build_plant(asset("M01", "motor", row), connections=[conn], path="gap.toml")
    runtime, source = run_source(plant, MqttSource)
    try:
        wait_connected(source)
        wait_until(lambda: len(_finite_gaps(runtime, "M01.temp")) > 5, 5, "data before")
        broker.stop()
        down = time.monotonic()
        time.sleep(OUTAGE_S)  # the outage itself: the broker is away this long
        broker.start()
        outage = time.monotonic() - down
        wait_connected(source, connects=2, timeout=30)
        wait_until(lambda: _latest_is_finite(runtime, "M01.temp"), 10, "data again")
        gaps = _finite_gaps(runtime, "M01.temp")
        assert gaps.max() >= OUTAGE_S  # the outage is in there
        assert gaps.max() <= outage + EXCESS_S, (gaps.max(), outage)
    finally:
        runtime.stop()


def test_a_server_outage_leaves_a_data_gap_at_most_2_s_longer_than_itself(
    ua_server: UaServer,
) -> None:
    # A steady value: the subscription's keep-alives re-stamp it every half second, and
    # each new session sends it at once, so the data stop and start with the link.
    conn = {
        "id": "ua",
        "protocol": "opcua",
        "host": "127.0.0.1",
        "port": ua_server.port,
        "path": ua_server.PATH,
        "publishing_interval_ms": 50,
    }
    row = (
        '{ key = "temp", rate_hz = 10, normal = [0, 100], '
        f'source = {{ connection = "ua", node = "{ua_server.node("M01.Temp")}" }} }}'
    )
    plant = build_plant(
        asset("M01", "motor", row), connections=[conn], path=str(Path("/plants/gap.toml"))
    )
    runtime, source = run_source(plant, OpcuaSource)
    try:
        wait_connected(source, timeout=15)
        wait_until(lambda: len(_finite_gaps(runtime, "M01.temp")) > 3, 10, "data before")
        ua_server.stop()
        down = time.monotonic()
        time.sleep(OUTAGE_S)
        ua_server.start()
        outage = time.monotonic() - down
        wait_connected(source, connects=2, timeout=30)
        wait_until(lambda: _latest_is_finite(runtime, "M01.temp"), 10, "data again")
        gaps = _finite_gaps(runtime, "M01.temp")
        assert gaps.max() >= OUTAGE_S
        assert gaps.max() <= outage + EXCESS_S, (gaps.max(), outage)
    finally:
        runtime.stop()
