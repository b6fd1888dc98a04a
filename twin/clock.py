"""The playback clock: which moment every view shows, live or replayed.

Pure arithmetic on (wall time, rate, cursor) with an injectable wall clock, so it is
unit-testable without Qt and without sleeping. The cursor is int64 ns since the epoch.

In LIVE mode the cursor is the wall clock. In REPLAY mode it is an anchor (cursor, wall
time) plus ``rate`` x the wall time elapsed since the anchor while playing; every change
of rate, play state or position re-anchors at the current cursor, so nothing ever jumps.

Bounds are the recording's (start, end). An ``end`` of None means "the live edge": the
recording is still growing, and a replay that catches up with the wall clock goes live.
A fixed end pauses the replay when it is reached. A loop [a, b] wraps the cursor back to
``a`` when it passes ``b`` while playing; seeking outside the loop ends it, so whenever a
loop is set the cursor is inside it.

Not thread-safe: the GUI thread owns it (the frame scheduler calls ``now`` each frame).
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable
from enum import Enum

from twin.timebase import NS_PER_S, now_ns

SPEED_STEPS: tuple[float, ...] = (0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 25.0, 50.0, 100.0)
MIN_RATE = SPEED_STEPS[0]
MAX_RATE = SPEED_STEPS[-1]
#: How far ``step`` moves when there is no mark in that direction.
STEP_NS = NS_PER_S
#: While playing, "previous mark" skips a mark passed less than this much wall time ago,
#: so that pressing it repeatedly walks back instead of returning to the same mark.
MARK_GRACE_WALL_NS = NS_PER_S // 2


class ClockMode(Enum):
    LIVE = "live"
    REPLAY = "replay"


class PlaybackClock:
    """Cursor time for live view and replay: play/pause, speed, seek, loop, marks, bounds."""

    def __init__(
        self,
        wall: Callable[[], int] = now_ns,
        *,
        bounds: tuple[int | None, int | None] = (None, None),
        marks: Iterable[int] = (),
    ) -> None:
        self._wall = wall
        self._mode = ClockMode.LIVE
        self._playing = True
        self._rate = 1.0
        w = wall()
        self._anchor_w = w
        self._anchor_c = w
        self._start: int | None = None
        self._end: int | None = None
        self._loop: tuple[int, int] | None = None
        self._marks: list[int] = []
        self.set_bounds(*bounds)
        self.set_marks(marks)

    # ------------------------------------------------------------------ state
    @property
    def mode(self) -> ClockMode:
        return self._mode

    @property
    def is_live(self) -> bool:
        return self._mode is ClockMode.LIVE

    @property
    def playing(self) -> bool:
        """True while the cursor advances (always in LIVE mode)."""
        self.now()  # reaching a fixed end pauses; let that show here too
        return self._playing

    @property
    def rate(self) -> float:
        """Replay speed (x real time). LIVE mode keeps it for the next replay; the live
        cursor itself always runs at 1x."""
        return self._rate

    @property
    def loop(self) -> tuple[int, int] | None:
        return self._loop

    @property
    def bounds(self) -> tuple[int | None, int | None]:
        return self._start, self._end

    @property
    def marks(self) -> tuple[int, ...]:
        return tuple(self._marks)

    # ------------------------------------------------------------------ reading
    def now(self) -> int:
        """The cursor, int64 ns since the epoch."""
        return self._position(self._wall())

    def _position(self, w: int) -> int:
        """The cursor at wall time ``w``; settles reaching the end (pause) or the live
        edge (go live), so that the state agrees with the cursor it returns."""
        if self._mode is ClockMode.LIVE:
            return w
        if not self._playing:
            return self._anchor_c
        p = self._anchor_c + round(self._rate * (w - self._anchor_w))
        if self._loop is not None:
            a, b = self._loop
            if p > b:
                p = a + (p - a) % (b - a)
            return p
        if self._end is None:
            if p >= w:  # caught up with the live edge
                self._set_live(w)
                return w
            return p
        if p >= self._end:
            self._anchor(self._end, w)
            self._playing = False
            return self._end
        return p

    __call__ = now  # FrameScheduler takes a Callable[[], int]

    # ---------------------------------------------------------------- transport
    def play(self) -> None:
        """Advance the cursor; at a fixed end, restart from the start of the recording."""
        w = self._wall()
        c = self._position(w)
        if self._mode is ClockMode.LIVE or self._playing:
            return
        if self._loop is None and self._end is not None and c >= self._end:
            c = self._start if self._start is not None else c
        self._anchor(c, w)
        self._playing = True

    def pause(self) -> None:
        """Freeze the cursor; in LIVE mode, freeze the current moment as a replay."""
        w = self._wall()
        c = self._position(w)
        self._mode = ClockMode.REPLAY
        self._anchor(self._clamp(c, w), w)
        self._playing = False

    def toggle_play(self) -> None:
        if self.playing:
            self.pause()
        else:
            self.play()

    def set_rate(self, rate: float) -> float:
        """Set the replay speed, clamped to [MIN_RATE, MAX_RATE]; returns it."""
        if rate != rate:  # NaN
            raise ValueError("rate must be a number")
        self._reanchor()
        self._rate = min(MAX_RATE, max(MIN_RATE, float(rate)))
        return self._rate

    def faster(self) -> float:
        """Next speed step up (0.1, 0.25, 0.5, 1, 2, 5, 10, 25, 50, 100)."""
        i = bisect.bisect_right(SPEED_STEPS, self._rate * (1 + 1e-9))
        return self.set_rate(SPEED_STEPS[min(i, len(SPEED_STEPS) - 1)])

    def slower(self) -> float:
        """Next speed step down."""
        i = bisect.bisect_left(SPEED_STEPS, self._rate * (1 - 1e-9)) - 1
        return self.set_rate(SPEED_STEPS[max(i, 0)])

    def seek(self, t: int) -> int:
        """Move the cursor to ``t`` (clamped to the bounds), keeping the play state.

        From LIVE this enters REPLAY, playing. Seeking outside the loop ends the loop.
        Returns the new cursor.
        """
        w = self._wall()
        self._position(w)  # settle first: a replay that just ended is paused
        if self._mode is ClockMode.LIVE:
            self._mode = ClockMode.REPLAY
            self._playing = True
        t = self._clamp(int(t), w)
        if self._loop is not None and not self._loop[0] <= t <= self._loop[1]:
            self._loop = None
        self._anchor(t, w)
        return t

    def go_live(self) -> None:
        """Back to the live cursor (ends any loop)."""
        self._set_live(self._wall())

    # ------------------------------------------------------------------- bounds
    def set_bounds(self, start: int | None, end: int | None) -> None:
        """Recording range the replay cursor is clamped to; ``end=None``: the live edge.

        A loop is clamped to the new bounds, and dropped when nothing of it is left."""
        if start is not None and end is not None and end < start:
            raise ValueError(f"bounds end {end} is before start {start}")
        w = self._wall()
        c = self._position(w)
        self._start, self._end = start, end
        if self._mode is ClockMode.LIVE:
            return
        self._anchor(self._clamp(c, w), w)
        if self._loop is not None:
            a, b = self._clamp(self._loop[0], w), self._clamp(self._loop[1], w)
            self._loop = (a, b) if b > a else None
            if self._loop is not None and not a <= self._anchor_c <= b:
                self._anchor(a, w)

    def _clamp(self, t: int, wall: int) -> int:
        hi = self._end if self._end is not None else wall
        if t > hi:
            t = hi
        if self._start is not None and t < self._start:
            t = self._start
        return t

    # --------------------------------------------------------------------- loop
    def set_loop(self, a: int, b: int) -> tuple[int, int]:
        """Loop [a, b] (clamped to the bounds); enters REPLAY and moves the cursor to ``a``
        when it is outside. Returns the loop as set."""
        w = self._wall()
        lo, hi = sorted((int(a), int(b)))
        lo, hi = self._clamp(lo, w), self._clamp(hi, w)
        if hi <= lo:
            raise ValueError("the loop range is empty (or outside the recording)")
        c = self._position(w)
        if self._mode is ClockMode.LIVE:
            self._mode = ClockMode.REPLAY
            self._playing = True
        self._loop = (lo, hi)
        self._anchor(c if lo <= c <= hi else lo, w)
        return lo, hi

    def clear_loop(self) -> None:
        if self._loop is not None:
            self._reanchor()
            self._loop = None

    # -------------------------------------------------------------------- marks
    def set_marks(self, times: Iterable[int]) -> None:
        """Times that ``step`` stops at (bookmarks, alarms)."""
        self._marks = sorted({int(t) for t in times})

    def next_mark(self) -> int | None:
        """The first mark after the cursor, or None."""
        i = bisect.bisect_right(self._marks, self.now())
        return self._marks[i] if i < len(self._marks) else None

    def prev_mark(self) -> int | None:
        """The last mark before the cursor (while playing, not one just passed), or None."""
        c = self.now()
        if self._mode is ClockMode.LIVE or self._playing:
            c -= round(MARK_GRACE_WALL_NS * (1.0 if self.is_live else self._rate))
        i = bisect.bisect_left(self._marks, c)
        return self._marks[i - 1] if i > 0 else None

    def step(self, direction: int, fallback_ns: int = STEP_NS) -> int:
        """Seek to the next (direction > 0) or previous mark, or by ``fallback_ns`` when
        there is none that way. Stepping forward in LIVE mode does nothing (no future)."""
        if direction > 0:
            if self._mode is ClockMode.LIVE:
                return self.now()
            mark = self.next_mark()
            return self.seek(self.now() + fallback_ns if mark is None else mark)
        mark = self.prev_mark()
        return self.seek(self.now() - fallback_ns if mark is None else mark)

    # ------------------------------------------------------------------ helpers
    def _anchor(self, cursor: int, wall: int) -> None:
        self._anchor_c = cursor
        self._anchor_w = wall

    def _reanchor(self) -> None:
        """Restart the arithmetic from the current cursor (continuity across changes)."""
        w = self._wall()
        c = self._position(w)
        if self._mode is ClockMode.REPLAY:
            self._anchor(c, w)

    def _set_live(self, wall: int) -> None:
        self._mode = ClockMode.LIVE
        self._playing = True
        self._loop = None
        self._anchor(wall, wall)

    def __repr__(self) -> str:
        return (
            f"PlaybackClock(mode={self._mode.value}, playing={self._playing}, "
            f"rate={self._rate:g}, loop={self._loop}, bounds={self.bounds})"
        )
