"""A scenario's steps as marks on the replay timeline: a diamond at each step's time with
its id, drawn over the timeline by a child widget that lets every mouse event through (the
timeline keeps its scrubbing); the timeline's context menu adds, edits and deletes steps.

Marks show the step's id, time, instruction and prompt, never the answer.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject, QPoint, QPointF, Qt
from PySide6.QtGui import QColor, QHelpEvent, QPainter, QPaintEvent, QPolygonF
from PySide6.QtWidgets import QMenu, QToolTip, QWidget

from app.timeline.timeline import QtTimeline

MARK_RGB = (255, 166, 0)
MARK_PX = 5  # half the diamond's width
NEAR_PX = 7  # how near a mark a click or the pointer counts as on it


@dataclass(frozen=True)
class StepMark:
    t_ns: int
    step_id: str
    tooltip: str  # id, time, instruction, prompt: never the answer


class QtStepMarks(QWidget):
    """The marks over ``timeline``, and its context menu: ``add(t_ns)``, ``edit(step_id)``
    and ``delete(step_id)`` are called with what was clicked."""

    def __init__(
        self,
        timeline: QtTimeline,
        add: Callable[[int], object],
        edit: Callable[[str], object],
        delete: Callable[[str], object],
    ) -> None:
        super().__init__(timeline)
        self.setObjectName("step_marks")
        self.timeline = timeline
        self._add, self._edit, self._delete = add, edit, delete
        self.marks: list[StepMark] = []
        self.menu: QMenu | None = None  # the last context menu (tests read it)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setGeometry(timeline.rect())
        timeline.installEventFilter(self)
        timeline.view_changed.connect(self.update)
        timeline.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        timeline.customContextMenuRequested.connect(self.show_menu)
        self.show()

    def set_marks(self, marks: list[StepMark]) -> None:
        self.marks = sorted(marks, key=lambda m: m.t_ns)
        self.update()

    def mark_at(self, x: float) -> StepMark | None:
        """The mark nearest widget x within NEAR_PX, if any."""
        near = [(abs(self.timeline.x_of(m.t_ns) - x), m) for m in self.marks]
        near = [(d, m) for d, m in near if d <= NEAR_PX]
        return min(near, key=lambda dm: dm[0])[1] if near else None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.timeline:
            if event.type() == QEvent.Type.Resize:
                self.setGeometry(self.timeline.rect())
            elif event.type() == QEvent.Type.ToolTip:
                assert isinstance(event, QHelpEvent)
                mark = self.mark_at(event.pos().x())
                if mark is not None:
                    QToolTip.showText(event.globalPos(), mark.tooltip, self.timeline)
                    return True
        return False

    def show_menu(self, pos: QPoint) -> QMenu:
        """The timeline's context menu at ``pos``: add a step there, or change the one there."""
        menu = self.context_menu(pos.x())
        self.menu = menu
        menu.popup(self.timeline.mapToGlobal(pos))
        return menu

    def context_menu(self, x: float) -> QMenu:
        menu = QMenu(self.timeline)
        t = self.timeline.t_of(x)
        menu.addAction(self.tr("Add step here…")).triggered.connect(lambda: self._add(t))
        mark = self.mark_at(x)
        if mark is not None:
            step_id = mark.step_id
            edit = menu.addAction(self.tr("Edit step %s…") % step_id)
            edit.triggered.connect(lambda: self._edit(step_id))
            delete = menu.addAction(self.tr("Delete step %s") % step_id)
            delete.triggered.connect(lambda: self._delete(step_id))
        return menu

    def paintEvent(self, event: QPaintEvent) -> None:
        if not self.marks:
            return
        lane = self.timeline.lane_rect()
        y = lane.center().y()
        p = QPainter(self)
        try:
            p.setRenderHint(QPainter.RenderHint.Antialiasing)
            colour = QColor(*MARK_RGB)
            p.setPen(QColor(20, 20, 20))
            p.setBrush(colour)
            for mark in self.marks:
                x = self.timeline.x_of(mark.t_ns)
                if not lane.left() - MARK_PX <= x <= lane.right() + MARK_PX:
                    continue
                diamond = QPolygonF(
                    [QPointF(x, y - MARK_PX - 1), QPointF(x + MARK_PX, y),
                     QPointF(x, y + MARK_PX + 1), QPointF(x - MARK_PX, y)]
                )  # fmt: skip
                p.drawPolygon(diamond)
                p.setPen(colour)
                p.drawText(QPointF(x + MARK_PX + 2, y + 4), mark.step_id)
                p.setPen(QColor(20, 20, 20))
        finally:
            p.end()
