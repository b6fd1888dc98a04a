"""Keep a restored window on a screen: a layout saved beside a screen that is gone now
(a laptop off its docking station, a wall display switched off) opens on the nearest one.

Pure functions over ``QRect`` lists, so that they are tested without several screens.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QRect

# A window counts as on a screen when a piece this large of it shows there: enough to
# see it and to drag it by its title bar.
MIN_VISIBLE_W = 64
MIN_VISIBLE_H = 32


def on_some_screen(rect: QRect, screens: Sequence[QRect]) -> bool:
    """Whether a large enough piece of ``rect`` shows on one of ``screens``."""
    for screen in screens:
        seen = rect.intersected(screen)
        if seen.width() >= min(MIN_VISIBLE_W, rect.width()) and seen.height() >= min(
            MIN_VISIBLE_H, rect.height()
        ):
            return True
    return False


def nearest_screen(rect: QRect, screens: Sequence[QRect]) -> QRect:
    """The screen closest to ``rect``'s centre (the first of equals: the primary)."""
    centre = rect.center()

    def distance(screen: QRect) -> int:
        dx = max(screen.left() - centre.x(), 0, centre.x() - screen.right())
        dy = max(screen.top() - centre.y(), 0, centre.y() - screen.bottom())
        return dx * dx + dy * dy

    return min(screens, key=distance)


def fit_rect(rect: QRect, screens: Sequence[QRect]) -> QRect:
    """``rect`` as it is when it shows on a screen; otherwise moved (and shrunk if it is
    larger) onto the nearest of ``screens`` (available areas), as near as it fits to
    where it was. No screens at all: ``rect`` unchanged."""
    if not screens or on_some_screen(rect, screens):
        return QRect(rect)
    screen = nearest_screen(rect, screens)
    width = min(rect.width(), screen.width())
    height = min(rect.height(), screen.height())
    x = min(max(rect.x(), screen.left()), screen.left() + screen.width() - width)
    y = min(max(rect.y(), screen.top()), screen.top() + screen.height() - height)
    return QRect(x, y, width, height)
