"""An OPC UA server on open62541 (the ``o6`` package), a stack independent of asyncua, serving
the address space of ``UaServer``: object M01 with Temp, Current (Double), Running (Boolean)
and Name (String) as ``ns=<urn:twindeck:test>;s=M01.<name>``.

Run as a script only (``python o6_opcua.py``), never imported into the test process:
the package's unlicensed mode ends its process after ten minutes. Commands come as JSON
lines on stdin, answers go as JSON lines on stdout (see ``script.ScriptServer``).
"""

from __future__ import annotations

import asyncio
import importlib
import os
import sys
from typing import Any

URI = "urn:twindeck:test"
LOOPBACK = "127.0.0.1"
INITIAL: dict[str, object] = {
    "M01.Temp": 20.0,
    "M01.Current": 5.0,
    "M01.Running": True,
    "M01.Name": "m1",
}
# OPC UA DateTime: 100 ns ticks since 1601-01-01; the Unix epoch is this many ticks later.
EPOCH_TICKS = 116_444_736_000_000_000
BAD_SENSOR_FAILURE = 0x808B0000


def bind_loopback_only() -> list[str]:
    """Make every listening socket bind 127.0.0.1: the stack listens on all interfaces and
    has no setting for it. Returns the hosts asked for, to check that the patch took."""
    asked: list[str] = []
    create_server = asyncio.BaseEventLoop.create_server

    async def on_loopback(self: Any, factory: Any, host: Any = None, *args: Any, **kw: Any) -> Any:
        asked.append(str(host))
        return await create_server(self, factory, LOOPBACK, *args, **kw)

    asyncio.BaseEventLoop.create_server = on_loopback  # type: ignore[method-assign,assignment]
    return asked


def user_check(o6: Any, users: dict[str, str]) -> Any:
    """Access control that takes a user name and password from ``users`` only."""
    base = importlib.import_module("o6.server").AccessControl

    class Users(base):  # type: ignore[misc, valid-type]
        def activateSession(self, endpoint: Any, cert: Any, session: Any, token: Any) -> Any:
            name, password = getattr(token, "userName", None), getattr(token, "password", None)
            if name in users and bytes(password or b"").decode() == users[name]:
                return None
            raise o6.StatusCodeError(o6.StatusCode.BAD_USER_ACCESS_DENIED)

    return Users(anonymous=False, username=True)


def build(o6: Any, cmd: dict[str, Any]) -> tuple[Any, int]:
    """A new server (not started) with the address space; its namespace index. ``cmd``
    gives the port, and for secured endpoints the server's certificate (DER) and key
    (PEM), its application URI, the users and whether to offer secured endpoints only."""
    options: dict[str, Any] = {}
    if cmd.get("cert"):
        options = {
            "certificate": cmd["cert"],
            "privateKey": cmd["key"],
            # Secured endpoints only, or the unsecured one too (for discovery; sessions
            # on it are refused by the user check), as asyncua's server does.
            "secureOnly": bool(cmd.get("secure_only")),
            "acceptAllCertificates": True,  # the tests' client certificate is self-signed
            "applicationUri": cmd["application_uri"],
        }
    if cmd.get("users") is not None:
        options["accessControl"] = user_check(o6, cmd["users"])
    server = o6.Server(port=int(cmd["port"]), **options)
    server.ns.append(sys.modules[__name__])
    ns = list(server["i=2255"]()).index(URI)  # the server's NamespaceArray
    obj = server.addObject("M01", server.objectsNode, nodeId=f"ns={ns};s=M01", ns=ns)
    for name, value in INITIAL.items():
        server.addVariable(name.split(".")[1], obj, value, nodeId=f"ns={ns};s={name}", ns=ns)
    return server, ns


def write(o6: Any, server: Any, ns: int, cmd: dict[str, Any]) -> None:
    stamp = None
    if cmd.get("source_ns") is not None:
        stamp = o6.DateTime(int(cmd["source_ns"]) // 100 + EPOCH_TICKS)
    status = o6.StatusCode(0 if cmd.get("good", True) else BAD_SENSOR_FAILURE)
    value = o6.DataValue(value=float(cmd["value"]), status=status, sourceTimestamp=stamp)
    code = server.write(f"ns={ns};s={cmd['name']}", value)
    if int(code) != 0:
        raise RuntimeError(f"write {cmd['name']}: {code}")


class Host:
    """One server at a time in this process: ``serve`` makes a fresh one on a port,
    ``stop`` and ``start`` take it off the network and back (a restart, state kept)."""

    def __init__(self, o6: Any, asked: list[str]) -> None:
        self.o6, self.asked = o6, asked
        self.server: Any = None
        self.ns = 0

    def handle(self, cmd: dict[str, Any]) -> dict[str, Any]:
        op = cmd["op"]
        if op == "serve":
            self.close()
            self.server, self.ns = build(self.o6, cmd)
            self.start()
            return {"ns": self.ns, "uri": URI}
        if op == "start":
            self.start()
        elif op == "stop":
            self.server.stop()
        elif op == "close":
            self.close()
        elif op == "write":
            write(self.o6, self.server, self.ns, cmd)
        else:
            raise ValueError(f"unknown op {op!r}")
        return {}

    def start(self) -> None:
        self.asked.clear()
        self.server.start()
        if not self.asked:  # never listen beyond loopback
            raise RuntimeError("the listener was not made through asyncio's create_server")

    def close(self) -> None:
        if self.server is not None and self.server.running:
            self.server.stop()
        self.server = None


def main() -> None:
    import json

    answer = os.fdopen(os.dup(1), "w", buffering=1)
    os.dup2(2, 1)  # the package prints a banner on stdout: keep it off the command channel
    asked = bind_loopback_only()
    o6 = importlib.import_module("o6")
    o6.ns.namespace("twindeck", uri=URI)  # registers the URI on this module, for append
    host = Host(o6, asked)
    answer.write(json.dumps({"ok": True}) + "\n")
    for line in sys.stdin:
        cmd = json.loads(line)
        if cmd["op"] == "quit":
            break
        try:
            answer.write(json.dumps({"ok": True, **host.handle(cmd)}) + "\n")
        except Exception as exc:
            answer.write(json.dumps({"ok": False, "error": repr(exc)}) + "\n")
    host.close()
    answer.flush()
    os._exit(0)  # the stack's worker thread would keep the process alive


if __name__ == "__main__":
    main()
