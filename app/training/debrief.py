"""The debrief on the timeline: what the trainee did, as marks above the timeline's lane,
beside what was expected of each step, in colours that say how it went.

``debrief_marks`` is a pure function of the scenario, the trainee's log and when each step
opened; ``QtDebriefStrip`` paints the marks on the timeline's own time scale (it sits in
the timeline's dock, above it) and a click on a mark moves the clock there.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, QSize, Signal
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QToolTip, QWidget

from app.timeline.timeline import QtTimeline
from twin.timebase import NS_PER_S
from twin.training.model import ActionKind, QuestionKind, Scenario, Step
from twin.training.scoring import TraineeAction, is_right

EXPECTED, TRAINEE = "expected", "trainee"
# Colours by how an action went; the expected marks are of their own colour.
COLOURS = {
    "expected": "#4da3ff",
    "right": "#3ccf6e",
    "late": "#f0a030",
    "wrong": "#ff4d4d",
    "other": "#a0a8b4",
}
ROW_H = 14
GRAB_PX = 4


@dataclass(frozen=True)
class Mark:
    t_s: float  # scenario time
    row: str  # EXPECTED or TRAINEE
    outcome: str  # a key of COLOURS
    label: str


def debrief_marks(
    scenario: Scenario, actions: Sequence[TraineeAction], opened: Mapping[str, float]
) -> list[Mark]:
    """The expected marks (each reached step's question and expected actions, at its
    opening) and the trainee's (each action, coloured by whether it was right, late,
    wrong or not asked for)."""
    marks: list[Mark] = []
    for step in scenario.steps:
        if step.id not in opened:
            continue
        t = opened[step.id]
        if step.question is not None:
            marks.append(Mark(t, EXPECTED, "expected", f"{step.id}: {step.question.prompt}"))
        for e in step.expect:
            what = f"{e.action.value} {e.target or ''}".strip()
            limit = f" ({e.within_s:g} s)" if e.within_s is not None else ""
            label = f"{step.id}: {'no ' if e.forbidden else ''}{what}{limit}"
            marks.append(Mark(t, EXPECTED, "expected", label))
    for a in actions:
        outcome = _outcome(scenario, a, opened)
        shown = a.target if a.target is not None else a.value
        label = f"{a.kind} {shown}" if shown is not None and a.kind != "hint" else a.kind
        marks.append(Mark(a.t_s, TRAINEE, outcome, label))
    return marks


def _outcome(scenario: Scenario, a: TraineeAction, opened: Mapping[str, float]) -> str:
    if a.kind == "hint":
        return "other"
    if a.kind == "answer":
        step = scenario.step(a.step_id) if a.step_id else None
        q = step.question if step is not None else None
        if q is None or q.kind is QuestionKind.TEXT:
            return "other"  # free text: the trainer marks it
        return "right" if is_right(q, a.value) else "wrong"
    found = "other"
    for step in scenario.steps:
        for e in step.expect:
            if not _matches(step, e.action, e.target, a, opened):
                continue
            if e.forbidden:
                return "wrong"
            delay = a.t_s - opened[step.id]
            if e.within_s is None or delay <= e.within_s:
                return "right"
            found = "late"
    return found


def _matches(
    step: Step, action: ActionKind, target: str | None, a: TraineeAction, opened: Mapping
) -> bool:
    return (
        step.id in opened
        and a.t_s >= opened[step.id]
        and a.kind == action.value
        and (target is None or a.target == target)
    )


class QtDebriefStrip(QWidget):
    """Two rows of marks (the trainee's above the expected) on ``timeline``'s scale."""

    seek_requested = Signal(object)  # int ns

    def __init__(self, timeline: QtTimeline, t0_ns: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("debrief_strip")
        self.timeline = timeline
        self.t0_ns = t0_ns
        self.marks: list[Mark] = []
        self.setMouseTracking(True)
        self.setFixedHeight(2 * ROW_H + 6)
        timeline.view_changed.connect(lambda *_: self.update())

    def set_marks(self, marks: Sequence[Mark]) -> None:
        self.marks = list(marks)
        self.update()

    def x_of(self, mark: Mark) -> float:
        return self.timeline.x_of(self.t0_ns + round(mark.t_s * NS_PER_S))

    def y_of(self, mark: Mark) -> float:
        return 3 + (ROW_H if mark.row == EXPECTED else 0) + ROW_H / 2

    def sizeHint(self) -> QSize:
        return QSize(800, 2 * ROW_H + 6)

    def mark_at(self, x: float, y: float) -> Mark | None:
        near = [m for m in self.marks if abs(self.x_of(m) - x) <= GRAB_PX]
        near = [m for m in near if abs(self.y_of(m) - y) <= ROW_H / 2] or near
        return min(near, key=lambda m: abs(self.x_of(m) - x)) if near else None

    def mousePressEvent(self, event: QMouseEvent) -> None:
        mark = self.mark_at(event.position().x(), event.position().y())
        if mark is not None:
            self.seek_requested.emit(self.t0_ns + round(mark.t_s * NS_PER_S))
        event.accept()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        mark = self.mark_at(event.position().x(), event.position().y())
        if mark is None:
            QToolTip.hideText()
        else:
            at = f"{int(mark.t_s // 60)}:{int(mark.t_s % 60):02d}"
            QToolTip.showText(event.globalPosition().toPoint(), f"{at} {mark.label}", self)

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        try:
            p.setRenderHint(QPainter.RenderHint.Antialiasing)
            p.fillRect(self.rect(), QColor("#1b2230"))
            for m in self.marks:
                x = self.x_of(m)
                if not math.isfinite(x) or not -GRAB_PX <= x <= self.width() + GRAB_PX:
                    continue
                colour = QColor(COLOURS[m.outcome])
                p.setPen(QPen(colour.darker(150), 1))
                p.setBrush(colour)
                y = self.y_of(m)
                if m.row == EXPECTED:  # a diamond: what was asked for
                    r = ROW_H / 2 - 2
                    pts = [
                        QPointF(x, y - r),
                        QPointF(x + r, y),
                        QPointF(x, y + r),
                        QPointF(x - r, y),
                    ]
                    p.drawPolygon(pts)
                else:  # a disc: what the trainee did
                    p.drawEllipse(QRectF(x - 4, y - 4, 8, 8))
            p.setPen(QColor("#3d4a5c"))
            p.drawLine(0, 3 + ROW_H, self.width(), 3 + ROW_H)
        finally:
            p.end()

    def minimumSizeHint(self) -> QSize:
        return QSize(100, 2 * ROW_H + 6)
