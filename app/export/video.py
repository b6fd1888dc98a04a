"""File > Export replay as video: draw the window's views at each cursor time, grab the 3D."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox, QProgressDialog, QWidget

from app.export.scene_export import ExportError, export_frames, replay_times
from app.frame.scheduler import FrameScheduler
from app.scene.qt_scene_view import QtSceneView

FPS = 30


def draw_frame_at(scheduler: FrameScheduler, t: int) -> None:
    """Build the frame at ``t`` (waiting for replay data to load) and hand it to the views."""
    scheduler.builder.wait_ready(t)
    frame = scheduler.builder.build(t)
    while frame is None:  # the replay feeder loads on its own thread
        QApplication.processEvents()
        frame = scheduler.builder.build(t)
    for view in scheduler.views:
        view.update_frame(frame)


def export_replay_video(
    parent: QWidget,
    scheduler: FrameScheduler,
    scene_view: QtSceneView,
    t0: int,
    t1: int,
    path: str | None = None,
) -> bool:
    """Export [t0, t1] of the 3D view as a video (or PNG sequence) with a progress dialog."""
    tr = QCoreApplication.translate
    if path is None:
        path, _ = QFileDialog.getSaveFileName(
            parent,
            tr("Export", "Export replay as video"),
            "twindeck-replay.mp4",
            tr("Export", "Video (*.mp4);;PNG sequence folder (*)"),
        )
    if not path:
        return False
    times = replay_times(t0, t1, FPS)
    dialog = QProgressDialog(
        tr("Export", "Exporting video…"), tr("Export", "Cancel"), 0, len(times), parent
    )
    dialog.setMinimumDuration(300)

    def progress(done: int, total: int) -> bool:
        dialog.setValue(done)
        QApplication.processEvents()
        return not dialog.wasCanceled()

    try:
        return export_frames(
            lambda t: draw_frame_at(scheduler, t),
            scene_view.frame_pixels,
            times,
            path,
            progress,
            FPS,
        )
    except ExportError as exc:
        QMessageBox.warning(parent, tr("Export", "Export replay as video"), str(exc))
        return False
    finally:
        dialog.reset()
