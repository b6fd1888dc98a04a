"""Placing windows on the screens of a wall display: full screen, a chosen screen, and a
"Move to screen" menu. Screens are numbered from 1, as the menu shows them."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QGuiApplication, QScreen
from PySide6.QtWidgets import QMenu, QWidget


def screens() -> list[QScreen]:
    """The screens, in the order Qt lists them (the primary one is not always first)."""
    return list(QGuiApplication.screens())


def screen_name(number: int, screen: QScreen) -> str:
    """How the menu names screen ``number``: its number, name and size."""
    size = screen.geometry().size()
    text = QCoreApplication.translate("QtScreens", "Screen %s: %s (%s×%s)")
    return text % (number, screen.name() or "?", size.width(), size.height())


def screen_numbered(number: int) -> QScreen:
    """Screen ``number`` (1 = the first); ValueError naming how many there are."""
    found = screens()
    if not 1 <= number <= len(found):
        raise ValueError(
            f"--screen {number}: this display has {len(found)} screen(s), numbered 1 to "
            f"{len(found)}"
        )
    return found[number - 1]


def move_to_screen(window: QWidget, number: int) -> None:
    """Put ``window`` on screen ``number``, full screen again there if it was."""
    screen = screen_numbered(number)
    full = window.isFullScreen()
    if full:
        window.showNormal()  # a full-screen window keeps its screen until it leaves it
    window.setScreen(screen)
    area = screen.availableGeometry()
    window.resize(window.size().boundedTo(area.size()))
    frame = window.frameGeometry()
    frame.moveCenter(area.center())
    window.move(frame.topLeft())
    if full:
        window.showFullScreen()


def place_window(window: QWidget, fullscreen: bool, screen: int | None) -> None:
    """Before ``window`` is shown: on screen ``screen`` (1 = the first) when given, and full
    screen when asked (``show()`` then opens it so). ValueError for a screen not there."""
    if screen is not None:
        move_to_screen(window, screen)
    if fullscreen:
        # The whole screen even where no window manager acts on the full-screen state (a
        # wall display's bare X server).
        window.setGeometry(window.screen().geometry())
        window.setWindowState(window.windowState() | Qt.WindowState.WindowFullScreen)


def toggle_full_screen(window: QWidget) -> None:
    """Full screen, or back to a normal window."""
    if window.isFullScreen():
        window.showNormal()
    else:
        window.showFullScreen()


def add_screen_menu(menu: QMenu, window: QWidget, title: str) -> QMenu:
    """A submenu of ``menu`` called ``title`` moving ``window`` to each screen; filled
    each time it opens, as screens come and go."""
    submenu = menu.addMenu(title)

    def fill() -> None:
        submenu.clear()
        current = window.screen()
        for number, screen in enumerate(screens(), start=1):
            action = submenu.addAction(screen_name(number, screen))
            action.setCheckable(True)
            action.setChecked(screen is current)
            action.triggered.connect(lambda _=False, n=number: move_to_screen(window, n))

    submenu.aboutToShow.connect(fill)
    fill()
    return submenu
