"""The core's words in the user's language.

The core (``twin/``) has no Qt and writes its few user-facing texts in English: equipment
kind names, NE 107 statuses and causes, the health monitor's summaries and evidence
("bearing: 78 °C, rising 1.2 K per hour, alarm in ~6 h"), the suppression comments of a
lost connection. The interface translates them here, by known template: each text is
split into its fragments, and each fragment matched against the patterns the core writes
with; a text with a fragment no pattern knows is shown as it came (English).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication

from app.i18n import QT_TRANSLATE_NOOP, language_in_use

CONTEXT = "CoreText"

# Words the core uses as names, listed so that lupdate sees them.
_WORDS = (
    # equipment kinds (twin/kinds)
    QT_TRANSLATE_NOOP("CoreText", "conveyor"),
    QT_TRANSLATE_NOOP("CoreText", "elevator"),
    QT_TRANSLATE_NOOP("CoreText", "extruder"),
    QT_TRANSLATE_NOOP("CoreText", "loom"),
    QT_TRANSLATE_NOOP("CoreText", "motor"),
    QT_TRANSLATE_NOOP("CoreText", "press"),
    QT_TRANSLATE_NOOP("CoreText", "pump"),
    QT_TRANSLATE_NOOP("CoreText", "robot"),
    # NE 107 statuses and causes (twin/condition/snapshot.py)
    QT_TRANSLATE_NOOP("CoreText", "normal"),
    QT_TRANSLATE_NOOP("CoreText", "maintenance required"),
    QT_TRANSLATE_NOOP("CoreText", "out of specification"),
    QT_TRANSLATE_NOOP("CoreText", "failure"),
    QT_TRANSLATE_NOOP("CoreText", "bearing"),
    QT_TRANSLATE_NOOP("CoreText", "cooling"),
    QT_TRANSLATE_NOOP("CoreText", "overload"),
    QT_TRANSLATE_NOOP("CoreText", "supply"),
    QT_TRANSLATE_NOOP("CoreText", "insulation"),
    QT_TRANSLATE_NOOP("CoreText", "sensor"),
    QT_TRANSLATE_NOOP("CoreText", "unknown"),
    QT_TRANSLATE_NOOP("CoreText", "now"),
    # alarm kinds (twin/alarms/model.py AlarmKind)
    QT_TRANSLATE_NOOP("CoreText", "HH"),
    QT_TRANSLATE_NOOP("CoreText", "H"),
    QT_TRANSLATE_NOOP("CoreText", "L"),
    QT_TRANSLATE_NOOP("CoreText", "LL"),
    QT_TRANSLATE_NOOP("CoreText", "ROC"),
    QT_TRANSLATE_NOOP("CoreText", "NO_DATA"),
    QT_TRANSLATE_NOOP("CoreText", "CONNECTION"),
    # the signal keys the health monitor names (twin/condition/profile.py KEYS)
    QT_TRANSLATE_NOOP("CoreText", "vibration"),
    QT_TRANSLATE_NOOP("CoreText", "bearing_temp"),
    QT_TRANSLATE_NOOP("CoreText", "winding_temp"),
    QT_TRANSLATE_NOOP("CoreText", "current"),
    QT_TRANSLATE_NOOP("CoreText", "voltage"),
    QT_TRANSLATE_NOOP("CoreText", "residual"),
    # a sensor's trouble
    QT_TRANSLATE_NOOP("CoreText", "no data"),
    QT_TRANSLATE_NOOP("CoreText", "frozen"),
    # an asset's state (twin/status.py State), as the 3D label says it
    QT_TRANSLATE_NOOP("CoreText", "warning"),
    QT_TRANSLATE_NOOP("CoreText", "alarm"),
)


def _tr(text: str) -> str:
    return QCoreApplication.translate(CONTEXT, text)


def word(text: str) -> str:
    """A name the core uses (kind, status, cause, alarm kind, signal key), translated."""
    return _tr(text) if text else text


def _unit(text: str) -> str:
    return _tr(text) if text in ("min", "h", "d", "s") else text


def _fill(template: str, *args: str) -> str:
    out = _tr(template)
    for i, arg in enumerate(args, 1):
        out = out.replace(f"%{i}", arg)
    return out


def duration(text: str) -> str:
    """ "~40 min" -> the same in the user's words."""
    m = re.fullmatch(r"~([\d.]+) (min|h|d|s)", text)
    return _fill(QT_TRANSLATE_NOOP("CoreText", "~%1 %2"), m[1], _unit(m[2])) if m else text


