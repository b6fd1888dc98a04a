"""Servers of a second implementation of each protocol, each run by a script of this folder
in a subprocess and driven by JSON lines: one command per line on its stdin, one answer
per line on its stdout (``{"ok": true, ...}`` or ``{"ok": false, "error": ...}``)."""

from __future__ import annotations

import json
import queue
import subprocess
import sys
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any, TextIO

from tests.twin.connectors.servers import (
    LOOPBACK,
    ModbusServer,
    UaServer,
    free_port,
    port_open,
    wait_until,
)

HERE = Path(__file__).resolve().parent


class ScriptServer:
    """A server script of this folder in a subprocess of its own; its stderr goes to
    ``log``. ``call`` sends a command and waits for its answer."""

    def __init__(self, script: str, log: Path, startup_s: float = 60.0) -> None:
        self.script, self.log_path, self.startup_s = script, log, startup_s
        self._log: TextIO = log.open("w")
        self._launch()

    def _launch(self) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, str(HERE / self.script)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._log,
            text=True,
        )
        self._answers: queue.Queue[str | None] = queue.Queue()
        reader = threading.Thread(
            target=self._read, args=(self.proc, self._answers), name=f"read-{self.script}"
        )
        reader.daemon = True
        reader.start()
        self._answer(self.startup_s)  # the script says it is ready

    @staticmethod
    def _read(proc: subprocess.Popen[str], answers: queue.Queue[str | None]) -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            answers.put(line)
        answers.put(None)

    def revive(self) -> None:
        """Start the script again if it has ended (a process of the o6 package ends
        after ten minutes), before a new server is served."""
        if self.proc.poll() is not None:
            self._launch()

    def _answer(self, timeout: float) -> dict[str, Any]:
        try:
            line = self._answers.get(timeout=timeout)
        except queue.Empty:
            raise AssertionError(f"no answer within {timeout} s; {self._tail()}") from None
        if line is None:
            raise AssertionError(f"the server script exited; {self._tail()}")
        answer: dict[str, Any] = json.loads(line)
        if not answer.get("ok"):
            raise AssertionError(f"the server script refused: {answer.get('error')}")
        return answer

    def _tail(self) -> str:
        self._log.flush()
        return "its log ends: " + self.log_path.read_text(errors="replace")[-2000:]

    def call(self, op: str, timeout: float = 15.0, **args: Any) -> dict[str, Any]:
        assert self.proc.stdin is not None
        try:
            self.proc.stdin.write(json.dumps({"op": op, **args}) + "\n")
            self.proc.stdin.flush()
        except OSError as exc:
            raise AssertionError(f"the server script is gone ({exc}); {self._tail()}") from None
        return self._answer(timeout)

    def close(self) -> None:
        if self.proc.poll() is None:
            try:
                assert self.proc.stdin is not None
                self.proc.stdin.write('{"op": "quit"}\n')
                self.proc.stdin.close()
                self.proc.wait(10)
            except (OSError, subprocess.TimeoutExpired):
                self.proc.kill()
                self.proc.wait(5)
        self._log.close()


class O6UaServer:
    """The address space of ``UaServer`` on open62541 (``o6_opcua.py``), with the same
    methods the shared tests use. One ``ScriptServer`` hosts one of these at a time.
    ``secure`` = (cert, key) offers secured endpoints (every client certificate trusted)
    beside the unsecured one, or alone with ``secure_only``; ``users`` a user
    name/password check (anonymous refused)."""

    PATH = "/twindeck/"
    URI = "urn:twindeck:test"

    def __init__(
        self,
        host: ScriptServer,
        *,
        secure: tuple[Path, Path] | None = None,
        application_uri: str = "",
        users: Mapping[str, str] | None = None,
        secure_only: bool = False,
    ) -> None:
        self.host = host
        self.port = free_port()
        self.endpoint = f"opc.tcp://{LOOPBACK}:{self.port}{self.PATH}"
        self.ns = 2
        self._served = False
        self._options: dict[str, Any] = {"users": dict(users) if users is not None else None}
        if secure:
            cert, key = secure
            self._options.update(
                cert=str(cert),
                key=str(key),
                application_uri=application_uri,
                secure_only=secure_only,
            )

    def node(self, name: str) -> str:
        return f"ns={self.ns};s={name}"

    def start(self) -> None:
        if self._served:
            self.host.call("start")
        else:
            self.host.revive()
            self.ns = int(self.host.call("serve", port=self.port, **self._options)["ns"])
            self._served = True
        wait_until(lambda: port_open(self.port), 10, "the open62541 server")

    def stop(self) -> None:
        self.host.call("stop")

    def close(self) -> None:
        self.host.call("close")

    def write(
        self, name: str, value: float, source_ns: int | None = None, good: bool = True
    ) -> None:
        self.host.call("write", name=name, value=value, source_ns=source_ns, good=good)


class TkModbusServer:
    """The registers of ``ModbusServer`` on modbus-tk (``tk_modbus.py``), with the same
    methods the shared tests use. Its slave never answers a unit id other than 1 (as
    ``ModbusServer`` with ``silent_units``). One ``ScriptServer`` hosts one at a time."""

    def __init__(
        self, host: ScriptServer, holding: Mapping[int, int], inputs: Mapping[int, int]
    ) -> None:
        self.host = host
        self.port = free_port()
        self.holding, self.inputs = dict(holding), dict(inputs)
        self._served = False

    def start(self) -> None:
        if self._served:
            self.host.call("start")
        else:
            self.host.revive()
            self.host.call("serve", port=self.port, holding=self.holding, inputs=self.inputs)
            self._served = True
        wait_until(lambda: port_open(self.port), 5, "the modbus-tk slave")

    def stop(self) -> None:
        self.host.call("stop")


type AnyUaServer = UaServer | O6UaServer
type AnyModbusServer = ModbusServer | TkModbusServer
