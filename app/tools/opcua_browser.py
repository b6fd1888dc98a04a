"""Browse an OPC UA server and turn the chosen variables into plant-file bindings."""

from __future__ import annotations

import re
import threading
from collections.abc import Sequence

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from twin.sources.connections.opcua_browse import BrowseEntry, browse

NODE_ROLE = Qt.ItemDataRole.UserRole


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]+", "_", text).strip("_").lower()


def binding_keys(entries: Sequence[BrowseEntry]) -> list[str]:
    """A signal key per entry, unique among them: the display name, and where two share
    it (Temp under M01 and under M02), the parent's name before it; where that is shared
    too, the node id (unique on a server). The plant file refuses duplicate keys."""

    def parent(entry: BrowseEntry) -> str:
        parts = [p for p in entry.path.split("/") if p]
        return _slug(parts[-2]) if len(parts) >= 2 else ""

    def unique(keys: list[str], better: list[str]) -> list[str]:
        counts: dict[str, int] = {}
        for key in keys:
            counts[key] = counts.get(key, 0) + 1
        return [b if counts[k] > 1 else k for k, b in zip(keys, better, strict=True)]

    keys = [_slug(e.display_name) or "value" for e in entries]
    keys = unique(keys, [f"{parent(e)}_{k}".strip("_") for e, k in zip(entries, keys, strict=True)])
    keys = unique(keys, [f"{k}_{_slug(e.node_id)}" for e, k in zip(entries, keys, strict=True)])
    seen: set[str] = set()  # the same node ticked twice: number the repeats
    out = []
    for key in keys:
        candidate, n = key, 2
        while candidate in seen:
            candidate, n = f"{key}_{n}", n + 1
        seen.add(candidate)
        out.append(candidate)
    return out


def bindings_toml(entries: Sequence[BrowseEntry], connection_id: str, rate_hz: float) -> str:
    """``[[assets.signals]]`` tables binding each variable to ``connection_id``, with
    keys unique among them (`binding_keys`)."""
    blocks = []
    for entry, key in zip(entries, binding_keys(entries), strict=True):
        blocks.append(
            "[[assets.signals]]\n"
            f'key = "{key}"\n'
            f'name = "{entry.display_name}"\n'
            f"rate_hz = {rate_hz:g}\n"
            "normal = [0, 100]  # set the expected range\n"
            f'source = {{ connection = "{connection_id}", node = "{entry.node_id}" }}\n'
        )
    return "\n".join(blocks)


class _Browser(QObject):
    """Runs the blocking browse off the GUI thread; the result arrives as a signal."""

    done = Signal(object, str)  # list[BrowseEntry], error message

    def start(self, endpoint: str) -> None:
        threading.Thread(
            target=self._run, args=(endpoint,), daemon=True, name="twindeck-opcua-browse"
        ).start()

    def _run(self, endpoint: str) -> None:
        try:
            self.done.emit(browse(endpoint), "")
        except (ConnectionError, OSError, ValueError) as exc:
            self.done.emit([], str(exc))


class QtOpcuaBrowseDialog(QDialog):
    """Endpoint → variables → tick the ones wanted → TOML to paste into the plant file."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Browse an OPC UA server"))
        self.resize(760, 560)
        self.endpoint = QLineEdit("opc.tcp://127.0.0.1:4840")
        self.connection_id = QLineEdit("ua")
        self.rate = QSpinBox()
        self.rate.setRange(1, 1000)
        self.rate.setValue(1)
        self.rate.setSuffix(" Hz")
        self.browse_button = QPushButton(self.tr("Browse"))
        self.status = QLabel(self.tr("Enter the server's endpoint and press Browse."))
        self.nodes = QTreeWidget()
        self.nodes.setHeaderLabels([self.tr("Variable"), self.tr("Node id"), self.tr("Type")])
        self.nodes.setColumnWidth(0, 300)
        self.toml = QPlainTextEdit()
        self.toml.setReadOnly(True)
        copy = QPushButton(self.tr("Copy TOML"))
        copy.clicked.connect(lambda: QGuiApplication.clipboard().setText(self.toml.toPlainText()))
        self._browser = _Browser(self)
        self._browser.done.connect(self._show)
        self.browse_button.clicked.connect(self._start)
        self.nodes.itemChanged.connect(self._update_toml)
        self.connection_id.textChanged.connect(self._update_toml)
        self.rate.valueChanged.connect(self._update_toml)
        top = QHBoxLayout()
        for widget in (
            QLabel(self.tr("Endpoint")),
            self.endpoint,
            QLabel(self.tr("Connection id")),
            self.connection_id,
            self.rate,
            self.browse_button,
        ):
            top.addWidget(widget)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.status)
        layout.addWidget(self.nodes, 3)
        layout.addWidget(QLabel(self.tr("Bindings for the ticked variables:")))
        layout.addWidget(self.toml, 2)
        layout.addWidget(copy, 0, Qt.AlignmentFlag.AlignRight)

    def _start(self) -> None:
        self.browse_button.setEnabled(False)
        self.status.setText(self.tr("Browsing %s…") % self.endpoint.text())
        self._browser.start(self.endpoint.text().strip())

    def _show(self, entries: list[BrowseEntry], error: str) -> None:
        self.browse_button.setEnabled(True)
        self.nodes.clear()
        if error:
            self.status.setText(error)
            return
        self.status.setText(
            self.tr("%n variable(s) found; tick the ones to bind.", "", len(entries))
        )
        for entry in entries:
            item = QTreeWidgetItem(self.nodes, [entry.path, entry.node_id, entry.data_type])
            item.setData(0, NODE_ROLE, entry)
            item.setCheckState(0, Qt.CheckState.Unchecked)

    def checked(self) -> list[BrowseEntry]:
        items = (self.nodes.topLevelItem(i) for i in range(self.nodes.topLevelItemCount()))
        return [
            item.data(0, NODE_ROLE)
            for item in items
            if item is not None and item.checkState(0) == Qt.CheckState.Checked
        ]

    def _update_toml(self) -> None:
        conn = self.connection_id.text().strip() or "ua"
        self.toml.setPlainText(bindings_toml(self.checked(), conn, self.rate.value()))
