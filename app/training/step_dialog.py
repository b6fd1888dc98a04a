"""The dialog that writes one step of a scenario: the instruction, a question (multiple
choice, click the asset, which alarm first, the value of a signal now, free text), its
points and hints, and the actions expected of the trainee with their time limits.

What it is given (``StepContext``) comes from the replay at the cursor: the selected
asset, the alarms raised so far, a signal's value now. OK is refused, with the reason
under the form, while the step could not be saved (an answer that is not an option, a
step after the end of the scenario...).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QStackedWidget,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from app.training.expectations import QtExpectationTable, Refused, number_text
from twin.plant import fields as F
from twin.plant.fields import FieldError
from twin.plant.model import Plant
from twin.training.model import Hint, Question, QuestionKind, Step, Trigger

PROBLEM_STYLE = "color: #ff7b72;"


@dataclass(frozen=True)
class StepContext:
    """What the dialog offers and checks against: the plant, the step's time and the
    scenario's length (scenario seconds), the ids other steps have, the alarms raised in
    the replay (first raised first) and the last one raised before the step, the selected
    asset, and a signal's value at the step's time (None: no value)."""

    plant: Plant
    at_s: float
    end_s: float
    new_id: str
    taken_ids: frozenset[str] = frozenset()
    alarms: Sequence[str] = ()
    recent_alarm: str | None = None
    asset: str | None = None
    value_at: Callable[[str], float | None] = field(default=lambda _sid: None)


class QtStepDialog(QDialog):
    """Write or change one step; ``step()`` is the result once accepted."""

    def __init__(
        self, context: StepContext, step: Step | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.context = context
        self.original = step
        self.setObjectName("step_dialog")
        self.setWindowTitle(self.tr("Edit step") if step else self.tr("Add step"))
        self._build()
        self._fill(step)
        self.resize(720, 760)

    # ------------------------------------------------------------------ layout
    def _build(self) -> None:
        form = QFormLayout()
        self.id_edit = QLineEdit()
        self.time_edit = QLineEdit()
        self.time_edit.setToolTip(self.tr("Seconds from the scenario's start, or 90s, 1.5m"))
        self.pause_box = QCheckBox(self.tr("Pause the replay while the step is open"))
        self.text_edit = QPlainTextEdit()
        self.text_edit.setPlaceholderText(self.tr("What the trainee reads"))
        self.text_edit.setMaximumHeight(70)
        self.kind_combo = QComboBox()
        for label, kind in self._kinds():
            self.kind_combo.addItem(label, kind)
        self.prompt_edit = QLineEdit()
        self.points_spin = QDoubleSpinBox()
        self.points_spin.setDecimals(1)
        self.points_spin.setRange(0, 1000)
        self.points_spin.setValue(10)
        form.addRow(self.tr("Step id:"), self.id_edit)
        form.addRow(self.tr("Time (s):"), self.time_edit)
        form.addRow("", self.pause_box)
        form.addRow(self.tr("Instruction:"), self.text_edit)
        form.addRow(self.tr("Question:"), self.kind_combo)
        form.addRow(self.tr("Prompt:"), self.prompt_edit)
        form.addRow(self.tr("Points:"), self.points_spin)
        self.pages = QStackedWidget()
        for page in self._pages():
            self.pages.addWidget(page)
        self.kind_combo.currentIndexChanged.connect(self._kind_changed)
        self.problem_label = QLabel()
        self.problem_label.setObjectName("step_problem")
        self.problem_label.setStyleSheet(PROBLEM_STYLE)
        self.problem_label.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        column = QVBoxLayout(self)
        column.addLayout(form)
        column.addWidget(self.pages)
        column.addWidget(QLabel(self.tr("Hints (each costs points when used):")))
        column.addWidget(self._hints_box())
        column.addWidget(QLabel(self.tr("Expected actions:")))
        targets = [*self.context.alarms, *(a.id for a in self.context.plant.assets)]
        self.expectations = QtExpectationTable(
            targets, self.context.recent_alarm, self.context.asset
        )
        column.addWidget(self.expectations, 1)
        column.addWidget(self.problem_label)
        column.addWidget(self.buttons)

    def _kinds(self) -> list[tuple[str, str]]:
        return [
            (self.tr("None: an instruction only"), ""),
            (self.tr("Multiple choice"), QuestionKind.CHOICE.value),
            (self.tr("Click the asset"), QuestionKind.ASSET.value),
            (self.tr("Which alarm first"), QuestionKind.FIRST_ALARM.value),
            (self.tr("Value of a signal now"), QuestionKind.VALUE.value),
            (self.tr("Free text (marked by the trainer)"), QuestionKind.TEXT.value),
        ]

    def _pages(self) -> list[QWidget]:
        ctx = self.context
        none, choice, asset, alarm, value, text = (QWidget() for _ in range(6))
        self.options_edit = QPlainTextEdit()
        self.options_edit.setPlaceholderText(self.tr("One option per line"))
        self.options_edit.setMaximumHeight(90)
        self.answer_edit = QLineEdit()
        rows = QFormLayout(choice)
        rows.addRow(self.tr("Options:"), self.options_edit)
        rows.addRow(self.tr("Answer:"), self.answer_edit)
        self.asset_combo = QComboBox()
        for a in ctx.plant.assets:
            self.asset_combo.addItem(f"{a.id} — {a.name}" if a.name != a.id else a.id, a.id)
        QFormLayout(asset).addRow(self.tr("Answer (asset):"), self.asset_combo)
        self.alarm_combo = QComboBox()
        self.alarm_combo.setEditable(True)
        self.alarm_combo.addItems(list(ctx.alarms))
        QFormLayout(alarm).addRow(self.tr("Answer (alarm):"), self.alarm_combo)
        self.signal_combo = QComboBox()
        for sid in self._signal_ids():
            self.signal_combo.addItem(sid, sid)
        self.value_edit = QLineEdit()
        self.tolerance_edit = QLineEdit()
        rows = QFormLayout(value)
        rows.addRow(self.tr("Signal:"), self.signal_combo)
        rows.addRow(self.tr("Answer (value now):"), self.value_edit)
        rows.addRow(self.tr("Tolerance (±):"), self.tolerance_edit)
        self.signal_combo.currentIndexChanged.connect(self._signal_changed)
        QVBoxLayout(text).addWidget(QLabel(self.tr("The trainer marks the answer.")))
        return [none, choice, asset, alarm, value, text]

    def _signal_ids(self) -> list[str]:
        """Every signal, the selected asset's first."""
        ids = [f"{a.id}.{s.key}" for a in self.context.plant.assets for s in a.signals]
        mine = f"{self.context.asset}."
        return [i for i in ids if i.startswith(mine)] + [i for i in ids if not i.startswith(mine)]

    def _hints_box(self) -> QWidget:
        box = QWidget()
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        self.hints_table = QTableWidget(0, 2)
        self.hints_table.setHorizontalHeaderLabels([self.tr("Hint"), self.tr("Cost")])
        self.hints_table.horizontalHeader().setStretchLastSection(False)
        self.hints_table.setColumnWidth(0, 480)
        self.hints_table.setMaximumHeight(100)
        buttons = QVBoxLayout()
        self.add_hint_button = QPushButton(self.tr("Add hint"))
        self.add_hint_button.clicked.connect(lambda: self.add_hint(Hint("", 5.0)))
        remove = QPushButton(self.tr("Remove hint"))
        remove.clicked.connect(lambda: self.hints_table.removeRow(self.hints_table.currentRow()))
        buttons.addWidget(self.add_hint_button)
        buttons.addWidget(remove)
        buttons.addStretch(1)
        row.addWidget(self.hints_table, 1)
        row.addLayout(buttons)
        return box

    # -------------------------------------------------------------------- data in
    def _fill(self, step: Step | None) -> None:
        ctx = self.context
        if ctx.asset is not None:
            self.asset_combo.setCurrentIndex(max(0, self.asset_combo.findData(ctx.asset)))
        if ctx.recent_alarm:
            self.alarm_combo.setCurrentText(ctx.recent_alarm)
        self._signal_changed()
        if step is None:
            self.id_edit.setText(ctx.new_id)
            self.time_edit.setText(number_text(round(ctx.at_s, 1)))
            self.pause_box.setChecked(True)
            return
        self.id_edit.setText(step.id)
        trig = step.trigger
        if trig.at_s is not None:
            self.time_edit.setText(number_text(trig.at_s))
        else:  # an event step keeps its event: its time is when that happens
            self.time_edit.setText(self._event_words(trig))
            self.time_edit.setEnabled(False)
        self.pause_box.setChecked(step.pause)
        self.text_edit.setPlainText(step.text)
        if step.question is not None:
            self._fill_question(step.question)
        for h in step.hints:
            self.add_hint(h)
        for e in step.expect:
            self.expectations.add(e)

    def _event_words(self, trig: Trigger) -> str:
        if trig.alarm:
            return self.tr("when %s is raised") % trig.alarm
        if trig.above is not None:
            return self.tr("when %s is above %s") % (trig.signal, number_text(trig.above))
        return self.tr("when %s is below %s") % (trig.signal, number_text(trig.below or 0.0))

    def _fill_question(self, q: Question) -> None:
        self.kind_combo.setCurrentIndex(self.kind_combo.findData(q.kind.value))
        self.prompt_edit.setText(q.prompt)
        self.points_spin.setValue(q.points)
        answer = "" if q.answer is None else str(q.answer)
        if q.kind is QuestionKind.CHOICE:
            self.options_edit.setPlainText("\n".join(q.options))
            self.answer_edit.setText(answer)
        elif q.kind is QuestionKind.ASSET:
            self.asset_combo.setCurrentIndex(max(0, self.asset_combo.findData(answer)))
        elif q.kind is QuestionKind.FIRST_ALARM:
            self.alarm_combo.setCurrentText(answer)
        elif q.kind is QuestionKind.VALUE:
            if q.signal:
                self.signal_combo.setCurrentIndex(max(0, self.signal_combo.findData(q.signal)))
            self.value_edit.setText(number_text(float(q.answer or 0.0)))
            self.tolerance_edit.setText(number_text(q.tolerance))

    def _kind_changed(self) -> None:
        self.pages.setCurrentIndex(self.kind_combo.currentIndex())

    def _signal_changed(self) -> None:
        """The value at the step's time as the answer, with a tolerance of 5 %."""
        sid = self.signal_combo.currentData()
        value = self.context.value_at(sid) if sid else None
        if value is None or math.isnan(value):
            self.value_edit.clear()
            return
        self.value_edit.setText(number_text(value))
        self.tolerance_edit.setText(f"{max(abs(value) * 0.05, 0.1):.2g}")

    def add_hint(self, hint: Hint) -> None:
        row = self.hints_table.rowCount()
        self.hints_table.insertRow(row)
        cost = QDoubleSpinBox()
        cost.setDecimals(1)
        cost.setRange(0, 1000)
        cost.setValue(hint.cost)
        text = QLineEdit(hint.text)
        self.hints_table.setCellWidget(row, 0, text)
        self.hints_table.setCellWidget(row, 1, cost)
        text.setFocus()

    # ------------------------------------------------------------------- data out
    def accept(self) -> None:
        problem = self.problem()
        self.problem_label.setText(problem or "")
        if problem is None:
            super().accept()

    def problem(self) -> str | None:
        """Why the step cannot be saved as it is, in words for the author; None: it can."""
        try:
            self._result = self._build_step()
        except Refused as exc:
            return str(exc)
        return None

    def step(self) -> Step:
        """The step as written (after ``accept``)."""
        return self._result

    def _build_step(self) -> Step:
        step_id = self.id_edit.text().strip()
        if not step_id:
            raise Refused(self.tr("Give the step an id."))
        if not F.ID_RE.fullmatch(step_id):
            raise Refused(self.tr("The id may contain only letters, digits, '_' and '-'."))
        mine = self.original.id if self.original else None
        if step_id != mine and step_id in self.context.taken_ids:
            raise Refused(self.tr("Another step is already called %s.") % step_id)
        question = self._question()
        expect = self.expectations.expectations()
        text = self.text_edit.toPlainText().strip()
        if not (text or question or expect):
            raise Refused(self.tr("Write an instruction, a question or an expected action."))
        return Step(
            id=step_id,
            trigger=self._trigger(),
            text=text,
            pause=self.pause_box.isChecked(),
            question=question,
            expect=expect,
            hints=self._hints(),
        )

    def _trigger(self) -> Trigger:
        if self.original is not None and not self.original.trigger.timed:
            return self.original.trigger
        raw = self.time_edit.text()
        try:
            at = F.duration_text(raw)
        except FieldError:
            raise Refused(
                self.tr("%s is not a time: give seconds, or a number with s, m or h.") % raw
            ) from None
        if at > self.context.end_s:
            raise Refused(
                self.tr("The step is at %s s, after the end of the scenario (%s s).")
                % (number_text(at), number_text(self.context.end_s))
            )
        return Trigger(at_s=at)

    def _question(self) -> Question | None:
        kind_value = self.kind_combo.currentData()
        if not kind_value:
            return None
        kind = QuestionKind(kind_value)
        prompt = self.prompt_edit.text().strip()
        if not prompt:
            raise Refused(self.tr("Write the question's prompt."))
        options: tuple[str, ...] = ()
        answer: str | float | None = None
        tolerance, signal = 0.0, None
        if kind is QuestionKind.CHOICE:
            options, answer = self._choice()
        elif kind is QuestionKind.ASSET:
            answer = self.asset_combo.currentData()
            if not answer:
                raise Refused(self.tr("Pick the asset that is the answer."))
        elif kind is QuestionKind.FIRST_ALARM:
            answer = self.alarm_combo.currentText().strip()
            if not answer:
                raise Refused(self.tr("Name the alarm that is the answer."))
        elif kind is QuestionKind.VALUE:
            signal = self.signal_combo.currentData()
            answer = self._number(self.value_edit.text(), self.tr("The answer"))
            tolerance = self._number(self.tolerance_edit.text() or "0", self.tr("The tolerance"))
            if tolerance < 0:
                raise Refused(self.tr("The tolerance must be 0 or more."))
        points = self.points_spin.value()
        return Question(kind, prompt, points, options, answer, tolerance, signal)

    def _choice(self) -> tuple[tuple[str, ...], str]:
        lines = self.options_edit.toPlainText().splitlines()
        options = tuple(dict.fromkeys(o.strip() for o in lines if o.strip()))
        if len(options) < 2:
            raise Refused(self.tr("A multiple-choice question needs at least two options."))
        answer = self.answer_edit.text().strip()
        if answer not in options:
            raise Refused(
                self.tr("The answer “%s” is not one of the options: write it as one of them.")
                % answer
            )
        return options, answer

    def _number(self, text: str, what: str) -> float:
        try:
            value = float(text)
        except ValueError:
            value = math.nan
        if not math.isfinite(value):
            raise Refused(self.tr("%s must be a number, not “%s”.") % (what, text))
        return value

    def _hints(self) -> tuple[Hint, ...]:
        hints = []
        for row in range(self.hints_table.rowCount()):
            text = self.hints_table.cellWidget(row, 0)
            cost = self.hints_table.cellWidget(row, 1)
            assert isinstance(text, QLineEdit) and isinstance(cost, QDoubleSpinBox)
            if not text.text().strip():
                raise Refused(self.tr("Hint %s has no text.") % (row + 1))
            hints.append(Hint(text.text().strip(), cost.value()))
        return tuple(hints)
