"""Training > Trainee history: every trainee's sessions (date, scenario, score, passed,
time to detect and to acknowledge) from the training results, filtered by trainee, and
exported as CSV."""

from __future__ import annotations

import math
from pathlib import Path

from PySide6.QtCore import QDateTime, Qt, QTimeZone
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.paths import training_records_path
from app.training.marking import HistoryMarking
from db.errors import HistoryError
from db.training import SessionRecord, TrainingRecords


def default_records_path() -> Path:
    """The training results in the user's data folder: where trainee mode saves them."""
    return training_records_path()


def _seconds(value: float) -> str:
    return "" if math.isnan(value) else f"{value:.1f}"


class QtTraineeHistory(QDialog):
    """The sessions in ``records``, newest first, one trainee's or everyone's."""

    def __init__(self, records: TrainingRecords, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.records = records
        self.setObjectName("trainee_history")
        self.setWindowTitle(self.tr("Trainee history"))
        self.trainee_combo = QComboBox()
        self.table = QTableWidget(0, 7)
        self.table.setHorizontalHeaderLabels([
            self.tr("Trainee"), self.tr("Date"), self.tr("Scenario"), self.tr("Score"),
            self.tr("Passed"), self.tr("Time to detect (s)"), self.tr("Time to acknowledge (s)"),
        ])  # fmt: skip
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.summary = QLabel()
        self.export_button = QPushButton(self.tr("Export CSV…"))
        self.export_button.clicked.connect(self.ask_export)
        close = QPushButton(self.tr("Close"))
        close.clicked.connect(self.accept)
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Trainee:")))
        top.addWidget(self.trainee_combo, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.summary, 1)
        bottom.addWidget(self.export_button)
        bottom.addWidget(close)
        self.marking = HistoryMarking(
            records, self.table, self.show_sessions, self.summary.setText, self
        )
        self.marking.add_to(bottom)
        column = QVBoxLayout(self)
        column.addLayout(top)
        column.addWidget(self.table, 1)
        column.addLayout(bottom)
        self.resize(900, 480)
        self.reload()
        self.trainee_combo.currentIndexChanged.connect(self.show_sessions)

    @property
    def trainee(self) -> str | None:
        """The trainee shown (None: everyone)."""
        data = self.trainee_combo.currentData()
        return str(data) if data else None

    def reload(self) -> None:
        """Read the trainees again (keeping the one shown) and show their sessions."""
        shown = self.trainee
        self.trainee_combo.blockSignals(True)
        self.trainee_combo.clear()
        self.trainee_combo.addItem(self.tr("All trainees"), "")
        try:
            names = self.records.trainees()
        except HistoryError as exc:
            names = []
            self.summary.setText(str(exc))
        for name in names:
            self.trainee_combo.addItem(name, name)
        self.trainee_combo.setCurrentIndex(max(0, self.trainee_combo.findData(shown or "")))
        self.trainee_combo.blockSignals(False)
        self.show_sessions()

    def show_sessions(self) -> None:
        try:
            sessions = self.records.sessions(self.trainee)
        except HistoryError as exc:
            self.summary.setText(str(exc))
            return
        rows = list(reversed(sessions))  # newest first
        self.marking.count(rows)
        self.table.setRowCount(len(rows))
        for row, record in enumerate(rows):
            for col, text in enumerate(self._cells(record)):
                item = QTableWidgetItem(text)
                if col >= 3:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                self.table.setItem(row, col, item)
        self.table.resizeColumnsToContents()
        passed = sum(r.passed for r in sessions)
        self.summary.setText(
            self.tr("%s session(s), %s passed") % (len(sessions), passed) if sessions else
            self.tr("No training sessions recorded yet.")
        )  # fmt: skip

    def _cells(self, r: SessionRecord) -> list[str]:
        when = QDateTime.fromMSecsSinceEpoch(r.started_ns // 1_000_000, QTimeZone.systemTimeZone())
        return [
            r.trainee,
            when.toString("yyyy-MM-dd HH:mm"),
            r.scenario,
            self.marking.score_text(r, f"{r.points:g} / {r.max_points:g} ({r.percent:.0f} %)"),
            self.tr("yes") if r.passed else self.tr("no"),
            _seconds(r.time_to_detect_s),
            _seconds(r.time_to_acknowledge_s),
        ]

    def ask_export(self) -> Path | None:
        dialog = QFileDialog(self, self.tr("Export CSV"), "training-results.csv", "CSV (*.csv)")
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setDefaultSuffix("csv")
        if not dialog.exec() or not dialog.selectedFiles():
            return None
        return self.export(Path(dialog.selectedFiles()[0]))

    def export(self, path: Path) -> Path | None:
        """The sessions shown (one trainee's or all) as CSV at ``path``."""
        try:
            count = self.records.export_csv(path, self.trainee)
        except (OSError, HistoryError) as exc:
            QMessageBox.warning(self, self.tr("Export CSV"), str(exc))
            return None
        self.summary.setText(self.tr("%s session(s) written to %s") % (count, path))
        return path
