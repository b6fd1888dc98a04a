"""OPC UA connector (asyncua): data-change subscriptions -> one channel group per signal.

asyncua is asyncio-only, so the source runs its own event loop on its own thread. It
connects (optionally with security policy Basic256Sha256 and a client certificate, and
with a user name and password), creates one subscription with the connection's publishing
interval and monitors every bound node. asyncua's own auto-reconnect is left off: the
source's loop notices a lost connection (``connection_lost_callback``), marks a gap, and
reconnects with the shared jittered backoff, creating a fresh session and subscription.

Timestamps: the value's SourceTimestamp when the server sends one, else its
ServerTimestamp, else the arrival time. A value whose StatusCode is not Good becomes NaN.

``browse`` lists the variables under a node, for a browse dialog (it runs its own loop;
call it from a worker thread, not the GUI thread).
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
from asyncua.crypto import uacrypto
from asyncua.crypto.security_policies import SecurityPolicyBasic256Sha256
from cryptography import x509

from twin.plant.model import Connection, Signal
from twin.sources.connections.backoff import Backoff
from twin.sources.connections.config import (
    ConfigError,
    OpcuaBinding,
    resolve_password,
    substitute,
)
from twin.sources.connections.feed import ConnectorSource
from twin.sources.connections.health import ConnState
from twin.sources.connections.payload import PayloadError, number

log = logging.getLogger(__name__)

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
        # node id text -> (signal index, scale, offset) of each signal bound to it
        self.nodes: dict[str, list[tuple[int, float, float]]] = {}
        for index, (sig, b) in enumerate(zip(signals, bindings, strict=True)):
            self.nodes.setdefault(substitute(b.node, sig), []).append((index, b.scale, b.offset))
        self._by_id: dict[ua.NodeId, list[tuple[int, float, float]]] = {}
        self._loop: asyncio.AbstractEventLoop | None = None
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
        opts = self.connection.options
        backoff = Backoff(
            float(opts.get("reconnect_min_s", 0.5)),  # type: ignore[arg-type]
            float(opts.get("reconnect_max_s", 30.0)),  # type: ignore[arg-type]
        )
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
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), delay)

    async def _session(self) -> tuple[str | None, bool]:
        """Connect, subscribe and wait until the link drops or stop(). Returns (error, fatal)
        for a failed attempt, (None, False) after a session that ran."""
        lost = asyncio.Event()

        async def on_lost(exc: Exception) -> None:
            lost.set()

        client: Client | None = None
        try:
            client = await self._client()
            client.connection_lost_callback = on_lost
            await asyncio.wait_for(client.connect(), self.timeout_s)
            await self._subscribe(client)
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
        except (OSError, TimeoutError, ua.UaError, ConnectionError) as exc:
            return f"cannot connect: {exc!r}" if not str(exc) else f"cannot connect: {exc}", False
        else:
            self._set_down(False)
            self.health.set_state(ConnState.CONNECTED)
            log.info("%s: connected to %s", self.name, self.endpoint)
            assert self._wake is not None
            waits = [asyncio.create_task(lost.wait()), asyncio.create_task(self._wake.wait())]
            _, pending = await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
            for task in pending:
                task.cancel()
            return None, False
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

    async def _subscribe(self, client: Client) -> None:
        sub = await client.create_subscription(self.publishing_ms, _Handler(self))
        self._by_id = {}
        # One request per (sampling interval, queue size): a queue holds every sample of a
        # fast node taken between two publishes.
        batches: dict[tuple[float, int], list[tuple[str, Any]]] = {}
        for text, fields in self.nodes.items():
            try:
                node = client.get_node(text)
            except (ValueError, ua.UaError) as exc:
                self.health.bad_payload(text, "bad_node", f"not a node id: {exc}")
                continue
            rate = max(self.signals[i].rate_hz for i, _, _ in fields)
            sampling_ms = 1000.0 / rate
            queue = max(1, math.ceil(self.publishing_ms / sampling_ms) + 1)
            batches.setdefault((sampling_ms, queue), []).append((text, node))
            self._by_id[node.nodeid] = fields
        for (sampling_ms, queue), items in batches.items():
            results = await sub.subscribe_data_change(
                [node for _, node in items],
                queuesize=queue,
                sampling_interval=ua.Double(sampling_ms),
            )
            for (text, _), result in zip(items, results, strict=True):
                if isinstance(result, ua.StatusCode):
                    self.health.bad_payload(text, "unknown_node", f"server refused: {result}")

    def _on_data(self, node: Any, value: Any, data: Any) -> None:
        """A data change, on the loop thread."""
        recv_ns = self._clock()
        fields = self._by_id.get(node.nodeid)
        text = node.nodeid.to_string()
        if fields is None:
            self.health.unknown_source(text)
            return
        dv = data.monitored_item.Value
        stamp = dv.SourceTimestamp or dv.ServerTimestamp
        t = _ns(stamp) if stamp is not None else recv_ns
        status = dv.StatusCode
        if status is not None and not status.is_good():
            self.health.bad_payload(text, "bad_status", f"value with status {status.name}")
            raw = math.nan
        else:
            try:
                raw = number(value)
            except PayloadError as exc:
                self.health.bad_payload(text, exc.kind, exc.detail)
                self.health.count_messages(data=False)
                return
        self.feed.push([(i, t, raw * scale + offset) for i, scale, offset in fields], recv_ns)
        self.health.count_messages(data=math.isfinite(raw))


class _Handler:
    def __init__(self, source: OpcuaSource) -> None:
        self._source = source

    def datachange_notification(self, node: Any, val: Any, data: Any) -> None:
        try:
            self._source._on_data(node, val, data)
        except Exception:  # one odd value must not break the subscription
            log.exception("%s: data change handling failed", self._source.name)

    def status_change_notification(self, status: Any) -> None:
        log.info("%s: subscription status %s", self._source.name, status)


async def configure_security(client: Client, conn: Connection) -> None:
    """Basic256Sha256 with the connection's client certificate and key; the client's
    application URI is taken from the certificate (servers check that they match)."""
    if conn.cert is None or conn.key is None:
        raise ConfigError("security_policy Basic256Sha256 needs cert and key")
    opts = conn.options
    mode = (
        ua.MessageSecurityMode.Sign
        if opts.get("security_mode") == "Sign"
        else ua.MessageSecurityMode.SignAndEncrypt
    )
    try:
        cert = await uacrypto.load_certificate(conn.cert)
    except FileNotFoundError:
        raise ConfigError(f"no such certificate file: {conn.cert}") from None
    uri = opts.get("application_uri") or _cert_uri(cert)
    if uri:
        client.application_uri = str(uri)
    server_cert = opts.get("server_cert")
    await client.set_security(
        SecurityPolicyBasic256Sha256,
        certificate=conn.cert,
        private_key=conn.key,
        server_certificate=None if server_cert is None else str(server_cert),
        mode=mode,
    )


def _cert_uri(cert: x509.Certificate) -> str | None:
    try:
        san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName)
    except x509.ExtensionNotFound:
        return None
    uris = san.value.get_values_for_type(x509.UniformResourceIdentifier)
    return uris[0] if uris else None


# --- browsing ------------------------------------------------------------------------------

SERVER_OBJECT = "i=2253"  # the server's own diagnostics: large and rarely wanted


@dataclass(frozen=True, slots=True)
class BrowseEntry:
    """One variable found by `browse`."""

    node_id: str
    display_name: str
    data_type: str
    path: str  # display names from the start node, "/"-separated


def browse(
    endpoint: str,
    root: str = "i=85",
    *,
    max_depth: int = 5,
    max_nodes: int = 5000,
    connection: Connection | None = None,
    env: Mapping[str, str] | None = None,
    timeout_s: float = 5.0,
) -> list[BrowseEntry]:
    """The variables under ``root`` (default: the Objects folder), depth first, at most
    ``max_nodes``. With ``connection``, its user, password and security settings are used.
    Blocking: run it off the GUI thread. Raises ConnectionError with a readable message."""
    return asyncio.run(_browse(endpoint, root, max_depth, max_nodes, connection, env, timeout_s))


async def _browse(
    endpoint: str,
    root: str,
    max_depth: int,
    max_nodes: int,
    conn: Connection | None,
    env: Mapping[str, str] | None,
    timeout_s: float,
) -> list[BrowseEntry]:
    client = Client(endpoint, timeout=timeout_s)
    try:
        if conn is not None:
            if conn.username is not None:
                client.set_user(conn.username)
                password = resolve_password(conn, env)
                if password is not None:
                    client.set_password(password)
            if conn.options.get("security_policy", "None") == "Basic256Sha256":
                await configure_security(client, conn)
        await asyncio.wait_for(client.connect(), timeout_s)
    except (OSError, TimeoutError, ua.UaError, ConfigError, ConnectionError) as exc:
        raise ConnectionError(f"{endpoint}: cannot browse: {exc!r}") from exc
    out: list[BrowseEntry] = []
    type_names: dict[ua.NodeId, str] = {}
    try:
        stack: list[tuple[Any, str, int]] = [(client.get_node(root), "", 0)]
        seen: set[ua.NodeId] = set()
        while stack and len(out) < max_nodes:
            node, path, depth = stack.pop()
            refs = await node.get_children_descriptions()
            for ref in reversed(refs):
                nid = ref.NodeId
                if nid in seen or nid.to_string() == SERVER_OBJECT:
                    continue
                seen.add(nid)
                child = client.get_node(nid)
                name = ref.DisplayName.Text or ref.BrowseName.Name
                child_path = f"{path}/{name}"
                if ref.NodeClass == ua.NodeClass.Variable:
                    out.append(
                        BrowseEntry(
                            nid.to_string(),
                            name,
                            await _type_name(client, child, type_names),
                            child_path,
                        )
                    )
                if depth + 1 < max_depth:
                    stack.append((child, child_path, depth + 1))
    finally:
        await client.disconnect()
    return out[:max_nodes]


async def _type_name(client: Client, node: Any, cache: dict[ua.NodeId, str]) -> str:
    try:
        dtype = await node.read_data_type()
    except ua.UaError:
        return ""
    if dtype not in cache:
        try:
            cache[dtype] = (await client.get_node(dtype).read_display_name()).Text or ""
        except ua.UaError:
            cache[dtype] = dtype.to_string()
    return cache[dtype]
