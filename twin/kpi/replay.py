"""Line indicators at a cursor, read through a `SeriesReader` (the rings live, the history
in a replay): the window is the shift under way at the cursor (the last 8 h where the
plant has no shifts). Moving forward feeds only the new samples; moving back or into
another shift reads the window again."""

from __future__ import annotations

from twin.kpi.indicators import Indicators, compute
from twin.kpi.plan import Plan, current_shift, plant_plan
from twin.kpi.tracker import CycleTracker
from twin.plant.model import Plant
from twin.store.series import SeriesReader
from twin.timebase import NS_PER_S

DEFAULT_WINDOW_NS = 8 * 3600 * NS_PER_S


class CursorIndicators:
    """``at(t)``: the indicators of the shift under way at ``t``, or None while loading."""

    def __init__(self, plant: Plant, reader: SeriesReader, plan: Plan | None = None) -> None:
        self.plant = plant
        self.reader = reader
        self.plan = plant_plan(plant) if plan is None else plan
        self._tracker = CycleTracker(plant)
        self._ids = self._tracker.signal_ids
        self._window: tuple[int, int] | None = None
        self._fed_to = 0

    @property
    def has_lines(self) -> bool:
        return bool(self.plant.lines)

    def window_at(self, t: int) -> tuple[str, int, int]:
        """(shift id, start, end) of the window the indicators at ``t`` cover."""
        found = current_shift(self.plant, t)
        if found is not None and found[1] <= t:
            shift, start, end = found
            return shift.id, start, end
        return "", t - DEFAULT_WINDOW_NS, t

    def at(self, t: int) -> Indicators | None:
        shift_id, start, end = self.window_at(t)
        if self._window != (start, end) or t < self._fed_to:
            self._tracker = CycleTracker(self.plant)
            self._window, self._fed_to = (start, end), start - 1
        if t > self._fed_to:
            # One bin a second keeps 1 Hz signals raw over the whole window.
            bins = max(1, (t - self._fed_to) // NS_PER_S + 1)
            store = self.reader.range(self._ids, self._fed_to + 1, t, int(bins))
            if store is None:
                return None
            for signal_id in self._ids:
                if signal_id in store:
                    times, values = store.window(signal_id, self._fed_to + 1, t)
                    self._tracker.feed(signal_id, times, values)
            self._fed_to = t
        shift = (shift_id, start, end) if shift_id else None
        return compute(self._tracker, start, t, self.plan, shift)
