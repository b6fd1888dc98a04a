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


# One translation context for the words the table, the banner and the journal share.
def state_names() -> dict[AlarmState, str]:
    """The words operators read for the ISA-18.2 states (not the stored names)."""
    return {
        AlarmState.NORMAL: QCoreApplication.translate("AlarmTableModel", "Normal"),
        AlarmState.UNACK_ACTIVE: QCoreApplication.translate("AlarmTableModel", "Unacknowledged"),
        AlarmState.ACK_ACTIVE: QCoreApplication.translate("AlarmTableModel", "Acknowledged"),
        AlarmState.UNACK_RTN: QCoreApplication.translate(
            "AlarmTableModel", "Cleared, unacknowledged"
        ),
        AlarmState.SHELVED: QCoreApplication.translate("AlarmTableModel", "Shelved"),
        AlarmState.OUT_OF_SERVICE: QCoreApplication.translate("AlarmTableModel", "Out of service"),
        AlarmState.SUPPRESSED: QCoreApplication.translate("AlarmTableModel", "Suppressed"),
    }


def priority_names() -> dict[Priority, str]:
    return {
        Priority.CRITICAL: QCoreApplication.translate("AlarmTableModel", "Critical"),
        Priority.HIGH: QCoreApplication.translate("AlarmTableModel", "High"),
        Priority.MEDIUM: QCoreApplication.translate("AlarmTableModel", "Medium"),
        Priority.LOW: QCoreApplication.translate("AlarmTableModel", "Low"),
    }


def action_names() -> dict[Action, str]:
    """What each journaled step is called in the journal view."""
    return {
        Action.RAISE: QCoreApplication.translate("AlarmTableModel", "Raised"),
        Action.CLEAR: QCoreApplication.translate("AlarmTableModel", "Cleared"),
        Action.ACK: QCoreApplication.translate("AlarmTableModel", "Acknowledged"),
        Action.UNACK: QCoreApplication.translate("AlarmTableModel", "Acknowledgement undone"),
        Action.SHELVE: QCoreApplication.translate("AlarmTableModel", "Shelved"),
        Action.UNSHELVE: QCoreApplication.translate("AlarmTableModel", "Unshelved"),
        Action.SHELVE_EXPIRED: QCoreApplication.translate("AlarmTableModel", "Shelf expired"),
        Action.REMOVE: QCoreApplication.translate("AlarmTableModel", "Out of service"),
        Action.RETURN: QCoreApplication.translate("AlarmTableModel", "Returned to service"),
        Action.COMMENT: QCoreApplication.translate("AlarmTableModel", "Comment"),
        Action.SUPPRESS: QCoreApplication.translate("AlarmTableModel", "Suppressed"),
        Action.UNSUPPRESS: QCoreApplication.translate("AlarmTableModel", "Suppression ended"),
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
