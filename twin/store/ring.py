"""Preallocated ring buffer for a group of channels that share timestamps.

Layout: every sample is stored twice, at position ``p`` (the lower copy) and ``p + N``
(the upper copy) of buffers ``2N`` long, ``N`` being the capacity: timestamps int64
``(2N,)``, values ``(channels, 2N)`` C-order. The latest ``n`` samples are then always the
contiguous slice ``[end - n, end)`` with ``end`` in ``[N, 2N]``, so ``latest`` and
``window`` return zero-copy views that plotting can use directly, and ``values[ch, a:b]``
is contiguous for one channel. An append writes the upper copy; the lower copy of the
current lap lies outside every readable slice until the lap wraps, so it is filled in
blocks of ~256 KiB (``_mirror``) instead of per append: each append then writes one
contiguous run per channel instead of two, which halves its cache misses.

Timestamp policy: timestamps (int64 ns) must be strictly increasing. A sample whose
timestamp is not greater than every timestamp accepted before it — from earlier batches or
earlier in the same batch (out of order, or a duplicate) — is dropped and counted in
``rejected``. The check is one comparison plus one vectorised pass; the filtering pass runs
only when that check fails.

Value policy: NaN is stored as NaN and means "no value" (plots draw a gap). +/-inf is
stored as NaN and counted in ``invalid``; values outside the storage dtype's range become
inf on the cast and are treated the same way. An int64 ring (counters, energy: exact
integers) stores "no value" as ``twin.values.NO_INT``; float values appended to it are
rounded, NaN becomes NO_INT, and +/-inf or out-of-range values become NO_INT, counted in
``invalid``. Its readers into float buffers (``read_last``, ``read_at``) give NaN there.

Threads: one writer thread calls ``append``; any number of reader threads may read.
``latest``, ``latest_channel`` and ``window`` do not lock and return views into the
storage: a view of ``n`` samples stays valid for ``capacity - n`` more appended samples
(compare ``version`` before and after), after which the writer overwrites it. Use them on
the writer's thread, or where a torn read is harmless. ``snapshot``, ``snapshot_window``,
``value_at``, ``last_values`` and ``read_last`` copy under a lock, so their results are
consistent. ``append`` holds that lock only to publish its new end, plus the batch's own
write when the batch crosses the end of the lap (the one write that overwrites readable
samples); a reader holds it for the length of its copy, so keep snapshots to what is drawn.
"""

from __future__ import annotations

import threading

import numpy as np
import numpy.typing as npt

from twin.values import NO_INT, cast, to_float

#: Timestamp returned by ``read_last`` for an empty buffer (below any real timestamp).
NO_TIME = int(np.iinfo(np.int64).min)

_T_MAX = int(np.iinfo(np.int64).max)
_MIRROR_BYTES = 256 * 1024  # lower-copy block: ~65 appends of 100 x 10 float32
_DOT_ITEMS = 8192  # batches up to this many values use the dot-product finiteness test


