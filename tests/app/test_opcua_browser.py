"""Browsing a real OPC UA server for variables and turning them into plant bindings."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt

from app.tools.opcua_browser import QtOpcuaBrowseDialog
from tests.plants import plant_toml
from tests.twin.connectors.servers import LoopThread, UaServer
from twin.plant.loader import parse_plant


@pytest.fixture
def ua_server() -> Iterator[UaServer]:
    loop = LoopThread("test-opcua-browse")
    server = UaServer(loop)
    server.start()
    yield server
    server.stop()
    loop.close()


def test_ticked_variables_become_bindings_the_plant_loader_accepts(qtbot, ua_server) -> None:
    dialog = QtOpcuaBrowseDialog()
    qtbot.addWidget(dialog)
    dialog.endpoint.setText(ua_server.endpoint)
    qtbot.mouseClick(dialog.browse_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.nodes.topLevelItemCount() > 0, timeout=15_000)
    first = dialog.nodes.topLevelItem(0)
    assert first is not None
    first.setCheckState(0, Qt.CheckState.Checked)
    entry = dialog.checked()[0]
    toml = dialog.toml.toPlainText()
    assert entry.node_id in toml
    ua = {
        "id": "ua",
        "protocol": "opcua",
        "host": "127.0.0.1",
        "port": ua_server.port,
        "path": ua_server.PATH,
    }
    # Motor M01 and the server: the ticked variables become its [[assets.signals]].
    plant = parse_plant(plant_toml(connections=[ua]) + toml, "picked.toml")
    (signal,) = plant.asset("M01").signals
    assert signal.source["node"] == entry.node_id


def test_variables_sharing_a_display_name_get_unique_keys(qtbot, ua_server) -> None:
    # Temp under M01, M02 and M03: ticking them all
    # must give a plant file the loader accepts, one signal per node.
    ua_server.add_variable("M02", "Temp", 21.0)
    ua_server.add_variable("M03", "Temp", 22.0)
    dialog = QtOpcuaBrowseDialog()
    qtbot.addWidget(dialog)
    dialog.endpoint.setText(ua_server.endpoint)
    qtbot.mouseClick(dialog.browse_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.nodes.topLevelItemCount() > 0, timeout=15_000)
    temps = []
    for i in range(dialog.nodes.topLevelItemCount()):
        item = dialog.nodes.topLevelItem(i)
        assert item is not None
        if item.text(0).endswith("/Temp"):
            item.setCheckState(0, Qt.CheckState.Checked)
            temps.append(item.text(1))
    assert len(temps) == 3
    ua = {"id": "ua", "protocol": "opcua", "host": "127.0.0.1", "port": ua_server.port}
    plant = parse_plant(plant_toml(connections=[ua]) + dialog.toml.toPlainText(), "picked.toml")
    signals = plant.asset("M01").signals
    assert sorted(str(s.source["node"]) for s in signals) == sorted(temps)
    assert sorted(s.key for s in signals) == ["m01_temp", "m02_temp", "m03_temp"]


def test_an_unreachable_server_is_reported_in_the_dialog(qtbot) -> None:
    dialog = QtOpcuaBrowseDialog()
    qtbot.addWidget(dialog)
    dialog.endpoint.setText("opc.tcp://127.0.0.1:1/nothing")
    qtbot.mouseClick(dialog.browse_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(dialog.browse_button.isEnabled, timeout=20_000)
    assert "127.0.0.1:1" in dialog.status.text()
    assert dialog.nodes.topLevelItemCount() == 0
