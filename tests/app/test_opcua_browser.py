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


def test_an_unreachable_server_is_reported_in_the_dialog(qtbot) -> None:
    dialog = QtOpcuaBrowseDialog()
    qtbot.addWidget(dialog)
    dialog.endpoint.setText("opc.tcp://127.0.0.1:1/nothing")
    qtbot.mouseClick(dialog.browse_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(dialog.browse_button.isEnabled, timeout=20_000)
    assert "127.0.0.1:1" in dialog.status.text()
    assert dialog.nodes.topLevelItemCount() == 0
