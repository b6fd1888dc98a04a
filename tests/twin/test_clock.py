"""PlaybackClock arithmetic, driven by a fake wall clock (no sleeping, no Qt)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from twin.clock import MAX_RATE, MIN_RATE, SPEED_STEPS, STEP_NS, ClockMode, PlaybackClock

NS = 1_000_000_000
W0 = 1_750_000_000 * NS  # wall time at the start of every test
START = W0 - 3600 * NS  # a recording of the last hour
END = W0 - 60 * NS


class FakeWall:
    def __init__(self, t: int = W0) -> None:
        self.t = t

    def __call__(self) -> int:
        return self.t

    def advance(self, dt: int) -> None:
        self.t += dt


def replay_clock(
    cursor: int = START + 600 * NS, rate: float = 1.0, playing: bool = True, end: int | None = END
) -> tuple[PlaybackClock, FakeWall]:
    wall = FakeWall()
    clock = PlaybackClock(wall, bounds=(START, end))
    clock.seek(cursor)
    clock.set_rate(rate)
    if not playing:
        clock.pause()
    return clock, wall


cursors = st.integers(START, END)
rates = st.floats(MIN_RATE, MAX_RATE, allow_nan=False)
durations = st.integers(0, 600 * NS)


# ------------------------------------------------------------------ live mode
def test_live_cursor_is_the_wall_clock() -> None:
    wall = FakeWall()
    clock = PlaybackClock(wall)
    assert clock.is_live and clock.playing and clock.now() == W0
    wall.advance(5 * NS)
    assert clock() == W0 + 5 * NS
    clock.faster()  # kept for the next replay; live still runs at 1x
    wall.advance(NS)
    assert clock.now() == W0 + 6 * NS and clock.rate == 2.0


def test_pause_in_live_freezes_that_moment_as_a_replay() -> None:
    wall = FakeWall()
    clock = PlaybackClock(wall)
    clock.pause()
    wall.advance(10 * NS)
    assert clock.mode is ClockMode.REPLAY and not clock.playing and clock.now() == W0
    clock.play()  # DVR: plays on from the frozen moment, 10 s behind live
    wall.advance(NS)
    assert clock.now() == W0 + NS and clock.mode is ClockMode.REPLAY


def test_replay_catching_up_with_the_live_edge_goes_live() -> None:
    clock, wall = replay_clock(cursor=W0 - 10 * NS, rate=2.0, end=None)
    wall.advance(5 * NS)
    assert clock.now() == W0  # 10 s behind at 2x: 10 s wall later it is live
    assert clock.mode is ClockMode.REPLAY
    wall.advance(5 * NS + 1)
    assert clock.now() == wall.t and clock.is_live


def test_go_live_ends_replay_and_loop() -> None:
    clock, wall = replay_clock()
    clock.set_loop(START + 100 * NS, START + 200 * NS)
    clock.go_live()
    assert clock.is_live and clock.loop is None and clock.now() == wall.t


def test_step_forward_in_live_does_nothing_and_back_enters_replay() -> None:
    wall = FakeWall()
    clock = PlaybackClock(wall, marks=[W0 - 30 * NS])
    assert clock.step(+1) == W0 and clock.is_live
    assert clock.step(-1) == W0 - 30 * NS and clock.mode is ClockMode.REPLAY


# ---------------------------------------------------------------- properties
@given(c0=cursors, rate=rates, dt=durations)
def test_playing_advances_by_rate_times_wall_time(c0: int, rate: float, dt: int) -> None:
    clock, wall = replay_clock(c0, rate)
    wall.advance(dt)
    expected = c0 + round(rate * dt)  # in ints: floats near 1.7e18 are 256 ns apart
    if expected >= END:
        assert clock.now() == END and not clock.playing  # reaching the end pauses
    else:
        assert abs(clock.now() - expected) <= 1


@given(c0=cursors, rate=rates, dt=durations, later=durations)
def test_pause_freezes_and_play_resumes_without_a_jump(
    c0: int, rate: float, dt: int, later: int
) -> None:
    clock, wall = replay_clock(c0, rate)
    wall.advance(dt)
    before = clock.now()
    clock.pause()
    assert clock.now() == before
    wall.advance(later)
    assert clock.now() == before and not clock.playing
    clock.play()
    if before < END:
        assert clock.now() == before and clock.playing


@given(c0=cursors, r1=rates, r2=rates, dt1=durations, dt2=durations)
def test_speed_change_keeps_continuity(c0: int, r1: float, r2: float, dt1: int, dt2: int) -> None:
    clock, wall = replay_clock(c0, r1)
    wall.advance(dt1)
    at_change = clock.now()
    clock.set_rate(r2)
    assert clock.now() == at_change  # no jump at the change
    wall.advance(dt2)
    if at_change < END:
        expected = min(at_change + round(r2 * dt2), END)
        assert abs(clock.now() - expected) <= 1


@given(rate=st.floats(-1e6, 1e6, allow_nan=False))
def test_rate_is_clamped(rate: float) -> None:
    clock, _ = replay_clock()
    assert MIN_RATE <= clock.set_rate(rate) <= MAX_RATE
    assert clock.rate == min(MAX_RATE, max(MIN_RATE, rate))


@given(t=st.integers(-(2**62), 2**62), playing=st.booleans())
def test_seek_is_clamped_to_the_bounds(t: int, playing: bool) -> None:
    clock, _ = replay_clock(playing=playing)
    got = clock.seek(t)
    assert got == min(END, max(START, t)) == clock.now()
    assert clock.playing == (playing and got < END)


@given(t=st.integers(-(2**62), 2**62))
def test_without_a_fixed_end_the_cursor_never_passes_the_wall_clock(t: int) -> None:
    clock, wall = replay_clock(playing=False, end=None)
    assert START <= clock.seek(t) <= wall.t


ops = st.lists(
    st.one_of(
        st.tuples(st.just("advance"), durations),
        st.tuples(st.just("rate"), rates),
        st.tuples(st.just("pause"), st.none()),
        st.tuples(st.just("play"), st.none()),
        st.tuples(st.just("faster"), st.none()),
        st.tuples(st.just("slower"), st.none()),
    ),
    max_size=30,
)


@settings(max_examples=200)
@given(
    a=st.integers(START, END - 1),  # a loop starting at the end would be empty
    length=st.integers(1, 600 * NS),
    c0=cursors,
    rate=rates,
    script=ops,
)
def test_loop_keeps_the_cursor_in_range_and_wraps_to_its_start(
    a: int, length: int, c0: int, rate: float, script: list[tuple[str, object]]
) -> None:
    clock, wall = replay_clock(c0, rate)
    lo, hi = clock.set_loop(a, a + length)
    assert lo == a and hi == min(a + length, END)
    for op, arg in script:
        if op == "advance":
            assert isinstance(arg, int)
            wall.advance(arg)
        elif op == "rate":
            assert isinstance(arg, float)
            clock.set_rate(arg)
        else:
            getattr(clock, op)()
        assert lo <= clock.now() <= hi
        assert clock.loop == (lo, hi)


def test_loop_wraps_to_its_start_when_passing_the_end() -> None:
    clock, wall = replay_clock(START + 150 * NS, 2.0)
    clock.set_loop(START + 100 * NS, START + 200 * NS)
    wall.advance(25 * NS)  # 50 s of replay: exactly at b, not past it
    assert clock.now() == START + 200 * NS
    wall.advance(NS)  # 2 s past b -> 2 s past a
    assert clock.now() == START + 102 * NS and clock.playing


def test_loop_moves_an_outside_cursor_to_its_start_and_seeking_out_ends_it() -> None:
    clock, _ = replay_clock(START + 500 * NS, playing=False)
    clock.set_loop(START + 200 * NS, START + 100 * NS)  # any order
    assert clock.loop == (START + 100 * NS, START + 200 * NS)
    assert clock.now() == START + 100 * NS
    clock.seek(START + 150 * NS)
    assert clock.loop is not None
    clock.seek(START + 300 * NS)
    assert clock.loop is None and clock.now() == START + 300 * NS


def test_loop_from_live_enters_replay_and_empty_loops_are_refused() -> None:
    wall = FakeWall()
    clock = PlaybackClock(wall, bounds=(START, END))
    clock.set_loop(START, START + 10 * NS)
    assert clock.mode is ClockMode.REPLAY and clock.now() == START and clock.playing
    with pytest.raises(ValueError):
        clock.set_loop(START + NS, START + NS)
    with pytest.raises(ValueError):
        clock.set_loop(END + NS, END + 2 * NS)  # wholly after the recording


# ------------------------------------------------------------- speed and end
def test_faster_and_slower_step_through_the_speed_ladder() -> None:
    clock, _ = replay_clock()
    ups = [clock.faster() for _ in range(len(SPEED_STEPS))]
    assert ups == [*SPEED_STEPS[SPEED_STEPS.index(1.0) + 1 :], *[100.0] * 4]
    downs = [clock.slower() for _ in range(len(SPEED_STEPS))]
    assert downs == [*SPEED_STEPS[-2::-1], 0.1]
    clock.set_rate(3.0)  # between steps: move to the neighbours
    assert clock.faster() == 5.0
    clock.set_rate(3.0)
    assert clock.slower() == 2.0


def test_reaching_the_end_pauses_and_play_restarts_from_the_start() -> None:
    clock, wall = replay_clock(END - 10 * NS, 1.0)
    wall.advance(20 * NS)
    assert clock.now() == END and not clock.playing
    clock.play()
    assert clock.now() == START and clock.playing


def test_narrowing_the_bounds_clamps_the_cursor_and_the_loop() -> None:
    clock, _ = replay_clock(START + 500 * NS, playing=False)
    clock.set_loop(START + 400 * NS, START + 600 * NS)
    clock.set_bounds(START + 450 * NS, START + 480 * NS)
    assert clock.now() == START + 480 * NS
    assert clock.loop == (START + 450 * NS, START + 480 * NS)
    clock.set_bounds(START + 700 * NS, END)  # nothing of the loop is left
    assert clock.loop is None and clock.now() == START + 700 * NS


# --------------------------------------------------------------------- marks
def test_step_goes_mark_to_mark_or_by_one_second() -> None:
    marks = [START + 100 * NS, START + 200 * NS, START + 300 * NS]
    clock, _ = replay_clock(START + 150 * NS, playing=False)
    clock.set_marks(reversed(marks))  # any order
    assert clock.step(+1) == marks[1]
    assert clock.step(+1) == marks[2]
    assert clock.step(+1) == marks[2] + STEP_NS  # no mark ahead: 1 s
    assert clock.step(-1) == marks[2]
    assert clock.step(-1) == marks[1]
    assert clock.step(-1) == marks[0]
    assert clock.step(-1) == marks[0] - STEP_NS


def test_previous_mark_while_playing_skips_the_one_just_passed() -> None:
    marks = [START + 100 * NS, START + 200 * NS]
    clock, wall = replay_clock(marks[1], 1.0)
    clock.set_marks(marks)
    wall.advance(NS // 10)  # 0.1 s after the mark
    assert clock.prev_mark() == marks[0]
    wall.advance(2 * NS)
    assert clock.prev_mark() == marks[1]


@given(
    marks=st.lists(cursors, max_size=20),
    c=cursors,
)
def test_next_and_previous_marks_bracket_the_cursor(marks: list[int], c: int) -> None:
    clock, _ = replay_clock(c, playing=False)
    clock.set_marks(marks)
    nxt, prv = clock.next_mark(), clock.prev_mark()
    assert nxt == min((m for m in marks if m > c), default=None)
    assert prv == max((m for m in marks if m < c), default=None)
