"""The alarm management user interface (ISA-18.2 / EEMUA 191): the live and replayed
alarm table, the banner, the sound, the journal and the alarm-system health report.

Plain widgets over the Qt-free alarm core of ``twin.alarms``; ``AlarmBridge`` carries the
core's events (raised on ingest or operator threads) to the GUI thread.

The journal and health dialogs (with the export machinery they use) are imported when
first asked for: a window does not need them to show its first frame.
"""

from typing import TYPE_CHECKING, Any

from app.alarms.banner import QtAlarmBanner
from app.alarms.bridge import AlarmBridge
from app.alarms.common import area_maps
from app.alarms.model import AlarmTableModel
from app.alarms.proxy import AlarmFilterProxy
from app.alarms.sound import AlarmSound
from app.alarms.table import QtAlarmTable

if TYPE_CHECKING:
    from app.alarms.health_view import QtHealthReport
    from app.alarms.journal_view import QtJournalView

__all__ = [
    "AlarmBridge",
    "AlarmFilterProxy",
    "AlarmSound",
    "AlarmTableModel",
    "QtAlarmBanner",
    "QtAlarmTable",
    "QtHealthReport",
    "QtJournalView",
    "area_maps",
]


def __getattr__(name: str) -> Any:
    if name == "QtHealthReport":
        from app.alarms.health_view import QtHealthReport

        return QtHealthReport
    if name == "QtJournalView":
        from app.alarms.journal_view import QtJournalView

        return QtJournalView
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
