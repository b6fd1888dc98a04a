"""MQTT connector (paho-mqtt 2.x): topic subscriptions -> one channel group per signal.

One network thread runs paho's loop and its own reconnect (the shared exponential, capped,
jittered backoff, ``Backoff.for_options``: 2 s at most by default; paho's built-in retry has
no jitter), whose wait ends as soon as the broker accepts TCP connections again.
Subscriptions are made in ``on_connect``, so every reconnect re-subscribes. With
``clean_session = false`` (the default) and a stable client id the broker keeps the
session, so QoS 1 messages published while the link was down arrive after the reconnect.

The network thread runs `mqtt_client.serve`: paho reads a burst of packets (buffered
socket reads, the PUBACKs written at once at the end), and ``on_message`` only appends
(topic, payload, arrival time) to an inbox. After each burst the inbox is handled as one
batch: grouped by topic, routed (exact topics by one dict lookup; wildcard bindings are
matched once per new topic and cached), parsed (plain number or JSON, once per message)
and handed to the `SignalFeed` column by column under one lock, which coalesces them into
batches. Per-message work in Python was most of the receiver's CPU at 20,000 messages/s.

Each topic's burst runs under the connection's `MessageGuard`: if handling it raises
anything (a JSON document nested too deep for the parser, a bug that one payload reaches),
the burst is handled again message by message, each under the guard, so that only the
offending messages are lost, counted as that topic's bad data, and the connection goes on.
"""

from __future__ import annotations

import contextlib
import logging
import socket
import ssl
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import paho.mqtt.client as mqtt
from paho.mqtt.enums import CallbackAPIVersion, MQTTErrorCode, MQTTProtocolVersion

from twin.plant.model import Connection, Signal
from twin.sources.connections.backoff import Backoff, tcp_listening, wait_or_probe
from twin.sources.connections.config import (
    ConfigError,
    MqttBinding,
    resolve_password,
    substitute,
)
from twin.sources.connections.feed import ConnectorSource
from twin.sources.connections.guard import MessageGuard
from twin.sources.connections.health import ConnState
from twin.sources.connections.mqtt_client import BurstClient, serve
from twin.sources.connections.payload import Column, FieldMap, TopicMapper, parse_path

log = logging.getLogger(__name__)

LOOP_TIMEOUT_S = 0.1  # the select timeout: how soon the thread sees stop()
MAX_CACHED_TOPICS = 10_000  # wildcard routing results kept; a flood of topics is not


