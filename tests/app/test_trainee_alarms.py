"""The alarms a trainee acts on are the recording's: evaluated again on the replayed
samples as the lesson reaches them, they are raised when the recorded journal says they
were, and acknowledging one is an operator's event at the lesson's time."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from app.compose.trainee import prepare_trainee
from app.compose.training import Prepared
from app.training.replayed_alarms import ReplayedAlarms
from db.engine import open_history
from db.journal import Journal
from tests.app.trainee_rig import TRAINING, lesson_package
from twin.alarms.model import Action, AlarmEvent, AlarmState
from twin.timebase import NS_PER_S


@pytest.fixture(scope="module")
def lesson(tmp_path_factory) -> Iterator[Prepared]:
    lesson_package()
    prepared = prepare_trainee(TRAINING / "motor_overload.toml", tmp_path_factory.mktemp("c"))
    yield prepared
    prepared.close()


def test_replayed_alarms_are_raised_when_the_journal_says(lesson: Prepared) -> None:
    assert lesson.recording is not None
    t0, t1 = lesson.t0_ns, lesson.t0_ns + round(lesson.duration_s * NS_PER_S)
    cursor = [t0]
    with open_history(lesson.recording.where, read_only=True, create=False) as history:
        recorded = {
            (e.alarm_id, e.t) for e in Journal(history).read(t0, t1, actions=[Action.RAISE])
        }
        alarms = ReplayedAlarms(lesson.recording.plant, history, t0, lambda: cursor[0])
        seen: list[AlarmEvent] = []
        alarms.engine.add_listener(seen.extend)
        for k in range(1, 31):  # the lesson in 10 s steps, as the cursor reaches them
            cursor[0] = min(t1, t0 + k * 10 * NS_PER_S)
            alarms.feed(cursor[0])
        raised = {(e.alarm_id, e.t) for e in seen if e.action is Action.RAISE}
        assert recorded and raised == recorded
        assert sorted(alarms.raised) == sorted(t for _, t in recorded)

        alarm = "M07.current:HH"
        event = alarms.table.acknowledge(alarm, "Li Wei")
        assert event is not None and event.t == cursor[0] and event.user == "Li Wei"
        assert alarms.table.state(alarm) is AlarmState.ACK_ACTIVE
        assert alarm in alarms.active()
