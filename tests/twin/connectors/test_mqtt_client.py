"""`BurstClient` and `serve` (buffered reads, coalesced writes) against a real mosquitto."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import paho.mqtt.client as mqtt
import pytest
from paho.mqtt.enums import CallbackAPIVersion, MQTTErrorCode

from tests.twin.connectors.servers import Mosquitto, wait_until
from twin.sources.connections.mqtt_client import BurstClient, serve


@pytest.fixture
def chatty_broker(tmp_path: Path) -> Iterator[Mosquitto]:
    """A broker that logs every packet, PINGREQs included."""
    b = Mosquitto(tmp_path / "mosquitto", extra="log_type all\n")
    b.start()
    yield b
    b.stop()


class Receiver:
    """A `BurstClient` served on a thread, recording messages and burst sizes."""

    def __init__(self, port: int, client_id: str, keepalive: int = 60) -> None:
        self.messages: list[tuple[str, bytes | bytearray]] = []
        self.bursts: list[int] = []
        self.connects = 0
        self._pending = 0
        self.client = BurstClient(
            CallbackAPIVersion.VERSION2, client_id=client_id, clean_session=False
        )
        self.client.on_connect = self._on_connect
        self.client.on_message = self._on_message
        self.client.connect_async("127.0.0.1", port, keepalive)
        self.stop = threading.Event()
        self.rc: MQTTErrorCode | None = None
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _on_connect(self, client: mqtt.Client, *args: object) -> None:
        self.connects += 1
        client.subscribe("t/#", qos=1)

    def _on_message(self, client: mqtt.Client, userdata: object, msg: mqtt.MQTTMessage) -> None:
        self.messages.append((msg.topic, msg.payload))
        self._pending += 1

    def _after_burst(self) -> None:
        if self._pending:
            self.bursts.append(self._pending)
            self._pending = 0

    def _run(self) -> None:
        self.client.reconnect()
        self.rc = serve(self.client, self.stop, self._after_burst, 0.05)

    def __enter__(self) -> Receiver:
        self.thread.start()
        wait_until(lambda: self.connects == 1, 5, "the connection")
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.thread.join(5)
        self.client.disconnect()
        self.client.loop_write()


def test_a_backlog_arrives_in_bursts_complete_and_in_order(broker: Mosquitto) -> None:
    client_id = f"burst-{time.time_ns()}"
    with Receiver(broker.port, client_id):
        pass  # the session (and its subscription) now outlives the connection
    n = 3000
    pub = mqtt.Client(CallbackAPIVersion.VERSION2, client_id=f"pub-{time.time_ns()}")
    pub.connect("127.0.0.1", broker.port)
    pub.loop_start()
    try:
        infos = [pub.publish(f"t/{i % 7}", str(i), qos=1) for i in range(n)]
        for info in infos:
            info.wait_for_publish(10)
    finally:
        pub.disconnect()
        pub.loop_stop()
    with Receiver(broker.port, client_id) as rx:
        wait_until(lambda: sum(rx.bursts) == n, 20, f"{n} messages")
        assert [int(p) for _, p in rx.messages] == list(range(n))
        assert [t for t, _ in rx.messages] == [f"t/{i % 7}" for i in range(n)]
        # The broker sends up to its in-flight limit (100) before it needs our PUBACKs:
        # several messages per burst, and every PUBACK went out (else it would stall).
        assert max(rx.bursts) > 1
    assert rx.rc == MQTTErrorCode.MQTT_ERR_SUCCESS


def test_keepalive_pings_flow_while_idle(chatty_broker: Mosquitto) -> None:
    """With nothing to read, `serve` still sends PINGREQs and reads the PINGRESPs (else
    paho would drop the link one keep-alive period after an unanswered ping)."""
    client_id = f"idle-{time.time_ns()}"
    log = chatty_broker.folder / "mosquitto.log"
    with Receiver(chatty_broker.port, client_id, keepalive=1) as rx:
        wait_until(
            lambda: log.read_text().count(f"Received PINGREQ from {client_id}") >= 3,
            10,
            "three PINGREQs",
        )
        assert rx.connects == 1 and rx.client.is_connected()
