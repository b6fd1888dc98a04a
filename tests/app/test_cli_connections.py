"""``--screenshot FILE --after N`` with a plant bound to a real Modbus server: the
connections run for N real seconds before the picture, and what they delivered is in the
picture's history."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from db import HistoryReader, open_history
from tests.app.cli import twindeck
from tests.twin.connectors.servers import LoopThread, ModbusServer

PLANT = """
[plant]
name = "Press line"
[[areas]]
id = "bay"
[[connections]]
id = "plc"
protocol = "modbus"
host = "127.0.0.1"
port = {port}
poll_interval_ms = 100
[[assets]]
id = "P01"
kind = "press"
area = "bay"
position = [0, 0, 0]
[[assets.signals]]
key = "force"
rate_hz = 10
normal = [0, 200]
source = {{ connection = "plc", register = 300 }}
"""
AFTER_S = 3.0


@pytest.fixture
def server() -> Iterator[ModbusServer]:
    loop = LoopThread("test-modbus-cli")
    srv = ModbusServer(loop, {300: 99}, inputs={0: 1})
    srv.start()
    yield srv
    srv.stop()
    loop.close()


def test_a_screenshot_of_a_connected_plant_runs_its_connections_first(
    tmp_path: Path, server: ModbusServer
) -> None:
    plant = tmp_path / "press.toml"
    plant.write_text(PLANT.format(port=server.port), encoding="utf-8")
    shot, history = tmp_path / "shot.png", tmp_path / "shot.twinhist"
    started = time.time_ns()
    result = twindeck(
        "--plant", str(plant), "--screenshot", str(shot), "--after", f"{AFTER_S:g}",
        "--db", str(history), "--size", "1200x800",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert shot.exists()
    assert "connection plc: connected" in result.stdout
    with open_history(history, read_only=True) as recorded:
        t, v = HistoryReader(recorded).read("P01.force", started, time.time_ns())
    finite = np.isfinite(v)
    assert np.all(v[finite] == 99)
    # About ten polls a second for the N seconds (less the connecting).
    assert finite.sum() >= 10 * (AFTER_S - 1)
    assert (t[finite][-1] - t[finite][0]) / 1e9 >= AFTER_S - 1
