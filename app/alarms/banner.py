"""A strip for the top of the window: unacknowledged alarms by priority and the newest."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QToolButton, QWidget

from app.alarms.common import DARK_TEXT, format_time, priority_qcolor, raised_time
from app.alarms.flood import SHOWN_AREAS, Flood, find_flood
from app.alarms.model import AlarmTableModel
from app.alarms.sound import AlarmSound
from app.core_text import word
from app.views.values_panel import format_value
from twin.alarms import AlarmState, Priority

_IDLE_CHIP = "background: #2a2f36; color: #7d848c; border-radius: 3px; padding: 2px 8px;"


_FLOOD_STYLE = "background: #5a1f1a; color: #ffd9d2; font-weight: bold; padding: 2px 8px;"
_BACK_STYLE = (
    "QToolButton { background: #e8a317; color: #101214; font-weight: bold;"
    " border-radius: 3px; padding: 2px 10px; }"
)


class QtAlarmBanner(QWidget):
    """Follows an ``AlarmTableModel``: one chip per priority with the number of
    unacknowledged alarms (coloured while not zero), the newest unacknowledged alarm,
    and a mute toggle for ``sound``. A click elsewhere emits ``table_requested``.

    In a live session it follows the live model whatever the cursor shows;
    ``set_looking_back(True)`` shows that the views are in the past, with a button that
    emits ``live_requested``.

    During a flood (``app.alarms.flood``, as of ``clock()``; without a clock, as of the
    newest raise) the newest alarm gives way to the counts by area and priority; call
    ``refresh`` now and then (the alarm tick does) so that it notices the flood end."""

    table_requested = Signal()
    live_requested = Signal()

    def __init__(
        self,
        model: AlarmTableModel,
        sound: AlarmSound | None = None,
        parent: QWidget | None = None,
        *,
        clock: Callable[[], int] | None = None,
    ) -> None:
        super().__init__(parent)
        self.model = model
        self.sound = sound
        self.clock = clock
        self.flood: Flood | None = None
        self._asset_area: Mapping[str, str] = {}
        self._area_names: Mapping[str, str] = {}
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setToolTip(self.tr("Unacknowledged alarms by priority; click to open the list"))
        self.chips: dict[Priority, QLabel] = {}
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 2, 4, 2)
        for p in sorted(Priority, reverse=True):
            chip = QLabel()
            chip.setAlignment(Qt.AlignmentFlag.AlignCenter)
            chip.setMinimumWidth(80)
            self.chips[p] = chip
            layout.addWidget(chip)
        self.newest = QLabel()
        self.newest.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self.newest, 1)
        self.back = QToolButton()
        self.back.setText(self.tr("◀ Looking back — End: back to live"))
        self.back.setToolTip(
            self.tr("The views show the past; the alarm counts here are live. Back to live (End)")
        )
        self.back.setStyleSheet(_BACK_STYLE)
        self.back.setCursor(Qt.CursorShape.PointingHandCursor)
        self.back.clicked.connect(lambda: self.live_requested.emit())
        self.back.setVisible(False)
        layout.addWidget(self.back)
        self.mute = QToolButton()
        self.mute.setText(self.tr("Mute"))
        self.mute.setCheckable(True)
        self.mute.setToolTip(self.tr("Silence the alarm tone"))
        self.mute.setEnabled(sound is not None)
        self.mute.toggled.connect(self._on_mute)
        if sound is not None:
            self.mute.setChecked(sound.muted)
            sound.muted_changed.connect(self.mute.setChecked)
        layout.addWidget(self.mute)
        model.changed.connect(self.refresh)
        model.modelReset.connect(self.refresh)
        self.refresh()

    def set_looking_back(self, looking_back: bool) -> None:
        self.back.setVisible(looking_back)

    @property
    def looking_back(self) -> bool:
        return not self.back.isHidden()

    def set_areas(
        self, asset_area: Mapping[str, str], area_names: Mapping[str, str] | None = None
    ) -> None:
        """Area of each asset and the areas' names, for the flood summary."""
        self._asset_area, self._area_names = dict(asset_area), dict(area_names or {})
        self.refresh()

    def counts(self) -> dict[Priority, int]:
        return self.model.unacked_counts()

    def refresh(self) -> None:
        counts = self.model.unacked_counts()
        for p, chip in self.chips.items():
            n = counts[p]
            chip.setText(f"{self.model.priority_names[p]} {n}")
            if n:
                colour = priority_qcolor(p).name()
                chip.setStyleSheet(
                    f"background: {colour}; color: {DARK_TEXT.name()}; font-weight: bold;"
                    " border-radius: 3px; padding: 2px 8px;"
                )
            else:
                chip.setStyleSheet(_IDLE_CHIP)
        now = self.clock() if self.clock is not None else None
        self.flood = find_flood(self.model.unacked(), self._asset_area, now)
        if self.flood is not None:
            self.newest.setStyleSheet(_FLOOD_STYLE)
            self.newest.setText(self.flood_text(self.flood))
            return
        self.newest.setStyleSheet("")
        s = self.model.newest_unacked()
        if s is None:
            self.newest.setText(self.tr("No unacknowledged alarms"))
            return
        returned = self.tr(" (cleared)") if s.state is AlarmState.UNACK_RTN else ""
        self.newest.setText(
            f"{format_time(raised_time(s))}  {self.model.priority_names[s.priority]}  "
            f"{s.asset_id}  {s.signal_id} {word(s.kind.value)} {format_value(s.value)}{returned}"
        )

    def flood_text(self, flood: Flood) -> str:
        """ "Flood: 1,240 alarms — Hall 3: 1,100 (high 900, medium 200) · ..."""
        names = self.model.priority_names
        parts = []
        for area, n in flood.busiest()[:SHOWN_AREAS]:
            prios = sorted(
                ((p, c) for (a, p), c in flood.by_area_priority.items() if a == area),
                key=lambda pc: -pc[0],
            )
            detail = ", ".join(f"{names[p].lower()} {c:,}" for p, c in prios)
            name = self._area_names.get(area, area) or self.tr("no area")
            parts.append(f"{name}: {n:,} ({detail})")
        rest = len(flood.by_area) - SHOWN_AREAS
        if rest > 0:
            parts.append(self.tr("%n more area(s)", "", rest))
        head = self.tr("Flood: %1 alarms").replace("%1", f"{flood.total:,}")
        return f"{head} — " + " · ".join(parts)

    def _on_mute(self, muted: bool) -> None:
        self.mute.setText(self.tr("Muted") if muted else self.tr("Mute"))
        if self.sound is not None:
            self.sound.set_muted(muted)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self.table_requested.emit()
            event.accept()
            return
        super().mousePressEvent(event)
