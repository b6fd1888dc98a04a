"""File > Export maintenance list: the snapshot at the cursor, worst first, to a CSV file."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from app.fleet.csv_export import write_maintenance_csv
from twin.condition.snapshot import FleetHealth
from twin.plant.model import Plant


def ask_and_export_maintenance(parent: QWidget, plant: Plant, health: FleetHealth | None) -> None:
    """Ask where, then write ``health`` as the maintenance list; say why when it cannot."""
    title = QCoreApplication.translate("QtMainWindow", "Export maintenance list")
    if health is None:
        QMessageBox.information(
            parent,
            title,
            QCoreApplication.translate(
                "QtMainWindow", "There is no fleet health at the cursor yet."
            ),
        )
        return
    path, _ = QFileDialog.getSaveFileName(
        parent,
        title,
        "maintenance.csv",
        QCoreApplication.translate("QtMainWindow", "CSV files (*.csv)"),
    )
    if not path:
        return
    try:
        write_maintenance_csv(health, plant, path)
    except OSError as exc:
        QMessageBox.warning(
            parent,
            title,
            QCoreApplication.translate("QtMainWindow", "Could not write %s: %s") % (path, exc),
        )
