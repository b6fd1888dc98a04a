"""Reconnect delays (exponential, capped, jittered) and the wait between attempts, which
ends early when a probe sees the link back."""

from __future__ import annotations

import random
import socket
import threading
import time
from collections.abc import Callable, Mapping

# A few seconds at most between attempts: an outage must not leave a data gap much longer
# than itself. The plant file's reconnect_min_s / reconnect_max_s change them per connection.
DEFAULT_MIN_S = 0.5
DEFAULT_MAX_S = 2.0
PROBE_EVERY_S = 0.25


class Backoff:
    """Delays of ``initial_s * factor**n`` capped at ``max_s``, each scaled down by a random
    fraction of up to ``jitter`` so that many clients cut off by one broker restart do not
    all come back in the same instant. ``reset()`` after a successful connect."""

    def __init__(
        self,
        initial_s: float = DEFAULT_MIN_S,
        max_s: float = DEFAULT_MAX_S,
        factor: float = 2.0,
        jitter: float = 0.3,
        rng: random.Random | None = None,
    ) -> None:
        if not 0 < initial_s <= max_s:
            raise ValueError(f"need 0 < initial_s <= max_s, got {initial_s}, {max_s}")
        if factor < 1 or not 0 <= jitter < 1:
            raise ValueError(f"need factor >= 1 and 0 <= jitter < 1, got {factor}, {jitter}")
        self.initial_s, self.max_s, self.factor, self.jitter = initial_s, max_s, factor, jitter
        self._rng = rng or random.Random()
        self.attempts = 0

    @classmethod
    def for_options(cls, options: Mapping[str, object]) -> Backoff:
        """The backoff a connection's options ask for (``reconnect_min_s``,
        ``reconnect_max_s``), the defaults where they say nothing."""
        low = options.get("reconnect_min_s", DEFAULT_MIN_S)
        high = options.get("reconnect_max_s", max(DEFAULT_MAX_S, float(low)))  # type: ignore[arg-type]
        return cls(float(low), float(high))  # type: ignore[arg-type]

    def next(self) -> float:
        """The delay before the next attempt, in seconds."""
        base = min(self.max_s, self.initial_s * self.factor ** min(self.attempts, 64))
        self.attempts += 1
        return base * (1.0 - self.jitter * self._rng.random())

    def reset(self) -> None:
        self.attempts = 0


def wait_or_probe(
    stop: threading.Event,
    delay_s: float,
    probe: Callable[[], bool],
    every_s: float = PROBE_EVERY_S,
) -> bool:
    """Wait up to ``delay_s`` before the next connection attempt, but end the wait as soon
    as ``probe()`` (a cheap check, tried every ``every_s``) says the peer is back, so that
    reconnecting does not wait out the backoff. False if ``stop`` was set meanwhile."""
    deadline = time.monotonic() + delay_s
    while not stop.is_set():
        left = deadline - time.monotonic()
        if left <= 0:
            return True
        if stop.wait(min(every_s, left)):
            return False
        if probe():
            return True
    return False


def tcp_listening(host: str, port: int, timeout_s: float = 0.2) -> bool:
    """True if something accepts TCP connections on ``host:port`` (the probe of a
    TCP-based protocol)."""
    try:
        with socket.create_connection((host, port), timeout=timeout_s):
            return True
    except OSError:
        return False
