"""Writing a training scenario on the replay it is built on: a draft whose source is the
open recording or incident package and its range, steps added at the cursor (or where the
timeline is right-clicked) with `QtStepDialog`, shown as marks on the timeline, previewed
with the answer key and saved as a scenario file that ``--train FILE`` runs.

Scenario times are seconds from the range's start, as in the file; the range is the
timeline's selection when the draft is started, else the whole recording.
"""

from __future__ import annotations

import contextlib
import math
import os
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QFileDialog, QLabel, QMessageBox, QWidget

from app.training.details import QtScenarioDetails
from app.training.marks import QtStepMarks, StepMark
from app.training.step_dialog import QtStepDialog, StepContext
from app.views.main_window import QtMainWindow
from db.engine import open_history
from db.errors import HistoryError
from db.journal import Journal
from db.read.training_events import recorded_event_times
from twin.alarms.model import Action
from twin.store.series import SeriesReader
from twin.timebase import NS_PER_S
from twin.training.draft import ScenarioDraft
from twin.training.model import ReplaySource, Scenario, Step
from twin.training.scenario_file import ScenarioError, check_scenario, load_scenario
from twin.training.scenario_writer import write_scenario
from twin.training.session import preview

SCENARIO_FILTER = "Scenario (*.toml)"


@dataclass(frozen=True)
class ReplayOrigin:
    """What a replay window shows: the history it reads (the extracted one for a package),
    the recording's range, and the file a scenario names: the package, else the recording."""

    history: str
    start_ns: int
    end_ns: int
    package: str | None = None

    @property
    def source_file(self) -> str:
        return self.package or self.history

    @property
    def name(self) -> str:
        return Path(self.source_file).stem

    def matches(self, src: ReplaySource) -> bool:
        """Whether a scenario's source is this window's package or recording."""
        named = src.package if self.package else src.recording
        return named is not None and _same_file(named, self.source_file)


@dataclass(frozen=True)
class PreviewResult:
    points: float
    max_points: float
    percent: float
    unreached: tuple[str, ...]  # ids of the steps the answer key never reaches


