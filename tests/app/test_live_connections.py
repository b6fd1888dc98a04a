"""A plant bound to a real MQTT broker: live values in the window, connection health shown,
the broker going away and coming back."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import paho.mqtt.client as mqtt
import pytest
from paho.mqtt.enums import CallbackAPIVersion

from app.compose.live import compose_live
from tests.twin.connectors.servers import Mosquitto
from twin.alarms import AlarmState
from twin.ingest.runtime import PlantRuntime
from twin.plant.loader import parse_plant
from twin.sources.simulator_source import SimulatorSource
from twin.status import State
from twin.timebase import now_ns

PLANT = """
[plant]
name = "Broker test"
[[areas]]
id = "bay"
[[connections]]
id = "broker"
protocol = "mqtt"
host = "127.0.0.1"
port = {port}
reconnect_min_s = 0.2
reconnect_max_s = 1
[[assets]]
id = "M01"
kind = "motor"
area = "bay"
position = [0, 0, 0]
[[assets.signals]]
key = "winding_temp"
unit = "°C"
rate_hz = 10
normal = [20, 120]
alarm_high = 130
source = {{ connection = "broker", topic = "line1/M01/state", json_path = "temp", qos = 1 }}
[[assets.signals]]
key = "vibration"
unit = "mm/s"
rate_hz = 10
normal = [0, 4]
source = {{ connection = "broker", topic = "line1/M01/state", json_path = "vib", qos = 1 }}
[[assets.signals]]
key = "current"
unit = "A"
rate_hz = 10
normal = [0, 20]
"""


@pytest.fixture
def broker(tmp_path: Path) -> Iterator[Mosquitto]:
    server = Mosquitto(tmp_path / "broker")
    server.start()
    yield server
    server.stop()


@pytest.fixture
def live(qtbot, broker):
    plant = parse_plant(PLANT.format(port=broker.port), "broker_test.toml")
    runtime = PlantRuntime.for_plant(plant, now_ns())
    app = compose_live(plant, runtime, size=(1280, 860))
    qtbot.addWidget(app.window)
    app.window.show()
    app.window.selection.select("M01")
    app.start()
    yield app
    app.stop()


def _publish_until(qtbot, broker: Mosquitto, done, temp: float = 61.5) -> None:
    client = mqtt.Client(CallbackAPIVersion.VERSION2, client_id=f"pub-{time.time_ns()}")
    client.connect("127.0.0.1", broker.port)
    client.loop_start()
    try:

        def published_and_done() -> bool:
            client.publish(
                "line1/M01/state", json.dumps({"temp": temp, "vib": 1.5}), qos=1
            ).wait_for_publish(2)
            return bool(done())

        qtbot.waitUntil(published_and_done, timeout=15_000)
    finally:
        client.disconnect()
        client.loop_stop()


def _row(live, column: int) -> str:
    return live.window.panels["connections"].topLevelItem(0).text(column)


def _value(live, key: str) -> str:
    name = live.plant.asset("M01").signal(key).name
    table = live.window.values
    return next(
        table.item(r, 1).text() for r in range(table.rowCount()) if table.item(r, 0).text() == name
    )


def test_broker_values_reach_the_window_beside_simulated_ones(qtbot, live, broker) -> None:
    assert any(isinstance(s, SimulatorSource) for s in live.runtime.sources)  # unbound: simulated
    qtbot.waitUntil(lambda: _row(live, 1) == "connected", timeout=10_000)
    _publish_until(qtbot, broker, lambda: _value(live, "winding_temp") == "61.50")
    assert _value(live, "current") not in ("", "—")
    assert (
        "#8c9196" in live.window.panels["connections"].topLevelItem(0).foreground(1).color().name()
    )


def test_a_lost_broker_shows_reconnecting_and_no_data_then_recovers(qtbot, live, broker) -> None:
    qtbot.waitUntil(lambda: _row(live, 1) == "connected", timeout=10_000)
    _publish_until(qtbot, broker, lambda: _value(live, "winding_temp") == "61.50")
    broker.stop()
    qtbot.waitUntil(lambda: _row(live, 1) in ("reconnecting", "connecting"), timeout=10_000)
    index = live.scheduler.builder.signal_ids.index("M01.winding_temp")
    qtbot.waitUntil(
        lambda: live.scheduler.last_frame.signal_states[index] == State.NO_DATA, timeout=10_000
    )
    broker.start()
    qtbot.waitUntil(lambda: _row(live, 1) == "connected", timeout=15_000)
    _publish_until(qtbot, broker, lambda: _value(live, "winding_temp") == "70.00", temp=70.0)


def test_a_lost_broker_raises_one_alarm_and_suppresses_its_signals_no_data_alarms(
    qtbot, live, broker
) -> None:
    qtbot.waitUntil(lambda: _row(live, 1) == "connected", timeout=10_000)
    _publish_until(qtbot, broker, lambda: _value(live, "winding_temp") == "61.50")
    bound = [s.id for s in live.plant.signals if s.source.get("connection") == "broker"]
    no_data = {f"{sid}:NO_DATA" for sid in bound}
    statuses = live.window.alarms.table.model.statuses
    banner = live.window.alarms.banner
    broker.stop()

    def suppressed() -> bool:
        states = {a: s.state for a, s in statuses.items() if a in no_data}
        active = all(live.runtime.alarms.table.alarm(a).active for a in no_data)
        return active and states == dict.fromkeys(no_data, AlarmState.SUPPRESSED)

    qtbot.waitUntil(lambda: "broker:CONNECTION" in statuses and suppressed(), timeout=15_000)
    assert len(bound) == 2
    assert statuses["broker:CONNECTION"].state is AlarmState.UNACK_ACTIVE
    assert "broker" in (statuses["broker:CONNECTION"].comment or "")
    assert sum(banner.counts().values()) == 1  # the connection alarm alone
    broker.start()
    qtbot.waitUntil(lambda: _row(live, 1) == "connected", timeout=15_000)
    _publish_until(qtbot, broker, lambda: not no_data & set(statuses), temp=70.0)
    assert statuses["broker:CONNECTION"].state is AlarmState.UNACK_RTN
