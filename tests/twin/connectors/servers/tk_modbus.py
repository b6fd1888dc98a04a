"""A Modbus TCP slave on modbus-tk, an implementation independent of pymodbus, serving what
``ModbusServer`` serves: unit 1 with holding and input registers given as {address: word},
each contiguous run of addresses one block (a read across a hole is refused with an
exception, as a PLC refuses unmapped registers); any other unit id goes unanswered.

Run as a script (``python tk_modbus.py``); commands come as JSON lines on stdin, answers go
as JSON lines on stdout (see ``script.ScriptServer``).
"""

from __future__ import annotations

import importlib
import json
import sys
from typing import Any

LOOPBACK = "127.0.0.1"


def runs(regs: dict[int, int]) -> list[tuple[int, list[int]]]:
    """The contiguous runs of ``regs``: (first address, words)."""
    out: list[tuple[int, list[int]]] = []
    for address in sorted(regs):
        if out and out[-1][0] + len(out[-1][1]) == address:
            out[-1][1].append(regs[address])
        else:
            out.append((address, [regs[address]]))
    return out


class Host:
    """One slave at a time in this process: ``serve`` makes a fresh one on a port,
    ``stop`` and ``start`` take it off the network and back (a restart, registers kept)."""

    def __init__(self) -> None:
        self.tcp = importlib.import_module("modbus_tk.modbus_tcp")
        self.defines = importlib.import_module("modbus_tk.defines")
        self.databank: Any = None
        self.server: Any = None
        self.port = 0

    def serve(self, port: int, holding: dict[int, int], inputs: dict[int, int]) -> None:
        self.close()
        # error_on_missing_slave=False: a request for another unit gets no answer at all.
        self.databank = self.tcp.Databank(error_on_missing_slave=False)
        unit = self.databank.add_slave(1)
        kinds = ((holding, self.defines.HOLDING_REGISTERS), (inputs, self.defines.ANALOG_INPUTS))
        for regs, kind in kinds:
            for start, words in runs(regs):
                name = f"{kind}-{start}"
                unit.add_block(name, kind, start, len(words))
                unit.set_values(name, start, words)
        self.port = port
        self.start()

    def start(self) -> None:
        self.server = self.tcp.TcpServer(port=self.port, address=LOOPBACK, databank=self.databank)
        self.server.start()

    def stop(self) -> None:
        if self.server is not None:
            self.server.stop()
            self.server = None

    close = stop

    def handle(self, cmd: dict[str, Any]) -> None:
        op = cmd["op"]
        if op == "serve":
            as_regs = lambda d: {int(a): int(w) for a, w in d.items()}  # noqa: E731
            self.serve(int(cmd["port"]), as_regs(cmd["holding"]), as_regs(cmd["inputs"]))
        elif op == "start":
            self.start()
        elif op in ("stop", "close"):
            self.stop()
        else:
            raise ValueError(f"unknown op {op!r}")


def main() -> None:
    host = Host()
    print(json.dumps({"ok": True}), flush=True)
    for line in sys.stdin:
        cmd = json.loads(line)
        if cmd["op"] == "quit":
            break
        try:
            host.handle(cmd)
            print(json.dumps({"ok": True}), flush=True)
        except Exception as exc:
            print(json.dumps({"ok": False, "error": repr(exc)}), flush=True)
    host.close()


if __name__ == "__main__":
    main()
