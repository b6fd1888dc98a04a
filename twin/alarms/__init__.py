"""Alarm management (ISA-18.2 / IEC 62682, EEMUA 191): rules from the plant, vectorised
evaluation in the ingest path, the alarm state machine, and alarm-system health metrics.
No Qt here: the GUI subscribes to ``AlarmTable`` events through a signal bridge."""

from twin.alarms.alarm import Alarm
from twin.alarms.engine import AlarmEngine
from twin.alarms.model import (
    Action,
    AlarmEvent,
    AlarmKind,
    AlarmState,
    AlarmStatus,
    Priority,
    alarm_id,
    apply_event,
)
from twin.alarms.rules import AlarmRule, RuleSet, build_rules, signal_rules
from twin.alarms.states import AlarmTable

__all__ = [
    "Action",
    "Alarm",
    "AlarmEngine",
    "AlarmEvent",
    "AlarmKind",
    "AlarmRule",
    "AlarmState",
    "AlarmStatus",
    "AlarmTable",
    "Priority",
    "RuleSet",
    "alarm_id",
    "apply_event",
    "build_rules",
    "signal_rules",
]
