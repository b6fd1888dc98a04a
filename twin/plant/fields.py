"""Value checks for plant-file fields, shared by the loader and the fault-spec parser.

Each check takes a raw TOML value and returns the cleaned value, or raises `FieldError`
whose message completes a sentence that starts with the field name ("must be ...").
"""

from __future__ import annotations

import difflib
import itertools
import json
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from types import MappingProxyType
from typing import Any

from twin.plant.model import ALARM_KINDS, ALARM_PRIORITIES, AlarmSettings
from twin.values import DTYPES

ID_RE = re.compile(r"[A-Za-z0-9_-]+")
MAX_RATE_HZ = 100_000.0

# Order in which limits must sit on the value axis; the first two are "low" limits.
LIMIT_KEYS = ("alarm_low", "warn_low", "warn_high", "alarm_high")


class FieldError(ValueError):
    """A raw value failed its check; the message reads after the field name."""


def suggest(word: str, options: Iterable[str], n: int = 1) -> list[str]:
    """The closest few of ``options`` to ``word`` (may be empty)."""
    return difflib.get_close_matches(word, list(options), n=n, cutoff=0.6)


def did_you_mean(word: str, options: Iterable[str]) -> str:
    """' (did you mean "x"?)' for the closest option, or a list of all options."""
    opts = sorted(options)
    close = suggest(word, opts)
    if close:
        return f' (did you mean "{close[0]}"?)'
    if not opts:
        return ""
    shown = ", ".join(opts[:12])  # a plant may have thousands of assets: list only a few
    return f"; valid: {shown}" + (f", ... ({len(opts)} in all)" if len(opts) > 12 else "")


def show(value: object, limit: int = 60) -> str:
    """A raw value as it would look in TOML, for messages ("x" rather than 'x'), shortened."""
    text = _toml(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _toml(value: object) -> str:
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(map(_toml, value)) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {_toml(v)}" for k, v in value.items()) + " }"
    return repr(value)


def one_of(value: object, options: Sequence[str]) -> str:
    """One of ``options`` (kinds); the message lists them and suggests the closest."""
    if isinstance(value, str) and value in options:
        return value
    hint = ""
    if isinstance(value, str) and (close := suggest(value, options)):
        hint = f' (did you mean "{close[0]}"?)'
    raise FieldError(f"must be one of {', '.join(options)}, got {show(value)}{hint}")


def _is_number(value: object) -> bool:
    # TOML booleans load as bool, which Python counts as int: reject them explicitly.
    return isinstance(value, int | float) and not isinstance(value, bool)


def number(value: object) -> float:
    """A finite int or float."""
    if not _is_number(value):
        raise FieldError(f"must be a number, got {show(value)}")
    result = float(value)  # type: ignore[arg-type]
    if not math.isfinite(result):
        raise FieldError(f"must be a finite number, got {show(value)}")
    return result


def integer(value: object) -> int:
    """A non-negative integer (seeds)."""
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise FieldError(f"must be a non-negative integer, got {show(value)}")
    return value


def text(value: object) -> str:
    if not isinstance(value, str):
        raise FieldError(f"must be a string, got {show(value)}")
    return value


def name(value: object) -> str:
    """A non-blank display name."""
    if not isinstance(value, str) or not value.strip():
        raise FieldError(f"must be a non-empty string, got {show(value)}")
    return value


def ident(value: object) -> str:
    """An id: letters, digits, '_' and '-' only (so "<asset>.<key>" splits unambiguously)."""
    if not isinstance(value, str):
        raise FieldError(f"must be a string, got {show(value)}")
    if not ID_RE.fullmatch(value):
        raise FieldError(f"{show(value)} may contain only letters, digits, '_' and '-'")
    return value


def signal_key(value: object) -> str:
    """A signal key; like an id, and '.' is called out because it separates asset and key."""
    if isinstance(value, str) and "." in value:
        raise FieldError(f"{show(value)} must not contain '.' (it separates asset id and key)")
    return ident(value)


def rate(value: object) -> float:
    """A sample rate in Hz, 0 < rate <= 100 kHz."""
    hz = number(value)
    if not 0.0 < hz <= MAX_RATE_HZ:
        raise FieldError(f"must be > 0 and <= {MAX_RATE_HZ:g} Hz, got {show(value)}")
    return hz


