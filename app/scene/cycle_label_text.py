"""What a line machine's label in the 3D view says, and in which colours: the progress of
its current cycle against the line's target, its last cycle against the target, its state
when it is not running (the line's cause of the stop), and whether it is the line's
bottleneck. Pure: indicators in, words and colours out (no VTK)."""

from __future__ import annotations

import math
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication

from app.line.text import duration
from app.shift.words import cause
from app.theme import STATE_RGB
from app.wall.text import SLOW_FACTOR
from twin.kpi.indicators import Indicators, LineIndicators
from twin.kpi.shift import OTHER_CAUSE
from twin.status import State

RGB = tuple[int, int, int]
TEXT_RGB: RGB = (214, 218, 222)
MUTED_RGB: RGB = (150, 156, 162)  # a progress not known yet
SLOW_RGB: RGB = STATE_RGB[State.WARNING]  # amber, as the wall screen's slow cycle
STOPPED_RGB: RGB = (240, 70, 60)  # a stop for a cause
PROGRESS_RGB: RGB = (92, 168, 124)  # a cycle under way within its target
BOTTLENECK_RGB: RGB = (120, 180, 255)
FIRST_STOP = 2  # state codes: 0 idle, 1 running, 2 and up a stop for a cause
NONE = "–"


@dataclass(frozen=True, slots=True)
class CycleLabel:
    """One machine's label. ``progress`` is the share of the target the cycle under way
    has run (NaN: unknown); ``state`` is "" while the machine runs (or has no state
    signal), else what stops it, and then the label shows it instead of the progress."""

    asset_id: str
    bottleneck: bool
    progress: float
    progress_text: str
    progress_rgb: RGB
    cycle_text: str
    cycle_rgb: RGB
    state: str
    state_rgb: RGB


def bottleneck_word() -> str:
    """The tag of the bottleneck's label: the Lines panel's word."""
    return QCoreApplication.translate("LineText", "bottleneck")


def state_words(code: float, li: LineIndicators) -> tuple[str, RGB]:
    """What a state code says on a label: the line's cause of a stop (a code the line
    does not name: "Other stop"); "" while running, idle (waiting between parts is part
    of the cycle) or unknown."""
    if math.isnan(code) or round(code) < FIRST_STOP:
        return "", TEXT_RGB
    return cause(li.line.causes.get(round(code), OTHER_CAUSE)), STOPPED_RGB


def progress_words(since_s: float, target_s: float) -> tuple[float, str, RGB]:
    """(share of the target, "62 %", colour) of a cycle that began ``since_s`` ago: amber
    once it runs slower than the target allows."""
    if not math.isfinite(since_s) or target_s <= 0:
        return math.nan, NONE, MUTED_RGB
    share = since_s / target_s
    rgb = SLOW_RGB if share > SLOW_FACTOR else PROGRESS_RGB
    return share, f"{100.0 * share:.0f} %", rgb


def cycle_words(last_s: float, target_s: float) -> tuple[str, RGB]:
    """ "last 3:31 / 3:36": the last cycle against the target, amber when slower."""
    text = QCoreApplication.translate("CycleLabels", "last %1 / %2")
    text = text.replace("%1", duration(last_s)).replace("%2", duration(target_s))
    slow = math.isfinite(last_s) and last_s > SLOW_FACTOR * target_s
    return text, SLOW_RGB if slow else TEXT_RGB


def line_labels(ind: Indicators, line_id: str) -> list[CycleLabel]:
    """The labels of a line's machines, in flow order."""
    li = ind.line(line_id)
    mi = ind.machines
    target = li.line.target_cycle_s
    out = []
    for i in li.machine_indices:
        asset_id = mi.asset_ids[i]
        share, progress, progress_rgb = progress_words(float(mi.since_cycle_s[i]), target)
        cycle, cycle_rgb = cycle_words(float(mi.cycle_last_s[i]), target)
        state, state_rgb = state_words(float(mi.state[i]), li)
        out.append(
            CycleLabel(
                asset_id,
                asset_id == li.bottleneck,
                share,
                progress,
                progress_rgb,
                cycle,
                cycle_rgb,
                state,
                state_rgb,
            )
        )
    return out


def plant_labels(ind: Indicators) -> dict[str, CycleLabel]:
    """Every line machine's label by asset id (a machine in two lines: the first's)."""
    out: dict[str, CycleLabel] = {}
    for li in ind.lines:
        for label in line_labels(ind, li.line.id):
            out.setdefault(label.asset_id, label)
    return out
