"""The breadcrumb bar above the 3D view: Back, Forward, then Plant > Area > Asset > Signal.

Each part above the current one is a button that goes up to it; the current part is
plain text. The bar knows names, not windows: it emits ``place_requested(Place)``.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QHBoxLayout, QLabel, QToolButton, QWidget

from app.navigation.history import Level, Place
from twin.plant.model import Plant

SEPARATOR = "›"


class QtBreadcrumb(QWidget):
    """Where the view is in the display hierarchy, each level above it clickable."""

    place_requested = Signal(object)  # Place: a part of the path was clicked

    def __init__(
        self, plant: Plant, back: QAction, forward: QAction, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("breadcrumb")
        self.plant = plant
        self._areas = {area.id: area.name for area in plant.areas}
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(4, 1, 4, 1)
        self._layout.setSpacing(2)
        for action in (back, forward):
            button = QToolButton()
            button.setDefaultAction(action)
            button.setAutoRaise(True)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            self._layout.addWidget(button)
        self._first_part = self._layout.count()
        self._layout.addStretch(1)
        self.place = Place()
        self.parts: list[QWidget] = []  # the path's parts, plant first (for tests and tools)
        self.show_place(self.place)

    def names(self, place: Place) -> list[str]:
        """The path's names, plant first, down to ``place``'s level."""
        names = [self.plant.name]
        if place.area is not None:
            names.append(self._areas.get(place.area, place.area))
        if place.asset is not None and self.plant.has_asset(place.asset):
            names.append(self.plant.asset(place.asset).name)
        if place.signal is not None and place.asset is not None:
            names.append(self._signal_name(place.signal))
        return names

    def _signal_name(self, signal_id: str) -> str:
        try:
            return self.plant.signal(signal_id).name
        except KeyError:
            return signal_id

    def show_place(self, place: Place) -> None:
        """Show the path to ``place``."""
        self.place = place
        for widget in self.parts:
            self._layout.removeWidget(widget)
            widget.hide()  # deleted later: until then it would still be painted
            widget.deleteLater()
        self.parts = []
        names = self.names(place)
        for level, name in enumerate(names):
            if level:
                self._add_part(QLabel(SEPARATOR))
            self._add_part(self._part(name, Level(level), last=level == len(names) - 1))

    def _add_part(self, widget: QWidget) -> None:
        self._layout.insertWidget(self._first_part + len(self.parts), widget)
        self.parts.append(widget)

    def _part(self, name: str, level: Level, last: bool) -> QWidget:
        if last:
            label = QLabel(f"<b>{name.replace('<', '&lt;')}</b>")
            label.setToolTip(self._level_text(level))
            return label
        button = QToolButton()
        button.setText(name)
        button.setAutoRaise(True)
        button.setToolTip(self.tr("Up to %s") % self._level_text(level))
        button.clicked.connect(lambda: self.place_requested.emit(self.place.up_to(level)))
        return button

    def crumb(self, level: Level) -> QWidget:
        """The part of the path at ``level`` (for tests and tools)."""
        return self.parts[2 * int(level)]

    def _level_text(self, level: Level) -> str:
        return {
            Level.PLANT: self.tr("the plant overview"),
            Level.AREA: self.tr("the area"),
            Level.ASSET: self.tr("the unit"),
            Level.SIGNAL: self.tr("the signal detail"),
        }[level]