def non_negative(value: object) -> float:
    result = number(value)
    if result < 0.0:
        raise FieldError(f"must be >= 0, got {show(value)}")
    return result


_DURATION_RE = re.compile(r"([0-9]*\.?[0-9]+(?:[eE][-+]?[0-9]+)?)\s*(s|m|h)?")
_UNIT_S = {None: 1.0, "s": 1.0, "m": 60.0, "h": 3600.0}
DURATION_FORM = "seconds, or a number with s, m or h (600, 10m, 1.5h)"


def duration_text(text: str) -> float:
    """Seconds in ``text``: "600", "600s", "10m", "2h", "1.5h"; FieldError otherwise."""
    stripped = text.strip()
    match = _DURATION_RE.fullmatch(stripped)
    if match is None:
        if stripped.startswith("-") or stripped.lower() in {"inf", "infinity", "nan"}:
            raise FieldError(f"must be a finite time >= 0, got {show(text)}")
        raise FieldError(f"{show(text)} is not a time: {DURATION_FORM}")
    seconds = float(match.group(1)) * _UNIT_S[match.group(2)]
    if not math.isfinite(seconds):
        raise FieldError(f"must be a finite time >= 0, got {show(text)}")
    return seconds


def duration(value: object) -> float:
    """A time >= 0: a number of seconds, or a string with a unit ("10m", "2h")."""
    if isinstance(value, str):
        return duration_text(value)
    return non_negative(value)


def vec3(value: object) -> tuple[float, float, float]:
    """Three finite numbers [x, y, z]."""
    if not isinstance(value, list) or len(value) != 3 or not all(map(_is_number, value)):
        raise FieldError(f"must be a list of 3 numbers [x, y, z], got {show(value)}")
    x, y, z = (number(v) for v in value)
    return (x, y, z)


def span(value: object) -> tuple[float, float]:
    """A range [low, high] of finite numbers with low < high."""
    if not isinstance(value, list) or len(value) != 2 or not all(map(_is_number, value)):
        raise FieldError(f"must be a list of 2 numbers [low, high], got {show(value)}")
    low, high = (number(v) for v in value)
    if not low < high:
        raise FieldError(f"must have low < high, got {show(value)}")
    return (low, high)


def table(value: object) -> dict[str, object]:
    if not isinstance(value, dict):
        raise FieldError(f"must be a table, got {show(value)}")
    return value


def params(value: object) -> dict[str, float | str]:
    """Equipment parameters: numbers (as float) or strings."""
    result: dict[str, float | str] = {}
    for key, item in table(value).items():
        if isinstance(item, str):
            result[key] = item
        elif _is_number(item):
            try:
                result[key] = number(item)
            except FieldError as exc:
                raise FieldError(f"entry {key} {exc}") from None
        else:
            raise FieldError(f"entry {key} must be a number or a string, got {show(item)}")
    return result


def frozen(value: object) -> object:
    """A read-only deep copy: tables become mappingproxies, arrays tuples."""
    if isinstance(value, dict):
        return MappingProxyType({k: frozen(v) for k, v in value.items()})
    if isinstance(value, list):
        return tuple(frozen(v) for v in value)
    return value


def value_type(value: object) -> str:
    """A signal's value type: float32, float64 or int64 (counters, energy)."""
    return one_of(value, DTYPES)


def source(value: object) -> Mapping[str, object]:
    """A signal's connector settings, kept verbatim but read-only."""
    return frozen(table(value))  # type: ignore[return-value]


def limits_order_error(limits: Mapping[str, float]) -> tuple[str, str] | None:
    """(field, reason) for the first limit out of order, or None if they are in order.

    Required: alarm_low <= warn_low < warn_high <= alarm_high, for those present. Checking
    neighbours among the present limits is enough: the order is transitive.
    """
    present = [k for k in LIMIT_KEYS if k in limits]
    for lower, upper in itertools.pairwise(present):
        a, b = limits[lower], limits[upper]
        crosses = lower.endswith("_low") and upper.endswith("_high")
        if a > b:
            return lower, f"{lower} ({a}) is above {upper} ({b})"
        if crosses and a == b:
            return lower, f"{lower} ({a}) must be below {upper} ({b})"
    return None


# --- a signal's alarm = { ... } table --------------------------------------------------------

