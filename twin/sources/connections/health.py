"""The health of one live connection, as the GUI shows it.

A connector's network thread writes into a `ConnectionHealth`; any thread (the GUI's
frame timer) reads a consistent, immutable `HealthSnapshot` with ``snapshot()``. Writes
and reads take one short lock; nothing here blocks on I/O.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType

MAX_KEYS = 1000  # distinct topics/nodes counted one by one; the rest go under OTHER
OTHER = "(other)"


class ConnState(StrEnum):
    CONNECTING = "connecting"  # first attempt, not connected yet
    CONNECTED = "connected"
    RECONNECTING = "reconnecting"  # was connected (or an attempt failed); retrying
    FAILED = "failed"  # refused for a reason that retrying alone will not fix (auth, TLS)
    STOPPED = "stopped"


@dataclass(frozen=True, slots=True)
class HealthSnapshot:
    """A copy of a connection's health at one moment."""

    connection_id: str
    protocol: str
    endpoint: str
    state: ConnState
    msgs_per_s: float  # messages (MQTT) / notifications (OPC UA) / polls (Modbus) per s
    messages: int
    last_error: str | None  # the latest problem, kept after it is over, with its time
    last_error_ns: int | None
    last_data_ns: int | None  # wall time of the last message that gave a value
    connects: int  # successful connects, the first included
    # Per topic / node / register block: payloads that gave no value, and messages for
    # which no signal is bound.
    bad: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}))
    bad_kinds: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}))
    unknown: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}))
    # What is wrong now (None when nothing is): why it is not connected, or a part of the
    # connection that fails while the link is up ("unit 3 does not respond").
    problem: str | None = None

    @property
    def bad_total(self) -> int:
        return sum(self.bad.values())


class LogOnce:
    """Log the first event of each kind at WARNING, later ones at DEBUG only: a broker
    that sends 20,000 malformed messages a second must not flood the log. The counts are
    in the health snapshot."""

    def __init__(self, logger: logging.Logger, prefix: str) -> None:
        self._log, self._prefix = logger, prefix
        self._seen: set[str] = set()
        self._lock = threading.Lock()

    def __call__(self, kind: str, message: str) -> bool:
        """Log ``message``; True if this was the first of its kind."""
        with self._lock:
            first = kind not in self._seen
            self._seen.add(kind)
        if first:
            self._log.warning(
                "%s: %s (further %s problems are only counted)", self._prefix, message, kind
            )
        else:
            self._log.debug("%s: %s", self._prefix, message)
        return first


class ConnectionHealth:
    """Thread-safe health counters of one connection."""

    def __init__(
        self,
        connection_id: str,
        protocol: str,
        endpoint: str,
        logger: logging.Logger | None = None,
        clock: Callable[[], int] = time.time_ns,
    ) -> None:
        self.connection_id, self.protocol, self.endpoint = connection_id, protocol, endpoint
        self._clock = clock
        self._lock = threading.Lock()
        self._state = ConnState.CONNECTING
        self._messages = 0
        self._last_error: str | None = None
        self._last_error_ns: int | None = None
        self._last_data_ns: int | None = None
        self._problem: str | None = None
        self._connects = 0
        self._bad: dict[str, int] = {}
        self._bad_kinds: dict[str, int] = {}
        self._unknown: dict[str, int] = {}
        # Messages in the current wall-clock second and in the one before, for msgs/s.
        self._sec = 0
        self._in_sec = 0
        self._prev: tuple[int, int] = (0, 0)
        self.log_once = LogOnce(
            logger or logging.getLogger(__name__), f"{protocol} connection {connection_id!r}"
        )

    @property
    def state(self) -> ConnState:
        return self._state

    def set_state(self, state: ConnState, error: str | None = None) -> None:
        """Move to ``state``; an ``error`` becomes the current problem and ``last_error``.
        Connecting clears the problem (``last_error`` stays, with its time)."""
        with self._lock:
            if state is ConnState.CONNECTED and self._state is not ConnState.CONNECTED:
                self._connects += 1
                self._problem = None
            self._state = state
            if error is not None:
                self._problem = error
                self._last_error, self._last_error_ns = error, self._clock()

    def set_problem(self, problem: str | None) -> None:
        """What is wrong while the state stays as it is (None: nothing); a new problem also
        becomes ``last_error``."""
        with self._lock:
            if problem is not None and problem != self._problem:
                self._last_error, self._last_error_ns = problem, self._clock()
            self._problem = problem

    def error(self, message: str) -> None:
        """Record a problem that does not change the state (a failed read, ...)."""
        with self._lock:
            self._last_error, self._last_error_ns = message, self._clock()

    def count_messages(self, n: int = 1, *, data: bool = True) -> None:
        """``n`` messages arrived; ``data``: at least one of them gave a value."""
        now = self._clock()
        sec = now // 1_000_000_000
        with self._lock:
            if sec != self._sec:
                self._prev, self._sec, self._in_sec = (self._sec, self._in_sec), sec, 0
            self._in_sec += n
            self._messages += n
            if data:
                self._last_data_ns = now

    def bad_payload(self, where: str, kind: str, detail: str) -> None:
        """A payload for ``where`` (topic, node, register block) that gave no value;
        logged at WARNING once per (where, kind)."""
        with self._lock:
            key = _bump(self._bad, where)
            _bump(self._bad_kinds, kind)
        self.log_once(f"{kind} on {key}", f"{where}: {detail}")

    def unknown_source(self, where: str, n: int = 1) -> None:
        """``n`` messages for a topic or node that no signal is bound to."""
        with self._lock:
            _bump(self._unknown, where, n)
        self.log_once("unknown", f"message on {where!r}, which no signal is bound to")

    def snapshot(self) -> HealthSnapshot:
        now_sec = self._clock() // 1_000_000_000
        with self._lock:
            if self._sec == now_sec - 1:
                rate = self._in_sec  # the last complete second
            elif self._sec == now_sec and self._prev[0] == now_sec - 1:
                rate = self._prev[1]
            else:
                rate = 0
            return HealthSnapshot(
                connection_id=self.connection_id,
                protocol=self.protocol,
                endpoint=self.endpoint,
                state=self._state,
                msgs_per_s=float(rate),
                messages=self._messages,
                last_error=self._last_error,
                last_error_ns=self._last_error_ns,
                last_data_ns=self._last_data_ns,
                connects=self._connects,
                bad=MappingProxyType(dict(self._bad)),
                bad_kinds=MappingProxyType(dict(self._bad_kinds)),
                unknown=MappingProxyType(dict(self._unknown)),
                problem=self._problem,
            )


def _bump(counts: dict[str, int], key: str, n: int = 1) -> str:
    """Add ``n`` to ``key``'s count; returns the key counted (OTHER past MAX_KEYS)."""
    if key not in counts and len(counts) >= MAX_KEYS:
        key = OTHER  # a wildcard subscription may see any number of topics
    counts[key] = counts.get(key, 0) + n
    return key
