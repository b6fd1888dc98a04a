"""Time <-> pixel mapping, zoom and pan limits, local-time ticks and alarm density.

Plain Python and numpy (no Qt), so that the arithmetic the timeline's mouse handling and
painting rest on can be tested on its own.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, tzinfo

import numpy as np

NS = 1_000_000_000
MIN_SPAN_NS = NS  # zoomed in to one second across the widget at most
DEFAULT_SPAN_NS = 3600 * NS  # shown before a recording range is known
# Spans a growing recording is fitted into: the next one is taken when the recording
# outgrows the one shown, so the view (and its ticks) holds still in between; the last is
# a shift, after which the view pages along with the live edge.
FIT_SPANS_NS: tuple[int, ...] = tuple(m * 60 * NS for m in (5, 10, 15, 30, 60, 120, 240, 480))
FAR_FUTURE_NS = 2**62  # later than any timestamp
SLACK = 0.1  # a view may reach this fraction of its span beyond each end of the recording

# Tick steps in seconds: the ones a clock face makes readable.
TICK_STEPS_S: tuple[float, ...] = (
    *(0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5),
    *(1, 2, 5, 10, 15, 30),
    *(60, 120, 300, 600, 900, 1800),
    *(3600, 2 * 3600, 3 * 3600, 6 * 3600, 12 * 3600),
    *(86400, 2 * 86400, 7 * 86400, 14 * 86400, 28 * 86400),
)


@dataclass(frozen=True, slots=True)
class TimeScale:
    """Maps [t0, t1] (ns) onto [x0, x0 + width] (pixels)."""

    t0: int
    t1: int
    x0: float
    width: float

    @property
    def ns_per_px(self) -> float:
        return (self.t1 - self.t0) / max(self.width, 1.0)

    def x(self, t: int | float) -> float:
        return self.x0 + (t - self.t0) / self.ns_per_px

    def t(self, x: float) -> int:
        return round(self.t0 + (x - self.x0) * self.ns_per_px)


def zoom(
    view: tuple[int, int], anchor: int, factor: float, limit: tuple[int, int] | None
) -> tuple[int, int]:
    """``view`` scaled by ``factor`` (< 1 zooms in) keeping ``anchor`` where it is."""
    t0, t1 = view
    span = t1 - t0
    max_span = _max_span(limit)
    new_span = round(min(max_span, max(MIN_SPAN_NS, span * factor)))
    frac = (anchor - t0) / span if span else 0.5
    a = round(anchor - frac * new_span)
    return clamp_view((a, a + new_span), limit)


def pan(view: tuple[int, int], dt: int, limit: tuple[int, int] | None) -> tuple[int, int]:
    """``view`` moved by ``dt`` ns, kept over the recording."""
    return clamp_view((view[0] + dt, view[1] + dt), limit)


def clamp_view(view: tuple[int, int], limit: tuple[int, int] | None) -> tuple[int, int]:
    """Keep a view from drifting off the recording: it may overhang each end by a tenth
    of its span, so the first and last moments can be brought to the middle-ish; a view
    wider than the recording keeps all of it, with that tenth of air at each end."""
    t0, t1 = view
    span = max(t1 - t0, MIN_SPAN_NS)
    if limit is None:
        return t0, t0 + span
    span = min(span, _max_span(limit))
    lo, hi = limit
    slack = round(span * SLACK)
    first, last = sorted((lo - slack, hi + slack - span))  # where t0 may be
    t0 = min(max(t0, first), last)
    return t0, t0 + span


def _max_span(limit: tuple[int, int] | None) -> int:
    if limit is None:
        return 366 * 86400 * NS
    length = limit[1] - limit[0]
    return max(MIN_SPAN_NS, round(length * 1.2), fit_span(length))


def fit_span(length: int) -> int:
    """The span that shows a growing recording ``length`` long with room to grow: the
    first of FIT_SPANS_NS it fills no more than allowed by the slack at each end."""
    for span in FIT_SPANS_NS:
        if length <= span * (1 - 2 * SLACK):
            return span
    return FIT_SPANS_NS[-1]


def fit_view(extent: tuple[int, int], growing: bool) -> tuple[int, int]:
    """The view that shows a recording at a glance. A finished one: all of it. A growing
    one (``extent`` ends at the live edge): all of it from a tenth in, in the first of
    FIT_SPANS_NS that leaves it room to grow; longer than the last, the last one up to
    the live edge, paged on a twentieth at a time."""
    lo, hi = extent
    if not growing:
        return lo, hi
    span = fit_span(hi - lo)
    if hi - lo <= span * (1 - 2 * SLACK):
        t0 = lo - round(span * SLACK)
        return t0, t0 + span
    page = span // 20
    t1 = -(-(hi + page) // page) * page  # the live edge a page or two in from the right
    return t1 - span, t1


# --------------------------------------------------------------------------- ticks
def utc_offset_ns(t: int, tz: tzinfo | None) -> int:
    """Offset of local time (``tz``, or the system's when None) from UTC at ``t``."""
    dt = datetime.fromtimestamp(t / NS, tz) if tz is not None else _local(t)
    off = dt.utcoffset()
    return 0 if off is None else round(off.total_seconds() * NS)


def _local(t: int) -> datetime:
    return datetime.fromtimestamp(t / NS).astimezone()


def local_datetime(t: int, tz: tzinfo | None) -> datetime:
    return datetime.fromtimestamp(t / NS, tz) if tz is not None else _local(t)


def tick_format(step_s: float) -> Callable[[datetime], str]:
    """How ticks ``step_s`` apart are labelled; midnights show the date instead."""

    def fmt(d: datetime) -> str:
        if step_s >= 86400:
            return d.strftime("%Y-%m-%d")
        if d.hour == d.minute == d.second == d.microsecond == 0:
            return d.strftime("%m-%d")
        if step_s < 1:
            return d.strftime("%H:%M:%S.") + f"{d.microsecond // 1000:03d}"
        if step_s < 60:
            return d.strftime("%H:%M:%S")
        return d.strftime("%H:%M")

    return fmt


_SAMPLES = {0.5: "00:00:00.000", 30: "00:00:00", 43200: "00:00", 10**9: "0000-00-00"}


def tick_step(span_ns: int, width_px: float, measure: Callable[[str], float]) -> float:
    """The smallest step (s) whose labels, measured by ``measure``, do not collide."""
    for step in TICK_STEPS_S:
        sample = next(s for limit, s in _SAMPLES.items() if step <= limit)
        if step * NS / span_ns * width_px >= measure(sample) * 1.5 + 8:
            return step
    return TICK_STEPS_S[-1]


def time_ticks(
    scale: TimeScale, tz: tzinfo | None, measure: Callable[[str], float] = lambda s: 7 * len(s)
) -> list[tuple[int, str]]:
    """(time, label) of the ticks in ``scale``'s view, on local-time boundaries: hourly
    ticks fall on local hours even in a +05:30 zone, daily ones on local midnights."""
    step = tick_step(scale.t1 - scale.t0, scale.width, measure)
    step_ns = round(step * NS)
    if step >= 7 * 86400:  # weeks and more: every step-th local midnight
        step_ns = 86400 * NS * round(step / 86400)
    fmt = tick_format(step)
    off = utc_offset_ns(scale.t0, tz)
    local = scale.t0 + off
    first = -(-local // step_ns) * step_ns
    out: list[tuple[int, str]] = []
    n = math.ceil((scale.t1 - scale.t0) / step_ns) + 2
    for i in range(n):
        tl = first + i * step_ns
        t = tl - utc_offset_ns(tl - off, tz)  # the offset may change across the view (DST)
        if t > scale.t1:
            break
        if t >= scale.t0:
            out.append((t, fmt(local_datetime(t, tz))))
    return out


def format_time(t: int, tz: tzinfo | None, ms: bool = True) -> str:
    """A cursor time for labels: 2025-06-15 14:03:07.250 (local)."""
    d = local_datetime(t, tz)
    text = d.strftime("%Y-%m-%d %H:%M:%S")
    return f"{text}.{d.microsecond // 1000:03d}" if ms else text


# ------------------------------------------------------------------ alarm density
DENSITY_FULL_PER_MIN = 60.0  # this many alarms per minute fills the strip


def alarm_density(
    times: np.ndarray, scale: TimeScale, origin: int = 0
) -> tuple[np.ndarray, np.ndarray, float]:
    """Alarms per minute in bins of at least a minute (and at least 2 px) over the view:
    (bin starts ns, rates per minute, bin width ns). ``times`` sorted int64 ns. Bins are
    aligned on ``origin`` (the recording's start: the first bin starts with it) plus
    multiples of their width, so that they stay put while the view pans."""
    bin_ns = max(60 * NS, round(2 * scale.ns_per_px))
    first = origin + ((scale.t0 - origin) // bin_ns) * bin_ns
    edges = np.arange(first, scale.t1 + bin_ns, bin_ns, dtype=np.int64)
    if edges.size < 2 or times.size == 0:
        return edges[:0], np.zeros(0), float(bin_ns)
    counts = np.diff(np.searchsorted(times, edges))
    keep = counts > 0
    return edges[:-1][keep], counts[keep] * (60 * NS / bin_ns), float(bin_ns)


def density_fraction(rate_per_min: np.ndarray) -> np.ndarray:
    """0..1 bar heights on a log scale: one alarm a minute shows, 60 fill the strip."""
    return np.clip(np.log1p(rate_per_min) / math.log1p(DENSITY_FULL_PER_MIN), 0.15, 1.0)