QT_TRANSLATE_NOOP("CoreText", "min")
QT_TRANSLATE_NOOP("CoreText", "h")
QT_TRANSLATE_NOOP("CoreText", "d")
QT_TRANSLATE_NOOP("CoreText", "s")

# (pattern of one fragment, how to say it): the fragments of twin/condition/text.py.
_Rule = tuple[re.Pattern[str], Callable[[re.Match[str]], str]]
_RULES: list[_Rule] = [
    (re.compile(r"in alarm"), lambda m: _tr(QT_TRANSLATE_NOOP("CoreText", "in alarm"))),
    (
        re.compile(r"alarm in (~.+)"),
        lambda m: _fill(QT_TRANSLATE_NOOP("CoreText", "alarm in %1"), duration(m[1])),
    ),
    (
        re.compile(r"limit in (.+)"),
        lambda m: _fill(QT_TRANSLATE_NOOP("CoreText", "limit in %1"), duration(m[1])),
    ),
    (
        re.compile(r"rising (\S+) (\S+) per hour"),
        lambda m: _fill(QT_TRANSLATE_NOOP("CoreText", "rising %1 %2 per hour"), m[1], m[2]),
    ),
    (
        re.compile(r"falling (\S+) (\S+) per hour"),
        lambda m: _fill(QT_TRANSLATE_NOOP("CoreText", "falling %1 %2 per hour"), m[1], m[2]),
    ),
    (
        re.compile(r"zone ([A-D])"),
        lambda m: _fill(QT_TRANSLATE_NOOP("CoreText", "zone %1"), m[1]),
    ),
    (
        re.compile(r"winding (\S+) K against its model"),
        lambda m: _fill(QT_TRANSLATE_NOOP("CoreText", "winding %1 K against its model"), m[1]),
    ),
    (
        re.compile(r"(\S+) x rated current"),
        lambda m: _fill(QT_TRANSLATE_NOOP("CoreText", "%1 x rated current"), m[1]),
    ),
    (
        re.compile(r"voltage (\S+) above rating"),
        lambda m: _fill(QT_TRANSLATE_NOOP("CoreText", "voltage %1 above rating"), m[1]),
    ),
    (
        re.compile(r"voltage (\S+) below rating"),
        lambda m: _fill(QT_TRANSLATE_NOOP("CoreText", "voltage %1 below rating"), m[1]),
    ),
    (
        re.compile(r"winding (\S+) °C, (\S+) K under its class limit"),
        lambda m: _fill(
            QT_TRANSLATE_NOOP("CoreText", "winding %1 °C, %2 K under its class limit"), m[1], m[2]
        ),
    ),
    (
        re.compile(r"winding (\S+) °C, (\S+) K over its class limit"),
        lambda m: _fill(
            QT_TRANSLATE_NOOP("CoreText", "winding %1 °C, %2 K over its class limit"), m[1], m[2]
        ),
    ),
    (
        re.compile(r"vibration (\S+) mm/s zone ([A-D]) \((.+)\)"),
        lambda m: _fill(
            QT_TRANSLATE_NOOP("CoreText", "vibration %1 mm/s zone %2 (%3)"), m[1], m[2], m[3]
        ),
    ),
    (
        re.compile(r"(\w+) trend (\S+) (\S+)"),
        lambda m: _fill(QT_TRANSLATE_NOOP("CoreText", "%1 trend %2 %3"), word(m[1]), m[2], m[3]),
    ),
    (
        re.compile(r"winding (\S+) °C \(model (\S+)\)"),
        lambda m: _fill(QT_TRANSLATE_NOOP("CoreText", "winding %1 °C (model %2)"), m[1], m[2]),
    ),
    (
        re.compile(r"bearing (\S+) °C"),
        lambda m: _fill(QT_TRANSLATE_NOOP("CoreText", "bearing %1 °C"), m[1]),
    ),
    (
        re.compile(r"current (\S+) x rated"),
        lambda m: _fill(QT_TRANSLATE_NOOP("CoreText", "current %1 x rated"), m[1]),
    ),
    (
        re.compile(r"voltage (\S+) V"),
        lambda m: _fill(QT_TRANSLATE_NOOP("CoreText", "voltage %1 V"), m[1]),
    ),
    (
        re.compile(r"(\w+) (no data|frozen)"),
        lambda m: _fill(QT_TRANSLATE_NOOP("CoreText", "%1 %2"), word(m[1]), word(m[2])),
    ),
    (
        re.compile(r"connection (\S+) lost: (.+)"),
        lambda m: _fill(QT_TRANSLATE_NOOP("CoreText", "connection %1 lost: %2"), m[1], m[2]),
    ),
    (
        re.compile(r"connection (\S+) lost"),
        lambda m: _fill(QT_TRANSLATE_NOOP("CoreText", "connection %1 lost"), m[1]),
    ),
    (
        re.compile(r"connection (\S+) back"),
        lambda m: _fill(QT_TRANSLATE_NOOP("CoreText", "connection %1 back"), m[1]),
    ),
    (re.compile(r"[-+\d.]+ °C"), lambda m: m[0]),  # a figure says itself
]


