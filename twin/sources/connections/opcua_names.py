"""Words for the OPC UA connector: status codes by their standard names with what to check,
and node ids written with a namespace URI resolved against a server's namespace array.

No client library here: ``opcua.py`` looks a code's name and description up in asyncua and
hands them to `describe_status`.
"""

from __future__ import annotations

from collections.abc import Sequence

_BROWSE = "Tools > Browse lists the server's nodes"

# What to check, by status name; a name not listed shows the standard description only.
HINTS: dict[str, str] = {
    "BadNodeIdUnknown": f"check the binding's node id ({_BROWSE})",
    "BadNodeIdInvalid": 'check the binding\'s node id syntax ("ns=2;s=Name")',
    "BadAttributeIdInvalid": "the node is not a variable: bind a variable node",
    "BadNotReadable": "check the user's read rights for this node on the server",
    "BadUserAccessDenied": "check the user's rights on the server",
    "BadTooManyMonitoredItems": "the server's limit: bind fewer nodes or raise its limit",
    "BadTooManySubscriptions": "the server's limit: close other clients or raise its limit",
    "BadTooManySessions": "the server's limit: close other clients or raise its limit",
    "BadMonitoredItemFilterUnsupported": "the server does not support data-change filters",
    "BadDecodingError": f"the server could not decode the request: check the node ids ({_BROWSE})",
    "BadEncodingError": "the server could not encode its answer: check the server's log",
    "BadTimeout": "check that the server is reachable and not overloaded, or raise timeout_s",
    "BadSensorFailure": "check the sensor behind the server",
    "BadDeviceFailure": "check the device behind the server",
    "BadCommunicationError": "check the server's link to its device",
    "BadOutOfService": "the value is out of service on the server",
    "BadWaitingForInitialData": "the server has no value for this node yet",
    "BadNoCommunication": "check the server's link to its device",
    "BadSessionIdInvalid": "the server ended the session (it restarted?); reconnecting",
    "BadSessionClosed": "the server ended the session; reconnecting",
    "BadSubscriptionIdInvalid": "the server dropped the subscription; reconnecting",
    "BadServerHalted": "the server is shutting down",
    "BadShutdown": "the server is shutting down",
    "BadSecureChannelClosed": "the server closed the connection",
    "BadConnectionClosed": "the server closed the connection",
}


def describe_status(name: str, value: int, doc: str = "") -> str:
    """``BadNodeIdUnknown (0x80340000): <the standard description>; <what to check>``; an
    unnamed code shows as ``0x...`` with no hint."""
    text = f"{name or 'unknown status'} (0x{value & 0xFFFFFFFF:08X})"
    doc = doc.strip().rstrip(".")
    if doc:
        text += f": {doc[0].lower()}{doc[1:]}"
    hint = HINTS.get(name)
    return f"{text}; {hint}" if hint else text


class NamespaceError(ValueError):
    """A node id names a namespace URI the server does not have."""


def resolve_namespace(node: str, namespaces: Sequence[str]) -> str:
    """``nsu=<uri>;<id>`` as ``ns=<index of uri>;<id>`` on a server with ``namespaces``
    (its NamespaceArray); any other node id as it is. Sent as written, a URI travels as
    an ExpandedNodeId, which many servers do not decode (and some never answer)."""
    if not node.startswith("nsu="):
        return node
    uri, sep, ident = node[4:].partition(";")
    if not sep:
        raise NamespaceError(f"{node!r} has no identifier after the namespace URI")
    try:
        index = list(namespaces).index(uri)
    except ValueError:
        have = ", ".join(f"{i}: {u}" for i, u in enumerate(namespaces)) or "none"
        raise NamespaceError(
            f"namespace {uri!r} is not on the server (its namespaces are {have})"
        ) from None
    return f"ns={index};{ident}"
