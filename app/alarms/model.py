"""The alarm table as a Qt model: one row per alarm that is not NORMAL, with flashing
unacknowledged rows and the sort and filter keys of every row (``keys``) for the proxy
(``app.alarms.proxy``)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from enum import IntEnum

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QColor, QFont

from app.alarms.common import (
    DARK_TEXT,
    MUTED_RGB,
    format_time,
    priority_names,
    priority_qcolor,
    raised_time,
    state_names,
)
from app.alarms.rows import RowKeys
from app.core_text import sentence, word
from app.views.values_panel import format_value
from twin.alarms import AlarmEvent, AlarmState, AlarmStatus, Priority, apply_event
from twin.alarms.model import UNACKED_STATES

FLASH_MS = 500  # half a period: unacknowledged rows flash at 1 Hz
_MUTED_STATES = frozenset(
    {AlarmState.SHELVED, AlarmState.OUT_OF_SERVICE, AlarmState.SUPPRESSED, AlarmState.NORMAL}
)
ALARM_ID_ROLE = Qt.ItemDataRole.UserRole
_Index = QModelIndex | QPersistentModelIndex


class Column(IntEnum):
    PRIORITY = 0
    STATE = 1
    RAISED = 2
    ASSET = 3
    SIGNAL = 4
    KIND = 5
    VALUE = 6
    ACKED_BY = 7
    SHELVED_UNTIL = 8
    COMMENT = 9


class AlarmTableModel(QAbstractTableModel):
    """Rows of ``AlarmStatus`` by alarm id; updated in place so selections survive.

    ``set_statuses`` replaces the whole table (a live snapshot, or ``Journal.states_at``
    in replay); ``apply_events`` folds live events in. While any row is unacknowledged a
    single timer toggles ``flash_phase`` every ``FLASH_MS`` and repaints those rows;
    ``flash_toggled(phase)`` lets other views (the 3D scene) flash the same assets.

    ``set_hold(True)`` keeps every row where it is (the operator is pointing at the list):
    an alarm that returns to NORMAL stays as a greyed "Normal" row, out of ``statuses``,
    and leaves when the hold ends.
    """

    changed = Signal()  # after any change of the rows
    flash_toggled = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ids: list[str] = []
        self._row: dict[str, int] = {}
        self._statuses: dict[str, AlarmStatus] = {}
        self._unacked: set[str] = set()
        self._assets: frozenset[str] | None = None  # of the unacknowledged alarms
        self._ghosts: dict[str, AlarmStatus] = {}  # NORMAL again, row kept while held
        self._hold = False
        self.keys = RowKeys()  # sort and filter keys by row, updated with the rows
        self.flash_phase = True
        self._closed = False
        self._timer = QTimer(self)
        self._timer.setInterval(FLASH_MS)
        self._timer.timeout.connect(self._flash)
        self._headers = (
            self.tr("Priority"),
            self.tr("State"),
            self.tr("Raised"),
            self.tr("Asset"),
            self.tr("Signal"),
            self.tr("Kind"),
            self.tr("Value"),
            self.tr("Acknowledged by"),
            self.tr("Shelved until"),
            self.tr("Comment"),
        )
        self.state_names = state_names()
        self.asset_names: dict[str, str] = {}  # asset id -> its name in the plant file
        self.priority_names = priority_names()

    # --- contents ------------------------------------------------------------------------

    @property
    def statuses(self) -> Mapping[str, AlarmStatus]:
        return self._statuses

    def status(self, row: int) -> AlarmStatus:
        """The row's alarm (a held row of an alarm back to NORMAL shows as NORMAL)."""
        aid = self._ids[row]
        return self._statuses.get(aid) or self._ghosts[aid]

    def row_of(self, alarm_id: str) -> int | None:
        return self._row.get(alarm_id)

    def set_statuses(self, statuses: Mapping[str, AlarmStatus]) -> None:
        """Show exactly ``statuses`` (alarm id -> status), changing only what differs."""
        changes: dict[str, AlarmStatus | None] = {
            aid: None for aid in (*self._statuses, *self._ghosts) if aid not in statuses
        }
        for aid, s in statuses.items():
            old = self._statuses.get(aid)
            if old is None or not old.same_as(s):
                changes[aid] = s
        self._apply(changes)

    def apply_events(self, events: Iterable[AlarmEvent]) -> None:
        """Fold live events into the rows (``AlarmBridge.events``)."""
        changes: dict[str, AlarmStatus | None] = {}
        for e in events:
            old = changes[e.alarm_id] if e.alarm_id in changes else self._statuses.get(e.alarm_id)
            changes[e.alarm_id] = apply_event(old, e)
        self._apply(changes)

    def set_hold(self, hold: bool) -> None:
        """Keep rows in place (True), or let the alarms back to NORMAL go (False)."""
        if hold == self._hold:
            return
        self._hold = hold
        if not hold and self._ghosts:
            self._apply(dict.fromkeys(self._ghosts))

    @property
    def held(self) -> bool:
        return self._hold

    def _apply(self, changes: Mapping[str, AlarmStatus | None]) -> None:
        kept: list[str] = []
        if self._hold:  # NORMAL again: keep the row, greyed, so that no row moves
            for a, s in changes.items():
                old = self._statuses.pop(a, None) if s is None else None
                if old is not None and a in self._row:
                    self._ghosts[a] = replace(old, state=AlarmState.NORMAL, active=False)
                    self._unacked.discard(a)
                    self._assets = None
                    kept.append(a)
            changes = {a: s for a, s in changes.items() if s is not None or a not in self._ghosts}
        gone = sorted((self._row[a] for a, s in changes.items() if s is None and a in self._row))
        updated = [a for a, s in changes.items() if s is not None and a in self._row] + kept
        added = [a for a, s in changes.items() if s is not None and a not in self._row]
        if not (gone or updated or added):
            return
        if len(gone) > 200:  # a big sweep (replay jump): one reset beats many removals
            self.beginResetModel()
            self._store(changes)
            self._ids = [a for a in self._ids if a in self._statuses] + added
            self._reindex()
            self.keys.rebuild(self.status(r) for r in range(len(self._ids)))
            self.endResetModel()
        else:
            for row in reversed(gone):
                self.beginRemoveRows(QModelIndex(), row, row)
                del self._row[self._ids[row]]
                del self._ids[row]
                self.keys.delete(row)
                self.endRemoveRows()
            self._store(changes)
            if gone:
                self._reindex(gone[0])
            rows = [self._row[a] for a in updated]
            for row in rows:
                self.keys.set(row, self.status(row))
            if rows and not gone:
                first, last = min(rows), max(rows)
                self.dataChanged.emit(self.index(first, 0), self.index(last, len(Column) - 1))
            elif rows:  # rows moved: repaint everything that is left
                self._all_changed()
            if added:
                n = len(self._ids)
                self.beginInsertRows(QModelIndex(), n, n + len(added) - 1)
                self._ids.extend(added)
                self._reindex(n)
                self.keys.append(self._statuses[a] for a in added)
                self.endInsertRows()
        self._sync_flash()
        self.changed.emit()

    def _store(self, changes: Mapping[str, AlarmStatus | None]) -> None:
        self._assets = None
        for aid, s in changes.items():
            self._ghosts.pop(aid, None)
            if s is None:
                self._statuses.pop(aid, None)
                self._unacked.discard(aid)
            else:
                self._statuses[aid] = s
                if s.state in UNACKED_STATES:
                    self._unacked.add(aid)
                else:
                    self._unacked.discard(aid)

    def _reindex(self, start: int = 0) -> None:
        """Row numbers from ``start`` on (rows before it have not moved)."""
        ids = self._ids
        if start == 0:
            self._row = {a: i for i, a in enumerate(ids)}
            return
        self._row.update(zip(ids[start:], range(start, len(ids)), strict=True))

    def _all_changed(self) -> None:
        if self._ids:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._ids) - 1, len(Column) - 1))

    # --- summaries (banner, 3D scene) ----------------------------------------------------

    def unacked_counts(self) -> dict[Priority, int]:
        """Unacknowledged alarms (UNACK_ACTIVE or UNACK_RTN) by priority."""
        counts = dict.fromkeys(Priority, 0)
        for aid in self._unacked:
            counts[self._statuses[aid].priority] += 1
        return counts

    def unacked(self) -> list[AlarmStatus]:
        """The unacknowledged alarms (UNACK_ACTIVE or UNACK_RTN), in no order."""
        return [self._statuses[a] for a in self._unacked]

    def unacked_assets(self) -> frozenset[str]:
        """Assets with an unacknowledged alarm: what the 3D scene should flash."""
        if self._assets is None:  # asked at every flash: kept until the rows change
            found = (self._statuses[a].asset_id for a in self._unacked)
            self._assets = frozenset(a for a in found if a)  # a connection names no asset
        return self._assets

    def newest_unacked(self) -> AlarmStatus | None:
        found = (self._statuses[a] for a in self._unacked)
        return max(found, key=lambda s: (raised_time(s), s.priority), default=None)

    # --- flashing ------------------------------------------------------------------------

    @property
    def flashing(self) -> bool:
        return self._timer.isActive()

    def _sync_flash(self) -> None:
        if self._unacked and not self._closed:
            if not self._timer.isActive():
                self.flash_phase = True  # a new alarm shows bright at once
                self._timer.start()
        elif self._timer.isActive():
            self._timer.stop()
            self.flash_phase = True
            self.flash_toggled.emit(True)

    def _flash(self) -> None:
        self.flash_phase = not self.flash_phase
        if self._unacked and self._ids:
            # Every row, colours only: the view repaints the rows it shows, and nothing
            # here walks the 60,000 rows of a flood twice a second.
            roles = [Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ForegroundRole]
            last = self.index(len(self._ids) - 1, len(Column) - 1)
            self.dataChanged.emit(self.index(0, 0), last, roles)
        self.flash_toggled.emit(self.flash_phase)

    def close(self) -> None:
        """Stop flashing for good (the owning widget is closing)."""
        self._closed = True
        self._timer.stop()

    # --- Qt model API --------------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(Column)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if orientation is Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._headers[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or index.row() >= len(self._ids):
            return None
        s = self.status(index.row())
        col = Column(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(s, col)
        if role == Qt.ItemDataRole.BackgroundRole:
            return self._background(s)
        if role == Qt.ItemDataRole.ForegroundRole:
            return self._foreground(s)
        if role == Qt.ItemDataRole.FontRole and s.state in _MUTED_STATES:
            font = QFont()
            font.setItalic(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(s)
        if role == Qt.ItemDataRole.TextAlignmentRole and col is Column.VALUE:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == ALARM_ID_ROLE:
            return s.alarm_id
        return None

    def _text(self, s: AlarmStatus, col: Column) -> str:
        match col:
            case Column.PRIORITY:
                return self.priority_names[s.priority]
            case Column.STATE:
                return self.state_names[s.state]
            case Column.RAISED:
                return format_time(raised_time(s))
            case Column.ASSET:
                return s.asset_id
            case Column.SIGNAL:
                return s.signal_id
            case Column.KIND:
                return word(s.kind.value)
            case Column.VALUE:
                return format_value(s.value)
            case Column.ACKED_BY:
                return s.acked_by or ""
            case Column.SHELVED_UNTIL:
                return format_time(s.shelved_until)
            case Column.COMMENT:
                return sentence(s.comment or "")

    def _background(self, s: AlarmStatus) -> QColor | None:
        if s.state not in UNACKED_STATES or not self.flash_phase:
            return None
        colour = priority_qcolor(s.priority)
        return colour if s.state is AlarmState.UNACK_ACTIVE else colour.darker(220)

    def _foreground(self, s: AlarmStatus) -> QColor | None:
        if s.state in _MUTED_STATES:
            return QColor(*MUTED_RGB)
        if s.state is AlarmState.UNACK_ACTIVE and self.flash_phase:
            return DARK_TEXT
        if s.state is AlarmState.UNACK_RTN and self.flash_phase:
            return None
        return priority_qcolor(s.priority)

    def _tooltip(self, s: AlarmStatus) -> str:
        name = self.asset_names.get(s.asset_id, "")
        lines = [
            f"{s.alarm_id} {name}".strip(),
            self.tr("In this state since %1").replace("%1", format_time(s.since)),
        ]
        if s.state is AlarmState.NORMAL:  # a held row (see set_hold)
            lines[1] = self.tr("Back to normal: leaves the list when you move away from it")
        if s.acked_by:
            lines.append(
                self.tr("Acknowledged by %1 at %2")
                .replace("%1", s.acked_by)
                .replace("%2", format_time(s.acked_at))
            )
        if s.user and s.comment:
            lines.append(f"{s.user}: {sentence(s.comment)}")
        return "\n".join(lines)