class RingBuffer:
    """Fixed-capacity, multi-channel ring buffer with zero-copy views of recent data."""

    def __init__(self, capacity: int, channels: int = 1, dtype: npt.DTypeLike = np.float32):
        if capacity < 1 or channels < 1:
            raise ValueError(f"capacity ({capacity}) and channels ({channels}) must be >= 1")
        self._dtype = np.dtype(dtype)
        self._int = self._dtype == np.int64
        if self._dtype.kind != "f" and not self._int:
            raise ValueError(f"dtype must be a float type or int64, not {dtype}")
        self._none = NO_INT if self._int else np.nan  # "no value" in this ring
        self._n = int(capacity)
        self._n2 = 2 * self._n
        self._c = int(channels)
        self._t = np.zeros(2 * self._n, dtype=np.int64)
        self._v = np.full((self._c, 2 * self._n), self._none, dtype=self._dtype)
        # (2, N) and (channels, 2, N) views of the same memory: when a wrapping append
        # writes both copies, one broadcast assignment fills them.
        self._t2 = self._t.reshape(2, self._n)
        self._v3 = self._v.reshape(self._c, 2, self._n)
        # (end, size): published as one tuple so that lock-free readers never see a torn
        # pair. The latest `size` samples live at [end - size, end); end is in [N, 2N].
        self._state: tuple[int, int] = (self._n, 0)
        # The lower copy of the current lap is written lazily, in blocks of about
        # _MIRROR_BYTES, and is complete up to _mirrored (see _mirror).
        self._mirrored = 0
        self._block = min(self._n, max(1, _MIRROR_BYTES // (self._c * self._dtype.itemsize)))
        self._mirror_at = self._n + self._block  # the end at which _mirror runs next
        self._line = max(1, 64 // self._dtype.itemsize)  # values per 64-byte cache line
        self._touch = np.empty((self._c, -(-self._block // self._line)), dtype=self._dtype)
        # Dot-product partner for the finiteness test of small batches.
        self._zeros = np.zeros(min(_DOT_ITEMS, self._c * self._n), dtype=self._dtype)
        self._last = NO_TIME
        self._lock = threading.Lock()
        self._read_only = False
        self.version = 0
        """Total samples ever accepted; increases on every append that accepts samples."""
        self.rejected = 0
        """Samples dropped by the timestamp policy."""
        self.invalid = 0
        """+/-inf values stored as NaN."""

    @classmethod
    def of_samples(cls, t: np.ndarray, v: np.ndarray) -> RingBuffer:
        """A full, read-only ring holding ``t`` int64 (k,) and ``v`` (channels, k): recorded
        samples, read like live ones. The arrays are used as they are, without a copy,
        and must not change afterwards; ``append`` raises. Samples that break the ring's
        policies (timestamps not increasing, +/-inf) are treated as ``append`` treats
        them, at the cost of a copy."""
        k, c = t.shape[0], v.shape[0]
        kind_ok = v.dtype.kind == "f" or v.dtype == np.int64
        if v.ndim != 2 or v.shape[1] != k or t.dtype != np.int64 or not kind_ok:
            raise ValueError(f"of_samples: t {t.shape} {t.dtype} and v {v.shape} {v.dtype}")
        inf = v.dtype.kind == "f" and bool(np.isinf(v).any())
        if k == 0 or (k > 1 and not bool((t[1:] > t[:-1]).all())) or inf:
            ring = cls(max(1, k), max(1, c), v.dtype)
            ring.append(t, v)
        else:
            ring = cls(1, c, v.dtype)
            ring._n = ring._n2 = k
            ring._t, ring._v = t, v
            ring._state = (k, k)
            ring._last = t[-1]
            ring.version = k
        ring._read_only = True
        return ring

    # ------------------------------------------------------------------ properties
    @property
    def capacity(self) -> int:
        return self._n

    @property
    def channels(self) -> int:
        return self._c

    @property
    def dtype(self) -> np.dtype:
        return self._dtype

    @property
    def last_time(self) -> int | None:
        """Timestamp of the newest accepted sample, or None if nothing was accepted."""
        return None if self.version == 0 else int(self._last)

    @property
    def first_time(self) -> int | None:
        """Timestamp of the oldest sample still held, or None when empty."""
        end, size = self._state
        return None if size == 0 else int(self._t[end - size])

    @property
    def nbytes(self) -> int:
        return int(self._t.nbytes + self._v.nbytes)

    def __len__(self) -> int:
        return self._state[1]

    def __repr__(self) -> str:
        return (
            f"RingBuffer(capacity={self._n}, channels={self._c}, dtype={self._dtype.name}, "
            f"len={len(self)}, version={self.version})"
        )

    # ---------------------------------------------------------------------- writer
    def append(self, t: np.ndarray, v: np.ndarray) -> int:
        """Append ``k`` samples: ``t`` int64 (k,), ``v`` (channels, k) or (k,) if 1 channel.

        Returns the number of samples accepted by the timestamp policy (including those of
        a batch larger than the capacity that the batch itself pushes out again).
        """
        if self._read_only:
            raise ValueError("append: this ring holds recorded samples and is read-only")
        k = t.shape[0]
        if v.shape != (self._c, k):
            if v.shape != (k,) or self._c != 1:
                raise ValueError(
                    f"append: t has shape {t.shape} and v has shape {v.shape}; "
                    f"expected (k,) and ({self._c}, k)"
                )
            v = v.reshape(1, k)
        if k == 0:
            return 0
        # Fast check; the filtering pass is paid only when it fails.
        if not (t[0] > self._last and (k == 1 or not np.count_nonzero(t[1:] <= t[:-1]))):
            t, v = self._drop_stale(t, v)
            k = t.shape[0]
            if k == 0:
                return 0
        if self._int:
            return self._append_checked(t, self._int_values(v), k)
        if v.dtype != self._dtype:
            with np.errstate(over="ignore"):  # overflow -> inf, counted just below
                v = cast(v, self._dtype)
        # x * 0 is 0 for finite x and NaN for inf or NaN, so one dot product with zeros
        # tells whether the batch is all finite: ~0.8 us against ~1.15 us for
        # isfinite(v).all() at 100 x 10, and it cannot overflow.
        nv = v.size
        if nv <= self._zeros.shape[0]:
            finite = np.vdot(v, self._zeros[:nv]) == 0
        else:
            finite = np.isfinite(v).all()
        if not finite:
            v = self._inf_to_nan(v)
        return self._append_checked(t, v, k)

    def _append_checked(self, t: np.ndarray, v: np.ndarray, k: int) -> int:
        """Store ``k`` samples that passed the timestamp and value policies."""
        accepted = k
        n = self._n
        if k > n:
            t = t[-n:]
            v = v[:, -n:]
            k = n
        end, size = self._state
        stop = end + k
        size += k
        if size > n:
            size = n
        if stop <= self._n2:
            # Upper copy only: [end, stop) lies beyond every readable slice, so writing it
            # needs no lock; the lock orders the publication against running snapshots.
            self._t[end:stop] = t
            self._v[:, end:stop] = v
            lock = self._lock
            lock.acquire()
            self._state = (stop, size)
            lock.release()
            if stop >= self._mirror_at:
                self._mirror(stop)
        else:
            self._wrap(t, v, end, stop - self._n2, size)
        self._last = t[-1]
        self.version += accepted
        return accepted

    def _mirror(self, end: int) -> None:
        """Fill the lower copy of the current lap from the upper one, up to ``end - N``.

        Lower positions below the write position are outside every readable slice until
        the lap wraps, so this runs without the lock; doing it in blocks keeps each append
        to one contiguous run per channel (half the cache lines) and copies row by row.
        """
        n = self._n
        m, stop = self._mirrored, end - n
        self._t[m:stop] = self._t[n + m : end]
        self._v[:, m:stop] = self._v[:, n + m : end]
        self._mirrored = stop
        self._mirror_at = end + self._block
        self._prefetch(end)

    def _prefetch(self, end: int) -> None:
        """Read one value per cache line of the next block that appends will write.

        Appends write a short run into every channel row; rows are far apart, so each
        run misses the cache and the hardware prefetcher cannot follow 100 streams. One
        sequential read per block brings those lines in, which measured ~1 us faster per
        100 x 10 append. Reading (not writing) keeps views that are still valid intact.
        """
        stop = min(end + self._block, self._n2)
        if stop > end:
            src = self._v[:, end : stop : self._line]
            np.copyto(self._touch[:, : src.shape[1]], src)

    def _wrap(self, t: np.ndarray, v: np.ndarray, end: int, head: int, size: int) -> None:
        """Append that crosses the end of the lap: positions [end - N, N), then [0, head)."""
        n = self._n
        self._mirror(end)  # the finished lap must be complete in the lower copy
        w = end - n
        a = n - w
        with self._lock:  # these writes overwrite the oldest readable samples
            if a:
                self._t2[:, w:] = t[:a]
                self._v3[:, :, w:] = v[:, None, :a]
            self._t[n : n + head] = t[a:]
            self._v[:, n : n + head] = v[:, a:]
            self._state = (n + head, size)
        self._mirrored = 0
        self._mirror_at = n + self._block

    def _drop_stale(self, t: np.ndarray, v: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Keep samples whose timestamp exceeds the running max of everything before."""
        run = np.empty(t.shape[0] + 1, dtype=np.int64)
        run[0] = self._last
        run[1:] = t
        np.maximum.accumulate(run, out=run)
        keep = t > run[:-1]
        kept = int(np.count_nonzero(keep))
        self.rejected += t.shape[0] - kept
        return t[keep], v[:, keep]

    def _int_values(self, v: np.ndarray) -> np.ndarray:
        """Values for an int64 ring: exact ints as they are; floats rounded, NaN as
        NO_INT, +/-inf and out-of-range as NO_INT counted in ``invalid``."""
        if v.dtype == np.int64:
            return v
        out = cast(v, np.int64)
        if v.dtype.kind == "f":
            self.invalid += int(np.count_nonzero((out == NO_INT) & ~np.isnan(v)))
        return out

    def _inf_to_nan(self, v: np.ndarray) -> np.ndarray:
        bad = np.isinf(v)
        count = int(np.count_nonzero(bad))
        if count == 0:  # only NaNs, which are stored as they are
            return v
        self.invalid += count
        v = v.copy()  # never modify the caller's array
        v[bad] = np.nan
        return v

    # ------------------------------------------------------- zero-copy readers
    def latest(self, n: int) -> tuple[np.ndarray, np.ndarray]:
        """Views of the latest min(n, len) samples: t (m,), v (channels, m)."""
        end, size = self._state
        m = size if n > size else (n if n > 0 else 0)
        return self._t[end - m : end], self._v[:, end - m : end]

    def latest_channel(self, ch: int, n: int) -> tuple[np.ndarray, np.ndarray]:
        """Views of the latest min(n, len) samples of one channel: t (m,), v (m,)."""
        end, size = self._state
        m = size if n > size else (n if n > 0 else 0)
        return self._t[end - m : end], self._v[ch, end - m : end]

    def window(self, t0: int, t1: int) -> tuple[np.ndarray, np.ndarray]:
        """Views of the samples with t0 <= t <= t1: t (m,), v (channels, m)."""
        end, size = self._state
        start = end - size
        ts = self._t[start:end]
        if t1 < _T_MAX:  # inlined _bounds: this is called per plot per frame
            a, b = ts.searchsorted((t0, t1 + 1)).tolist()
        else:
            a, b = self._bounds(ts, t0, t1)
        return ts[a:b], self._v[:, start + a : start + b]

    @staticmethod
    def _bounds(ts: np.ndarray, t0: int, t1: int) -> tuple[int, int]:
        """[a, b) such that ts[a:b] holds t0 <= t <= t1 (ts strictly increasing)."""
        if t1 < _T_MAX:  # one searchsorted call for both ends: t <= t1 is t < t1 + 1
            a, b = ts.searchsorted((t0, t1 + 1)).tolist()
            return a, b
        return int(ts.searchsorted(t0)), ts.shape[0]

    # --------------------------------------------------------- copying readers
    def snapshot(self, n: int, channel: int | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Consistent copies of the latest min(n, len) samples (all channels, or one)."""
        with self._lock:
            end, size = self._state
            m = size if n > size else (n if n > 0 else 0)
            rows = self._v if channel is None else self._v[channel]
            return self._t[end - m : end].copy(), rows[..., end - m : end].copy()

    def snapshot_window(
        self, t0: int, t1: int, channel: int | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """Consistent copies of the samples with t0 <= t <= t1 (all channels, or one)."""
        with self._lock:
            end, size = self._state
            start = end - size
            a, b = self._bounds(self._t[start:end], t0, t1)
            rows = self._v if channel is None else self._v[channel]
            return self._t[start + a : start + b].copy(), rows[..., start + a : start + b].copy()

    def value_at(self, t: int) -> np.ndarray:
        """Newest value per channel at or before ``t`` (NaN where there is none), a copy."""
        with self._lock:
            end, size = self._state
            start = end - size
            i = int(self._t[start:end].searchsorted(t, "right"))
            if i == 0:
                return np.full(self._c, self._none, dtype=self._dtype)
            return self._v[:, start + i - 1].copy()

    def last_values(self) -> np.ndarray:
        """Copy of the newest value per channel (NaN when empty)."""
        out = np.empty(self._c, dtype=self._dtype)
        self.read_last(out)
        return out

    def read_last(self, out: np.ndarray) -> int:
        """Copy the newest value per channel into ``out``; return its timestamp.

        Atomic with respect to ``append``. Returns ``NO_TIME`` (and fills NaN, or NO_INT
        into an int64 ``out`` of an int64 ring) when empty.
        Lets a caller gather many rings into one preallocated array without temporaries.
        """
        with self._lock:
            end, size = self._state
            if size == 0:
                out[...] = self._none if out.dtype == self._dtype else np.nan
                return NO_TIME
            self._copy_out(self._v[:, end - 1], out)
            return int(self._t[end - 1])

    def read_at(self, t: int, out: np.ndarray) -> int:
        """Copy each channel's newest value at or before ``t`` into ``out``; return its
        timestamp (``NO_TIME``, and NaN, when the ring holds none that early).

        Atomic with respect to ``append``, like :meth:`read_last`, which it is whenever
        ``t`` is at or after the newest sample.
        """
        with self._lock:
            end, size = self._state
            start = end - size
            i = (
                end
                if size and self._t[end - 1] <= t
                else start + int(self._t[start:end].searchsorted(t, "right"))
            )
            if i == start:
                out[...] = self._none if out.dtype == self._dtype else np.nan
                return NO_TIME
            self._copy_out(self._v[:, i - 1], out)
            return int(self._t[i - 1])

    def _copy_out(self, column: np.ndarray, out: np.ndarray) -> None:
        # An int64 ring read into a float buffer: NO_INT must read as NaN, not -9.2e18.
        out[...] = to_float(column) if self._int and out.dtype.kind == "f" else column
