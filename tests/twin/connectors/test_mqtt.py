"""MQTT connector against a real mosquitto broker on 127.0.0.1."""

from __future__ import annotations

import functools
import itertools
import json
import time
from pathlib import Path

import numpy as np
import paho.mqtt.client as mqtt
from paho.mqtt.enums import CallbackAPIVersion

from tests.plants import asset, build_plant
from tests.twin.connectors.running import run_source, wait_connected
from tests.twin.connectors.servers import Mosquitto, Pki, wait_until
from twin.ingest.runtime import PlantRuntime
from twin.plant.model import Plant
from twin.sources.connections.health import ConnState
from twin.sources.connections.mqtt import MqttSource

_ids = itertools.count()


def mqtt_plant(connection: dict[str, object], *signals: str) -> Plant:
    """Motor M01 with ``signals``, bound through ``connection``."""
    return build_plant(asset("M01", "motor", *signals), connections=[connection], path="t.toml")


def broker_connection(port: int, **extra: object) -> dict[str, object]:
    return {
        "id": "broker",
        "protocol": "mqtt",
        "host": "127.0.0.1",
        "port": port,
        "client_id": f"twindeck-test-{next(_ids)}-{time.time_ns()}",
        "reconnect_min_s": 0.05,
        "reconnect_max_s": 0.3,
        **extra,
    }


def signal(key: str, source: str, rate_hz: float = 10) -> str:
    return (
        f'{{ key = "{key}", rate_hz = {rate_hz}, normal = [0, 100], '
        f'source = {{ connection = "broker", {source} }} }}'
    )


def run(plant: Plant, env: dict[str, str] | None = None) -> tuple[PlantRuntime, MqttSource]:
    return run_source(plant, MqttSource, env)


def values(runtime: PlantRuntime, signal_id: str) -> tuple[np.ndarray, np.ndarray]:
    return runtime.store.snapshot(signal_id, 100_000)


def publish(client: mqtt.Client, topic: str, payload: str | bytes, qos: int = 1) -> None:
    client.publish(topic, payload, qos=qos).wait_for_publish(5)


def test_plain_numbers_arrive_in_the_store_stamped_on_arrival(
    broker: Mosquitto, publisher: mqtt.Client
) -> None:
    plant = mqtt_plant(broker_connection(broker.port), signal("temp", 'topic = "line1/M01/temp"'))
    runtime, source = run(plant)
    try:
        wait_connected(source)
        before = time.time_ns()
        for value in (20.5, 21.0, 21.5):
            publish(publisher, "line1/M01/temp", str(value))
        wait_until(lambda: len(values(runtime, "M01.temp")[0]) == 3, 5, "three samples")
        after = time.time_ns()
        t, v = values(runtime, "M01.temp")
        assert v.tolist() == [20.5, 21.0, 21.5]
        assert before <= t[0] < t[1] < t[2] <= after
        assert source.health.snapshot().messages == 3
        assert runtime.store.locate("M01.temp")[0] == "mqtt/broker/M01.temp"
    finally:
        runtime.stop()


def test_json_message_feeds_several_signals_with_its_timestamp(
    broker: Mosquitto, publisher: mqtt.Client
) -> None:
    plant = mqtt_plant(
        broker_connection(broker.port),
        signal("temp", 'topic = "line1/M01/state", json_path = "data.temp", time_path = "ts"'),
        signal(
            "current",
            'topic = "line1/M01/state", json_path = "data.phases.1", time_path = "ts", '
            "scale = 0.1, offset = 1",
        ),
        signal(
            "speed",
            'topic = "line1/M01/iso", json_path = "rpm", time_path = "at", time_unit = "iso"',
        ),
    )
    runtime, source = run(plant)
    try:
        wait_connected(source)
        t0 = 1_750_000_000
        for i in range(3):
            doc = {"ts": (t0 + i) * 1000, "data": {"temp": 70 + i, "phases": [1, 100 + i, 3]}}
            publish(publisher, "line1/M01/state", json.dumps(doc))
        publish(
            publisher, "line1/M01/iso", json.dumps({"rpm": 1450, "at": "2025-06-15T12:00:01.5Z"})
        )
        wait_until(lambda: len(values(runtime, "M01.current")[0]) == 3, 5, "current samples")
        wait_until(lambda: len(values(runtime, "M01.speed")[0]) == 1, 5, "the speed sample")
        t, v = values(runtime, "M01.temp")
        assert t.tolist() == [(t0 + i) * 1_000_000_000 for i in range(3)]  # epoch ms read as ms
        assert v.tolist() == [70, 71, 72]
        t2, v2 = values(runtime, "M01.current")
        assert t2.tolist() == t.tolist()
        np.testing.assert_allclose(v2, [11.0, 11.1, 11.2], rtol=1e-6)
        ts, vs = values(runtime, "M01.speed")
        assert ts.tolist() == [1_749_988_801_500_000_000] and vs.tolist() == [1450]
        assert source.health.snapshot().bad_total == 0
    finally:
        runtime.stop()


