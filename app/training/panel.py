"""The Training panel (a dock): the open step's instruction or question, its hints with
their cost, Continue, and at the end the score and the debrief's buttons.

The panel only shows and asks: ``answered(value)``, ``hint_requested()``,
``continued()``, ``save_requested()`` and ``replay_requested()`` go to whoever runs
the session (``app.training.controller``). Questions that are answered in the views
(the asset in the 3D view or the tree, the alarm in the alarm list) say so here.
"""

from __future__ import annotations

import math

from PySide6.QtCore import Signal
from PySide6.QtGui import QDoubleValidator
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from twin.training.model import Hint, QuestionKind, Step
from twin.training.scoring import Score

FEEDBACK_STYLE = "color: #9ecbff;"


class QtTrainingPanel(QWidget):
    """What the trainee reads and answers at each step (see the module docstring)."""

    answered = Signal(object)  # str or float
    hint_requested = Signal()
    continued = Signal()
    save_requested = Signal()
    replay_requested = Signal()

    def __init__(self, scenario_name: str, trainee: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("training_panel")
        self.title = QLabel(f"<b>{scenario_name}</b> · {trainee}")
        self.progress = QLabel()
        self.text = self._wrapped()
        self.prompt = self._wrapped()
        self.where = self._wrapped()  # where an asset or alarm answer is given
        self.choices: list[QPushButton] = []
        self._choice_box = QVBoxLayout()
        self.value_edit = QLineEdit()
        self.value_edit.setValidator(QDoubleValidator(self))
        self.value_edit.setPlaceholderText(self.tr("Number"))
        self.text_edit = QPlainTextEdit()
        self.text_edit.setMaximumHeight(80)
        self.answer_button = QPushButton(self.tr("Answer"))
        self.answer_button.clicked.connect(self._answer_typed)
        self.value_edit.returnPressed.connect(self._answer_typed)
        self.hint_button = QPushButton()
        self.hint_button.clicked.connect(self.hint_requested)
        self.hints = self._wrapped()
        self.feedback = self._wrapped()
        self.feedback.setStyleSheet(FEEDBACK_STYLE)
        self.continue_button = QPushButton(self.tr("Continue"))
        self.continue_button.clicked.connect(self.continued)
        self.score = self._wrapped()
        self.save_button = QPushButton(self.tr("Save report…"))
        self.save_button.clicked.connect(self.save_requested)
        self.replay_button = QPushButton(self.tr("Replay the session"))
        self.replay_button.clicked.connect(self.replay_requested)
        self._kind: QuestionKind | None = None
        self._layout()
        self.show_waiting()

    @staticmethod
    def _wrapped() -> QLabel:
        label = QLabel()
        label.setWordWrap(True)
        return label

    def _layout(self) -> None:
        column = QVBoxLayout(self)
        for label in (self.title, self.progress, self.text, self.prompt, self.where):
            column.addWidget(label)
        column.addLayout(self._choice_box)
        typed = QHBoxLayout()
        typed.addWidget(self.value_edit, 1)
        typed.addWidget(self.answer_button)
        column.addWidget(self.text_edit)
        column.addLayout(typed)
        below: tuple[QWidget, ...] = (self.hint_button, self.hints, self.feedback,
                                      self.continue_button, self.score, self.save_button,
                                      self.replay_button)  # fmt: skip
        for widget in below:
            column.addWidget(widget)
        column.addStretch(1)

    # ------------------------------------------------------------------ showing
    def show_waiting(self, at: str = "") -> None:
        """Between steps: the scenario runs."""
        self._clear()
        self.text.setText(self.tr("The scenario is running. Watch the plant."))
        self.progress.setText(at)

    def show_step(self, step: Step, number: int, total: int, at: str) -> None:
        """``step`` is open (``number`` of ``total``, at scenario time ``at``)."""
        self._clear()
        self.progress.setText(self.tr("Step %1 of %2 · %3").replace("%1", str(number))
                              .replace("%2", str(total)).replace("%3", at))  # fmt: skip
        self.text.setText(step.text)
        self.text.setVisible(bool(step.text))
        q = step.question
        self._kind = q.kind if q is not None else None
        if q is not None:
            self.prompt.setText(f"<b>{q.prompt}</b>")
            self.prompt.show()
            self._show_answer_widgets(q.kind, q.options)
        self._show_hint_button(step.hints, 0)
        # A question goes on when answered; an instruction when the trainee has read it.
        self.continue_button.setVisible(step.pause and q is None)

    def _show_answer_widgets(self, kind: QuestionKind, options: tuple[str, ...]) -> None:
        if kind is QuestionKind.CHOICE:
            for i, option in enumerate(options):
                button = QPushButton(option)
                button.setObjectName(f"choice_{i}")
                button.clicked.connect(lambda _=False, o=option: self.answered.emit(o))
                self._choice_box.addWidget(button)
                self.choices.append(button)
        elif kind is QuestionKind.ASSET:
            self.where.setText(self.tr("Click the asset in the 3D view or in the plant tree."))
            self.where.show()
        elif kind is QuestionKind.FIRST_ALARM:
            self.where.setText(self.tr("Click the alarm in the alarm list."))
            self.where.show()
        elif kind is QuestionKind.VALUE:
            self.value_edit.show()
            self.answer_button.show()
            self.value_edit.setFocus()
        else:
            self.text_edit.show()
            self.answer_button.show()

    def _show_hint_button(self, hints: tuple[Hint, ...], used: int) -> None:
        if used < len(hints):
            cost = hints[used].cost
            self.hint_button.setText(self.tr("Hint (costs %1 points)").replace("%1", f"{cost:g}"))
            self.hint_button.show()
        else:
            self.hint_button.hide()

    def show_hint(self, hint: Hint, hints: tuple[Hint, ...], used: int) -> None:
        """``hint`` was taken (the ``used``-th of ``hints``)."""
        shown = self.hints.text()
        self.hints.setText(f"{shown}<br>💡 {hint.text}" if shown else f"💡 {hint.text}")
        self.hints.show()
        self._show_hint_button(hints, used)

    def show_answered(self) -> None:
        """The question has its answer: no second one."""
        for widget in (*self.choices, self.value_edit, self.text_edit, self.answer_button):
            widget.setEnabled(False)
        self.where.hide()
        self.hint_button.hide()
        self._kind = None
        self.feedback.setText(self.tr("Answer recorded."))
        self.feedback.show()

    def show_message(self, text: str) -> None:
        self.feedback.setText(text)
        self.feedback.show()

    def show_result(self, result: Score) -> None:
        """The session is over: the score, and the debrief's buttons."""
        self._clear()
        self.progress.setText(self.tr("Debrief"))
        self.text.setText(
            self.tr("The scenario is over. The timeline shows what you did (upper row) "
                    "beside what was expected (lower row); play it again to review.")
        )  # fmt: skip
        verdict = self.tr("passed") if result.passed else self.tr("not passed")
        self.score.setText(
            self.tr("<b>Score: %1 / %2 (%3 %)</b>, %4").replace("%1", f"{result.points:g}")
            .replace("%2", f"{result.max_points:g}").replace("%3", f"{result.percent:.0f}")
            .replace("%4", verdict)
        )  # fmt: skip
        for widget in (self.score, self.save_button, self.replay_button):
            widget.show()

    @property
    def question_kind(self) -> QuestionKind | None:
        """The kind of the question waiting for its answer, if one is."""
        return self._kind

    def _clear(self) -> None:
        for button in self.choices:
            self._choice_box.removeWidget(button)
            button.hide()  # now: the deletion waits for the event loop (the click may be its)
            button.deleteLater()
        self.choices = []
        self._kind = None
        self.value_edit.clear()
        self.text_edit.clear()
        hidden: tuple[QWidget, ...] = (
            self.prompt, self.where, self.value_edit, self.text_edit, self.answer_button,
            self.hint_button, self.hints, self.feedback, self.continue_button, self.score,
            self.save_button, self.replay_button,
        )  # fmt: skip
        for widget in hidden:
            widget.hide()
            widget.setEnabled(True)
        self.hints.clear()
        self.text.show()

    def _answer_typed(self) -> None:
        if self._kind is QuestionKind.VALUE:
            text = self.value_edit.text().strip().replace(",", ".")
            try:
                value = float(text)
            except ValueError:
                self.show_message(self.tr("Type a number."))
                return
            if math.isfinite(value):
                self.answered.emit(value)
        elif self._kind is QuestionKind.TEXT:
            text = self.text_edit.toPlainText().strip()
            if text:
                self.answered.emit(text)
            else:
                self.show_message(self.tr("Type your answer first."))
