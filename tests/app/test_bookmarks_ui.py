"""Bookmarks from the window: B names one at the cursor; double-click renames or deletes."""

from __future__ import annotations

from PySide6.QtWidgets import QInputDialog, QMessageBox

from app.compose.live import compose_live
from app.compose.parts import RecordingStatus
from db.bookmarks import Bookmarks
from db.write.recorder import Recorder
from tests.app.dialogs import answer_dialog
from twin.clock import PlaybackClock
from twin.ingest.runtime import PlantRuntime
from twin.timebase import NS_PER_S, now_ns


def test_add_rename_and_delete_a_bookmark(qtbot, demo_plant, tmp_path) -> None:
    end = now_ns()
    runtime = PlantRuntime.simulated(demo_plant, end - 60 * NS_PER_S)
    recorder = Recorder.open(tmp_path / "h.twinhist", runtime.store.groups, demo_plant)
    live = compose_live(
        demo_plant, runtime, PlaybackClock(wall=lambda: end), recording=RecordingStatus(recorder)
    )
    qtbot.addWidget(live.window)
    try:
        _bookmark_round_trip(qtbot, live, runtime, recorder, end)
    finally:
        live.stop()


def _bookmark_round_trip(qtbot, live, runtime, recorder, end: int) -> None:
    runtime.fast_forward(end)
    stored = runtime.ingestor.samples_in
    qtbot.waitUntil(lambda: recorder.state().written_samples >= stored, timeout=10_000)
    session = live.timeline
    t = end - 30 * NS_PER_S

    def name_it(dialog: QInputDialog) -> None:
        dialog.setTextValue("pump trips")
        dialog.accept()

    answer_dialog(name_it)
    session.add_bookmark(t)
    (mark,) = Bookmarks(recorder.history).in_range()
    assert (mark.t, mark.name) == (t, "pump trips")
    timeline = live.window.replay.timeline
    shown = timeline.bookmark_at(timeline.x_of(t))
    assert shown is not None and shown[2] == "pump trips"  # on the timeline, where it is

    def press(label: str):
        def click(box: QMessageBox) -> None:
            next(b for b in box.buttons() if b.text() == label).click()

        return click

    def rename_to(dialog: QInputDialog) -> None:
        dialog.setTextValue("pump trips (2nd time)")
        dialog.accept()

    def rename(box: QMessageBox) -> None:
        answer_dialog(rename_to)  # the name prompt that the button opens
        press("Rename…")(box)

    answer_dialog(rename, QMessageBox)
    session.edit_bookmark(mark.id)
    assert Bookmarks(recorder.history).get(mark.id).name == "pump trips (2nd time)"

    answer_dialog(press("Delete"), QMessageBox)
    session.edit_bookmark(mark.id)
    assert Bookmarks(recorder.history).in_range() == []
