"""The spectrum and the waterfall of one waveform channel at a cursor.

Read through the one read interface (``SeriesReader.range``), so that the live rings and a
recorded history give the same picture at the same moment. The waterfall's rows are Welch
spectra of ROW_S intervals on a grid of absolute time (each of the interval's last
``row_len`` samples): a row is computed once and kept while it stays in the waterfall, so
moving the cursor costs only the new rows, and one update computes at most ``max_rows`` of
them in one vectorised Welch (a far seek fills the waterfall over a few updates, newest
first), which bounds the work of an update.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from twin.condition.spectra import welch_psd
from twin.store.series import SeriesReader
from twin.store.signal_store import SignalStore
from twin.timebase import NS_PER_S

SPECTRUM_S = 4.0  # the spectrum is of the last SPECTRUM_S at the cursor
ROW_S = 1  # one waterfall row per whole second
WATERFALL_ROWS = 120  # two minutes of rows
MAX_ROWS_PER_UPDATE = 20
# A row without enough samples is a gap for good once the data goes on after it, or once
# it is this far behind the cursor (a source that stopped); until then its samples may be
# on their way (from the source, or into the recording a reader loaded).
ROW_GRACE_NS = 60 * NS_PER_S
# The data reaches the cursor when its last sample is at most this many periods before it.
REACH_PERIODS = 2.0
ROW_FILL = 0.9  # share of a row's nominal samples needed to compute it
FLOOR_DB = -200.0  # where the PSD is zero: log of nothing
MIN_NPERSEG = 64


@dataclass(frozen=True)
class SpectrumPicture:
    """What the spectrum view draws at ``cursor_ns``.

    ``psd_db`` is None when the last SPECTRUM_S hold too few samples; ``rows_db`` is
    (WATERFALL_ROWS, len(row_freqs)), newest row first, NaN where a row has no data (yet);
    row 0 ends at ``newest_row_ns``.
    """

    cursor_ns: int
    freqs: np.ndarray
    psd_db: np.ndarray | None
    row_freqs: np.ndarray
    rows_db: np.ndarray
    newest_row_ns: int
    rows_pending: int  # rows still to compute (a later update does)
    complete: bool  # the data reaches the cursor and every row is done: final at this cursor


def nperseg_for(rate_hz: float, seconds: float) -> int:
    """Welch segment length for ``seconds`` of samples at ``rate_hz``: the largest power of
    two that gives at least three half-overlapping segments."""
    n = max(MIN_NPERSEG, int(rate_hz * seconds / 2))
    return 1 << (n.bit_length() - 1)


def psd_db(v: np.ndarray, rate_hz: float, nperseg: int) -> np.ndarray | None:
    """10 log10 of the Welch PSD of the finite samples ``v``; None if too few."""
    v = v[np.isfinite(v)]
    if v.size < nperseg:
        return None
    _, psd = welch_psd(v, rate_hz, nperseg)
    with np.errstate(divide="ignore"):
        return np.maximum(10.0 * np.log10(psd), FLOOR_DB)


class WaveformAnalysis:
    """Spectrum and waterfall of ``signal_id`` (sampled at ``rate_hz``) through ``reader``."""

    def __init__(
        self,
        reader: SeriesReader,
        signal_id: str,
        rate_hz: float,
        max_rows: int = MAX_ROWS_PER_UPDATE,
    ) -> None:
        self.reader = reader
        self.signal_id = signal_id
        self.rate_hz = float(rate_hz)
        self.max_rows = max_rows
        self.nperseg = nperseg_for(rate_hz, SPECTRUM_S)
        self.row_nperseg = nperseg_for(rate_hz, ROW_S)
        # Each row is the Welch PSD of exactly this many of its samples (the last ones), so
        # rows computed together or apart, live or replayed, are the same.
        self.row_len = max(self.row_nperseg, int(ROW_FILL * rate_hz * ROW_S))
        self.freqs = np.fft.rfftfreq(self.nperseg, 1.0 / self.rate_hz)
        self.row_freqs = np.fft.rfftfreq(self.row_nperseg, 1.0 / self.rate_hz)
        self._rows: dict[int, np.ndarray] = {}  # row end (ns) -> dB row (NaN: no data)
        self._nan_row = np.full(self.row_freqs.size, np.nan, np.float32)

    @property
    def span_ns(self) -> int:
        """How far back of the cursor an update reads."""
        return (WATERFALL_ROWS + 1) * ROW_S * NS_PER_S

    def update(self, cursor_ns: int) -> SpectrumPicture | None:
        """The picture at ``cursor_ns``; None while the reader is still loading it."""
        t0 = cursor_ns - self.span_ns
        bins = math.ceil(self.span_ns / NS_PER_S * self.rate_hz * 2)  # finer than raw: raw
        store = self.reader.range((self.signal_id,), t0, cursor_ns, bins)
        if store is None or self.signal_id not in store:
            return None
        _, v = store.snapshot_window(
            self.signal_id, cursor_ns - round(SPECTRUM_S * NS_PER_S) + 1, cursor_ns
        )
        spectrum = psd_db(v, self.rate_hz, self.nperseg)
        last = int(store.values_at((self.signal_id,), cursor_ns)[1][0])  # negative: none
        newest = cursor_ns - cursor_ns % (ROW_S * NS_PER_S)
        ends = newest - np.arange(WATERFALL_ROWS, dtype=np.int64) * (ROW_S * NS_PER_S)
        pending = self._fill_rows(store, ends.tolist(), cursor_ns, last)
        rows = np.stack([self._rows.get(e, self._nan_row) for e in ends.tolist()])
        reaches = last >= cursor_ns - REACH_PERIODS * NS_PER_S / self.rate_hz
        return SpectrumPicture(
            cursor_ns,
            self.freqs,
            spectrum,
            self.row_freqs,
            rows,
            newest,
            pending,
            complete=reaches and not pending,
        )

    def _fill_rows(self, store: SignalStore, ends: list[int], cursor_ns: int, last_ns: int) -> int:
        """Compute up to ``max_rows`` missing rows, newest first, in one vectorised Welch
        over the last ``row_len`` samples of each; returns how many remain."""
        keep = set(ends)
        self._rows = {e: r for e, r in self._rows.items() if e in keep}
        missing = [e for e in ends if e not in self._rows]
        todo = np.array(missing[: self.max_rows], dtype=np.int64)
        if not todo.size:
            return 0
        row_ns = ROW_S * NS_PER_S
        t, v = store.snapshot_window(self.signal_id, int(todo.min()) - row_ns + 1, int(todo.max()))
        finite = np.isfinite(v)  # a history's gaps come as NaN; the rings' as missing samples
        if not finite.all():
            t, v = t[finite], v[finite]
        first = np.searchsorted(t, todo - row_ns + 1)
        last = np.searchsorted(t, todo, side="right")
        full = last - first >= self.row_len
        if full.any():
            idx = last[full][:, None] - self.row_len + np.arange(self.row_len)
            _, psd = welch_psd(v[idx], self.rate_hz, self.row_nperseg)
            with np.errstate(divide="ignore"):
                rows = np.maximum(10.0 * np.log10(psd), FLOOR_DB).astype(np.float32)
            for end, row in zip(todo[full].tolist(), rows, strict=True):
                self._rows[end] = row
        final = ~full & ((todo <= last_ns) | (todo < cursor_ns - ROW_GRACE_NS))  # a gap
        for end in todo[final].tolist():
            self._rows[end] = self._nan_row
        return len(missing) - int(full.sum()) - int(final.sum())
