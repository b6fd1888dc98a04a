"""Value checks for ``[[connections]]`` tables and signal ``source`` tables.

Shared by the generic parser (``config``) and the protocol entries (``*_protocol``). A
check takes a raw TOML value and returns the cleaned value or raises ``FieldError`` whose
message completes a sentence that starts with the field name ("must be ..."); ``check``
turns that into a ``ConfigError`` naming the field.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from twin.plant import fields as F
from twin.plant.model import Signal

Check = Callable[[object], object]

_ENV_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


class ConfigError(ValueError):
    """A connection or binding that cannot be used. ``key`` is the offending field (for
    the line number), ``reason`` the complete message."""

    def __init__(self, reason: str, key: str | None = None) -> None:
        super().__init__(reason)
        self.reason, self.key = reason, key


def check(key: str, value: object, fn: Check) -> object:
    """``fn(value)``, its FieldError turned into a ConfigError that names ``key``."""
    try:
        return fn(value)
    except F.FieldError as exc:
        raise ConfigError(f"{key} {exc}", key) from None


def boolean(value: object) -> bool:
    if not isinstance(value, bool):
        raise F.FieldError(f"must be true or false, got {F.show(value)}")
    return value


def int_in(lo: int, hi: int) -> Callable[[object], int]:
    def check_int(value: object) -> int:
        if not isinstance(value, int) or isinstance(value, bool) or not lo <= value <= hi:
            raise F.FieldError(f"must be an integer from {lo} to {hi}, got {F.show(value)}")
        return value

    return check_int


def positive(value: object) -> float:
    result = F.number(value)
    if result <= 0:
        raise F.FieldError(f"must be > 0, got {F.show(value)}")
    return result


def one_of(options: tuple[str, ...]) -> Callable[[object], str]:
    return lambda value: F.one_of(value, options)


def host(value: object) -> str:
    name = F.name(value).strip()
    if any(c.isspace() for c in name) or "/" in name:
        raise F.FieldError(f"must be a host name or address, got {F.show(value)}")
    return name


def env_name(value: object) -> str:
    if not isinstance(value, str) or not _ENV_RE.fullmatch(value):
        raise F.FieldError(
            f"must be the NAME of an environment variable (letters, digits, _), got "
            f"{F.show(value)}; never put the password itself in the plant file"
        )
    return value


def keyring_entry(value: object) -> tuple[str, str]:
    table = F.table(value)
    extra = sorted(set(table) - {"service", "name"})
    if extra or not all(isinstance(table.get(k), str) and table[k] for k in ("service", "name")):
        raise F.FieldError(f'must be {{ service = "...", name = "..." }}, got {F.show(value)}')
    return (str(table["service"]), str(table["name"]))


def substitute(text: str, signal: Signal) -> str:
    """Fill ``{asset}`` and ``{key}`` in a topic or node id, so that a template signal can
    bind every asset made from it (``topic = "line1/{asset}/temp"``)."""
    return text.replace("{asset}", signal.asset_id).replace("{key}", signal.key)
