"""Trainee mode shows nothing past the scenario so far: the timeline and the plots end at
the furthest moment reached, and a seek ahead (a click on the timeline, Right, "back to
live") is refused; the clock freezes on a step until the trainee goes on; a hint shows and
costs its points."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QPoint, Qt

from app.compose.trainee import prepare_trainee
from app.compose.training import Prepared
from tests.app.trainee_rig import TRAINING, Trainee, lesson_package
from twin.timebase import NS_PER_S

pytestmark = pytest.mark.filterwarnings("ignore:Function.*setActiveWindow:DeprecationWarning")


@pytest.fixture(scope="module")
def lesson(tmp_path_factory) -> Iterator[Prepared]:
    lesson_package()
    prepared = prepare_trainee(TRAINING / "motor_overload.toml", tmp_path_factory.mktemp("c"))
    yield prepared
    prepared.close()


def test_the_timeline_and_plots_end_at_the_cursor(qtbot, lesson, tmp_path) -> None:
    rig = Trainee(qtbot, lesson, "Li Wei", tmp_path / "results.sqlite")
    try:
        rig.wait_step("briefing")
        assert rig.clock.held and not rig.clock.playing
        rig.wall += 5 * NS_PER_S  # time passes: a held step keeps the clock where it is
        rig.clock.play()  # and Play is refused
        assert rig.clock.now() == lesson.t0_ns
        rig.go_on()
        rig.wait_step("first_alarm")
        reached = rig.clock.reached_ns
        assert reached is not None
        assert reached == lesson.t0_ns + round(lesson.events["M07.current:HH"] * NS_PER_S)
        # A hint: shown in the panel, and its cost is taken from the score.
        hint = rig.scenario.step("first_alarm").hints[0]
        rig.click(rig.panel.hint_button)
        assert hint.text in rig.panel.hints.text() and not rig.panel.hint_button.isVisible()
        hints = [o for r in rig.controller.training.result().steps for o in r.outcomes
                 if o.status == "hint"]  # fmt: skip
        assert [o.points for o in hints] == [-hint.cost]
        timeline = rig.window.replay.timeline
        qtbot.waitUntil(lambda: timeline.recording_range == (lesson.t0_ns, reached))
        # A click at the timeline's right end, Right, End: never past what was reached.
        rig.clock.seek(lesson.t0_ns + 20 * NS_PER_S)
        x = timeline.width() - 3
        qtbot.mouseClick(timeline, Qt.MouseButton.LeftButton, pos=QPoint(x, timeline.height() // 2))
        assert rig.clock.now() <= reached
        rig.clock.seek(lesson.t0_ns + 200 * NS_PER_S)
        assert rig.clock.now() == reached
        rig.window.replay.transport.step_forward()
        rig.window.replay.transport.go_live()
        assert rig.clock.now() == reached
        # The plots of the overloading motor end at the cursor.
        rig.window.selection.select("M07")
        cursor_s = reached / NS_PER_S
        curves = rig.window.plots.curves

        def plotted_to_cursor() -> bool:
            xs = [c.getData()[0] for c in curves.values()]
            return bool(xs) and all(x is not None and len(x) for x in xs)

        qtbot.waitUntil(plotted_to_cursor)
        assert max(float(c.getData()[0].max()) for c in curves.values()) <= cursor_s
        assert max(float(c.getData()[0].max()) for c in curves.values()) > cursor_s - 2
    finally:
        rig.close()
