"""Whole-window screenshots with the 3D view included.

``QWidget.grab`` paints GL-backed widgets black, so the VTK frame is read back from the
render window and painted over its place in the grabbed window.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint
from PySide6.QtGui import QImage, QPainter

if TYPE_CHECKING:
    from app.main_window import QtMainWindow


def compose_window_image(window: QtMainWindow) -> QImage:
    """The window as an image, with the 3D view's rendered frame in place."""
    image = window.grab().toImage()
    view = window.scene_view
    frame = view.grab_frame()
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
