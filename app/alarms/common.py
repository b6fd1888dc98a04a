"""What the alarm widgets share: priority colours, time formatting, the operator's name
and the plant's areas."""

from __future__ import annotations

import getpass

from PySide6.QtCore import QCoreApplication, QDateTime, QTimeZone
from PySide6.QtGui import QColor

from twin.alarms import Action, AlarmState, AlarmStatus, Priority
from twin.plant.model import Plant

# ISA-101 style: colour is kept for priority; red is the most urgent.
PRIORITY_RGB: dict[Priority, tuple[int, int, int]] = {
    Priority.CRITICAL: (224, 40, 30),  # red, as the ALARM state colour
    Priority.HIGH: (240, 120, 20),  # orange
    Priority.MEDIUM: (232, 196, 23),  # yellow
    Priority.LOW: (79, 170, 230),  # blue
}
MUTED_RGB = (125, 132, 140)  # shelved and out of service: present but not annunciated
DARK_TEXT = QColor(16, 18, 20)


def priority_qcolor(priority: Priority) -> QColor:
    return QColor(*PRIORITY_RGB[priority])


def format_time(ns: int | None) -> str:
    """Local date and time of an epoch-ns instant, "" for None."""
    if ns is None:
        return ""
    when = QDateTime.fromMSecsSinceEpoch(ns // 1_000_000, QTimeZone.systemTimeZone())
    return when.toString("yyyy-MM-dd HH:mm:ss")


def raised_time(s: AlarmStatus) -> int:
    """When the alarm was raised; ``since`` for alarms never raised (out of service)."""
    return s.raised_at if s.raised_at is not None else s.since


def _tr(text: str) -> str:
    # One translation context for the words the table, the banner and the journal share.
    return QCoreApplication.translate("AlarmTableModel", text)


def state_names() -> dict[AlarmState, str]:
    """The words operators read for the ISA-18.2 states (not the stored names)."""
    return {
        AlarmState.NORMAL: _tr("Normal"),
        AlarmState.UNACK_ACTIVE: _tr("Unacknowledged"),
        AlarmState.ACK_ACTIVE: _tr("Acknowledged"),
        AlarmState.UNACK_RTN: _tr("Cleared, unacknowledged"),
        AlarmState.SHELVED: _tr("Shelved"),
        AlarmState.OUT_OF_SERVICE: _tr("Out of service"),
        AlarmState.SUPPRESSED: _tr("Suppressed"),
    }


def priority_names() -> dict[Priority, str]:
    return {
        Priority.CRITICAL: _tr("Critical"),
        Priority.HIGH: _tr("High"),
        Priority.MEDIUM: _tr("Medium"),
        Priority.LOW: _tr("Low"),
    }


def action_names() -> dict[Action, str]:
    """What each journaled step is called in the journal view."""
    return {
        Action.RAISE: _tr("Raised"),
        Action.CLEAR: _tr("Cleared"),
        Action.ACK: _tr("Acknowledged"),
        Action.UNACK: _tr("Acknowledgement undone"),
        Action.SHELVE: _tr("Shelved"),
        Action.UNSHELVE: _tr("Unshelved"),
        Action.SHELVE_EXPIRED: _tr("Shelf expired"),
        Action.REMOVE: _tr("Out of service"),
        Action.RETURN: _tr("Returned to service"),
        Action.COMMENT: _tr("Comment"),
        Action.SUPPRESS: _tr("Suppressed"),
        Action.UNSUPPRESS: _tr("Suppression ended"),
    }


def default_operator() -> str:
    """The OS user name, or "operator" when there is none."""
    try:
        return getpass.getuser() or "operator"
    except (OSError, KeyError, ImportError):
        return "operator"


def area_maps(plant: Plant) -> tuple[dict[str, str], dict[str, str]]:
    """(asset id -> area id, area id -> area name) of a plant, for ``set_areas``."""
    return {a.id: a.area_id for a in plant.assets}, {a.id: a.name for a in plant.areas}
