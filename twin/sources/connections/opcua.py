"""OPC UA connector (asyncua): data-change subscriptions -> one channel group per signal.

asyncua is asyncio-only, so the source runs its own event loop on its own thread. It
connects (optionally with security policy Basic256Sha256 and a client certificate, and
with a user name and password), creates one subscription with the connection's publishing
interval and monitors every bound node. asyncua's own auto-reconnect is left off: the
source's loop notices a lost connection (``connection_lost_callback``), marks a gap, and
reconnects with the shared capped, jittered backoff (``Backoff.for_options``: 2 s at most by
default), ending the wait as soon as the server accepts TCP connections again; each
attempt creates a fresh session and subscription.

Node ids written with a namespace URI (``nsu=urn:...;s=Name``) are resolved against the
server's namespace array at each connect. A node the server refuses, or a monitoring
request it fails or never answers, is counted against that node with the status's name
(split in halves until the culprits are found); the session and the other nodes go on.

Staleness: servers send changes only, so a steady value is silent. The subscription asks
for a keep-alive about every ``KEEPALIVE_S``; every publish response (data or keep-alive)
shows the subscription is alive, and the source then vouches for its signals
(``SignalFeed.vouch``): a steady value is re-stamped and stays current. With no publish
response for ``max(3 keep-alives, timeout_s)`` the subscription counts as dead and the
source reconnects; a bad subscription status does the same.

Timestamps: the value's SourceTimestamp when the server sends one, else its
ServerTimestamp, else the arrival time. A stamp more than ``max_clock_skew_s`` (5 min by
default) from our clock is bad data: one years ahead would hide every later sample.

Bad data: every notification is handled under the connection's `MessageGuard`. A value
whose StatusCode is not Good, that is not a number (a string, bytes, an array where a
scalar is bound), not finite (unless the binding's ``allow_non_finite``), or whose handling
raises anything at all, is counted against its node with the reason and becomes NaN (the
node's last value is not current any more; a server sends changes only); the session goes on.
A node's first value in a session (the current one, which the server sends at once) is
stamped no earlier than the subscription's creation: a steady value's source timestamp is
when it last changed, perhaps hours ago, and TwinDeck knows it only from now on.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from asyncua import Client, ua

from twin.plant.model import Connection, Signal
from twin.sources.connections.backoff import PROBE_EVERY_S, Backoff, tcp_listening
from twin.sources.connections.config import (
    ConfigError,
    OpcuaBinding,
    resolve_password,
    substitute,
)
from twin.sources.connections.feed import ConnectorSource
from twin.sources.connections.guard import MessageGuard
from twin.sources.connections.health import ConnState
from twin.sources.connections.opcua_names import NamespaceError, resolve_namespace
from twin.sources.connections.opcua_security import configure_security
from twin.sources.connections.opcua_text import error_text, status_text
from twin.sources.connections.payload import PayloadError, number

log = logging.getLogger(__name__)

KEEPALIVE_S = 0.5  # how often an idle subscription is asked to show it is alive
# A vouched value is re-stamped this long before the keep-alive arrived, plus one publishing
# interval: a change sampled just before it may still be on its way, and device clocks
# may lag ours a little.
VOUCH_LAG_S = 0.25
# A source timestamp this far from our clock is a device clock gone wrong (or a broken
# value), not a reading: one stamped years ahead would hide every later sample of its signal.
MAX_CLOCK_SKEW_S = 300.0


def keepalive_count(publishing_ms: float) -> int:
    """Publishing intervals between two keep-alives, for one about every ``KEEPALIVE_S``."""
    return max(1, round(KEEPALIVE_S * 1000 / publishing_ms))


_AUTH_ERRORS = (
    ua.uaerrors.BadUserAccessDenied,
    ua.uaerrors.BadIdentityTokenInvalid,
    ua.uaerrors.BadIdentityTokenRejected,
)
_SECURITY_ERRORS = (
    ua.uaerrors.BadSecurityChecksFailed,
    ua.uaerrors.BadCertificateInvalid,
    ua.uaerrors.BadCertificateUntrusted,
    ua.uaerrors.BadSecurityPolicyRejected,
)


def endpoint_of(connection: Connection) -> str:
    """``opc.tcp://host:port/path`` of a connection."""
    path = str(connection.options.get("path", ""))
    if path and not path.startswith("/"):
        path = "/" + path
    return f"opc.tcp://{connection.host}:{connection.port}{path}"


