"""The one selected asset, shared by every view."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal


class SelectionModel(QObject):
    """Holds the selected asset id; views listen to ``changed`` and call ``select``."""

    changed = Signal(object)  # str | None

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._asset_id: str | None = None

    @property
    def asset_id(self) -> str | None:
        return self._asset_id

    def select(self, asset_id: str | None) -> None:
        if asset_id != self._asset_id:
            self._asset_id = asset_id
            self.changed.emit(asset_id)
