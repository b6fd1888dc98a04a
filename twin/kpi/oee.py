"""OEE = availability x performance x quality, and its losses, vectorised over machines.

- availability = run time / planned time, run time = planned time - downtime;
- performance = ideal cycle x parts / run time (slow cycles and micro-stops lose here;
  it exceeds 1 when a machine beats the ideal cycle, which then is no ideal);
- quality = good parts / parts.

So OEE = ideal cycle x good parts / planned time. The losses are in seconds of planned
time: downtime (by cause, from the state signal), speed loss = run time - ideal x parts,
and scrap loss = ideal x scrap parts; with the good parts' ideal time they add up to the
planned time.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True, slots=True)
class Oee:
    """OEE and its factors and losses, each an array over machines (NaN: undefined)."""

    planned_s: np.ndarray
    downtime_s: np.ndarray
    run_s: np.ndarray
    parts: np.ndarray
    good: np.ndarray
    availability: np.ndarray
    performance: np.ndarray
    quality: np.ndarray
    oee: np.ndarray
    speed_loss_s: np.ndarray
    scrap_loss_s: np.ndarray


def _ratio(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(b > 0, a / np.where(b > 0, b, 1.0), np.nan)


def compute_oee(
    planned_s: np.ndarray | float,
    downtime_s: np.ndarray | float,
    parts: np.ndarray | float,
    scrap: np.ndarray | float,
    ideal_cycle_s: np.ndarray | float,
) -> Oee:
    """OEE from planned time, downtime, parts made, scrap parts and the ideal cycle time."""
    planned = np.asarray(planned_s, float)
    down = np.minimum(np.asarray(downtime_s, float), planned)
    parts_ = np.asarray(parts, float)
    scrap_ = np.minimum(np.asarray(scrap, float), parts_)
    ideal = np.asarray(ideal_cycle_s, float)
    run = planned - down
    good = parts_ - scrap_
    availability = _ratio(run, planned)
    performance = _ratio(ideal * parts_, run)
    quality = _ratio(good, parts_)
    oee = _ratio(ideal * good, planned)
    return Oee(
        planned_s=planned,
        downtime_s=down,
        run_s=run,
        parts=parts_,
        good=good,
        availability=availability,
        performance=np.where(parts_ > 0, performance, np.where(run > 0, 0.0, np.nan)),
        quality=quality,
        oee=oee,
        speed_loss_s=run - ideal * parts_,
        scrap_loss_s=ideal * scrap_,
    )
