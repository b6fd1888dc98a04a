"""Ask what to export: which signals, which time range, which format, where."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QDateTime
from PySide6.QtWidgets import (
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from app.export.job import ExportRequest
from db.export import parquet_available
from twin.plant.model import Plant
from twin.timebase import NS_PER_S

RANGES_S = (("Last 10 minutes", 600), ("Last hour", 3600), ("Whole recording", None))


class QtExportDialog(QDialog):
    """Builds an :class:`ExportRequest` for recorded data of ``plant``."""

    def __init__(
        self,
        plant: Plant,
        history: str,
        recorded: tuple[int, int],
        asset_id: str | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Export recorded data"))
        self.plant, self.history, self.recorded, self.asset_id = plant, history, recorded, asset_id
        self.selected_only = QRadioButton(self.tr("Signals of %s") % (asset_id or "—"))
        self.all_signals = QRadioButton(self.tr("All %n signals", "", len(plant.signals)))
        (self.selected_only if asset_id else self.all_signals).setChecked(True)
        self.selected_only.setEnabled(asset_id is not None)
        self.range = QComboBox()
        for label, seconds in RANGES_S:
            self.range.addItem(self.tr(label), seconds)
        self.range.addItem(self.tr("From … to …"), "custom")
        self.start, self.end = QDateTimeEdit(), QDateTimeEdit()
        for edit, ns in ((self.start, recorded[0]), (self.end, recorded[1])):
            edit.setDisplayFormat("yyyy-MM-dd HH:mm:ss")
            edit.setDateTime(QDateTime.fromMSecsSinceEpoch(ns // 1_000_000))
            edit.setEnabled(False)
        self.range.currentIndexChanged.connect(self._on_range)
        self.format = QComboBox()
        self.format.addItem("CSV", "csv")
        if parquet_available():
            self.format.addItem("Parquet", "parquet")
        self.format.currentIndexChanged.connect(self._on_format)
        self.path = QLineEdit(str(Path.home() / "twindeck-export.csv"))
        browse = QPushButton(self.tr("Browse…"))
        browse.clicked.connect(self._browse)
        self._build_layout(browse)

    def _build_layout(self, browse: QPushButton) -> None:
        signals = QVBoxLayout()
        signals.addWidget(self.selected_only)
        signals.addWidget(self.all_signals)
        custom = QHBoxLayout()
        custom.addWidget(self.start)
        custom.addWidget(self.end)
        where = QHBoxLayout()
        where.addWidget(self.path, 1)
        where.addWidget(browse)
        form = QFormLayout()
        form.addRow(self.tr("Signals"), signals)
        form.addRow(self.tr("Time range"), self.range)
        form.addRow("", custom)
        form.addRow(self.tr("Format"), self.format)
        form.addRow(self.tr("File"), where)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def request(self) -> ExportRequest:
        """What the dialog's fields describe."""
        if self.selected_only.isChecked() and self.asset_id:
            signal_ids = tuple(s.id for s in self.plant.asset(self.asset_id).signals)
        else:
            signal_ids = tuple(s.id for s in self.plant.signals)
        first, last = self.recorded
        choice = self.range.currentData()
        if choice == "custom":
            t0 = self.start.dateTime().toMSecsSinceEpoch() * 1_000_000
            t1 = self.end.dateTime().toMSecsSinceEpoch() * 1_000_000
        elif choice is None:
            t0, t1 = first, last
        else:
            t0, t1 = max(first, last - int(choice) * NS_PER_S), last
        return ExportRequest(
            self.history, signal_ids, t0, t1 + 1, Path(self.path.text()), self.format.currentData()
        )

    def _on_range(self) -> None:
        custom = self.range.currentData() == "custom"
        self.start.setEnabled(custom)
        self.end.setEnabled(custom)

    def _on_format(self) -> None:
        suffix = ".parquet" if self.format.currentData() == "parquet" else ".csv"
        self.path.setText(str(Path(self.path.text()).with_suffix(suffix)))

    def _browse(self) -> None:
        name, _ = QFileDialog.getSaveFileName(self, self.tr("Export to"), self.path.text())
        if name:
            self.path.setText(name)
