"""File > Export replay as video: the whole window drawn at each cursor time, into an MP4
or a PNG sequence, with the cursor's date and time stamped on every frame."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QCoreApplication, QDateTime, QPoint, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter
from PySide6.QtWidgets import QApplication, QMessageBox, QProgressDialog, QWidget

from app.export.imaging import qimage_to_rgb
from app.export.scene_export import ExportError, export_frames, replay_times
from app.export.screenshot import compose_window_image
from app.frame.scheduler import FrameScheduler

if TYPE_CHECKING:
    from app.views.main_window import QtMainWindow


FPS = 30
LOAD_TIMEOUT_S = 30.0  # one frame's data; a history that slow is reported, not waited on


class LoadTimeout(ExportError):
    """The recording did not deliver a frame's data in time."""


def draw_frame_at(scheduler: FrameScheduler, t: int) -> None:
    """Build the frame at ``t`` (waiting for its data to load) and hand it to the views."""
    builder = scheduler.builder
    frame = builder.build(t)
    if frame is None:
        if not builder.wait_ready(t, LOAD_TIMEOUT_S):
            raise LoadTimeout(
                QCoreApplication.translate(
                    "Export", "the recording did not deliver the data at %s in time"
                )
                % _stamp(t)
            )
        frame = builder.build(t)
    if frame is None:
        raise LoadTimeout(
            QCoreApplication.translate("Export", "the data at %s could not be loaded") % _stamp(t)
        )
    for view in scheduler.views:
        view.update_frame(frame)
    scheduler.last_frame = frame


def _stamp(t: int) -> str:
    when = QDateTime.fromMSecsSinceEpoch(t // 1_000_000)
    return when.toString("yyyy-MM-dd HH:mm:ss.zzz")


def window_pixels(window: QtMainWindow, t: int) -> np.ndarray:
    """The whole window as RGB pixels, its 3D view included, the time ``t`` stamped on."""
    image = compose_window_image(window).convertToFormat(QImage.Format.Format_RGB888)
    painter = QPainter(image)
    font = QFont(window.font())
    font.setPointSize(14)
    font.setBold(True)
    painter.setFont(font)
    text = _stamp(t)
    box = painter.fontMetrics().boundingRect(text).adjusted(-8, -4, 8, 4)
    view = window.scene_view
    top_right = view.mapTo(window, QPoint(view.width(), 0))
    box.moveTopRight(QPoint(top_right.x() - 8, top_right.y() + 8))  # over the 3D view
    painter.fillRect(box, QColor(0, 0, 0, 170))
    painter.setPen(QColor("#f0f0f0"))
    painter.drawText(box, Qt.AlignmentFlag.AlignCenter, text)
    painter.end()
    return qimage_to_rgb(image)


def export_replay_video(
    window: QtMainWindow,
    scheduler: FrameScheduler,
    t0: int,
    t1: int,
    path: str,
    parent: QWidget | None = None,
) -> bool:
    """Export [t0, t1) of the replay, ``FPS`` frames a second, into ``path`` (a .mp4, or a
    folder of PNGs), with a progress dialog. Cancel keeps the frames already written.
    True when every frame was written."""
    times = replay_times(t0, t1, FPS)
    dialog = QProgressDialog(
        QCoreApplication.translate("Export", "Exporting video…"),
        QCoreApplication.translate("Export", "Stop"),
        0,
        len(times),
        parent or window,
    )
    dialog.setWindowTitle(QCoreApplication.translate("Export", "Export replay as video"))
    dialog.setMinimumDuration(300)
    current = [t0]

    def draw(t: int) -> None:
        current[0] = t
        draw_frame_at(scheduler, t)

    def progress(done: int, total: int) -> bool:
        dialog.setValue(done)
        QApplication.processEvents()
        return not dialog.wasCanceled()

    try:
        return export_frames(
            draw, lambda: window_pixels(window, current[0]), times, path, progress, FPS
        )
    except ExportError as exc:
        QMessageBox.warning(
            window, QCoreApplication.translate("Export", "Export replay as video"), str(exc)
        )
        return False
    finally:
        dialog.reset()


def ask_and_export_video(
    window: QtMainWindow,
    scheduler: FrameScheduler,
    recorded: tuple[int, int] | None,
    selection: tuple[int, int] | None,
) -> bool:
    """Ask for a range and a file (the timeline's selection, else 20 s from the cursor),
    then export it."""
    from app.export.video_dialog import QtVideoDialog

    frame = scheduler.last_frame
    if recorded is None or frame is None:
        QMessageBox.information(
            window,
            QCoreApplication.translate("Export", "Export replay as video"),
            QCoreApplication.translate(
                "Export", "Nothing has been recorded yet: there is nothing to export."
            ),
        )
        return False
    dialog = QtVideoDialog(recorded, selection, frame.cursor_ns, window)
    if not dialog.exec() or dialog.frames() == 0:
        return False
    t0, t1 = dialog.range.range_ns()
    return export_replay_video(window, scheduler, t0, t1, dialog.path.text())
