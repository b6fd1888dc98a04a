"""The guard every connector runs its per-message and per-poll work under.

Nothing a device or a broker sends may stop a connection. Whatever handling one message
(one notification, one poll's reply) raises — a `PayloadError`, but also a
``RecursionError`` from a deeply nested JSON document, a ``MemoryError`` from a huge one,
a ``UnicodeDecodeError``, or a bug of ours that only some input reaches — becomes bad data
of that topic / node / register block: counted in the connection's health under a short
reason, logged once per (where, reason), and the connection goes on with the next message.

A guarded call costs one ``try`` when nothing goes wrong, so hot paths can run whole bursts
under it and fall back to message-by-message handling only when a burst fails.
"""

from __future__ import annotations

from collections.abc import Callable

from twin.sources.connections.health import ConnectionHealth
from twin.sources.connections.payload import PayloadError

# Reasons of the usual exceptions, as the health's per-kind counts show them.
_REASONS: tuple[tuple[type[BaseException], str], ...] = (
    (RecursionError, "too_deep"),
    (MemoryError, "too_large"),
    (UnicodeError, "bad_text"),
    (OverflowError, "out_of_range"),
)
DETAIL_CHARS = 200  # an exception's text kept in the log line


def reason_of(exc: BaseException) -> str:
    """A short, stable reason for an exception: the `PayloadError` kind, a name for the
    usual failures (``too_deep``, ``too_large``, ``bad_text``, ``out_of_range``), else
    ``error:<exception type>``."""
    if isinstance(exc, PayloadError):
        return exc.kind
    for kind, reason in _REASONS:
        if isinstance(exc, kind):
            return reason
    return f"error:{type(exc).__name__}"


class MessageGuard:
    """Runs one unit of a connector's input handling; turns any exception into counted
    bad data of where it came from (``ConnectionHealth.bad_payload``)."""

    def __init__(self, health: ConnectionHealth) -> None:
        self.health = health

    def run[**P, T](
        self, where: str, work: Callable[P, T], *args: P.args, **kwargs: P.kwargs
    ) -> T | None:
        """``work(*args, **kwargs)``, or None if it raised (counted for ``where``)."""
        try:
            return work(*args, **kwargs)
        except Exception as exc:  # any input-driven failure is that input's bad data
            self.failed(where, exc)
            return None

    def failed(self, where: str, exc: BaseException) -> None:
        """Count ``exc``, raised while handling input from ``where``, as bad data."""
        if isinstance(exc, PayloadError):
            detail = exc.detail
        else:
            text = str(exc)[:DETAIL_CHARS]
            detail = f"{type(exc).__name__}: {text}" if text else type(exc).__name__
        self.health.bad_payload(where, reason_of(exc), detail)
