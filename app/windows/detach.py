"""Docks in windows of their own: any dock of the main window can become a top-level
window (its own title, minimise and maximise, any screen) and come back.

The dock's widget moves into the new window; the frame scheduler keeps the widget, not
the dock, so the detached view goes on drawing the same frames as the rest (lockstep).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QContextMenuEvent, QKeySequence
from PySide6.QtWidgets import (
    QDockWidget,
    QLabel,
    QMainWindow,
    QMenu,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.windows.screens import add_screen_menu, toggle_full_screen

# A window of its own, as the desktop shows any program's: title, minimise, maximise, close.
WINDOW_FLAGS = (
    Qt.WindowType.Window
    | Qt.WindowType.WindowTitleHint
    | Qt.WindowType.WindowSystemMenuHint
    | Qt.WindowType.WindowMinMaxButtonsHint
    | Qt.WindowType.WindowCloseButtonHint
)


class QtDetachedWindow(QMainWindow):
    """A dock's widget in a top-level window; closing it puts the widget back."""

    reattach_requested = Signal()

    def __init__(self, dock: QDockWidget, owner: QMainWindow) -> None:
        super().__init__(owner, WINDOW_FLAGS)
        self.dock = dock
        self.setObjectName(f"window_{dock.objectName()}")
        self.setWindowTitle(f"{dock.windowTitle()} — {owner.windowTitle()}")
        self._reattaching = False
        menu = self.menuBar().addMenu(self.tr("&Window"))
        again = menu.addAction(self.tr("&Re-attach to the main window"))
        again.setShortcut(QKeySequence("Ctrl+Shift+D"))
        again.triggered.connect(self.reattach_requested)
        add_screen_menu(menu, self, self.tr("Move to &screen"))
        full = menu.addAction(self.tr("&Full screen"))
        full.setShortcut(QKeySequence("F11"))
        full.triggered.connect(lambda: toggle_full_screen(self))

    def close_for_reattach(self) -> None:
        """Close without asking to re-attach again (the widget has gone back)."""
        self._reattaching = True
        self.close()

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._reattaching:
            self.reattach_requested.emit()  # the close button puts the view back
        super().closeEvent(event)


class DockWindows(QObject):
    """The docks of ``window`` that are in windows of their own, and the way there and back
    (a dock's title bar menu, View > Windows)."""

    changed = Signal()

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.detached: dict[str, QtDetachedWindow] = {}  # dock objectName -> its window
        window.installEventFilter(self)

    def docks(self) -> list[QDockWidget]:
        """The window's docks, in the order they were made."""
        return [d for d in self.window.findChildren(QDockWidget) if d.parent() is self.window]

    def dock(self, key: str) -> QDockWidget | None:
        """The dock called ``dock_<key>`` (or ``key`` itself)."""
        for dock in self.docks():
            if dock.objectName() in (key, f"dock_{key}"):
                return dock
        return None

    def is_detached(self, dock: QDockWidget) -> bool:
        return dock.objectName() in self.detached

    def detach(self, dock: QDockWidget) -> QtDetachedWindow:
        """Move ``dock``'s widget into a window of its own, shown where the dock was."""
        name = dock.objectName()
        if name in self.detached:
            return self.detached[name]
        widget = dock.widget()
        geometry = widget.geometry() if widget is not None else None
        corner = widget.mapToGlobal(widget.rect().topLeft()) if widget is not None else None
        detached = QtDetachedWindow(dock, self.window)
        if widget is not None:
            detached.setCentralWidget(widget)  # takes it out of the dock
            widget.show()
        dock.setWidget(self._placeholder(dock))
        dock.hide()
        detached.reattach_requested.connect(lambda: self.reattach(dock))
        self.detached[name] = detached
        if geometry is not None and corner is not None:
            detached.resize(max(geometry.width(), 480), max(geometry.height(), 320))
            detached.move(corner)
        detached.show()
        detached.raise_()
        self.changed.emit()
        return detached

    def reattach(self, dock: QDockWidget) -> None:
        """Put the dock's widget back in the dock and close its window."""
        detached = self.detached.pop(dock.objectName(), None)
        if detached is None:
            return
        widget = detached.takeCentralWidget()
        old = dock.widget()
        if widget is not None:
            dock.setWidget(widget)
            if old is not None:
                old.deleteLater()
        dock.show()
        dock.raise_()
        detached.close_for_reattach()
        detached.deleteLater()
        self.changed.emit()

    def toggle(self, dock: QDockWidget) -> None:
        if self.is_detached(dock):
            self.reattach(dock)
        else:
            self.detach(dock)

    def _placeholder(self, dock: QDockWidget) -> QWidget:
        """What the dock shows while its view is away: a way to bring it back."""
        holder = QWidget()
        column = QVBoxLayout(holder)
        column.addWidget(QLabel(self.tr("Shown in a window of its own.")))
        back = QPushButton(self.tr("Re-attach"))
        back.clicked.connect(lambda: self.reattach(dock))
        column.addWidget(back)
        column.addStretch(1)
        return holder

    def dock_menu(self, dock: QDockWidget, menu: QMenu) -> None:
        """Add the dock's Detach or Re-attach item to ``menu``."""
        if self.is_detached(dock):
            action = menu.addAction(self.tr("Re-attach %s") % dock.windowTitle())
        else:
            action = menu.addAction(self.tr("Detach %s into its own window") % dock.windowTitle())
        action.triggered.connect(lambda: self.toggle(dock))

    def title_bar_dock(self, pos_in_window: QPoint) -> QDockWidget | None:
        """The dock whose title bar is at ``pos_in_window`` (a QPoint in the window)."""
        for dock in self.docks():
            if not dock.isVisible() or dock.isFloating():
                continue
            local = dock.mapFrom(self.window, pos_in_window)
            inner = dock.widget()
            top = inner.geometry().top() if inner is not None else dock.height()
            if dock.rect().contains(local) and local.y() < top:
                return dock
        return None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """A right click on a dock's title bar offers Detach (before the window's own list
        of docks and toolbars)."""
        if watched is self.window and isinstance(event, QContextMenuEvent):
            dock = self.title_bar_dock(event.pos())
            if dock is not None:
                menu = QMenu(self.window)
                self.dock_menu(dock, menu)
                menu.addSeparator()
                menu.addAction(dock.toggleViewAction())
                menu.popup(event.globalPos())
                return True
        if watched is self.window and event.type() == QEvent.Type.Close:
            QTimer.singleShot(0, self._close_with_window)
        return False

    def _close_with_window(self) -> None:
        """The main window closed (not a close it refused): its detached views go too."""
        if not self.window.isVisible():
            for detached in list(self.detached.values()):
                detached.close_for_reattach()