def fragment(text: str) -> str:
    """One fragment of a core text in the user's words (as it came when no pattern knows it)."""
    for pattern, say in _RULES:
        m = pattern.fullmatch(text)
        if m is not None:
            return say(m)
    return word(text) if text in _WORDS else text


def _parse(text: str) -> tuple[str | None, str, list[str]]:
    """(leading cause or None, separator, fragments) of a summary ("cause: part, part"),
    evidence ("part; part") or comment."""
    head, sep, rest = text.partition(": ")
    if sep and head in _WORDS:
        return head, ", ", _split(rest, ", ")
    if "; " in text:
        return None, "; ", text.split("; ")
    return None, ", ", _split(text, ", ")


def _split(text: str, sep: str) -> list[str]:
    # Some fragments hold the separator (the insulation summary, the ISO zone bounds).
    if any(pattern.fullmatch(text) for pattern, _ in _RULES):
        return [text]
    return text.split(sep)


def known(text: str) -> bool:
    """Whether every fragment of ``text`` has a pattern (or is a known word)."""
    _, _, parts = _parse(text)
    return all(p in _WORDS or any(r.fullmatch(p) for r, _ in _RULES) for p in parts)


def sentence(text: str) -> str:
    """A summary, evidence or comment of the core, in the user's words; as it came (English)
    when a fragment has no template, rather than half translated."""
    if not text:
        return text
    key = (language_in_use(), text)
    said = _said.get(key)
    if said is None:
        if len(_said) > 10_000:  # texts hold figures: keep the cache from growing forever
            _said.clear()
        said = _said[key] = _sentence(text)
    return said


_said: dict[tuple[str, str], str] = {}  # (language, text) -> what is shown


def _sentence(text: str) -> str:
    if not known(text):
        return text
    head, sep, parts = _parse(text)
    joiner = _tr(
        QT_TRANSLATE_NOOP("CoreText", ", ") if sep == ", " else QT_TRANSLATE_NOOP("CoreText", "; ")
    )
    body = joiner.join(fragment(p) for p in parts)
    return _fill(QT_TRANSLATE_NOOP("CoreText", "%1: %2"), word(head), body) if head else body
