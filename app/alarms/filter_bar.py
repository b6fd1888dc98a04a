"""The filters above the alarm list: area, priority, state and a text search."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLineEdit, QWidget

from app.alarms.common import priority_names
from app.alarms.proxy import AlarmFilterProxy
from twin.alarms import AlarmState, Priority
from twin.alarms.model import UNACKED_STATES


class QtAlarmFilterBar(QWidget):
    """Combos and a search field that set ``proxy``'s filters as they change."""

    def __init__(self, proxy: AlarmFilterProxy, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.proxy = proxy
        self.area_combo = QComboBox()
        self.area_combo.addItem(self.tr("All areas"), None)
        self.area_combo.currentIndexChanged.connect(
            lambda: proxy.set_area(self.area_combo.currentData())
        )
        self.priority_combo = QComboBox()
        self.priority_combo.addItem(self.tr("All priorities"), None)
        names = priority_names()
        for p in sorted(Priority, reverse=True):
            self.priority_combo.addItem(names[p], int(p))
        self.priority_combo.currentIndexChanged.connect(self._on_priority)
        self.state_combo = QComboBox()
        S = AlarmState
        self._state_filters: list[frozenset[AlarmState] | None] = []
        for label, states in (
            (self.tr("All states"), None),
            (self.tr("Unacknowledged"), frozenset(UNACKED_STATES)),
            (self.tr("Active"), frozenset({S.UNACK_ACTIVE, S.ACK_ACTIVE})),
            (self.tr("Shelved"), frozenset({S.SHELVED})),
            (self.tr("Out of service"), frozenset({S.OUT_OF_SERVICE})),
            (self.tr("Suppressed"), frozenset({S.SUPPRESSED})),
        ):
            self.state_combo.addItem(label)
            self._state_filters.append(states)
        self.state_combo.currentIndexChanged.connect(
            lambda i: proxy.set_states(self._state_filters[i])
        )
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Search alarms"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(proxy.set_text)
        bar = QHBoxLayout(self)
        bar.setContentsMargins(0, 0, 0, 0)
        for w in (self.area_combo, self.priority_combo, self.state_combo):
            bar.addWidget(w)
        bar.addWidget(self.search, 1)

    @property
    def state_choices(self) -> list[frozenset[AlarmState] | None]:
        """The states each entry of ``state_combo`` shows, in its order (None: all)."""
        return list(self._state_filters)

    def _on_priority(self) -> None:
        data = self.priority_combo.currentData()
        self.proxy.set_priorities(None if data is None else [Priority(int(data))])

    def set_areas(
        self, asset_area: Mapping[str, str], area_names: Mapping[str, str] | None = None
    ) -> None:
        """Area of each asset (asset id -> area id) and the areas' display names."""
        self.proxy.set_areas(asset_area)
        names = dict(area_names or {})
        self.area_combo.blockSignals(True)
        self.area_combo.clear()
        self.area_combo.addItem(self.tr("All areas"), None)
        for area in sorted(set(asset_area.values()), key=lambda a: names.get(a, a)):
            self.area_combo.addItem(names.get(area, area), area)
        self.area_combo.blockSignals(False)
        self.proxy.set_area(None)
