"""Cycle detection rules on blocks of samples, vectorised over the channels of a group.

Each function takes the times ``t`` (k,) int64 ns, the values ``v`` (c, k) of c channels
sampled together, and the carry of the previous block per channel, and returns the events
it found as flat arrays (channel, time, value) plus the new carry. Blocks can be cut
anywhere: feeding a signal in pieces finds the same events as feeding it whole.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

Events = tuple[np.ndarray, np.ndarray, np.ndarray]  # channel (intp), t (int64), value (f64)
NO_TIME = np.iinfo(np.int64).min


def _empty() -> Events:
    return np.empty(0, np.intp), np.empty(0, np.int64), np.empty(0)


def _with_last(v: np.ndarray, last: np.ndarray) -> np.ndarray:
    """The block with each channel's previous value in front: (c, k + 1)."""
    return np.concatenate([last[:, None], v], axis=1)


def held(v: np.ndarray, last: np.ndarray) -> np.ndarray:
    """``v`` with NaN (missing) samples holding the value before them; a float copy."""
    full = _with_last(np.asarray(v, dtype=float), last)
    ok = ~np.isnan(full)
    index = np.where(ok, np.arange(full.shape[1])[None, :], 0)
    np.maximum.accumulate(index, axis=1, out=index)
    return np.take_along_axis(full, index, axis=1)[:, 1:]


def increments(t: np.ndarray, v: np.ndarray, last: np.ndarray) -> tuple[Events, np.ndarray]:
    """Counter rule: every rise of a counter, (channel, time, by how much). A fall (a
    counter reset) counts nothing; the first sample of a channel only sets its carry."""
    if v.shape[1] == 0:
        return _empty(), last
    x = held(v, last)
    step = np.diff(_with_last(x, last), axis=1)
    rows, cols = np.nonzero(step > 0)  # NaN compares False: no carry yet, no event
    return (rows, t[cols], step[rows, cols]), x[:, -1].copy()


def changes(t: np.ndarray, v: np.ndarray, last: np.ndarray) -> tuple[Events, np.ndarray]:
    """Every change of a state signal, (channel, time, new value); a channel's first
    sample is a change from unknown."""
    if v.shape[1] == 0:
        return _empty(), last
    x = held(v, last)
    before = _with_last(x, last)[:, :-1]
    moved = (x != before) & ~np.isnan(x)  # NaN != NaN: only a known new value counts
    rows, cols = np.nonzero(moved)
    return (rows, t[cols], x[rows, cols]), x[:, -1].copy()


@dataclass
class TopCarry:
    """Position rule carry per channel: whether the last sample was at the top, and since
    when the position has rested there (NO_TIME: unknown)."""

    at_top: np.ndarray  # bool (c,)
    since: np.ndarray  # int64 (c,)
    known: np.ndarray  # bool (c,): a sample has been seen
    last_t: np.ndarray  # int64 (c,): time of the last valid sample

    @classmethod
    def empty(cls, channels: int) -> TopCarry:
        none = np.full(channels, NO_TIME, np.int64)
        return cls(np.zeros(channels, bool), none, np.zeros(channels, bool), none.copy())


def departures(
    t: np.ndarray, v: np.ndarray, carry: TopCarry, top: np.ndarray, dwell_ns: np.ndarray
) -> Events:
    """Position rule: the times a position leaves the top (<= ``top``, per channel) after
    resting there at least ``dwell_ns``: each starts a cycle. Updates ``carry`` in place;
    the value of an event is how long the position rested (s). Missing samples are skipped."""
    c, k = v.shape
    if k == 0:
        return _empty()
    ok = ~np.isnan(v)
    top_now = (v <= top[:, None]) & ok
    # The state of the previous valid sample, per sample (the carry before the first).
    idx = np.where(ok, np.arange(k)[None, :], -1)
    np.maximum.accumulate(idx, axis=1, out=idx)
    prev_idx = np.concatenate([np.full((c, 1), -1), idx[:, :-1]], axis=1)
    rows = np.arange(c)[:, None]
    prev_top = np.where(
        prev_idx >= 0, top_now[rows, np.maximum(prev_idx, 0)], carry.at_top[:, None]
    )
    prev_known = (prev_idx >= 0) | carry.known[:, None]
    # When each rest at the top began: a sample at the top after one that was not.
    arrive = top_now & ~(prev_top & prev_known)
    arrive_t = np.where(arrive, t[None, :], NO_TIME)
    since = np.maximum.accumulate(np.concatenate([carry.since[:, None], arrive_t], axis=1), axis=1)
    rest_began = since[:, :-1]  # rest start as of the sample before each one
    leave = ok & ~top_now & prev_top & prev_known
    # The rest lasted until the last sample at the top before leaving.
    last_top_t = np.where(prev_idx >= 0, t[np.maximum(prev_idx, 0)], carry.last_t[:, None])
    rested = last_top_t - rest_began
    hit = leave & (rest_began > NO_TIME) & (rested >= dwell_ns[:, None])
    r, col = np.nonzero(hit)
    last_valid = idx[:, -1]
    has = last_valid >= 0
    carry.at_top = np.where(has, top_now[np.arange(c), np.maximum(last_valid, 0)], carry.at_top)
    carry.since = since[:, -1].copy()
    carry.known = carry.known | has
    carry.last_t = np.where(has, t[np.maximum(last_valid, 0)], carry.last_t)
    return r, t[col], rested[r, col] / 1e9
