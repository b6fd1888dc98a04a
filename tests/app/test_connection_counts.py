"""The Connections panel counts bad messages and messages on unbound topics apart (real
broker, a wildcard subscription that brings topics no signal is bound to)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import paho.mqtt.client as mqtt
import pytest
from paho.mqtt.enums import CallbackAPIVersion

from app.views.connections_panel import QtConnectionsPanel
from tests.plants import asset, build_plant
from tests.twin.connectors.running import run_source, wait_connected
from tests.twin.connectors.servers import Mosquitto
from twin.sources.connections.mqtt import MqttSource


@pytest.fixture
def broker(tmp_path: Path) -> Iterator[Mosquitto]:
    server = Mosquitto(tmp_path / "broker")
    server.start()
    yield server
    server.stop()


def _plant(port: int):
    connection = {
        "id": "broker",
        "protocol": "mqtt",
        "host": "127.0.0.1",
        "port": port,
        "client_id": f"twindeck-counts-{time.time_ns()}",
        "subscribe": ["line1/#"],
    }
    temp = (
        '{ key = "temp", rate_hz = 1, normal = [0, 100], '
        'source = { connection = "broker", topic = "line1/M01/temp" } }'
    )
    return build_plant(asset("M01", "motor", temp), connections=[connection], path="t.toml")


def test_unbound_topics_are_not_counted_as_bad_messages(qtbot, broker: Mosquitto) -> None:
    runtime, source = run_source(_plant(broker.port), MqttSource)
    panel = QtConnectionsPanel([source])
    qtbot.addWidget(panel)
    client = mqtt.Client(CallbackAPIVersion.VERSION2, client_id=f"pub-{time.time_ns()}")
    try:
        wait_connected(source)
        client.connect("127.0.0.1", broker.port)
        client.loop_start()
        sent = [("line1/M02/temp", "1"), ("line1/M03/temp", "2"), ("line1/M03/temp", "3")]
        sent += [("line1/M01/temp", "hot"), ("line1/M01/temp", "20")]
        for topic, payload in sent:
            client.publish(topic, payload, qos=1).wait_for_publish(5)
        row = panel.topLevelItem(0)
        assert row is not None

        def shown() -> str:  # the line under the connection: counts, apart
            panel.refresh()
            first = row.child(0)
            return first.text(0) if first is not None else ""

        qtbot.waitUntil(lambda: shown() == "1 bad messages · 3 unbound", timeout=5000)
        children = [row.child(i) for i in range(1, row.childCount())]
        details = {c.text(0): c.text(1) for c in children if c is not None}
        assert details == {
            "line1/M01/temp": "bad data: 1",
            "line1/M03/temp": "not bound: 2",
            "line1/M02/temp": "not bound: 1",
        }
        assert row.text(1) == "connected"
    finally:
        client.disconnect()
        client.loop_stop()
        runtime.stop()
