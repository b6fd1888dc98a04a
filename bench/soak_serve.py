"""The producing side of ``bench.soak_connectors``, one process per protocol: an MQTT
publisher, an asyncua OPC UA server, a pymodbus TCP server. Each serves ``--signals``
values that change ``--rate`` times a second: signal i's value at tick k (counted from
``--t0``) is ``i * TICK_BASE + k``, stamped ``t0 + k / rate``. Each tick is appended to
``--log`` ("i t_ns value" lines) before it is served, so a value the log holds may never
have reached a client (the process was killed in between), never the other way round.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import time
from collections.abc import Callable
from typing import Any

TICK_BASE = 100_000
NS = 1_000_000_000


class Ticks:
    """Tick numbers and times of a rate from t0, and the log they are written to."""

    def __init__(self, t0: int, rate: float, signals: int, log: str) -> None:
        self.t0, self.period_ns, self.signals = t0, round(NS / rate), signals
        self.log = open(log, "a", buffering=1)  # noqa: SIM115 - open for the process's life
        self.k = self.current()

    def current(self) -> int:
        return (time.time_ns() - self.t0) // self.period_ns

    def time_of(self, k: int) -> int:
        return self.t0 + k * self.period_ns

    def values(self, k: int) -> list[int]:
        return [i * TICK_BASE + k for i in range(self.signals)]

    def wait_next(self) -> tuple[int, int, list[int]]:
        """Sleep until the next tick; (k, t ns, values), logged. A producer that fell behind
        (a busy machine) skips the ticks it missed, as a device's register holds only its
        latest reading: it never serves values that another replaces at once."""
        self.k = max(self.k + 1, self.current())
        t = self.time_of(self.k)
        time.sleep(max(0.0, (t - time.time_ns()) / NS))
        return self.k, t, self.logged(self.k)

    def logged(self, k: int) -> list[int]:
        t, values = self.time_of(k), self.values(k)
        self.log.write("".join(f"{i} {t} {v}\n" for i, v in enumerate(values)))
        self.log.flush()
        return values


def serve_mqtt(port: int, ticks: Ticks) -> None:
    """Publish every tick while connected; reconnect at once when the broker is back."""
    import paho.mqtt.client as mqtt
    from paho.mqtt.enums import CallbackAPIVersion

    client = mqtt.Client(CallbackAPIVersion.VERSION2, client_id=f"soak-pub-{time.time_ns()}")
    connected = False
    while True:
        _, t, values = ticks.wait_next()
        if not connected or not client.is_connected():
            try:
                client.connect("127.0.0.1", port, keepalive=10)
                client.loop(0.05)
                connected = True
            except OSError:
                connected = False
                continue  # the broker is away: this tick's values reach no one
        for i, v in enumerate(values):
            # QoS 0: a QoS 1 message in flight when the broker dies would be sent again after
            # the restart, late, and land after the gap's NaN (see BENCHMARKS.md).
            client.publish(f"soak/s{i}", json.dumps({"v": v, "t": t}), qos=0)
        client.loop(0.01)
        client.loop(0.01)


async def serve_opcua(port: int, ticks: Ticks) -> None:
    from asyncua import Server, ua

    server = Server()
    await server.init()
    server.set_endpoint(f"opc.tcp://127.0.0.1:{port}")
    ns = await server.register_namespace("urn:twindeck:soak")
    obj = await server.nodes.objects.add_object(ns, "soak")
    k = ticks.current()
    nodes = []
    for i, v in enumerate(ticks.values(k)):
        node_id = ua.NodeId(f"soak.s{i}", ns)  # type: ignore[arg-type]
        nodes.append(await obj.add_variable(node_id, f"s{i}", float(v)))
    ticks.k = k
    await server.start()

    def stamp(t: int) -> Any:
        return dt.datetime(1970, 1, 1) + dt.timedelta(microseconds=t // 1000)

    while True:
        _, t, values = await asyncio.to_thread(ticks.wait_next)
        now: Any = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        for node, v in zip(nodes, values, strict=True):
            variant = ua.Variant(float(v), ua.VariantType.Double)
            await node.write_value(
                ua.DataValue(variant, SourceTimestamp=stamp(t), ServerTimestamp=now)
            )


async def serve_modbus(port: int, ticks: Ticks) -> None:
    from pymodbus.server import ModbusTcpServer
    from pymodbus.simulator import DataType, SimData, SimDevice

    def words(values: list[int]) -> list[int]:
        return [w for v in values for w in ((v >> 16) & 0xFFFF, v & 0xFFFF)]

    k = ticks.current()
    regs = [SimData(address=0, values=words(ticks.values(k)), datatype=DataType.REGISTERS)]
    bits = [SimData(address=0, values=[False] * 16, datatype=DataType.BITS)]
    inputs = [SimData(address=0, values=[0], datatype=DataType.REGISTERS)]
    device = SimDevice(id=1, simdata=(bits, list(bits), regs, inputs))
    server = ModbusTcpServer(device, address=("127.0.0.1", port))
    ticks.k = k
    task = asyncio.ensure_future(server.serve_forever())
    while not task.done():
        _, _, values = await asyncio.to_thread(ticks.wait_next)
        await server.context.async_setValues(1, 16, 0, words(values))


def serve(argv: list[str]) -> None:
    """Entry of a producer process: ``PROTOCOL --port P --signals N --rate R --t0 NS --log F``."""
    parser = argparse.ArgumentParser(prog="soak producer")
    parser.add_argument("protocol", choices=("mqtt", "opcua", "modbus"))
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--signals", type=int, required=True)
    parser.add_argument("--rate", type=float, required=True)
    parser.add_argument("--t0", type=int, required=True)
    parser.add_argument("--log", required=True)
    args = parser.parse_args(argv)
    ticks = Ticks(args.t0, args.rate, args.signals, args.log)
    runners: dict[str, Callable[[], None]] = {
        "mqtt": lambda: serve_mqtt(args.port, ticks),
        "opcua": lambda: asyncio.run(serve_opcua(args.port, ticks)),
        "modbus": lambda: asyncio.run(serve_modbus(args.port, ticks)),
    }
    runners[args.protocol]()
