"""The clock of a trainee's session: the trainee never sees past the furthest moment the
scenario has reached, and the scenario stops at each step.

``TrainingClock`` is a ``PlaybackClock`` whose seeks (timeline clicks, steps, "back to
live", loops) end at ``reached_ns``, the furthest cursor it has shown, and whose play is
refused while ``held`` (a step waits for the trainee). Its fixed end is the next stop
(``stop_at``): the clock pauses exactly there as a replay pauses at its end, so a step
opens at its own time whatever the speed. Looking back at what has been seen is allowed.
"""

from __future__ import annotations

from collections.abc import Callable

from twin.clock import PlaybackClock
from twin.timebase import now_ns


class TrainingClock(PlaybackClock):
    """A replay clock locked to the scenario so far (see the module docstring)."""

    def __init__(self, wall: Callable[[], int] = now_ns) -> None:
        super().__init__(wall)
        self.reached_ns: int | None = None  # the furthest cursor shown; None: not begun
        self.held = False  # a step waits for the trainee: the clock does not play
        self.unlocked = False  # the debrief: the whole session may be replayed

    def begin(self, start_ns: int, first_stop_ns: int) -> None:
        """Start at ``start_ns``, paused, with the first stop at ``first_stop_ns``."""
        self.reached_ns = start_ns
        self.set_bounds(start_ns, max(start_ns, first_stop_ns))
        self.pause()
        super().seek(start_ns)

    def stop_at(self, t_ns: int) -> None:
        """The clock pauses when it reaches ``t_ns`` (the next step, or the scenario's end)."""
        start = self.bounds[0]
        self.set_bounds(start, t_ns if start is None else max(start, t_ns))

    def limit(self) -> int | None:
        """The latest time the trainee may go to now (None: anywhere)."""
        return None if self.unlocked else self.reached_ns

    def now(self) -> int:
        t = super().now()
        if self.reached_ns is not None and t > self.reached_ns and not self.unlocked:
            self.reached_ns = t
        return t

    __call__ = now  # the base class binds its own ``now``

    def seek(self, t: int) -> int:
        limit = self.limit()
        return super().seek(int(t) if limit is None else min(int(t), limit))

    def play(self) -> None:
        if not self.held:
            super().play()

    def go_live(self) -> None:
        """No live edge here: "back to live" goes to the furthest moment reached."""
        limit = self.limit()
        bounds_end = self.bounds[1]
        self.seek(limit if limit is not None else bounds_end if bounds_end is not None else 0)

    def set_loop(self, a: int, b: int) -> tuple[int, int]:
        limit = self.limit()
        if limit is not None:
            a, b = min(a, limit), min(b, limit)
        return super().set_loop(a, b)
