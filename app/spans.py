"""The plots' time spans, and how a span is written on the command line."""

from __future__ import annotations

import re

# From a few seconds of vibration to a shift and a day: spans beyond what the live store
# keeps are read from the recording (at plot resolution, peaks kept).
SPANS_S = (10, 30, 120, 600, 3600, 8 * 3600, 24 * 3600)
DEFAULT_SPAN_S = 120

_UNITS = {"": 1, "s": 1, "min": 60, "h": 3600}
_SPAN = re.compile(r"^\s*(\d+)\s*(s|min|h)?\s*$")


def parse_span(text: str) -> int:
    """``10s``, ``2min``, ``8h`` or plain seconds -> seconds, one of SPANS_S; ValueError
    naming the choices otherwise."""
    match = _SPAN.match(text.lower())
    seconds = int(match.group(1)) * _UNITS[match.group(2) or ""] if match else None
    if seconds not in SPANS_S:
        raise ValueError(f"{text!r} is not a plot span; use one of {', '.join(_names())}")
    return seconds


def _names() -> list[str]:
    return [
        f"{s // 3600}h" if s >= 3600 else f"{s // 60}min" if s >= 60 else f"{s}s" for s in SPANS_S
    ]