class MqttSource(ConnectorSource):
    """Signals of one MQTT connection. ``bindings[i]`` binds ``signals[i]``."""

    protocol = "mqtt"

    def __init__(
        self,
        connection: Connection,
        signals: Sequence[Signal],
        bindings: Sequence[MqttBinding],
        env: Mapping[str, str] | None = None,
        clock: Callable[[], int] = time.time_ns,
    ) -> None:
        scheme = "mqtts" if connection.tls else "mqtt"
        super().__init__(
            connection, signals, f"{scheme}://{connection.host}:{connection.port}", clock=clock
        )
        self._env = env
        self._bindings: list[tuple[str, FieldMap]] = []
        for index, (sig, b) in enumerate(zip(signals, bindings, strict=True)):
            field = FieldMap(
                index=index,
                path=None if b.json_path is None else parse_path(b.json_path),
                time_path=None if b.time_path is None else parse_path(b.time_path),
                time_unit=b.time_unit,
                scale=b.scale,
                offset=b.offset,
                allow_non_finite=b.allow_non_finite,
            )
            self._bindings.append((substitute(b.topic, sig), field))
        self._guard = MessageGuard(self.health)
        self._routes: dict[str, TopicMapper | None] = {}
        for topic, _ in self._bindings:
            if not _is_filter(topic):
                self._routes[topic] = self._mapper_for(topic)
        self.subscriptions = self._subscription_list(bindings)
        self._client: BurstClient | None = None
        self._refused: str | None = None  # reason of a refused CONNACK
        self._was_connected = False
        # (topic, payload, arrival ns) of the current burst (network thread only).
        self._inbox: list[tuple[str, bytes | bytearray, int]] = []

    def _subscription_list(self, bindings: Sequence[MqttBinding]) -> list[tuple[str, int]]:
        """The explicit ``subscribe`` filters, plus each bound topic they do not cover."""
        top_qos = max((b.qos for b in bindings), default=0)
        explicit = [str(f) for f in self.connection.options.get("subscribe", ())]  # type: ignore[attr-defined]
        subs = {f: top_qos for f in explicit}
        for (topic, _), b in zip(self._bindings, bindings, strict=True):
            if not any(mqtt.topic_matches_sub(f, topic) or f == topic for f in explicit):
                subs[topic] = max(subs.get(topic, 0), b.qos)
        return sorted(subs.items())

    def _mapper_for(self, topic: str) -> TopicMapper | None:
        fields = [
            f for flt, f in self._bindings if flt == topic or mqtt.topic_matches_sub(flt, topic)
        ]
        return TopicMapper(fields) if fields else None

    # --- network thread -------------------------------------------------------------------

    def _make_client(self) -> BurstClient:
        conn = self.connection
        opts = conn.options
        client_id = str(opts.get("client_id") or f"twindeck-{conn.id}-{socket.gethostname()}")
        client = BurstClient(
            CallbackAPIVersion.VERSION2,
            client_id=client_id,
            clean_session=bool(opts.get("clean_session", False)),
            protocol=MQTTProtocolVersion.MQTTv311,
        )
        # paho logs two DEBUG lines per QoS 1 message (PUBLISH received, PUBACK sent),
        # which cost even when DEBUG is off; its problems reach the health and our log
        # anyway. So paho's log is wired up only if this module logs DEBUG at start.
        if log.isEnabledFor(logging.DEBUG):
            client.enable_logger(log)
        if conn.tls:
            client.tls_set(
                ca_certs=conn.ca,
                certfile=conn.cert,
                keyfile=conn.key,
                cert_reqs=ssl.CERT_REQUIRED,
            )
            if opts.get("tls_insecure", False):
                client.tls_insecure_set(True)  # a self-signed broker cert whose name differs
        password = resolve_password(conn, self._env)
        if conn.username is not None:
            client.username_pw_set(conn.username, password)
        client.on_connect = self._on_connect
        client.on_disconnect = self._on_disconnect
        client.on_message = self._on_message
        client.on_socket_open = _no_delay
        # Our own loop does the retrying; paho must not also wait between attempts.
        client.connect_async(conn.host, conn.port, int(opts.get("keepalive_s", 30)))  # type: ignore[call-overload]
        return client

    def _run(self) -> None:
        backoff = Backoff.for_options(self.connection.options)
        host, port = self.connection.host, self.connection.port
        try:
            client = self._client = self._make_client()
        except (ConfigError, OSError, ssl.SSLError, ValueError) as exc:
            # Bad TLS files or a missing password: retrying will not help until fixed.
            self.health.set_state(ConnState.FAILED, f"{self.endpoint}: {_describe(exc)}")
            return
        while not self._stop.is_set():
            if self.health.state is not ConnState.FAILED:  # FAILED stays until it works
                first = self.health.snapshot().connects == 0
                self.health.set_state(ConnState.CONNECTING if first else ConnState.RECONNECTING)
            self._refused, self._was_connected = None, False
            try:
                rc = client.reconnect()
            except (OSError, ssl.SSLError, ValueError) as exc:
                error = _describe(exc)
            else:
                rc = self._serve(client) if rc == MQTTErrorCode.MQTT_ERR_SUCCESS else rc
                error = self._refused or mqtt.error_string(rc)
            self._set_down(True)
            if self._stop.is_set():
                break
            if self._was_connected:
                backoff.reset()  # the link had been up: start again from the short delay
            if self._refused is not None:  # bad credentials: retry slowly
                state, delay = ConnState.FAILED, backoff.max_s
            else:
                state, delay = ConnState.RECONNECTING, backoff.next()
            self.health.set_state(state, f"{self.endpoint}: {error}")
            log.info("%s: %s; retrying in %.1f s", self.name, error, delay)
            if state is ConnState.FAILED:
                self._stop.wait(delay)  # the broker is up and says no: do not hammer it
            else:
                wait_or_probe(self._stop, delay, lambda: tcp_listening(host, port))
        if client.is_connected():
            client.disconnect()  # queued: paho writes only in loop_write() here
            client.loop_write()  # sends it and closes the socket

    def _serve(self, client: BurstClient) -> MQTTErrorCode:
        """Run the network loop until the connection drops or stop(); returns paho's code."""
        return serve(client, self._stop, self._deliver_guarded, LOOP_TIMEOUT_S)

    # --- paho callbacks (on the network thread) --------------------------------------------

    def _on_connect(
        self, client: mqtt.Client, userdata: Any, flags: Any, reason: Any, properties: Any
    ) -> None:
        if reason.is_failure:
            self._refused = f"connection refused by the broker: {reason}"
            return
        self._was_connected = True
        if self.subscriptions:
            client.subscribe(self.subscriptions)
        self._set_down(False)
        self.health.set_state(ConnState.CONNECTED)
        log.info(
            "%s: connected to %s (session present: %s)",
            self.name,
            self.endpoint,
            flags.session_present,
        )

    def _on_disconnect(
        self, client: mqtt.Client, userdata: Any, flags: Any, reason: Any, properties: Any
    ) -> None:
        self._set_down(True)

    def _on_message(self, client: mqtt.Client, userdata: Any, msg: mqtt.MQTTMessage) -> None:
        # Only what must be taken per message; the parsing waits for the burst's end.
        try:
            topic = msg.topic
        except UnicodeDecodeError as exc:  # paho decodes the topic here; an exception
            # escaping a callback would end paho's loop, and with it the connection
            self._guard.failed(repr(msg._topic[:80]), exc)  # the raw bytes
            return
        self._inbox.append((topic, msg.payload, self._clock()))

    # --- the burst's messages (network thread) -------------------------------------------

    def _deliver_guarded(self) -> None:
        # Topics are guarded one by one inside; this only keeps a failure elsewhere in
        # the burst's handling from ending the network loop.
        self._guard.run(self.endpoint, self._deliver)

    def _deliver(self) -> None:
        """Route, parse and feed the messages of the burst that just ended."""
        inbox = self._inbox
        if not inbox:
            return
        self._inbox = []
        by_topic: dict[str, tuple[list[bytes | bytearray], list[int]]] = {}
        for topic, payload, recv_ns in inbox:
            try:
                payloads, stamps = by_topic[topic]
            except KeyError:
                payloads, stamps = by_topic[topic] = ([], [])
            payloads.append(payload)
            stamps.append(recv_ns)
        columns: list[Column] = []
        for topic, (payloads, stamps) in by_topic.items():
            got = self._guard.run(topic, self._map_topic, topic, payloads, stamps)
            columns.extend(got or ())
        if columns:
            self.feed.push_columns(columns, inbox[-1][2])
        self.health.count_messages(len(inbox), data=bool(columns))

    def _map_topic(
        self, topic: str, payloads: list[bytes | bytearray], stamps: list[int]
    ) -> list[Column]:
        """The columns of one topic's messages of a burst; bad payloads are counted."""
        mapper = self._route(topic)
        if mapper is None:
            self.health.unknown_source(topic, len(payloads))
            return []
        try:
            got, errors = mapper.map_many(payloads, stamps)
        except Exception:  # the burst again, one guarded message at a time
            got, errors = [], []
            for payload, stamp in zip(payloads, stamps, strict=True):
                one = self._guard.run(topic, mapper.map_many, (payload,), (stamp,))
                if one is not None:
                    got.extend(one[0])
                    errors.extend(one[1])
        for err in errors:
            self._guard.failed(topic, err)
        return got

    def _route(self, topic: str) -> TopicMapper | None:
        try:
            return self._routes[topic]
        except KeyError:
            mapper = self._mapper_for(topic)
            if len(self._routes) < MAX_CACHED_TOPICS:
                self._routes[topic] = mapper
            return mapper


def _no_delay(client: mqtt.Client, userdata: Any, sock: Any) -> None:
    """Send PUBACKs at once: paho leaves Nagle's algorithm on, and a small ack held back
    behind the broker's delayed ACK stalls the broker's QoS 1 in-flight window."""
    with contextlib.suppress(OSError, AttributeError):  # not a TCP socket
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


def _is_filter(topic: str) -> bool:
    return "+" in topic or "#" in topic


def _describe(exc: BaseException) -> str:
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused (is the broker running and the port right?)"
    if isinstance(exc, ssl.SSLError):
        return f"TLS error: {exc.reason or exc}"
    if isinstance(exc, ConfigError):
        return exc.reason
    if isinstance(exc, FileNotFoundError):
        return f"no such file: {exc.filename}"
    return str(exc) or type(exc).__name__
