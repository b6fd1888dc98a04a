"""Ask what to export: which signals, which time range, which format, where."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from app.export.form import file_row, lay_out_dialog
from app.export.job import ExportRequest
from app.export.range_chooser import QtRangeChooser
from db.read.export import parquet_available
from twin.plant.model import Plant


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
        self.range = QtRangeChooser(recorded)
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
        form = QFormLayout()
        form.addRow(self.tr("Signals"), signals)
        form.addRow(self.tr("Time range"), self.range)
        form.addRow(self.tr("Format"), self.format)
        form.addRow(self.tr("File"), file_row(self.path, browse))
        lay_out_dialog(self, form)

    def request(self) -> ExportRequest:
        """What the dialog's fields describe."""
        if self.selected_only.isChecked() and self.asset_id:
            signal_ids = tuple(s.id for s in self.plant.asset(self.asset_id).signals)
        else:
            signal_ids = tuple(s.id for s in self.plant.signals)
        t0, t1 = self.range.range_ns()
        fmt = self.format.currentData()
        return ExportRequest(self.history, signal_ids, t0, t1, Path(self.path.text()), fmt)

    def _on_format(self) -> None:
        suffix = ".parquet" if self.format.currentData() == "parquet" else ".csv"
        self.path.setText(str(Path(self.path.text()).with_suffix(suffix)))

    def _browse(self) -> None:
        name, _ = QFileDialog.getSaveFileName(self, self.tr("Export to"), self.path.text())
        if name:
            self.path.setText(name)