class QtScenarioAuthor(QObject):
    """The draft scenario of one replay window and the commands that change it."""

    changed = Signal()  # the draft began, ended or changed

    def __init__(self, window: QtMainWindow, origin: ReplayOrigin, reader: SeriesReader) -> None:
        super().__init__(window)
        self.window, self.origin, self.reader = window, origin, reader
        self.draft: ScenarioDraft | None = None
        self.t0_ns, self.t1_ns = origin.start_ns, origin.end_ns + 1
        self.events: dict[str, float] = {}  # event step triggers -> scenario seconds
        self.dialog: QtStepDialog | None = None  # the step dialog open last
        self.message: QMessageBox | None = None  # the last message shown
        self.last_preview: PreviewResult | None = None
        self.details: QtScenarioDetails | None = None  # the details dialog open last
        self.unsaved = False  # the draft has changes not written to its file
        self.state_label = QLabel()
        self.state_label.setObjectName("scenario_state")
        self.state_label.hide()  # until there is a draft
        window.statusBar().addPermanentWidget(self.state_label)
        # A replay stops nothing when it closes: an unsaved draft is its only loss.
        window.set_quit_warning(self.unsaved_warning)
        self.marks = QtStepMarks(
            window.replay.timeline, self.add_step_here, self.edit_step, self.delete_step
        )

    @property
    def end_s(self) -> float:
        return (self.t1_ns - self.t0_ns) / NS_PER_S

    # ----------------------------------------------------------------- the draft
    def new_from_replay(self) -> ScenarioDraft:
        """Start a draft on this replay: the timeline's selected range, else all of it."""
        o = self.origin
        t0, t1 = self.window.replay.timeline.selected_range or (o.start_ns, o.end_ns + 1)
        t0, t1 = max(t0, o.start_ns), min(t1, o.end_ns + 1)
        whole = t1 > o.end_ns
        source = ReplaySource(
            package=o.package,
            recording=None if o.package else o.history,
            start_s=(t0 - o.start_ns) / NS_PER_S,
            end_s=None if whole else (t1 - o.start_ns) / NS_PER_S,
        )
        self.t0_ns, self.t1_ns = t0, t1
        self.draft = ScenarioDraft(o.name, source)
        self._changed()
        return self.draft

    def start_new(self) -> QtScenarioDetails | None:
        """Training > New scenario: a draft on this replay, and its details to fill in."""
        if not self._may_discard():
            return None
        self.new_from_replay()
        details = self.edit_details()
        assert details is not None
        return details

    def edit_details(self) -> QtScenarioDetails | None:
        """The draft's name, description and pass score, in a dialog."""
        if self.draft is None:
            return None
        dialog = QtScenarioDetails(self.draft, self.window)
        dialog.accepted.connect(self._changed)
        self.details = dialog
        dialog.open()
        return dialog

    def _may_discard(self) -> bool:
        """Whether the draft may be replaced: nothing unsaved, or the author says so."""
        warning = self.unsaved_warning()
        if warning is None:
            return True
        answer = QMessageBox.question(
            self.window,
            self.tr("Scenario"),
            warning + "\n\n" + self.tr("Discard the changes?"),
            QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Discard

    def ask_open(self) -> None:
        if not self._may_discard():
            return
        path = _ask_path(self.window, self.tr("Open scenario"), save=False)
        if path is not None:
            self.open_scenario(path)

    def open_scenario(self, path: str | os.PathLike[str]) -> bool:
        """Edit the scenario at ``path``, when it replays this window's recording."""
        try:
            scenario = load_scenario(path)
        except ScenarioError as exc:
            self._say(self.tr("Open scenario"), str(exc), warn=True)
            return False
        if scenario.replay is None or not self.origin.matches(scenario.replay):
            self._say(
                self.tr("Open scenario"),
                self.tr(
                    "%s does not replay %s. Open what it replays (File > Open recording or "
                    "package) and edit the scenario in that window."
                )
                % (Path(path).name, Path(self.origin.source_file).name),
                warn=True,
            )
            return False
        src = scenario.replay
        self.t0_ns = self.origin.start_ns + round(src.start_s * NS_PER_S)
        end = self.origin.end_ns + 1
        self.t1_ns = (
            end
            if src.end_s is None
            else min(end, self.origin.start_ns + round(src.end_s * NS_PER_S))
        )
        self.draft = ScenarioDraft.from_scenario(scenario)
        self._changed()
        self.unsaved = False
        self._show_state()
        return True

    # ------------------------------------------------------------------- steps
    def add_step_here(self, t_ns: int | None = None) -> QtStepDialog | None:
        """Open the step dialog for a step at ``t_ns`` (the cursor by default)."""
        if self.draft is None:
            self.new_from_replay()
        assert self.draft is not None
        t = self.window.replay.clock() if t_ns is None else t_ns
        dialog = QtStepDialog(self._context(t), None, self.window)
        dialog.accepted.connect(lambda: self._add(dialog.step()))
        return self._open(dialog)

    def edit_step(self, step_id: str) -> QtStepDialog | None:
        if self.draft is None:
            return None
        step = self.draft.steps[self.draft.index(step_id)]
        at = step.trigger.at_s
        if at is None:
            at = self.events.get(step.trigger.alarm or step.trigger.signal or "", 0.0)
        dialog = QtStepDialog(
            self._context(self.t0_ns + round(at * NS_PER_S), step), step, self.window
        )
        dialog.accepted.connect(lambda: self._replace(step_id, dialog.step()))
        return self._open(dialog)

    def delete_step(self, step_id: str) -> None:
        if self.draft is not None:
            self.draft.remove(step_id)
            self._changed()

    def _open(self, dialog: QtStepDialog) -> QtStepDialog:
        self.dialog = dialog
        dialog.open()  # window-modal, without a nested event loop
        return dialog

    def _add(self, step: Step) -> None:
        assert self.draft is not None
        self.draft.add(step)
        self._changed()

    def _replace(self, step_id: str, step: Step) -> None:
        assert self.draft is not None
        self.draft.replace_step(step_id, step)
        self._changed()

    def _context(self, t_ns: int, editing: Step | None = None) -> StepContext:
        assert self.draft is not None
        raised = self._raised()
        before = [a for t, a in raised if t <= t_ns]
        taken = self.draft.ids - ({editing.id} if editing else set())
        return StepContext(
            plant=self.window.plant,
            at_s=(t_ns - self.t0_ns) / NS_PER_S,
            end_s=self.end_s,
            new_id=self.draft.new_id(f"step_{len(self.draft.steps) + 1}"),
            taken_ids=frozenset(taken),
            alarms=list(dict.fromkeys(a for _, a in raised)),
            recent_alarm=before[-1] if before else None,
            asset=self.window.selection.asset_id,
            value_at=lambda sid: self._value_at(sid, t_ns),
        )

    def _raised(self) -> list[tuple[int, str]]:
        """(time, alarm id) of each alarm raised in the scenario's range, in time order."""
        try:
            with open_history(self.origin.history, read_only=True, create=False) as history:
                events = Journal(history).read(self.t0_ns, self.t1_ns, actions=[Action.RAISE])
        except HistoryError:
            return []
        return sorted((e.t, e.alarm_id) for e in events)

    def _value_at(self, signal_id: str, t_ns: int) -> float | None:
        self.reader.wait_ready([signal_id], t_ns, [], 0, 1, timeout=5.0)
        found = self.reader.values_at([signal_id], t_ns)
        if found is None or found[0].size == 0:
            return None
        value = float(found[0][0])
        return None if math.isnan(value) else value

    # ------------------------------------------------------- preview and save
    def checked(self, path: str | os.PathLike[str]) -> Scenario:
        """The draft as a scenario at ``path``, checked against the plant and the range;
        ScenarioError says what is wrong."""
        assert self.draft is not None
        scenario = self.draft.scenario(path)
        plant = self.window.plant
        check_scenario(
            scenario,
            assets={a.id: a for a in plant.assets},
            signals={f"{a.id}.{s.key}": s for a in plant.assets for s in a.signals},
            duration_s=self.end_s,
            text=self.draft.text(path),
        )
        return scenario

    def run_preview(self) -> PreviewResult | None:
        """Run the answer key through the draft; shows and returns the score."""
        if self.draft is None:
            return None
        try:
            scenario = self.checked(self._where())
        except ScenarioError as exc:
            self._say(self.tr("Preview"), str(exc), warn=True)
            return None
        self.events = self._event_times(scenario)
        session = preview(scenario, self.end_s, self.events)
        score = session.result()
        unreached = tuple(s.id for s in scenario.steps if s.id not in session.opened)
        result = PreviewResult(score.points, score.max_points, score.percent, unreached)
        lines = [
            self.tr("Answer key: %s / %s points (%s %%), %s of %s steps reached.")
            % (f"{score.points:g}", f"{score.max_points:g}", f"{score.percent:.0f}",
               len(session.opened), len(scenario.steps))
        ]  # fmt: skip
        lines += [
            self.tr("Step %s is never reached: its event does not happen in the range.") % s
            for s in unreached
        ]
        self._say(self.tr("Preview"), "\n".join(lines), warn=bool(unreached))
        self.last_preview = result
        self._refresh_marks()
        return result

    def ask_save(self) -> Path | None:
        """Save to the draft's file, asking where the first time."""
        if self.draft is None:
            return None
        path = _ask_path(self.window, self.tr("Save scenario"), save=True, start=self._where())
        return self.save(path) if path is not None else None

    def save(self, path: str | os.PathLike[str]) -> Path | None:
        """Check the draft and write it to ``path``; None (and a message) when it is wrong."""
        try:
            scenario = self.checked(path)
            written = write_scenario(scenario, path)
        except ScenarioError as exc:
            self._say(self.tr("Save scenario"), str(exc), warn=True)
            return None
        except OSError as exc:
            self._say(
                self.tr("Save scenario"), self.tr("Could not write %s: %s") % (path, exc), warn=True
            )
            return None
        assert self.draft is not None
        self.draft.path = written
        self.unsaved = False
        self._show_state()
        self.state_label.setToolTip(self.tr("Saved to %s") % written)
        return written

    def _where(self) -> Path:
        """The draft's file, or a name beside the recording for a new one."""
        if self.draft is not None and self.draft.path is not None:
            return self.draft.path
        return Path(self.origin.source_file).with_suffix(".toml")

    def _event_times(self, scenario: Scenario) -> dict[str, float]:
        if all(s.trigger.timed for s in scenario.steps):
            return {}
        try:
            with open_history(self.origin.history, read_only=True, create=False) as history:
                return recorded_event_times(history, scenario, self.t0_ns, self.t1_ns)
        except HistoryError:
            return {}

    # ----------------------------------------------------------------- showing
    def unsaved_warning(self) -> str | None:
        """What closing the window would lose (its quit warning), None: nothing."""
        if self.draft is None or not self.unsaved:
            return None
        return self.tr("The scenario “%s” has changes that are not saved.") % self.draft.name

    def _changed(self) -> None:
        self.unsaved = True
        if self.draft is not None and not all(s.trigger.timed for s in self.draft.steps):
            # On a draft that is not a scenario yet, keep the times known: the preview
            # says what is wrong.
            with contextlib.suppress(ScenarioError):
                self.events = self._event_times(self.draft.scenario(self._where()))
        self._refresh_marks()
        self._show_state()
        self.changed.emit()

    def _show_state(self) -> None:
        """The draft's name and steps in the status bar, beside (not over) the replay's."""
        if self.draft is None:
            return
        words = self.tr("Scenario “%s”: %s step(s)") % (self.draft.name, len(self.draft.steps))
        if self.unsaved:
            words += self.tr(", not saved")
        self.state_label.setText(words)
        self.state_label.show()

    def _refresh_marks(self) -> None:
        marks = []
        for step in self.draft.steps if self.draft else ():
            trig = step.trigger
            at = (
                trig.at_s
                if trig.at_s is not None
                else self.events.get(trig.alarm or trig.signal or "")
            )
            if at is not None:
                marks.append(
                    StepMark(self.t0_ns + round(at * NS_PER_S), step.id, _tooltip(step, at))
                )
        self.marks.set_marks(marks)

    def _say(self, title: str, text: str, warn: bool = False) -> None:
        box = QMessageBox(self.window)
        box.setIcon(QMessageBox.Icon.Warning if warn else QMessageBox.Icon.Information)
        box.setWindowTitle(title)
        box.setText(text)
        self.message = box
        box.open()


def _tooltip(step: Step, at_s: float) -> str:
    """What a step's mark says: id, time, instruction, prompt; never the answer."""
    lines = [f"{step.id} · {at_s:g} s"]
    if step.text:
        lines.append(step.text)
    if step.question is not None:
        lines.append(step.question.prompt)
    return "\n".join(lines)


def _ask_path(parent: QWidget, title: str, save: bool, start: Path | None = None) -> Path | None:
    dialog = QFileDialog(parent, title, str(start or ""), SCENARIO_FILTER)
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
    if save:
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setDefaultSuffix("toml")
    else:
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
    if not dialog.exec() or not dialog.selectedFiles():
        return None
    return Path(dialog.selectedFiles()[0])


def _same_file(a: str, b: str) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return os.path.abspath(a) == os.path.abspath(b)
