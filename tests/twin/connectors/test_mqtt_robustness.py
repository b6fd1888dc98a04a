"""What a device may send an MQTT connection without stopping it or being believed:
payloads the parser cannot handle, non-finite numbers, impossible timestamps (real broker)."""

from __future__ import annotations

import json
import logging
import time

import numpy as np
import paho.mqtt.client as mqtt
import pytest

from tests.twin.connectors.running import wait_connected
from tests.twin.connectors.servers import Mosquitto, wait_until
from tests.twin.connectors.test_mqtt import (
    broker_connection,
    mqtt_plant,
    publish,
    run,
    signal,
    values,
)
from twin.alarms import Action, AlarmEvent, AlarmKind
from twin.ingest.runtime import PlantRuntime
from twin.sources.connections.factory import build_sources
from twin.sources.connections.guard import MessageGuard, reason_of
from twin.sources.connections.health import ConnectionHealth, ConnState
from twin.sources.connections.mqtt import MqttSource
from twin.sources.connections.payload import PayloadError

DEEP = b"[" * 200_000  # about 200 kB of nesting: the JSON parser raises RecursionError


def test_a_deeply_nested_payload_is_bad_data_and_the_connection_goes_on(
    broker: Mosquitto, publisher: mqtt.Client
) -> None:
    plant = mqtt_plant(
        broker_connection(broker.port),
        signal("temp", 'topic = "line1/M01/state", json_path = "temp"'),
    )
    runtime, source = run(plant)
    try:
        wait_connected_and_publish(
            source, publisher, [json.dumps({"temp": 1}), DEEP, DEEP + b"]" * 200_000]
        )
        publish(publisher, "line1/M01/state", json.dumps({"temp": 2}))
        wait_until(lambda: len(values(runtime, "M01.temp")[0]) == 2, 5, "both good values")
        assert values(runtime, "M01.temp")[1].tolist() == [1.0, 2.0]
        snap = source.health.snapshot()
        assert snap.state is ConnState.CONNECTED and source.running
        assert dict(snap.bad) == {"line1/M01/state": 2}
        assert dict(snap.bad_kinds) == {"too_deep": 2}
        assert snap.connects == 1  # the connection itself never dropped
    finally:
        runtime.stop()


def wait_connected_and_publish(
    source: MqttSource, publisher: mqtt.Client, payloads: list[str | bytes]
) -> None:
    wait_connected(source)
    infos = [publisher.publish("line1/M01/state", p, qos=1) for p in payloads]
    for info in infos:  # back to back: the good and the bad share a burst
        info.wait_for_publish(5)


def test_non_finite_numbers_are_bad_data_unless_the_binding_allows_them(
    broker: Mosquitto, publisher: mqtt.Client
) -> None:
    plant = mqtt_plant(
        broker_connection(broker.port),
        signal("temp", 'topic = "m/json", json_path = "v"'),
        signal("current", 'topic = "m/json", json_path = "v", allow_non_finite = true'),
        signal("speed", 'topic = "m/plain"'),
    )
    runtime, source = run(plant)
    try:
        wait_connected(source)
        odd = ["NaN", "Infinity", "-Infinity", "1e999"]  # the last overflows to inf
        for text in odd:
            publish(publisher, "m/json", f'{{"v": {text}}}')
        for text in ("nan", "inf", "-Infinity"):
            publish(publisher, "m/plain", text)
        publish(publisher, "m/json", '{"v": 5}')
        publish(publisher, "m/plain", "6")
        wait_until(lambda: len(values(runtime, "M01.temp")[0]) == 1, 5, "the finite value")
        wait_until(lambda: len(values(runtime, "M01.speed")[0]) == 1, 5, "the plain value")
        wait_until(lambda: len(values(runtime, "M01.current")[0]) == 5, 5, "every value")
        assert values(runtime, "M01.temp")[1].tolist() == [5.0]
        assert values(runtime, "M01.speed")[1].tolist() == [6.0]
        # Allowed: each arrives, as the store keeps non-finite values (as NaN, a gap).
        got = values(runtime, "M01.current")[1]
        assert not np.isfinite(got[:4]).any() and got[-1] == 5.0
        snap = source.health.snapshot()
        assert dict(snap.bad) == {"m/json": 4, "m/plain": 3}
        assert dict(snap.bad_kinds) == {"non_finite": 7}
    finally:
        runtime.stop()