def test_bad_payloads_are_counted_per_topic_and_other_signals_go_on(
    broker: Mosquitto, publisher: mqtt.Client
) -> None:
    conn = broker_connection(broker.port, subscribe=["line1/#"])
    runtime, source = run(
        mqtt_plant(
            conn,
            signal("temp", 'topic = "line1/M01/temp"'),
            signal("current", 'topic = "line1/M01/json", json_path = "a.b"'),
        )
    )
    try:
        wait_connected(source)
        bad: list[tuple[str, str | bytes]] = [
            ("line1/M01/temp", "hot"),  # not a number
            ("line1/M01/temp", b"\xff\xfe"),  # not even text
            ("line1/M01/json", "{not json"),
            ("line1/M01/json", json.dumps({"a": {"b": "high"}})),  # wrong type
            ("line1/M01/json", json.dumps({"a": {"c": 1}})),  # path missing
            ("line1/M02/temp", "1.0"),  # no signal bound to this topic
        ]
        for topic, payload in bad:
            publish(publisher, topic, payload)
        publish(publisher, "line1/M01/temp", "42")
        publish(publisher, "line1/M01/json", json.dumps({"a": {"b": 7}}))
        wait_until(lambda: len(values(runtime, "M01.current")[0]) == 1, 5, "the good JSON value")
        wait_until(lambda: len(values(runtime, "M01.temp")[0]) == 1, 5, "the good plain value")
        assert values(runtime, "M01.temp")[1].tolist() == [42.0]
        assert values(runtime, "M01.current")[1].tolist() == [7.0]
        snap = source.health.snapshot()
        assert dict(snap.bad) == {"line1/M01/temp": 2, "line1/M01/json": 3}
        assert dict(snap.bad_kinds) == {
            "not_a_number": 2,
            "not_json": 1,
            "wrong_type": 1,
            "missing_path": 1,
        }
        assert dict(snap.unknown) == {"line1/M02/temp": 1}
        assert snap.state is ConnState.CONNECTED
    finally:
        runtime.stop()


def test_a_burst_over_wildcards_keeps_every_value_and_counts_errors_per_topic(
    broker: Mosquitto, publisher: mqtt.Client
) -> None:
    """Messages published back to back arrive in bursts that are parsed as batches: every
    value in order with its own timestamp, several signals from one message, wildcard
    topics, and bad payloads / unbound topics counted per topic as one by one."""
    conn = broker_connection(broker.port, subscribe=["line1/#", "line2/#", "line3/#"])
    runtime, source = run(
        mqtt_plant(
            conn,
            signal("temp", 'topic = "line1/+/temp"', rate_hz=100),
            signal("v", 'topic = "line2/+/state", json_path = "v", time_path = "t"', rate_hz=100),
            signal(
                "v2",
                'topic = "line2/+/state", json_path = "v", time_path = "t", scale = 2',
                rate_hz=100,
            ),
        )
    )
    try:
        wait_connected(source)
        n, t0 = 1000, 1_750_000_000_000_000_000
        infos = []
        for i in range(n):
            infos.append(publisher.publish(f"line1/M0{i % 2}/temp", str(i), qos=1))
            doc = json.dumps({"v": i, "t": t0 + i * 1000})
            infos.append(publisher.publish(f"line2/A{i % 3}/state", doc, qos=1))
            if i % 100 == 0:
                infos.append(publisher.publish("line1/M09/temp", "hot", qos=1))
                infos.append(publisher.publish("line2/B/state", "{", qos=1))
                infos.append(publisher.publish("line3/x", "1", qos=1))
        for info in infos:
            info.wait_for_publish(10)

        def finite(key: str) -> tuple[np.ndarray, np.ndarray]:
            t, v = values(runtime, key)
            return np.asarray(t[np.isfinite(v)]), np.asarray(v[np.isfinite(v)])

        def complete(key: str) -> bool:
            return len(finite(key)[0]) == n

        for key in ("M01.temp", "M01.v", "M01.v2"):
            wait_until(functools.partial(complete, key), 20, f"{n} values of {key}")
        t, v = finite("M01.temp")
        assert v.tolist() == list(range(n)) and np.all(np.diff(t) > 0)  # stamped on arrival
        t, v = finite("M01.v")
        assert v.tolist() == list(range(n)) and t.tolist() == [t0 + i * 1000 for i in range(n)]
        t2, v2 = finite("M01.v2")
        assert v2.tolist() == [2 * i for i in range(n)] and t2.tolist() == t.tolist()
        snap = source.health.snapshot()
        assert dict(snap.bad) == {"line1/M09/temp": 10, "line2/B/state": 10}
        assert dict(snap.bad_kinds) == {"not_a_number": 10, "not_json": 10}
        assert dict(snap.unknown) == {"line3/x": 10}
        assert snap.messages == len(infos)
    finally:
        runtime.stop()


