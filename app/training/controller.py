"""A trainee's session in the window: the scenario's steps open as the clock reaches them,
the clock freezes on a step that waits, and what the trainee does in the views is logged.

Step times are the scenario's events as found in the history being replayed before the
session starts (``db.read.training_events``, as the preview finds them): the clock stops
exactly there (``TrainingClock.stop_at``) whatever the speed. Answers come from the
Training panel, the 3D view or the plant tree (an asset), the alarm list (an alarm);
acknowledgements, shelves and comments from the alarm list, selections from anywhere,
bookmarks from the timeline. At the end the score is saved per trainee and the debrief
shows the marks on the timeline, with the report to save and the session to replay.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

from PySide6.QtCore import QModelIndex, QObject, Qt, Signal
from PySide6.QtWidgets import QDockWidget, QFileDialog, QFrame, QScrollArea, QVBoxLayout

from app.alarms.model import ALARM_ID_ROLE
from app.alarms.wiring import AlarmWiring
from app.frame.builder import Frame
from app.training.debrief import QtDebriefStrip, debrief_marks
from app.training.lock import TrainingClock
from app.training.marking import offer_debrief_marking
from app.training.panel import QtTrainingPanel
from app.training.replayed_alarms import ReplayedAlarms
from app.training.report import ReportInputs, write_report
from app.training.timeline_lock import TraineeTimeline
from app.views.asset_tree import ASSET_ROLE
from app.views.main_window import QtMainWindow
from db.errors import HistoryError
from db.training import TrainingRecords
from db.training_marks import FreeAnswer
from twin.alarms.model import Action, AlarmEvent
from twin.timebase import NS_PER_S
from twin.training.model import QuestionKind, Step
from twin.training.scoring import Score
from twin.training.session import TrainingSession

log = logging.getLogger(__name__)

PANEL_MIN_H = 240  # px: a question, its options and the hint in sight
DEBRIEF_DOCK_H = 300  # px: the score and the report's buttons in sight
FEED_EVERY_S = 0.2  # while playing, the replayed alarms catch up this often (wall time)
LOGGED = {Action.ACK: "acknowledge", Action.SHELVE: "shelve", Action.COMMENT: "comment"}


class TraineeController(QObject):
    """Runs ``training`` in ``window`` on ``clock`` (a FrameView: it follows each frame)."""

    finished = Signal(object)  # the Score

    def __init__(
        self,
        window: QtMainWindow,
        clock: TrainingClock,
        training: TrainingSession,
        t0_ns: int,
        events: Mapping[str, float],
        alarms: ReplayedAlarms,
        alarm_ui: AlarmWiring,
        records: TrainingRecords | None = None,
    ) -> None:
        super().__init__(window)
        self.window, self.clock, self.training = window, clock, training
        self.t0_ns, self.events, self.alarms = t0_ns, dict(events), alarms
        self.records = records
        self.started = dt.datetime.now()
        self.result: Score | None = None
        self.record_id: int | None = None
        self.answers: tuple[FreeAnswer, ...] = ()  # free-text answers and marks, once saved
        self._stop: tuple[float, int] | None = None  # (scenario s, ns) the clock stops at
        self._last_select: tuple[str, float] | None = None  # the last select logged, and when
        self._fed_at = -math.inf  # monotonic time of the last alarm feed
        scenario = training.scenario
        self.panel = QtTrainingPanel(scenario.name, training.trainee)
        self.dock = QDockWidget(self.tr("Training"), window)
        self.dock.setObjectName("dock_Training")
        scroll = QScrollArea()  # a long question or the debrief in a small dock: scrolled
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setMinimumHeight(PANEL_MIN_H)
        scroll.setWidget(self.panel)
        self.dock.setWidget(scroll)
        window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.dock)
        self.timeline = TraineeTimeline(window.replay, clock, t0_ns, lambda: alarms.raised)
        self.strip = QtDebriefStrip(window.replay.timeline, t0_ns)
        self.strip.hide()  # until the debrief: the expected marks would give answers away
        layout = window.replay.layout()
        if isinstance(layout, QVBoxLayout):
            layout.insertWidget(0, self.strip)
        self._connect(alarm_ui)

    def _connect(self, alarm_ui: AlarmWiring) -> None:
        p = self.panel
        p.answered.connect(self.answer)
        p.hint_requested.connect(self.take_hint)
        p.continued.connect(self.go_on)
        p.save_requested.connect(self.ask_save_report)
        p.replay_requested.connect(self.replay)
        w = self.window
        w.selection.changed.connect(self._on_selection)
        w.scene_view.asset_clicked.connect(self._clicked_asset)
        w.tree.tree.itemClicked.connect(
            lambda item, _col: self._clicked_asset(item.data(0, ASSET_ROLE))
        )
        alarm_ui.table.view.clicked.connect(self._on_alarm_clicked)
        if alarm_ui.bridge is not None:
            alarm_ui.bridge.events.connect(self._on_alarm_events)
        self.timeline.bookmarked.connect(lambda _t, name: self._record("bookmark", None, name))
        self.strip.seek_requested.connect(self._seek)

    # ------------------------------------------------------------------ the clock
    @property
    def done(self) -> bool:
        return self.result is not None

    def begin(self) -> None:
        """Put the clock at the scenario's start and open what is due there."""
        self.clock.begin(self.t0_ns, self.t0_ns)
        self._set_stop()
        self.timeline.refresh(self.t0_ns)
        self._advance()

    def update_frame(self, frame: Frame) -> None:
        """FrameView: evaluate alarms up to the furthest moment shown, open due steps."""
        reached = self.clock.reached_ns or self.t0_ns
        now = time.monotonic()
        # A few times a second while playing (a feed costs milliseconds), and at once
        # where the clock stops: a step sees the alarms raised up to its very time.
        if not self.clock.playing or now - self._fed_at >= FEED_EVERY_S:
            self.alarms.feed(reached + 1)
            self._fed_at = now
        end = self.t0_ns + round(self.training.end_s * NS_PER_S)
        self.timeline.refresh(end if self.done else reached)
        self._advance()

    def _scenario_s(self) -> float:
        reached = self.clock.reached_ns or self.t0_ns
        t_s = (reached - self.t0_ns) / NS_PER_S
        if self._stop is not None and reached >= self._stop[1]:
            t_s = max(t_s, self._stop[0])  # exactly the step's time, not a rounding below
        return t_s

    def _advance(self) -> None:
        if self.done or self.training.paused:
            return
        t_s = self._scenario_s()
        while step := self.training.advance(t_s, self._alarms_by(t_s), self._values_by(t_s)):
            self._open(step)
            if step.pause:
                self.clock.held = True
                self.clock.pause()
                break
        self._set_stop()
        if self.training.finished:
            self._finish()

    def _due_s(self, step: Step) -> float:
        trig = step.trigger
        if trig.at_s is not None:
            return trig.at_s
        at = self.events.get(trig.alarm or trig.signal or "")
        return self.training.end_s if at is None else at

    def _set_stop(self) -> None:
        pending = self.training.pending
        stop_s = self.training.end_s if pending is None else self._due_s(pending)
        stop_s = min(stop_s, self.training.end_s)
        stop = (stop_s, self.t0_ns + round(stop_s * NS_PER_S))
        if stop != self._stop:  # moving the clock's end re-anchors it: not at every frame
            self._stop = stop
            self.clock.stop_at(max(stop[1], self.clock.reached_ns or self.t0_ns))

    def _alarms_by(self, t_s: float) -> set[str]:
        """The alarms a step may wait for that are up by ``t_s``: the events found in the
        history, and what the trainee's alarm list shows."""
        return {k for k, at in self.events.items() if at <= t_s} | self.alarms.active()

    def _values_by(self, t_s: float) -> dict[str, float]:
        """Values past the thresholds the steps watch, once their crossing has come."""
        values: dict[str, float] = {}
        for step in self.training.scenario.steps:
            trig = step.trigger
            at = self.events.get(trig.signal or "")
            if trig.signal and at is not None and at <= t_s:
                over = trig.above + 1.0 if trig.above is not None else (trig.below or 0.0) - 1.0
                values[trig.signal] = over
        return values

    # ------------------------------------------------------------------- steps
    def _open(self, step: Step) -> None:
        steps = self.training.scenario.steps
        number = next(i for i, s in enumerate(steps, 1) if s.id == step.id)
        self.panel.show_step(step, number, len(steps), _clock(self.training.reached_s))
        self.dock.raise_()

    def go_on(self) -> None:
        """Continue: leave the open step's pause and play on."""
        if self.done:
            return
        self.training.go_on()
        self.clock.held = False
        self.panel.show_waiting(_clock(self.training.reached_s))
        self._advance()
        if not self.clock.held and not self.done:
            self.clock.play()
        self.window.replay.transport.refresh()

    def answer(self, value: str | float) -> None:
        """The trainee's answer to the open question (the first one counts)."""
        step = self.training.current
        if self.done or step is None or step.question is None or step.id in self.training.answered:
            return
        self.training.answer(value)
        self.panel.show_answered()
        self.go_on()

    def take_hint(self) -> None:
        step = self.training.current
        hint = self.training.hint()
        if hint is not None and step is not None:
            used = sum(
                1 for a in self.training.actions if a.kind == "hint" and a.step_id == step.id
            )
            self.panel.show_hint(hint, step.hints, used)

    # ----------------------------------------------------------------- watching
    def _record(self, kind: str, target: str | None, value: str | float | None = None) -> None:
        if self.done:
            return  # the debrief's replay is not part of the session
        self._advance()  # the action's time: the scenario as far as the clock has gone
        if not self.done:
            self.training.record(kind, target, value)

    def _on_selection(self, asset_id: str | None) -> None:
        if asset_id:
            self._record("select", asset_id)
            self._last_select = (asset_id, self.training.reached_s)

    def _clicked_asset(self, asset_id: object) -> None:
        """A click on an asset in the 3D view or the tree: it answers an asset question,
        and selects the asset again when it was selected already (no selection change)."""
        if not isinstance(asset_id, str) or not asset_id:
            return
        if self._last_select != (asset_id, self.training.reached_s):
            self._record("select", asset_id)
            self._last_select = (asset_id, self.training.reached_s)
        self._picked(QuestionKind.ASSET, asset_id)

    def _picked(self, kind: QuestionKind, target: str) -> None:
        if self.panel.question_kind is kind:
            self.answer(target)

    def _on_alarm_clicked(self, index: QModelIndex) -> None:
        alarm = index.data(ALARM_ID_ROLE)
        if isinstance(alarm, str):
            self._picked(QuestionKind.FIRST_ALARM, alarm)

    def _on_alarm_events(self, events: list[AlarmEvent]) -> None:
        for e in events:
            kind = LOGGED.get(e.action)
            if kind is not None and e.user is not None:
                self._record(kind, e.alarm_id, e.comment if e.action is Action.COMMENT else None)

    # -------------------------------------------------------------------- end
    def _finish(self) -> None:
        result = self.result = self.training.result()
        scenario = self.training.scenario
        if self.records is not None:
            try:
                started_ns = round(self.started.timestamp() * NS_PER_S)
                self.record_id = self.records.save(
                    self.training.trainee, scenario.name, scenario.source_path, started_ns,
                    result, self.training.actions, scenario=scenario,
                    end_s=self.training.reached_s,
                )  # fmt: skip
            except HistoryError as exc:
                log.warning("training result not saved: %s", exc)
                self.panel.show_message(str(exc))
        end = self.t0_ns + round(self.training.end_s * NS_PER_S)
        self.clock.unlocked, self.clock.held = True, False
        self.clock.stop_at(end)
        self.timeline.refresh(end)
        marks = debrief_marks(scenario, self.training.actions, self.training.opened)
        self.strip.set_marks(marks)
        self.strip.show()
        self.panel.show_result(result)
        if self.records is not None and self.record_id is not None:
            offer_debrief_marking(self.panel, self.records, self.record_id, self._answers_kept)
        self.window.resizeDocks([self.dock], [DEBRIEF_DOCK_H], Qt.Orientation.Vertical)
        self.finished.emit(result)

    def _answers_kept(self, answers: Sequence[FreeAnswer]) -> None:
        """The free-text answers as saved, and as the trainer marks them in the debrief:
        the score with their marks."""
        self.answers = tuple(answers)
        marks = {a.step_id: a.points for a in answers if a.points is not None}
        self.result = self.training.result(marks)
        self.panel.show_result(self.result)

    def replay(self) -> None:
        """The whole session again from its start (the debrief)."""
        self.clock.seek(self.t0_ns)
        self.clock.play()
        self.window.replay.transport.refresh()

    def _seek(self, t_ns: int) -> None:
        self.clock.seek(t_ns)
        self.window.replay.transport.refresh()

    def save_report(self, path: Path) -> Path:
        """The debrief report (PDF for .pdf, else HTML) at ``path``."""
        assert self.result is not None, "the session is not over"
        scenario = self.training.scenario
        inputs = ReportInputs(
            scenario, self.training.trainee, self.result, self.started, self.answers
        )
        return write_report(inputs, path)

    def ask_save_report(self) -> None:
        name = f"{self.training.trainee} - {self.training.scenario.name}.pdf"
        path, _ = QFileDialog.getSaveFileName(
            self.window, self.tr("Save report"), name, self.tr("PDF (*.pdf);;HTML (*.html)")
        )
        if path:
            try:
                self.save_report(Path(path))
            except OSError as exc:
                self.panel.show_message(str(exc))
            else:
                self.panel.show_message(self.tr("Report saved: %1").replace("%1", path))


def _clock(seconds: float) -> str:
    m, s = divmod(round(seconds), 60)
    return f"{m:d}:{s:02d}"
