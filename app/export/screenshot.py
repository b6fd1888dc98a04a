"""Whole-window screenshots with the 3D view included.

``QWidget.grab`` paints GL-backed widgets black, so the VTK frame is read back from the
render window and painted over its place in the grabbed window.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint, QTimer
from PySide6.QtGui import QImage, QPainter
from PySide6.QtWidgets import QApplication

if TYPE_CHECKING:
    from app.views.main_window import QtMainWindow

log = logging.getLogger(__name__)


def compose_window_image(window: QtMainWindow) -> QImage:
    """The window as an image, with the 3D view's rendered frame in place."""
    view = window.scene_view
    frame = view.grab_frame()
    # Grabbing paints every widget; painting the GL widget would render the scene again
    # for pixels that are painted over below.
    view.gl_widget.setUpdatesEnabled(False)
    try:
        image = window.grab().toImage()
    finally:
        view.gl_widget.setUpdatesEnabled(True)
    origin = view.mapTo(window, QPoint(0, 0))
    ratio = image.devicePixelRatio() or 1.0
    painter = QPainter(image)
    target = frame.scaled(int(view.width() * ratio), int(view.height() * ratio))
    target.setDevicePixelRatio(ratio)
    painter.drawImage(origin, target)
    painter.end()
    return image


def save_window_screenshot(window: QtMainWindow, path: str) -> bool:
    """Write the composed window image to ``path`` (PNG); False if it could not be written."""
    # PySide6's stub wants bytes for the format, but the binding only accepts str.
    return compose_window_image(window).save(path, "PNG")  # type: ignore[call-overload]


def screenshot_and_exit(window: QtMainWindow, draw_frame: Callable[[], None], path: str) -> int:
    """Show ``window``, draw frames, save it to ``path``, close it; the exit code (0 = ok).

    Runs the event loop until the picture is saved, for headless ``--screenshot`` runs.
    """
    result = {"code": 1}

    def capture() -> None:
        try:
            draw_frame()
            QApplication.processEvents()
            draw_frame()  # a second frame once the layout has settled
            if save_window_screenshot(window, path):
                print(f"twindeck: screenshot written to {path}")
                result["code"] = 0
            else:
                print(f"twindeck: error: could not write {path}", file=sys.stderr)
        except Exception:
            log.exception("the screenshot could not be made")
        finally:  # never leave a headless run waiting in the event loop
            window.close()

    window.show()
    QTimer.singleShot(100, capture)  # let the window be mapped and laid out first
    QApplication.exec()
    return result["code"]
