"""File > Shift report…: pick the day, the shift of the plant file and the format; the
dialog says what the recording holds of that shift before anything is read."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from app.export.form import file_row, lay_out_dialog
from app.shift import words
from twin.kpi.shift import EDGE_SLACK_NS, ShiftWindow, day_of, default_window, shift_on
from twin.plant.model import Plant

FORMATS = (("PDF", ".pdf"), ("CSV", ".csv"))


class QtShiftReportDialog(QDialog):
    """The shift to report on (default: the last finished one with data at ``at_ns``,
    else the one under way), the format and the file. ``recorded``: the history's
    (first, last) sample times."""

    def __init__(
        self,
        plant: Plant,
        recorded: tuple[int, int],
        at_ns: int,
        folder: Path | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Shift report"))
        self.plant, self.recorded = plant, recorded
        self.folder = folder if folder is not None else Path.home()
        first = day_of(recorded[0]) - dt.timedelta(days=1)  # a night shift into the recording
        self.day = QDateEdit()
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("yyyy-MM-dd")
        self.day.setDateRange(_qdate(first), _qdate(day_of(recorded[1])))
        self.shift = QComboBox()
        for s in plant.shifts:
            self.shift.addItem(words.shift_name(s), s.id)
        self.format = QComboBox()
        for name, suffix in FORMATS:
            self.format.addItem(name, suffix)
        self.coverage = QLabel()
        self.coverage.setWordWrap(True)
        self.path = QLineEdit()
        self._named_by_hand = False
        self.path.textEdited.connect(self._edited)
        browse = QPushButton(self.tr("Browse…"))
        browse.clicked.connect(self._browse)
        form = QFormLayout()
        form.addRow(self.tr("Day (UTC)"), self.day)
        form.addRow(self.tr("Shift"), self.shift)
        form.addRow("", self.coverage)
        form.addRow(self.tr("Format"), self.format)
        form.addRow(self.tr("File"), file_row(self.path, browse))
        lay_out_dialog(self, form)
        buttons = self.findChild(QDialogButtonBox)
        assert buttons is not None
        self._ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        default = default_window(plant, at_ns, recorded)
        if default is not None:
            self.day.setDate(_qdate(default.day))
            self.shift.setCurrentIndex(max(self.shift.findData(default.shift.id), 0))
        for changed in (self.day.dateChanged, self.shift.currentIndexChanged):
            changed.connect(self._update)
        self.format.currentIndexChanged.connect(self._update)
        self._update()

    def chosen(self) -> ShiftWindow:
        """The occurrence of the shift chosen."""
        shift = self.plant.shifts[self.shift.currentIndex()]
        return shift_on(shift, self.day.date().toPython())  # type: ignore[arg-type]

    def target(self) -> Path:
        """The file to write, with the chosen format's suffix."""
        suffix = str(self.format.currentData())
        path = Path(self.path.text()).expanduser()
        return path if path.suffix.lower() == suffix else path.with_suffix(suffix)

    def _update(self) -> None:
        w = self.chosen()
        lo, hi = max(w.start_ns, self.recorded[0]), min(w.end_ns, self.recorded[1])
        text = words.span(w)
        has_data = hi > lo
        if not has_data:
            text += " · " + self.tr("nothing recorded in this shift")
        else:
            text += " · " + self.tr("recorded %1–%2").replace("%1", words.clock(lo, w.day)).replace(
                "%2", words.clock(hi, w.day)
            )
            if lo > w.start_ns + EDGE_SLACK_NS or hi < w.end_ns - EDGE_SLACK_NS:
                text += " · " + self.tr("incomplete")
        self.coverage.setText(text)
        self._ok.setEnabled(has_data and self.shift.count() > 0)
        if not self._named_by_hand:
            name = f"shift-{w.day.isoformat()}-{w.shift.id}{self.format.currentData()}"
            self.path.setText(str(self.folder / name))
        else:
            self.path.setText(str(self.target()))

    def _edited(self, _text: str) -> None:
        self._named_by_hand = True

    def _browse(self) -> None:
        name, _ = QFileDialog.getSaveFileName(
            self,
            self.tr("Shift report"),
            self.path.text(),
            self.tr("PDF (*.pdf);;CSV (*.csv)"),
        )
        if name:
            self._named_by_hand = True
            self.path.setText(name)
            suffix = Path(name).suffix.lower()
            index = self.format.findData(suffix)
            if index >= 0:
                self.format.setCurrentIndex(index)


def _qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)
