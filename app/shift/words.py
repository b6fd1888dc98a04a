"""The shift report's words: times (UTC, as the plant's shifts are), figures, an alarm and
an advisory in a line, in the interface's language."""

from __future__ import annotations

import datetime as dt
import math

from PySide6.QtCore import QCoreApplication

from app.alarms.common import priority_names
from app.core_text import sentence, word
from app.i18n import QT_TRANSLATE_NOOP
from twin.alarms.model import AlarmEvent
from twin.kpi.shift import OTHER_CAUSE, ShiftWindow
from twin.plant.lines import DEFAULT_CAUSES, Shift
from twin.plant.model import Plant
from twin.timebase import NS_PER_S

# The default downtime causes (twin.plant.lines), for the translation file; a plant file's
# own cause names are shown as written.
CAUSE_WORDS = (
    QT_TRANSLATE_NOOP("ShiftReport", "Breakdown"),
    QT_TRANSLATE_NOOP("ShiftReport", "Tool change"),
    QT_TRANSLATE_NOOP("ShiftReport", "Material shortage"),
    QT_TRANSLATE_NOOP("ShiftReport", "Electrical fault"),
    QT_TRANSLATE_NOOP("ShiftReport", "Other stop"),
)
assert set(CAUSE_WORDS) == {*DEFAULT_CAUSES.values(), OTHER_CAUSE}


def tr(text: str) -> str:
    """``text`` (marked where it is written) in the interface's language."""
    return QCoreApplication.translate("ShiftReport", text)


def cause(name: str) -> str:
    return tr(name) if name in CAUSE_WORDS else name


def utc(t_ns: int) -> dt.datetime:
    return dt.datetime.fromtimestamp(t_ns / NS_PER_S, dt.UTC)


def clock(t_ns: int | None, day: dt.date | None = None) -> str:
    """ "14:05" on ``day``, "2026-03-03 06:10" on another day, "" for None."""
    if t_ns is None:
        return ""
    when = utc(t_ns)
    return when.strftime("%H:%M") if when.date() == day else when.strftime("%Y-%m-%d %H:%M")


def clock_s(t_ns: int) -> str:
    """Date and time to the second, for tables."""
    return utc(t_ns).strftime("%Y-%m-%d %H:%M:%S")


def shift_name(shift: Shift) -> str:
    """ "Early shift (early)", or the id alone when the shift has no name of its own."""
    return shift.id if shift.name == shift.id else f"{shift.name} ({shift.id})"


def span(w: ShiftWindow) -> str:
    """ "06:00–14:00 UTC" """
    return f"{clock(w.start_ns, w.day)}–{clock(w.end_ns, w.day)} UTC"


def percent(x: float) -> str:
    return "–" if not math.isfinite(x) else f"{100.0 * x:.1f} %"


def number(x: float | None, digits: int = 0) -> str:
    return "–" if x is None or not math.isfinite(x) else f"{x:.{digits}f}"


def seconds(x: float) -> str:
    """216 -> "3:36"; an hour or more -> "1:05:00"."""
    if not math.isfinite(x):
        return "–"
    s = round(x)
    h, rest = divmod(s, 3600)
    return f"{h}:{rest // 60:02d}:{rest % 60:02d}" if h else f"{s // 60}:{s % 60:02d}"


def minutes(x: float) -> str:
    return QCoreApplication.translate("ShiftReport", "%1 min").replace("%1", f"{x / 60:.0f}")


def alarm_text(e: AlarmEvent, plant: Plant) -> str:
    """ "P2.power H 42.5 kW": the signal, the kind of alarm, the value that raised it."""
    try:
        unit = plant.signal(e.signal_id).unit
    except KeyError:  # a connection's alarm, or a signal the plant file no longer has
        unit = ""
    value = "" if math.isnan(e.value) else f" {e.value:.4g} {unit}".rstrip()
    return f"{e.signal_id} {word(e.kind.value)}{value}"


def priority(e: AlarmEvent) -> str:
    return priority_names()[e.priority]


def advisory_text(summary: str) -> str:
    return sentence(summary)