def _ns(stamp: datetime) -> int:
    if stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=UTC)  # asyncua's timestamps are UTC
    whole = int(stamp.replace(microsecond=0).timestamp())
    return whole * 1_000_000_000 + stamp.microsecond * 1_000


@dataclass(frozen=True, slots=True)
class _Field:
    """How one signal takes its value from a node."""

    index: int  # the signal's index in the source
    scale: float
    offset: float
    allow_non_finite: bool


class OpcuaSource(ConnectorSource):
    """Signals of one OPC UA server. ``bindings[i]`` binds ``signals[i]``."""

    protocol = "opcua"
    default_stale_periods = 0.0  # report by exception: a steady value sends nothing

    def __init__(
        self,
        connection: Connection,
        signals: Sequence[Signal],
        bindings: Sequence[OpcuaBinding],
        env: Mapping[str, str] | None = None,
        clock: Callable[[], int] = time.time_ns,
    ) -> None:
        super().__init__(connection, signals, endpoint_of(connection), clock=clock)
        self._env = env
        opts = connection.options
        self.publishing_ms = float(opts.get("publishing_interval_ms", 100.0))  # type: ignore[arg-type]
        self.timeout_s = float(opts.get("timeout_s", 5.0))  # type: ignore[arg-type]
        self._lag_ns = round((VOUCH_LAG_S + self.publishing_ms / 1000) * 1e9)
        # A keep-alive period plus a publishing interval, as granted at each subscribe.
        self._keepalive_s = KEEPALIVE_S + self.publishing_ms / 1000
        skew_s = float(opts.get("max_clock_skew_s", MAX_CLOCK_SKEW_S))  # type: ignore[arg-type]
        self._skew_ns = round(skew_s * 1e9)
        # node id text -> each signal bound to it
        self.nodes: dict[str, list[_Field]] = {}
        for index, (sig, b) in enumerate(zip(signals, bindings, strict=True)):
            field = _Field(index, b.scale, b.offset, b.allow_non_finite)
            self.nodes.setdefault(substitute(b.node, sig), []).append(field)
        self._guard = MessageGuard(self.health)
        self._by_id: dict[ua.NodeId, list[_Field]] = {}
        self._last_t: dict[ua.NodeId, int] = {}  # newest stamp pushed per node (loop thread)
        self._text_of: dict[ua.NodeId, str] = {}  # as the binding wrote it, for the counts
        self._loop: asyncio.AbstractEventLoop | None = None
        self._dead: str | None = None  # why a running subscription was given up
        self._refusals: list[str] = []  # bound nodes the server refused in this session
        self._session_ns = 0  # wall time the current subscription was created
        self._unseen: set[ua.NodeId] = set()  # nodes without a value yet in this session
        self._wake: asyncio.Event | None = None

    def _run(self) -> None:
        asyncio.run(self._main())

    def _interrupt(self) -> None:
        loop, wake = self._loop, self._wake
        if loop is not None and wake is not None:
            with contextlib.suppress(RuntimeError):  # the loop has already closed
                loop.call_soon_threadsafe(wake.set)

    async def _main(self) -> None:
        self._loop, self._wake = asyncio.get_running_loop(), asyncio.Event()
        if self._stop.is_set():
            return
        backoff = Backoff.for_options(self.connection.options)
        while not self._stop.is_set():
            if self.health.state is not ConnState.FAILED:
                first = self.health.snapshot().connects == 0
                self.health.set_state(ConnState.CONNECTING if first else ConnState.RECONNECTING)
            error, fatal = await self._session()
            self._set_down(True)
            if self._stop.is_set():
                break
            if error is None:  # the session ran and then the link went down
                backoff.reset()
                error = "connection lost"
            delay = backoff.max_s if fatal else backoff.next()
            state = ConnState.FAILED if fatal else ConnState.RECONNECTING
            self.health.set_state(state, f"{self.endpoint}: {error}")
            log.info("%s: %s; retrying in %.1f s", self.name, error, delay)
            await self._wait_or_probe(delay, probe=not fatal)

    async def _wait_or_probe(self, delay_s: float, probe: bool) -> None:
        """Wait ``delay_s`` before the next attempt, or less: until stop(), or (``probe``)
        until the server accepts TCP connections again, so that an outage costs no more
        than itself plus a probe interval (`backoff.wait_or_probe`, on the event loop)."""
        assert self._wake is not None
        deadline = time.monotonic() + delay_s
        host, port = self.connection.host, self.connection.port
        while (left := deadline - time.monotonic()) > 0:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), min(PROBE_EVERY_S, left))
            if self._wake.is_set():
                return
            if probe and await asyncio.to_thread(tcp_listening, host, port):
                return

    async def _session(self) -> tuple[str | None, bool]:
        """Connect, subscribe and wait until the link drops or stop(). Returns (error, fatal)
        for a failed attempt; after a session that ran, (why its subscription was given up,
        or None when the link dropped, False)."""
        lost = asyncio.Event()
        self._dead = None
        self._refusals = []

        async def on_lost(exc: Exception) -> None:
            lost.set()

        client: Client | None = None
        try:
            client = await self._client()
            client.connection_lost_callback = on_lost
            await asyncio.wait_for(client.connect(), self.timeout_s)
            sub = await self._subscribe(client, lost)
        except _AUTH_ERRORS as exc:
            user = self.connection.username or "(anonymous)"
            return (
                f"user {user!r} was rejected ({type(exc).__name__}): check username and "
                "the password (password_env / keyring)",
                True,
            )
        except _SECURITY_ERRORS as exc:
            return f"security check failed ({type(exc).__name__}): check certificates", True
        except ConfigError as exc:
            return exc.reason, True
        except _SubscribeError as exc:
            return f"connected, but {exc}", False
        except (OSError, TimeoutError, ua.UaError, ConnectionError) as exc:
            return f"cannot connect: {error_text(exc)}", False
        else:
            self._set_down(False)
            self.health.set_state(ConnState.CONNECTED)
            log.info("%s: connected to %s", self.name, self.endpoint)
            if self._refusals:  # after CONNECTED: the session is up, these nodes are not
                more = len(self._refusals) - 1
                extra = f" (and {more} more node(s): see the counts)" if more else ""
                self.health.error(f"{self.endpoint}: {self._refusals[0]}{extra}")
            assert self._wake is not None
            waits = [
                asyncio.create_task(lost.wait()),
                asyncio.create_task(self._wake.wait()),
                asyncio.create_task(self._watch(sub, lost)),
            ]
            _, pending = await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
            for task in pending:
                task.cancel()
            return self._dead, False
        finally:
            if client is not None:
                try:
                    await asyncio.wait_for(client.disconnect(), 2.0)
                except Exception:  # the link is gone already; nothing to close cleanly
                    log.debug("%s: disconnect failed", self.name, exc_info=True)

    async def _client(self) -> Client:
        conn = self.connection
        client = Client(self.endpoint, timeout=self.timeout_s)
        if conn.username is not None:
            client.set_user(conn.username)
            password = resolve_password(conn, self._env)
            if password is not None:
                client.set_password(password)
        if conn.options.get("security_policy", "None") == "Basic256Sha256":
            await configure_security(client, conn)
        return client

    async def _subscribe(self, client: Client, lost: asyncio.Event) -> Any:
        """Create the subscription and monitor every bound node; returns the subscription.
        Raises _SubscribeError when the server refuses or does not answer it."""
        try:
            namespaces = await asyncio.wait_for(client.get_namespace_array(), self.timeout_s)
            sub = await asyncio.wait_for(
                client.create_subscription(self._parameters(), _Handler(self, lost)),
                self.timeout_s,
            )
            await asyncio.wait_for(self._keep_alive_as_asked(sub), self.timeout_s)
        except (TimeoutError, ua.UaError) as exc:
            raise _SubscribeError(f"the subscription failed: {error_text(exc)}") from exc
        self._by_id, self._text_of = {}, {}
        self._session_ns = self._clock()
        # One request per (sampling interval, queue size): a queue holds every sample of a
        # fast node taken between two publishes.
        batches: dict[tuple[float, int], list[tuple[str, Any]]] = {}
        for text, fields in self.nodes.items():
            try:
                node = client.get_node(resolve_namespace(text, namespaces))
            except NamespaceError as exc:
                self._refused(text, "unknown_namespace", str(exc))
                continue
            except (ValueError, ua.UaError) as exc:
                self._refused(text, "bad_node", f"not a node id: {exc}")
                continue
            rate = max(self.signals[f.index].rate_hz for f in fields)
            sampling_ms = 1000.0 / rate
            queue = max(1, math.ceil(self.publishing_ms / sampling_ms) + 1)
            batches.setdefault((sampling_ms, queue), []).append((text, node))
            self._by_id[node.nodeid] = fields
            self._text_of[node.nodeid] = text
        self._unseen = set(self._by_id)
        for (sampling_ms, queue), items in batches.items():
            await self._monitor(sub, items, sampling_ms, queue)
        return sub

    def _parameters(self) -> ua.CreateSubscriptionParameters:
        params = ua.CreateSubscriptionParameters()
        params.RequestedPublishingInterval = self.publishing_ms
        params.RequestedMaxKeepAliveCount = keepalive_count(self.publishing_ms)
        params.RequestedLifetimeCount = max(10_000, 3 * params.RequestedMaxKeepAliveCount)
        params.MaxNotificationsPerPublish = 10_000
        params.PublishingEnabled = True
        return params

    async def _keep_alive_as_asked(self, sub: Any) -> None:
        """Keep-alives about every ``KEEPALIVE_S`` at the publishing interval the server
        granted. When a server revises the interval (open62541 grants 100 ms at least),
        asyncua's client modifies the subscription to a keep-alive every 3/4 of the
        session timeout: steady values would go stale and the watch would find the
        subscription dead. Ask again, and expect what the server grants."""
        params = sub.parameters  # asyncua keeps them as modified: the granted interval
        granted_ms = float(params.RequestedPublishingInterval)
        count = keepalive_count(granted_ms)
        if params.RequestedMaxKeepAliveCount != count:
            modify = ua.ModifySubscriptionParameters()
            modify.SubscriptionId = sub.subscription_id
            modify.RequestedPublishingInterval = granted_ms
            modify.RequestedLifetimeCount = max(10_000, 3 * count)
            modify.RequestedMaxKeepAliveCount = count
            modify.MaxNotificationsPerPublish = params.MaxNotificationsPerPublish
            modify.Priority = params.Priority
            result = await sub.update(modify)
            granted_ms = float(result.RevisedPublishingInterval)
            count = int(result.RevisedMaxKeepAliveCount)
        self._keepalive_s = (count + 1) * granted_ms / 1000
        self._lag_ns = round((VOUCH_LAG_S + granted_ms / 1000) * 1e9)

    async def _monitor(
        self, sub: Any, items: list[tuple[str, Any]], sampling_ms: float, queue: int
    ) -> None:
        """Monitor ``items``; a request the server fails or leaves unanswered is split in
        halves until the nodes it fails for are found and counted, one by one."""
        try:
            results = await asyncio.wait_for(
                sub.subscribe_data_change(
                    [node for _, node in items],
                    queuesize=queue,
                    sampling_interval=ua.Double(sampling_ms),
                ),
                self.timeout_s,
            )
        except (TimeoutError, ua.UaError) as exc:
            if len(items) > 1:
                half = len(items) // 2
                await self._monitor(sub, items[:half], sampling_ms, queue)
                await self._monitor(sub, items[half:], sampling_ms, queue)
            else:
                self._refused(
                    items[0][0], "subscribe_failed", f"monitoring failed: {error_text(exc)}"
                )
            return
        for (text, _), result in zip(items, results, strict=True):
            if isinstance(result, ua.StatusCode):
                self._refused(text, "unknown_node", f"server refused: {status_text(result)}")

    def _refused(self, node: str, kind: str, detail: str) -> None:
        """A bound node that will give no data in this session: counted now, and the first
        one shown as the connection's error once it is connected."""
        self.health.bad_payload(node, kind, detail)
        self._refusals.append(f"node {node}: {detail}")

    async def _watch(self, sub: Any, lost: asyncio.Event) -> None:
        """While the session runs: vouch for the signals after each publish response, and
        give the session up when they stop coming."""
        dead_after = max(3 * self._keepalive_s, self.timeout_s)
        started = time.monotonic()
        while not lost.is_set():
            await asyncio.sleep(self.coalesce_s)
            last = getattr(sub, "last_publish_at", None)
            silent = time.monotonic() - (started if last is None else last)
            if silent > dead_after:
                self._dead = f"no keep-alive from the subscription for {silent:.1f} s"
                lost.set()
            elif last is not None:
                self.feed.vouch(self._clock() - round(silent * 1e9) - self._lag_ns)

    def _on_data(self, node: Any, value: Any, data: Any) -> None:
        """A data change, on the loop thread. Its handling runs under the connection's
        `MessageGuard`: whatever the server sent, a failure is that node's bad data."""
        recv_ns = self._clock()
        # A notification is a publish response too: vouch before pushing, so that a value
        # stamped long ago (the initial one of a steady node) is current from its first flush.
        self.feed.vouch(recv_ns - self._lag_ns)
        node_id: Any = getattr(node, "nodeid", None)
        fields = self._by_id.get(node_id) if node_id is not None else None
        where = self._text_of.get(node_id) if node_id is not None else None
        if fields is None or where is None:
            self.health.unknown_source(_node_text(node))
            return
        got = self._guard.run(where, self._samples, where, node_id, fields, value, data, recv_ns)
        if got is None:
            # No usable value now. Servers send changes only, so the node's last value is
            # not current any more: end it with a NaN, just after the node's last sample.
            t = self._last_t.get(node_id, self._session_ns) + 1
            got = [(f.index, t, math.nan) for f in fields]
        self._last_t[node_id] = max(self._last_t.get(node_id, 0), got[0][1])
        self.feed.push(got, recv_ns)
        self.health.count_messages(data=any(math.isfinite(v) for _, _, v in got))

    def _samples(
        self,
        where: str,
        node_id: ua.NodeId,
        fields: list[_Field],
        value: Any,
        data: Any,
        recv_ns: int,
    ) -> list[tuple[int, int, float]]:
        """The samples of one data change; raises (`PayloadError` for the usual problems)
        when it gives no value. A non-finite value is NaN, and counted, for each signal
        whose binding does not allow it."""
        dv = data.monitored_item.Value
        status = dv.StatusCode
        if status is not None and not status.is_good():
            raise PayloadError("bad_status", f"value with status {status_text(status)}")
        t = self._stamp(node_id, dv.SourceTimestamp or dv.ServerTimestamp, recv_ns)
        raw = number(value)
        exact = type(value) is int  # an integer variant: exact where unscaled (int64 signals)
        out: list[tuple[int, int, float]] = []
        for f in fields:
            if exact and (f.scale, f.offset) == (1.0, 0.0):
                out.append((f.index, t, value))
                continue
            v = raw * f.scale + f.offset
            if not (f.allow_non_finite or math.isfinite(v)):
                error = PayloadError("non_finite", f"value {v!r} (allow_non_finite is off)")
                self._guard.failed(where, error)
                v = math.nan
            out.append((f.index, t, v))
        return out

    def _stamp(self, node_id: ua.NodeId, stamp: datetime | None, recv_ns: int) -> int:
        """A value's time: its source (else server) timestamp, else the arrival time. A
        node's first value in a session (its current one, stamped when it last changed) is
        taken as of the subscription's creation; a stamp further than the allowed clock
        skew from our clock is bad data (``bad_time``)."""
        t = _ns(stamp) if stamp is not None else recv_ns
        if node_id in self._unseen:
            self._unseen.discard(node_id)
            t = max(t, self._session_ns)
        if abs(t - recv_ns) > self._skew_ns:
            shown = "?" if stamp is None else stamp.isoformat()
            raise PayloadError(
                "bad_time",
                f"timestamp {shown} is {(t - recv_ns) / 1e9:+.0f} s from our clock "
                f"(max_clock_skew_s is {self._skew_ns / 1e9:g})",
            )
        return t


def _node_text(node: Any) -> str:
    node_id: Any = getattr(node, "nodeid", None)
    try:
        return str(node_id.to_string())
    except Exception:  # a node id asyncua cannot even print
        return repr(node_id)[:80]


class _SubscribeError(Exception):
    """The session is up but the server refused the subscription or did not answer."""


class _Handler:
    def __init__(self, source: OpcuaSource, lost: asyncio.Event) -> None:
        self._source = source
        self._lost = lost

    def datachange_notification(self, node: Any, val: Any, data: Any) -> None:
        # Guarded per node inside; this keeps anything else from reaching asyncua's
        # subscription loop, which would stop delivering notifications.
        self._source._guard.run(self._source.endpoint, self._source._on_data, node, val, data)

    def status_change_notification(self, status: Any) -> None:
        """The server ended the subscription (BadTimeout, ...): start a fresh session."""
        code = getattr(status, "Status", None)
        if code is not None and not code.is_good():
            self._source._dead = f"subscription ended by the server: {status_text(code)}"
            self._lost.set()
        log.info("%s: subscription status %s", self._source.name, status)