def test_stop_says_goodbye_to_the_broker(broker: Mosquitto) -> None:
    """stop() sends a DISCONNECT (paho queues it; the connector writes it), so the broker
    logs a clean disconnect, not a dropped connection."""
    plant = mqtt_plant(broker_connection(broker.port), signal("temp", 'topic = "a/temp"'))
    runtime, source = run(plant)
    wait_connected(source)
    runtime.stop()
    client_id = str(plant.connections[0].options["client_id"])
    log = broker.folder / "mosquitto.log"
    wait_until(lambda: f"Client {client_id} disconnected." in log.read_text(), 5, "the log")
    assert f"Client {client_id} closed its connection." not in log.read_text()


def test_broker_restart_reconnects_and_leaves_a_nan_gap(
    broker: Mosquitto, publisher: mqtt.Client
) -> None:
    plant = mqtt_plant(broker_connection(broker.port), signal("temp", 'topic = "line1/M01/temp"'))
    runtime, source = run(plant)
    try:
        wait_connected(source)
        publish(publisher, "line1/M01/temp", "1.0")
        publish(publisher, "line1/M01/temp", "2.0")
        wait_until(lambda: len(values(runtime, "M01.temp")[0]) == 2, 5, "samples before")
        broker.stop()
        wait_until(lambda: source.health.state is not ConnState.CONNECTED, 5, "the drop")
        # The gap shows at once, not only when data comes back.
        wait_until(lambda: len(values(runtime, "M01.temp")[0]) == 3, 5, "the NaN")
        assert "mqtt://127.0.0.1" in (source.health.snapshot().last_error or "")
        broker.start()
        wait_connected(source, connects=2)
        publisher.reconnect()
        wait_until(publisher.is_connected, 5, "the publisher back")
        publish(publisher, "line1/M01/temp", "3.0")
        wait_until(lambda: len(values(runtime, "M01.temp")[0]) == 4, 5, "samples after")
        t, v = values(runtime, "M01.temp")
        assert v[:2].tolist() == [1.0, 2.0] and np.isnan(v[2]) and v[3] == 3.0
        assert np.all(np.diff(t) > 0)
    finally:
        runtime.stop()


def test_qos1_delivers_every_message(broker: Mosquitto, publisher: mqtt.Client) -> None:
    n = 3000
    source_def = 'topic = "line1/M01/seq", json_path = "v", time_path = "t", qos = 1'
    plant = mqtt_plant(broker_connection(broker.port), signal("speed", source_def, rate_hz=100))
    runtime, source = run(plant)
    try:
        wait_connected(source)
        assert source.subscriptions == [("line1/M01/seq", 1)]
        t0 = 1_750_000_000_000_000_000
        infos = [
            publisher.publish("line1/M01/seq", json.dumps({"v": i, "t": t0 + i * 1000}), qos=1)
            for i in range(n)
        ]
        for info in infos:
            info.wait_for_publish(10)

        # A stall longer than the stale time (a loaded machine) adds a NaN gap marker 1 ns
        # after the last sample; count the values, which must all be there, in order.
        def received() -> int:
            return int(np.isfinite(values(runtime, "M01.speed")[1]).sum())

        wait_until(lambda: received() == n, 30, f"{n} samples")
        t, v = values(runtime, "M01.speed")
        finite = np.isfinite(v)
        assert v[finite].tolist() == list(range(n))
        assert t[finite][0] == t0 and t[finite][-1] == t0 + (n - 1) * 1000
    finally:
        runtime.stop()


