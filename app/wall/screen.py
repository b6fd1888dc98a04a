"""The wall screen: full screen, dark, large type, no mouse. Page after page (``pages``),
each shows a line's figures (output against plan this shift, OEE, cycle time against
target, energy per part, bottleneck, downtime) and its area's standing alarms and fleet
health. It is one more view of the frames, so it shows whatever the cursor shows, live
or replayed; it reads the frames only while shown, and says things at most once a second.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping

import numpy as np
from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QHideEvent, QKeyEvent, QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from app.alarms.common import PRIORITY_RGB, format_time, priority_names
from app.core_text import word
from app.frame.builder import Frame
from app.theme import NE107_RGB
from app.wall import text
from app.wall.figures import line_figures, state_figures
from app.wall.pages import WallPage, wall_pages
from app.wall.summary import UNKNOWN, summarise_alarms, summarise_health, summarise_states
from app.wall.widgets import (
    BACKGROUND,
    MUTED,
    TEXT,
    TILE,
    QtElidedLabel,
    QtWallList,
    QtWallTile,
    WallSizes,
    coloured,
    sized,
)
from twin.alarms import AlarmStatus, Priority
from twin.condition.plant_rows import PlantRows
from twin.condition.snapshot import FleetHealth, Ne107
from twin.kpi.replay import CursorIndicators
from twin.plant.model import Plant

DEFAULT_CYCLE_S = 15.0
REFRESH_S = 1.0  # the figures change with whole cycles and alarms: once a second is plenty
_HEALTH_CHIPS = (Ne107.NORMAL, Ne107.MAINTENANCE_REQUIRED, Ne107.OUT_OF_SPECIFICATION,
                 Ne107.FAILURE)  # fmt: skip

AlarmStatuses = Callable[[], Mapping[str, AlarmStatus]]


def _quit_if_no_window_left() -> None:
    app = QApplication.instance()
    if not isinstance(app, QApplication) or not app.quitOnLastWindowClosed():
        return
    if not any(w.isVisible() for w in app.topLevelWidgets()):
        app.quit()


def _hex(rgb: tuple[int, int, int]) -> str:
    return "#{:02x}{:02x}{:02x}".format(*rgb)


class QtWallScreen(QWidget):
    """The wall screen of one plant, a window of its own. ``enter()`` shows it full screen
    (hiding its parent window), Esc or ``leave()`` goes back; Left and Right step through
    the pages, which also turn every ``cycle_s`` seconds. ``alarms()`` gives the alarm
    list's statuses at the cursor; ``indicators`` the lines' figures (None: no lines)."""

    shown_changed = Signal(bool)

    def __init__(
        self,
        plant: Plant,
        indicators: CursorIndicators | None,
        alarms: AlarmStatuses,
        parent: QWidget | None = None,
        cycle_s: float = DEFAULT_CYCLE_S,
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("wallScreen")
        self.setWindowTitle(self.tr("TwinDeck wall screen — %1").replace("%1", plant.name))
        self.plant, self.indicators, self.alarms = plant, indicators, alarms
        self.pages = wall_pages(plant)
        self.page = 0
        self.rows = PlantRows(plant)
        areas = {area.id: i for i, area in enumerate(plant.areas)}
        self.asset_area = {a.id: areas.get(a.area_id, -1) for a in plant.assets}
        self.area_of_asset = np.array([self.asset_area[a.id] for a in plant.assets], np.int32)
        self.frame: Frame | None = None
        self.shown_at: float | None = None  # monotonic time of the last refresh
        self.refreshes = 0
        self.cycle = QTimer(self)
        self.cycle.timeout.connect(self.next_page)
        self.set_cycle_s(cycle_s)
        self.setCursor(Qt.CursorShape.BlankCursor)  # nothing to click: the keys step
        self._build(WallSizes())

    # --- building ------------------------------------------------------------------------

    def _build(self, sizes: WallSizes) -> None:
        self.sizes = sizes
        self.setStyleSheet(
            f"#wallScreen {{ background: {BACKGROUND}; }}"
            f" #wallTile {{ background: {TILE}; border-radius: 10px; }}"
        )
        self.title = sized(QtElidedLabel(), sizes.title, bold=True)
        self.clock = sized(QLabel(), sizes.body)  # short: shown whole, the title gives way
        self.page_label = sized(QLabel(), sizes.title, bold=True)
        coloured(self.title, TEXT)
        coloured(self.clock, MUTED)
        coloured(self.page_label, MUTED)
        header = QHBoxLayout()
        header.addWidget(self.title, 1)
        header.addWidget(self.clock)
        header.addSpacing(sizes.body)
        header.addWidget(self.page_label)
        self.tiles = [QtWallTile(sizes) for _ in range(6)]
        self.tile_box = QWidget()
        grid = QGridLayout(self.tile_box)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(16)
        for i, tile in enumerate(self.tiles):
            grid.addWidget(tile, i // 3, i % 3)
        self.alarm_list = QtWallList(sizes, len(Priority))
        self.health_list = QtWallList(sizes, len(_HEALTH_CHIPS) + 1)
        bottom = QHBoxLayout()
        bottom.setSpacing(16)
        bottom.addWidget(self.alarm_list, 1)
        bottom.addWidget(self.health_list, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 20, 32, 24)
        layout.setSpacing(16)
        layout.addLayout(header)
        layout.addWidget(self.tile_box)
        layout.addLayout(bottom, 1)

    def labels(self) -> list[QtElidedLabel]:
        """Every headline figure's label (the tiles' values)."""
        return [tile.value for tile in self.tiles]

    # --- showing -------------------------------------------------------------------------

    def set_cycle_s(self, seconds: float) -> None:
        """Turn the page every ``seconds``."""
        self.cycle.setInterval(max(1, round(seconds * 1000)))

    @property
    def cycle_s(self) -> float:
        return self.cycle.interval() / 1000

    def enter(self) -> None:
        """Full screen on the screen of the parent window, type sized for it."""
        parent = self.parentWidget()
        screen = parent.screen() if parent is not None else self.screen()
        sizes = WallSizes.for_height(screen.geometry().height())
        if sizes != self.sizes:
            self._resize_type(sizes)
        self.setGeometry(screen.geometry())
        self.showFullScreen()
        self.raise_()
        self.activateWindow()
        if parent is not None:
            parent.hide()  # nothing of it is seen: its 3D view need not draw

    def leave(self) -> None:
        """Back to the window the wall screen was entered from."""
        if not self.isVisible():
            return
        self.hide()
        parent = self.parentWidget()
        if parent is not None:
            parent.show()
            parent.activateWindow()

    def toggle(self) -> None:
        if self.isVisible():
            self.leave()
        else:
            self.enter()

    def _resize_type(self, sizes: WallSizes) -> None:
        self.sizes = sizes
        for tile in self.tiles:
            sized(tile.caption, sizes.body)
            sized(tile.value, sizes.headline, bold=True)
            sized(tile.detail, sizes.body)
        for box in (self.alarm_list, self.health_list):
            for label in (*box.chips, box.heading):
                sized(label, sizes.body, bold=True)
            for label in (*box.rows, box.note):
                sized(label, sizes.body)
        sized(self.title, sizes.title, bold=True)
        sized(self.page_label, sizes.title, bold=True)
        sized(self.clock, sizes.body)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.cycle.start()
        self.shown_changed.emit(True)
        self.refresh()

    def hideEvent(self, event: QHideEvent) -> None:
        super().hideEvent(event)
        self.cycle.stop()
        self.shown_changed.emit(False)

    def closeEvent(self, event: QCloseEvent) -> None:
        """Closed by the window manager while shown: back to the window, as Esc does.
        Hidden, it closes (the application quitting asks every window)."""
        if self.isVisible():
            event.ignore()
            self.leave()
        else:
            super().closeEvent(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Installed on the parent window: when it closes (SIGTERM, say), so does this,
        and nothing is left running."""
        closing = watched is self.parentWidget() and event.type() == QEvent.Type.Close
        if closing and self.isVisible():
            self.leave()
            # Qt quits on the last window closed only if it was shown when asked to close,
            # and it was hidden behind this: do as Qt would have done.
            QTimer.singleShot(0, _quit_if_no_window_left)
        return False

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Escape, Qt.Key.Key_F11):
            self.leave()
        elif key == Qt.Key.Key_Right:
            self.step(1)
        elif key == Qt.Key.Key_Left:
            self.step(-1)
        else:
            super().keyPressEvent(event)

    def step(self, by: int) -> None:
        """Show the page ``by`` pages on (wrapping), and give it a full cycle."""
        self.show_page((self.page + by) % len(self.pages))

    def next_page(self) -> None:
        self.step(1)

    def show_page(self, index: int) -> None:
        self.page = index % len(self.pages)
        if self.cycle.isActive():
            self.cycle.start()  # a page stepped to by hand stays its full time
        self.refresh()

    # --- frames --------------------------------------------------------------------------

    def update_frame(self, frame: Frame) -> None:
        """Keep the frame; say it, while shown, at most every ``REFRESH_S``."""
        self.frame = frame
        if not self.isVisible():
            return
        if self.shown_at is None or time.monotonic() - self.shown_at >= REFRESH_S:
            self.refresh()

    def refresh(self) -> None:
        """Show the current page at the last frame's cursor."""
        page = self.pages[self.page]
        self.title.setText(page.name)
        self.page_label.setText(text.page_of(self.page, len(self.pages)))
        frame = self.frame
        if frame is None:
            return
        self.shown_at = time.monotonic()
        self.refreshes += 1
        mode = self.tr("LIVE") if frame.live else self.tr("REPLAY")
        self.clock.setText(f"{mode} · {format_time(frame.cursor_ns)}")
        self._show_tiles(page, frame)
        shown = self.sizes.rows if page.line_id is not None else 2 * self.sizes.rows
        self._show_alarms(page, shown)
        self._show_health(page, frame.health, shown)

    def _show_tiles(self, page: WallPage, frame: Frame) -> None:
        """A line's six figures; on an area's page, its assets by state (one row)."""
        if page.line_id is None:
            summary = summarise_states(frame.asset_states, self.area_of_asset, page.area, 4)
            figures = state_figures(summary, self.plant)
        else:
            t = frame.cursor_ns
            ind = self.indicators.at(t) if self.indicators is not None else None
            if ind is None:  # still loading: keep what is shown
                return
            shift_id = self.indicators.window_at(t)[0] if self.indicators is not None else ""
            shifts = {s.id: s.name for s in self.plant.shifts}
            figures = line_figures(ind, page.line_id, shifts.get(shift_id, self.tr("last 8 h")))
        for i, tile in enumerate(self.tiles):
            tile.setVisible(i < len(figures))
            if i < len(figures):
                tile.show_figure(*figures[i])

    def _show_alarms(self, page: WallPage, shown: int) -> None:
        summary = summarise_alarms(self.alarms(), self.asset_area, page.area, shown)
        box = self.alarm_list
        names = priority_names()
        box.heading.setText(self.tr("Standing alarms: %1").replace("%1", str(summary.total)))
        for i, (priority, n) in enumerate(summary.counts.items()):
            colour = _hex(PRIORITY_RGB[priority]) if n else None
            box.set_chip(i, f"{names[priority]} {n}", colour)
        rows = [
            (text.alarm_row(s, self.plant), _hex(PRIORITY_RGB[s.priority])) for s in summary.top
        ]
        box.set_rows(rows, shown, "" if rows else self.tr("No standing alarms"))

    def _show_health(self, page: WallPage, health: FleetHealth | None, shown: int) -> None:
        box = self.health_list
        box.heading.setText(self.tr("Fleet health"))
        summary = None
        if health is not None:
            summary = summarise_health(health, self.rows.area_of_row(health), page.area, shown)
        for chip in box.chips:
            chip.setVisible(summary is not None and summary.monitored > 0)
        if health is None or summary is None:
            box.set_rows([], shown, self.tr("Health not monitored"))
            return
        if summary.monitored == 0:
            box.set_rows([], shown, self.tr("No assets monitored here"))
            return
        words = (self.tr("OK"), self.tr("maint."), self.tr("off spec"), self.tr("failure"))
        for i, status in enumerate(_HEALTH_CHIPS):
            n = int(summary.counts[status])
            colour = _hex(NE107_RGB[status]) if n and status != Ne107.NORMAL else None
            box.set_chip(i, f"{words[i]} {n}", colour)
        box.set_chip(-1, f"{word('unknown')} {int(summary.counts[UNKNOWN])}", None)
        rows = [
            (text.health_row(health, r, self.plant), _hex(NE107_RGB[int(health.status[r])]))
            for r in summary.worst
        ]
        box.set_rows(rows, shown, "" if rows else self.tr("All monitored assets normal"))
