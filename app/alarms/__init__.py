"""The alarm management user interface (ISA-18.2 / EEMUA 191): the live and replayed
alarm table, the banner, the sound, the journal and the alarm-system health report.

Plain widgets over the Qt-free alarm core of ``twin.alarms``; ``AlarmBridge`` carries the
core's events (raised on ingest or operator threads) to the GUI thread.
"""

from app.alarms.banner import QtAlarmBanner
from app.alarms.bridge import AlarmBridge
from app.alarms.common import area_maps
from app.alarms.health_view import QtHealthReport
from app.alarms.journal_view import QtJournalView
from app.alarms.model import AlarmTableModel
from app.alarms.proxy import AlarmFilterProxy
from app.alarms.sound import AlarmSound
from app.alarms.table import QtAlarmTable

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