def test_timestamps_outside_the_int64_range_are_bad_data(
    broker: Mosquitto, publisher: mqtt.Client
) -> None:
    plant = mqtt_plant(
        broker_connection(broker.port),
        signal("temp", 'topic = "m/json", json_path = "v", time_path = "t"'),
    )
    runtime, source = run(plant)
    try:
        wait_connected(source)
        stamps = ["1e30", "-5", '"0001-01-01T00:00:00Z"', "99999999999999999999999"]
        for stamp in stamps:
            publish(publisher, "m/json", f'{{"v": 1, "t": {stamp}}}')
        good = 1_750_000_000_000
        publish(publisher, "m/json", f'{{"v": 2, "t": {good}}}')
        wait_until(lambda: len(values(runtime, "M01.temp")[0]) == 1, 5, "the good sample")
        t, v = values(runtime, "M01.temp")
        assert t.tolist() == [good * 1_000_000] and v.tolist() == [2.0]
        snap = source.health.snapshot()
        assert dict(snap.bad_kinds) == {"bad_time": len(stamps)}
        assert snap.state is ConnState.CONNECTED
    finally:
        runtime.stop()


@pytest.mark.parametrize(
    ("exc", "reason"),
    [
        (RecursionError("deep"), "too_deep"),
        (MemoryError(), "too_large"),
        (UnicodeDecodeError("utf-8", b"\xff", 0, 1, "invalid start byte"), "bad_text"),
        (PayloadError("not_json", "x"), "not_json"),
        (KeyError("k"), "error:KeyError"),
    ],
)
def test_guard_turns_any_exception_into_counted_bad_data(exc: Exception, reason: str) -> None:
    health = ConnectionHealth("c", "mqtt", "mqtt://h:1")
    guard = MessageGuard(health)

    def work(x: int) -> int:
        if x < 0:
            raise exc
        return x * 2

    assert guard.run("t/a", work, 4) == 8
    assert guard.run("t/a", work, -1) is None
    assert reason_of(exc) == reason
    snap = health.snapshot()
    assert dict(snap.bad) == {"t/a": 1} and dict(snap.bad_kinds) == {reason: 1}


def test_guard_logs_once_per_place_and_reason(caplog: pytest.LogCaptureFixture) -> None:
    health = ConnectionHealth("c", "mqtt", "mqtt://h:1", logging.getLogger("guardtest"))
    guard = MessageGuard(health)

    def deep() -> None:
        raise RecursionError("maximum recursion depth exceeded")

    with caplog.at_level(logging.WARNING, logger="guardtest"):
        for where in ("t/a", "t/a", "t/b", "t/a"):
            guard.run(where, deep)
        guard.failed("t/a", ValueError("no"))
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 3
    assert sum("t/a" in w and "RecursionError" in w for w in warnings) == 1
    assert sum("t/b" in w for w in warnings) == 1
    assert health.snapshot().bad == {"t/a": 4, "t/b": 1}


def test_a_retained_message_stamped_an_hour_ago_back_dates_no_alarm(
    broker: Mosquitto, publisher: mqtt.Client
) -> None:
    """The broker hands a new subscriber the retained value, stamped by the device an hour
    ago and above the high limit: it is stored at its own time, but its alarms (the high
    limit, and no data since) are raised from the connection's start on, never before."""
    hour_ago_ms = time.time_ns() // 1_000_000 - 3_600_000
    publisher.publish(
        "m/state", json.dumps({"v": 150, "ts": hour_ago_ms}), qos=1, retain=True
    ).wait_for_publish(5)
    temp = (
        '{ key = "temp", rate_hz = 10, normal = [0, 100], alarm_high = 120, '
        'source = { connection = "broker", topic = "m/state", json_path = "v", '
        'time_path = "ts" } }'
    )
    plant = mqtt_plant(broker_connection(broker.port), temp)
    sources = build_sources(plant)
    runtime = PlantRuntime(plant, sources)
    runtime.connect([runtime.alarm_sink()])
    events: list[AlarmEvent] = []
    runtime.alarms.add_listener(events.extend)
    started = time.time_ns()
    runtime.start()
    try:
        wait_until(lambda: len(values(runtime, "M01.temp")[0]) >= 1, 5, "the retained value")
        assert values(runtime, "M01.temp")[0][0] == hour_ago_ms * 1_000_000

        def raised(kind: AlarmKind) -> list[int]:
            return [e.t for e in events if e.kind is kind and e.action is Action.RAISE]

        def no_data_raised() -> bool:
            runtime.alarms.check_stale(time.time_ns())  # as the application does each second
            return bool(raised(AlarmKind.NO_DATA))

        wait_until(no_data_raised, 10, "the no-data alarm")
        stale_ns = 2_000_000_000  # 3 periods at 10 Hz, at least 2 s
        assert raised(AlarmKind.HH)[0] >= started
        assert raised(AlarmKind.NO_DATA)[0] >= started + stale_ns
        assert all(e.t >= started for e in events)
    finally:
        runtime.stop()
        publisher.publish("m/state", b"", qos=1, retain=True).wait_for_publish(5)
