"""Fuzzing the MQTT connection through a real broker: random and adversarial payloads
(deep nesting, huge, binary, wrong types, non-finite numbers, bad UTF-8, impossible
timestamps) interleaved with good ones. The connection stays up, every good value arrives
at its own timestamp, and every bad payload is counted once."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import numpy as np
import paho.mqtt.client as mqtt
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.twin.connectors.running import wait_connected
from tests.twin.connectors.servers import Mosquitto, wait_until
from tests.twin.connectors.test_mqtt import broker_connection, mqtt_plant, run, signal, values
from twin.ingest.runtime import PlantRuntime
from twin.sources.connections.health import ConnState
from twin.sources.connections.mqtt import MqttSource

TOPIC = "fuzz/M01/state"
T0_MS = 1_750_000_000_000

# One signal bound to the topic: a bad payload is exactly one bad message.
BINDING = f'topic = "{TOPIC}", json_path = "v", time_path = "t", time_unit = "ms", qos = 1'

good_values = st.floats(allow_nan=False, allow_infinity=False, width=32)  # the store's float32


def _json(doc: object) -> bytes:
    return json.dumps(doc).encode()


def _nested(depth: int, closed: bool) -> bytes:
    return b"[" * depth + (b"]" * depth if closed else b"")


bad_timestamps: st.SearchStrategy[object] = st.one_of(
    st.integers(max_value=-1),  # before 1970
    st.integers(min_value=2**63 // 1_000_000 + 1),  # after 2262 (ms)
    st.sampled_from([1e30, -1e30, None, True, [], {}, "yesterday", "0001-01-01T00:00:00Z"]),
)
wrong_types = st.one_of(
    st.text(max_size=20),
    st.none(),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)
bad_payloads = st.one_of(
    st.builds(_nested, st.integers(1_000, 200_000), st.booleans()),  # deep nesting
    st.builds(lambda n: b'{"v": 1, "t": 1, "pad": "' + b"x" * n, st.integers(100_000, 300_000)),
    st.binary(max_size=300).map(lambda b: b"\x80" + b),  # binary, not even UTF-8
    wrong_types.map(lambda v: _json({"v": v, "t": T0_MS})),
    st.sampled_from([b'{"v": NaN, "t": 1}', b'{"v": Infinity}', b'{"v": -Infinity}']),
    st.just(b'{"v": 1e999, "t": 1}'),  # overflows to inf
    st.just(b'{"v": 1, "t": 1750000000000, "s": "\xff\xfe"}'),  # bad UTF-8 inside
    bad_timestamps.map(lambda t: _json({"v": 1.0, "t": t})),
    st.just(b'{"t": 1750000000000}'),  # no value
)
messages = st.lists(
    st.one_of(good_values.map(lambda v: ("good", v)), bad_payloads.map(lambda p: ("bad", p))),
    min_size=1,
    max_size=12,
)


@dataclass
class Sent:
    """What the fuzzer published so far."""

    good_t: list[int] = field(default_factory=list)
    good_v: list[float] = field(default_factory=list)
    bad: int = 0


def test_fuzzed_payloads_never_stop_the_connection_nor_lose_good_values(
    broker: Mosquitto, publisher: mqtt.Client
) -> None:
    conn = broker_connection(broker.port, coalesce_ms=5, stale_periods=0)
    runtime, source = run(mqtt_plant(conn, signal("temp", BINDING)))
    sent = Sent()
    try:
        wait_connected(source)

        @settings(
            max_examples=200,
            deadline=None,
            database=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
        )
        @given(messages)
        def publish_and_check(batch: list[tuple[str, object]]) -> None:
            infos = []
            for kind, item in batch:
                if kind == "good":
                    t_ms = T0_MS + len(sent.good_t)  # a fresh, increasing timestamp
                    payload = _json({"v": item, "t": t_ms})
                    sent.good_t.append(t_ms * 1_000_000)
                    sent.good_v.append(float(item))  # type: ignore[arg-type]
                else:
                    assert isinstance(item, bytes)
                    payload, sent.bad = item, sent.bad + 1
                infos.append(publisher.publish(TOPIC, payload, qos=1))
            for info in infos:
                info.wait_for_publish(10)
            wait_until(
                lambda: _arrived(runtime, source, sent), 10, f"the values and counts of {sent}"
            )

        publish_and_check()
        t, v = values(runtime, "M01.temp")
        assert t.tolist() == sent.good_t
        np.testing.assert_array_equal(v, np.asarray(sent.good_v, dtype=np.float32))
        snap = source.health.snapshot()
        assert snap.state is ConnState.CONNECTED and snap.connects == 1
        assert snap.bad_total == sent.bad and sent.bad > 0 and sent.good_t
        assert snap.messages == sent.bad + len(sent.good_t)
    finally:
        runtime.stop()


def _arrived(runtime: PlantRuntime, source: MqttSource, sent: Sent) -> bool:
    stored = len(values(runtime, "M01.temp")[0])
    return stored == len(sent.good_t) and source.health.snapshot().bad_total == sent.bad
