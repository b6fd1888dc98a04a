"""Conversions between QImage and numpy pixel arrays."""

from __future__ import annotations

import numpy as np
from PySide6.QtGui import QImage


def qimage_to_rgb(image: QImage) -> np.ndarray:
    """An (h, w, 3) uint8 copy of ``image``'s pixels, top row first."""
    rgb = image.convertToFormat(QImage.Format.Format_RGB888)
    raw = np.frombuffer(rgb.constBits(), dtype=np.uint8, count=rgb.sizeInBytes())
    rows = raw.reshape(rgb.height(), rgb.bytesPerLine())[:, : rgb.width() * 3]
    # Copy while `rgb` is alive: the array must not outlive the image's buffer.
    return rows.reshape(rgb.height(), rgb.width(), 3).copy()
