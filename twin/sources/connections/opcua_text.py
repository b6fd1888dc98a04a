"""asyncua's status codes and errors in words: the standard name, what it means, what to
check; never ``StatusCode(value=...)``."""

from __future__ import annotations

from typing import Any

from asyncua import ua

from twin.sources.connections.opcua_names import describe_status


def status_text(code: Any) -> str:
    """A status code (``ua.StatusCode`` or its int value) by its standard name, what it
    means and what to check: never ``StatusCode(value=...)``."""
    value = int(getattr(code, "value", code))
    name, doc = ua.status_codes.get_name_and_doc(value)
    if doc.startswith("Unknown StatusCode value"):  # asyncua's answer for a code it lacks
        name, doc = "", ""
    return describe_status(name, value, doc)


def error_text(exc: BaseException) -> str:
    """An exception from asyncua as words: a status error by its status name."""
    if isinstance(exc, ua.UaStatusCodeError) and exc.code is not None:
        return status_text(exc.code)
    if isinstance(exc, TimeoutError):
        return "no answer in time (TimeoutError)"
    return str(exc) or repr(exc)
