"""Modbus reconnect after an outage: a pymodbus TCP server on 127.0.0.1 polled by the
real ``ModbusSource`` (10 polls/s, the connection's default backoff) into the store is
stopped for ``--outage`` seconds and started again, ``--runs`` times. For each run, the
data gap (the longest time between two finite samples of a polled register, over the run)
against the outage (server stopped to started), and the excess of the one over the other.
Prints a line per run, then one JSON object last (``gap_excess_s_max``: must be <= 2).

    python -m bench.modbus_outage [--outage 10] [--runs 3]
"""

from __future__ import annotations

import argparse
import json
import time

import numpy as np

from tests.plants import asset, build_plant
from tests.twin.connectors.running import run_source, wait_connected
from tests.twin.connectors.servers import LoopThread, ModbusServer, wait_until
from twin.ingest.runtime import PlantRuntime
from twin.sources.connections.modbus import ModbusSource

SIGNAL = "P01.load"


def _gap_s(runtime: PlantRuntime, since_ns: int) -> float:
    t, v = runtime.store.snapshot(SIGNAL, 1_000_000)
    finite = t[np.isfinite(v) & (t >= since_ns)]
    return float(np.diff(finite).max()) / 1e9


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--outage", type=float, default=10.0, help="seconds the server is away")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    loop = LoopThread("bench-modbus-server")
    server = ModbusServer(loop, {300: 42}, inputs={0: 1})
    server.start()
    row = (
        '{ key = "load", rate_hz = 10, normal = [0, 100], '
        'source = { connection = "plc", register = 300 } }'
    )
    plc = {"id": "plc", "protocol": "modbus", "host": "127.0.0.1", "port": server.port}
    plant = build_plant(asset("P01", "press", row), connections=[plc], path="bench.toml")
    runtime, source = run_source(plant, ModbusSource)
    excess: list[float] = []
    try:
        wait_connected(source)
        for run in range(args.runs):
            wait_until(lambda: np.isfinite(runtime.store.value_at(SIGNAL, 2**62)), 10, "data")
            since = time.time_ns() - 500_000_000  # a few polls before the outage
            server.stop()
            down = time.monotonic()
            time.sleep(args.outage)  # the outage
            server.start()
            outage = time.monotonic() - down
            wait_connected(source, connects=run + 2, timeout=60)
            wait_until(lambda: np.isfinite(runtime.store.value_at(SIGNAL, 2**62)), 10, "data")
            gap = _gap_s(runtime, since)
            excess.append(gap - outage)
            print(f"run {run + 1}: outage {outage:.2f} s, data gap {gap:.2f} s, "
                  f"excess {gap - outage:.2f} s", flush=True)  # fmt: skip
    finally:
        runtime.stop()
        server.stop()
        loop.close()
    print(json.dumps({"outage_s": args.outage, "runs": args.runs,
                      "gap_excess_s_max": round(max(excess), 3)}))  # fmt: skip


if __name__ == "__main__":
    main()