_ALARM_KEYS = (
    "priority", "priorities", "deadband", "on_delay_s", "off_delay_s",
    "roc_per_s", "roc_window_s", "stale_s", "no_data",
)  # fmt: skip
# The limit each limit-alarm kind needs.
_KIND_LIMIT = {"HH": "alarm_high", "H": "warn_high", "L": "warn_low", "LL": "alarm_low"}


def _positive(value: object) -> float:
    result = number(value)
    if not result > 0.0:
        raise FieldError(f"must be > 0, got {show(value)}")
    return result


def _boolean(value: object) -> bool:
    if not isinstance(value, bool):
        raise FieldError(f"must be true or false, got {show(value)}")
    return value


def _priority(value: object) -> str:
    return one_of(value, ALARM_PRIORITIES)


def _priorities(value: object) -> Mapping[str, str]:
    out: dict[str, str] = {}
    for kind, item in table(value).items():
        if kind not in ALARM_KINDS:
            raise FieldError(f'has an unknown alarm kind "{kind}"{did_you_mean(kind, ALARM_KINDS)}')
        try:
            out[kind] = _priority(item)
        except FieldError as exc:
            raise FieldError(f"{kind} {exc}") from None
    return MappingProxyType(out)


_ALARM_CHECKS = {
    "priority": _priority,
    "priorities": _priorities,
    "deadband": non_negative,
    "on_delay_s": non_negative,
    "off_delay_s": non_negative,
    "roc_per_s": _positive,
    "roc_window_s": _positive,
    "stale_s": _positive,
    "no_data": _boolean,
}


def alarm_settings(
    raw: Mapping[str, object], limits: Mapping[str, float], rate_hz: float
) -> AlarmSettings:
    """A signal's ``alarm`` table, checked alone and against the signal's limits and rate.

    Unlike the other checks, the FieldError message is complete and names the key
    ("alarm.deadband must be >= 0, got -1.0"), since the key sits inside the table.
    """
    for key in raw:
        if key not in _ALARM_CHECKS:
            raise FieldError(f'alarm has an unknown key "{key}"{did_you_mean(key, _ALARM_KEYS)}')
    out: dict[str, Any] = {}
    for key, check in _ALARM_CHECKS.items():
        if key in raw:
            try:
                out[key] = check(raw[key])
            except FieldError as exc:
                # "priorities" errors name a kind ("HH must be ..."): join with a dot.
                nested = key == "priorities" and str(exc).split(" ", 1)[0] in ALARM_KINDS
                raise FieldError(f"alarm.{key}{'.' if nested else ' '}{exc}") from None
    settings = AlarmSettings(**out)
    if problem := _alarm_conflict(settings, raw, limits, rate_hz):
        raise FieldError(problem)
    return settings


def _alarm_conflict(
    a: AlarmSettings, raw: Mapping[str, object], limits: Mapping[str, float], rate_hz: float
) -> str | None:
    """Why the settings contradict the signal (or each other), or None."""
    highs = [k for k in ("warn_high", "alarm_high") if k in limits]
    lows = [k for k in ("warn_low", "alarm_low") if k in limits]
    if a.deadband and highs and lows:
        # A deadband as wide as the normal band would hold a high alarm while the value
        # already sits beyond the low limit.
        hi, lo = highs[0], lows[0]
        if a.deadband >= limits[hi] - limits[lo]:
            return (
                f"alarm.deadband ({a.deadband:g}) must be smaller than the gap between "
                f"{lo} ({limits[lo]:g}) and {hi} ({limits[hi]:g})"
            )
    period = 1.0 / rate_hz
    if a.stale_s is not None and a.stale_s <= period:
        return (
            f"alarm.stale_s ({a.stale_s:g}) must be longer than one sample period "
            f"({period:g} s at {rate_hz:g} Hz)"
        )
    for kind in a.priorities:
        limit = _KIND_LIMIT.get(kind)
        if limit is not None and limit not in limits:
            return f"alarm.priorities.{kind} is set but the signal has no {limit}"
        if kind == "ROC" and a.roc_per_s is None:
            return "alarm.priorities.ROC is set but roc_per_s is not"
        if kind == "NO_DATA" and not a.no_data:
            return "alarm.priorities.NO_DATA is set but no_data is false"
    if "roc_window_s" in raw and a.roc_per_s is None:
        return "alarm.roc_window_s is set but roc_per_s is not"
    return None