def test_signal_without_data_for_three_periods_gets_a_nan(
    broker: Mosquitto, publisher: mqtt.Client
) -> None:
    plant = mqtt_plant(
        broker_connection(broker.port), signal("temp", 'topic = "a/temp"', rate_hz=20)
    )
    runtime, source = run(plant)
    try:
        wait_connected(source)
        publish(publisher, "a/temp", "5")
        # 3 periods of 50 ms (and at least 3 coalescing intervals) later: a NaN.
        wait_until(lambda: len(values(runtime, "M01.temp")[0]) == 2, 5, "the stale NaN")
        t, v = values(runtime, "M01.temp")
        assert v[0] == 5 and np.isnan(v[1]) and t[1] == t[0] + 1
        publish(publisher, "a/temp", "6")
        wait_until(lambda: len(values(runtime, "M01.temp")[0]) >= 3, 5, "the next value")
        assert values(runtime, "M01.temp")[1][2] == 6
    finally:
        runtime.stop()


def test_tls_with_client_certificate_and_password_from_env(
    secure_broker: Mosquitto, pki: Pki, tmp_path: Path
) -> None:
    conn = broker_connection(
        secure_broker.tls_port or 0,
        tls=True,
        ca=str(pki.ca),
        cert=str(pki.client_cert),
        key=str(pki.client_key),
        username="twin",
        password_env="TEST_MQTT_PASSWORD",
    )
    plant = mqtt_plant(conn, signal("temp", 'topic = "s/temp", qos = 1', rate_hz=100))
    runtime, source = run(plant, env={"TEST_MQTT_PASSWORD": "s3cret"})
    try:
        wait_connected(source)
        assert source.endpoint.startswith("mqtts://")
        pub = mqtt.Client(CallbackAPIVersion.VERSION2)
        pub.username_pw_set("twin", "s3cret")
        pub.connect("127.0.0.1", secure_broker.port)
        pub.loop_start()
        try:
            # Back to back, so that they arrive over TLS in bursts of buffered reads.
            infos = [pub.publish("s/temp", f"{12.5 + i}", qos=1) for i in range(500)]
            for info in infos:
                info.wait_for_publish(10)
        finally:
            pub.disconnect()
            pub.loop_stop()

        def received() -> list[float]:
            v = values(runtime, "M01.temp")[1]
            return v[np.isfinite(v)].tolist()

        wait_until(lambda: len(received()) == 500, 10, "the values over TLS")
        assert received() == [12.5 + i for i in range(500)]
    finally:
        runtime.stop()


def test_wrong_password_fails_with_a_clear_error(secure_broker: Mosquitto) -> None:
    conn = broker_connection(secure_broker.port, username="twin", password_env="TEST_MQTT_PASSWORD")
    plant = mqtt_plant(conn, signal("temp", 'topic = "s/temp"'))
    runtime, source = run(plant, env={"TEST_MQTT_PASSWORD": "wrong"})
    try:
        wait_until(lambda: source.health.state is ConnState.FAILED, 5, "the refusal")
        error = source.health.snapshot().last_error or ""
        assert f"mqtt://127.0.0.1:{secure_broker.port}" in error
        assert "refused" in error and "not authorized" in error.lower()
    finally:
        runtime.stop()


def test_missing_password_variable_is_reported(broker: Mosquitto) -> None:
    conn = broker_connection(broker.port, username="u", password_env="NO_SUCH_VAR_X")
    plant = mqtt_plant(conn, signal("temp", 'topic = "s/temp"'))
    runtime, source = run(plant, env={})
    try:
        wait_until(lambda: source.health.state is ConnState.FAILED, 5, "the failure")
        assert "NO_SUCH_VAR_X is not set" in (source.health.snapshot().last_error or "")
    finally:
        runtime.stop()
