"""The trainer marks free-text answers: the Mark answers dialog, and its places in the
trainee history (with Save report… for a session) and in the debrief after a session.

``QtMarkAnswers`` lists a session's free-text questions with the trainee's answer, a
points box (0 to the question's points; below 0 reads "not marked") and a comment;
Save keeps the marks through ``db.training_marks.TrainingMarks``, which scores the
session again, and emits the session as now kept.
"""

from __future__ import annotations

import datetime as dt
import getpass
from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, Signal
from PySide6.QtWidgets import (
    QBoxLayout,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from app.training.panel import QtTrainingPanel
from app.training.report import ReportInputs, write_report
from db.errors import HistoryError
from db.training import SessionRecord, TrainingRecords
from db.training_marks import FreeAnswer, Mark, MarkError, TrainingMarks, rescore, scenario_of
from db.training_marks import to_mark as count_to_mark
from twin.training.scenario_file import ScenarioError

NOT_MARKED = -1.0  # the points box's value for "not marked yet"
PROBLEMS = (MarkError, ScenarioError, HistoryError, OSError)


class QtMarkAnswers(QDialog):
    """Mark ``answers`` (``record``'s free-text answers) in ``records``."""

    marked = Signal(object)  # the SessionRecord as kept after marking

    def __init__(
        self,
        records: TrainingRecords,
        record: SessionRecord,
        answers: Sequence[FreeAnswer],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("mark_answers")
        self.setWindowTitle(QCoreApplication.translate("Marking", "Mark answers"))
        self.marks, self.record, self.answers = TrainingMarks(records), record, list(answers)
        self.points: dict[str, QDoubleSpinBox] = {}
        self.comments: dict[str, QLineEdit] = {}
        self.marker = QLineEdit(getpass.getuser())
        self.marker.setObjectName("marked_by")
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText(
            QCoreApplication.translate("Marking", "Save marks")
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(
            QCoreApplication.translate("Marking", "Cancel")
        )
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self._layout()
        self.resize(600, 480)

    @property
    def save_button(self) -> QPushButton:
        return self.buttons.button(QDialogButtonBox.StandardButton.Save)

    def _layout(self) -> None:
        column = QVBoxLayout(self)
        column.addWidget(QLabel(f"<b>{self.record.trainee}</b> · {self.record.scenario}"))
        inner = QWidget()
        boxes = QVBoxLayout(inner)
        for a in self.answers:
            boxes.addWidget(self._answer_box(a))
        boxes.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(inner)
        column.addWidget(scroll, 1)
        who = QFormLayout()
        who.addRow(QCoreApplication.translate("Marking", "Marked by:"), self.marker)
        column.addLayout(who)
        column.addWidget(self.message)
        column.addWidget(self.buttons)

    def _answer_box(self, a: FreeAnswer) -> QGroupBox:
        box = QGroupBox(a.question)
        form = QFormLayout(box)
        text = QLabel(a.text)
        text.setWordWrap(True)
        text.setObjectName(f"answer_{a.step_id}")
        spin = QDoubleSpinBox()
        spin.setObjectName(f"points_{a.step_id}")
        spin.setDecimals(1)
        spin.setRange(NOT_MARKED, a.max_points)
        spin.setSpecialValueText(
            QCoreApplication.translate("Marking", "not marked")
        )  # shown at the minimum
        spin.setSuffix(
            QCoreApplication.translate("Marking", " / %1 points").replace("%1", f"{a.max_points:g}")
        )
        spin.setValue(NOT_MARKED if a.points is None else a.points)
        comment = QLineEdit(a.comment)
        comment.setObjectName(f"comment_{a.step_id}")
        comment.setPlaceholderText(
            QCoreApplication.translate("Marking", "Optional comment for the trainee")
        )
        form.addRow(QCoreApplication.translate("Marking", "Answer:"), text)
        form.addRow(QCoreApplication.translate("Marking", "Points:"), spin)
        form.addRow(QCoreApplication.translate("Marking", "Comment:"), comment)
        self.points[a.step_id], self.comments[a.step_id] = spin, comment
        return box

    def changed_marks(self) -> dict[str, Mark]:
        """The marks given or changed here (an answer left "not marked" stays so)."""
        out: dict[str, Mark] = {}
        for a in self.answers:
            points = self.points[a.step_id].value()
            comment = self.comments[a.step_id].text().strip()
            if points <= NOT_MARKED:
                continue
            if (points, comment) != (a.points, a.comment):
                out[a.step_id] = Mark(points, comment)
        return out

    def save(self) -> None:
        """Keep the marks, score the session again; stays open with the reason on failure."""
        marks = self.changed_marks()
        marker = self.marker.text().strip()
        if not marker:
            self.message.setText(
                QCoreApplication.translate("Marking", "Say who marks the answers.")
            )
            return
        if not marks:
            self.accept()
            return
        try:
            self.record = self.marks.mark(self.record, marks, marker)
        except PROBLEMS as exc:
            self.message.setText(str(exc))
            return
        self.marked.emit(self.record)
        self.accept()


def open_marking(
    records: TrainingRecords, record: SessionRecord, parent: QWidget | None
) -> QtMarkAnswers | str:
    """The Mark answers dialog on ``record``, opened (window-modal); the reason when it
    cannot be (no free-text answer, the scenario unreadable)."""
    try:
        answers = TrainingMarks(records).answers_to_mark(record)
    except PROBLEMS as exc:
        return str(exc)
    if not answers:
        return QCoreApplication.translate(
            "Marking", "This session has no free-text answer to mark."
        )
    dialog = QtMarkAnswers(records, record, answers, parent)
    dialog.open()
    return dialog


def report_inputs(records: TrainingRecords, record: SessionRecord) -> ReportInputs:
    """The report of a kept session: its scenario, its score with the marks, the marks."""
    scenario = scenario_of(record)
    answers = tuple(TrainingMarks(records).answers_to_mark(record))
    marks = {a.step_id: a.points for a in answers if a.points is not None}
    started = dt.datetime.fromtimestamp(record.started_ns / 1e9)
    return ReportInputs(
        scenario, record.trainee, rescore(record, scenario, marks), started, answers
    )


class HistoryMarking(QObject):
    """Mark answers… and Save report… for the session selected in a trainee history's
    ``table`` (its rows the sessions given to ``count``); ``refresh`` shows the sessions
    again, ``tell`` shows a message."""

    def __init__(
        self,
        records: TrainingRecords,
        table: QTableWidget,
        refresh: Callable[[], None],
        tell: Callable[[str], None],
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self.records, self.table, self.refresh, self.tell = records, table, refresh, tell
        self.shown: list[SessionRecord] = []  # the table's rows
        self.to_mark: dict[int, int] = {}  # session id -> answers waiting for a mark
        self.mark_button = QPushButton(QCoreApplication.translate("Marking", "Mark answers…"))
        self.mark_button.setObjectName("mark_answers_button")
        self.mark_button.clicked.connect(self.ask_mark)
        self.report_button = QPushButton(QCoreApplication.translate("Marking", "Save report…"))
        self.report_button.setObjectName("history_report_button")
        self.report_button.clicked.connect(self.ask_report)
        table.itemSelectionChanged.connect(self.update_buttons)
        self.update_buttons()

    def add_to(self, row: QBoxLayout) -> None:
        """Put the buttons in the history's button row, after its summary."""
        row.insertWidget(1, self.mark_button)
        row.insertWidget(2, self.report_button)

    def count(self, shown: Sequence[SessionRecord]) -> None:
        """The table now shows ``shown``: note how many answers of each wait for a mark."""
        self.shown = list(shown)
        try:
            kept = TrainingMarks(self.records).all_answers([r.id for r in shown])
        except HistoryError:
            kept = {}
        self.to_mark = {r.id: count_to_mark(r, kept.get(r.id, [])) for r in shown}

    def score_text(self, record: SessionRecord, score: str) -> str:
        """``score`` as the history shows it: "to mark" while answers wait."""
        if not self.to_mark.get(record.id):
            return score
        return score + ", " + QCoreApplication.translate("Marking", "to mark")

    def selected(self) -> SessionRecord | None:
        rows = {i.row() for i in self.table.selectionModel().selectedRows()}
        return self.shown[min(rows)] if rows and min(rows) < len(self.shown) else None

    def update_buttons(self) -> None:
        record = self.selected()
        self.mark_button.setEnabled(record is not None)
        self.report_button.setEnabled(record is not None)

    def ask_mark(self) -> QtMarkAnswers | None:
        """Open Mark answers on the selected session; the history shows the new score."""
        record = self.selected()
        if record is None:
            return None
        opened = open_marking(self.records, record, self.table.window())
        if isinstance(opened, str):
            self.tell(opened)
            return None
        opened.marked.connect(lambda r: self._after_marking(r.id))
        return opened

    def _after_marking(self, session_id: int) -> None:
        self.refresh()
        row = next((i for i, r in enumerate(self.shown) if r.id == session_id), None)
        if row is not None:
            self.table.selectRow(row)

    def ask_report(self) -> Path | None:
        record = self.selected()
        if record is None:
            return None
        dialog = QFileDialog(
            self.table.window(),
            QCoreApplication.translate("Marking", "Save report"),
            f"{record.trainee} - {record.scenario}.pdf",
            QCoreApplication.translate("Marking", "PDF (*.pdf);;HTML (*.html)"),
        )
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setDefaultSuffix("pdf")
        if not dialog.exec() or not dialog.selectedFiles():
            return None
        return self.save_report(record, Path(dialog.selectedFiles()[0]))

    def save_report(self, record: SessionRecord, path: Path) -> Path | None:
        """``record``'s report with its marks at ``path`` (PDF for .pdf, else HTML)."""
        try:
            out = write_report(report_inputs(self.records, record), path)
        except PROBLEMS as exc:
            self.tell(str(exc))
            return None
        self.tell(QCoreApplication.translate("Marking", "Report saved: %1").replace("%1", str(out)))
        return out


def offer_debrief_marking(
    panel: QtTrainingPanel,
    records: TrainingRecords,
    session_id: int,
    on_answers: Callable[[list[FreeAnswer]], None],
) -> QPushButton | None:
    """A Mark answers… button in the debrief ``panel`` when the session just saved as
    ``session_id`` has free-text answers; ``on_answers`` gets them as kept, at once and
    again after each marking."""
    marks = TrainingMarks(records)
    try:
        kept = marks.answers(session_id)
    except HistoryError:
        return None
    if not kept:
        return None
    button = QPushButton(QCoreApplication.translate("Marking", "Mark answers…"))
    button.setObjectName("debrief_mark_button")
    layout = panel.layout()
    assert isinstance(layout, QBoxLayout)
    layout.insertWidget(layout.indexOf(panel.save_button), button)
    button.show()  # a child added to a shown panel is shown only on the next event loop

    def open_it() -> None:
        record = next((r for r in records.sessions() if r.id == session_id), None)
        if record is None:  # the results file was changed under the window
            panel.show_message(QCoreApplication.translate("Marking", "Not found."))
            return
        opened = open_marking(records, record, panel.window())
        if isinstance(opened, str):
            panel.show_message(opened)
        else:
            opened.marked.connect(lambda _r: on_answers(marks.answers(session_id)))

    button.clicked.connect(open_it)
    on_answers(kept)
    return button
