"""Production lines and shifts of a plant file (``[[lines]]``, ``[[shifts]]``).

A line is machines in flow order that make one part each per cycle, a target cycle time,
and how each machine's cycles are told from its signals (``CycleRule``). A shift is a
daily time window with a plan: parts per line.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

# How a cycle is told from a signal: "counter" (each increment ends a cycle), "position"
# (a cycle starts when the position leaves the top after resting there at least dwell_s),
# "state" (a cycle is each run of the signal at the running value).
CYCLE_RULES = ("counter", "position", "state")


@dataclass(frozen=True, slots=True)
class CycleRule:
    """How one machine's cycles are detected, and which signals tell the rest.

    ``signal`` is the key the rule reads; ``top`` (position: at or below it the ram is at
    the top), ``dwell_s`` (position: the shortest rest that separates two cycles) and
    ``running`` (state: the running value) tune it. ``state``, ``power``/``energy`` and
    ``scrap`` name the signals of the machine state (downtime by cause), power in kW or
    cumulative energy in kWh, and a scrap counter; "" where there is none.
    """

    rule: str
    signal: str
    top: float = 0.5
    dwell_s: float = 5.0
    running: float = 1.0
    state: str = ""
    power: str = ""
    energy: str = ""
    scrap: str = ""


@dataclass(frozen=True, slots=True)
class Line:
    """A production line: ``machines`` (asset ids in flow order), the target cycle time,
    the machine whose count is the line's output, each machine's rule, the downtime
    causes by state code, and the parts planned per shift (by shift id)."""

    id: str
    name: str
    machines: tuple[str, ...]
    target_cycle_s: float
    output: str
    rules: Mapping[str, CycleRule]
    causes: Mapping[int, str] = field(default_factory=lambda: DEFAULT_CAUSES)
    plan: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}))


@dataclass(frozen=True, slots=True)
class Shift:
    """A daily shift: it starts at ``start_s`` seconds after midnight (UTC) and lasts
    ``length_s`` (it may run past midnight)."""

    id: str
    name: str
    start_s: float
    length_s: float


# State codes a machine's state signal uses when the plant file names no causes: 0 idle,
# 1 running, 2 and up stopped for a cause.
DEFAULT_CAUSES: Mapping[int, str] = MappingProxyType(
    {2: "Breakdown", 3: "Tool change", 4: "Material shortage", 5: "Electrical fault"}
)
