"""Recording a running plant: the history, its writer thread and background retention.

One object for the application to hold: it opens the history, records every batch the
ingest thread offers it, trims old data on a thread of its own, and reports its state.
"""

from __future__ import annotations

import logging
import os
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from db.engine import open_history
from db.errors import HistoryError, ReadOnlyError
from db.history import History
from db.write.retention import apply_retention
from db.write.writer import HistoryWriter, WriterState
from twin.batch import Batch, ChannelGroup
from twin.plant.model import Plant

log = logging.getLogger(__name__)

DAY_S = 86_400.0


@dataclass(frozen=True)
class RetentionPolicy:
    """How long raw samples and the min/max overview are kept; None keeps them forever."""

    raw_days: float | None = 30.0
    overview_days: float | None = 5 * 365.0
    check_every_s: float = 600.0


def default_history_path(plant: Plant) -> Path:
    """``<user data dir>/history/<plant name>.twinhist`` (platformdirs). The name's ASCII
    letters and digits make the file name; a name without any (e.g. Chinese, "一号车间")
    keeps its own letters, so that two such plants do not share one history."""
    slug = re.sub(r"[^A-Za-z0-9_-]+", "_", plant.name).strip("_").lower()
    slug = slug or re.sub(r"[^\w-]+", "_", plant.name).strip("_") or "plant"
    return platformdirs.user_data_path("TwinDeck", appauthor=False) / "history" / f"{slug}.twinhist"


def prepare_location(target: str | os.PathLike[str]) -> None:
    """Create the folder of a history file (not of a database URL) if it is missing."""
    text = os.fspath(target)
    if "://" not in text:
        Path(text).expanduser().parent.mkdir(parents=True, exist_ok=True)


class Recorder:
    """Records batches into a history; ``offer`` is the ingest thread's sink.
    ``flush_interval_s``: how often the writer commits (kill -9 loses at most that)."""

    def __init__(
        self,
        history: History,
        groups: Sequence[ChannelGroup],
        plant: Plant | None = None,
        retention: RetentionPolicy | None = None,
        flush_interval_s: float = 1.0,
    ) -> None:
        self.history = history
        self.writer = HistoryWriter(history, groups, plant=plant, flush_interval_s=flush_interval_s)
        self.retention = retention or RetentionPolicy()
        self._stop = threading.Event()
        self._retention_thread: threading.Thread | None = None
        if self.retention.raw_days is not None:
            self._retention_thread = threading.Thread(
                target=self._retention_loop, name="twindeck-retention", daemon=True
            )
            self._retention_thread.start()

    @classmethod
    def open(
        cls,
        target: str | os.PathLike[str],
        groups: Sequence[ChannelGroup],
        plant: Plant | None = None,
        retention: RetentionPolicy | None = None,
        flush_interval_s: float = 1.0,
    ) -> Recorder:
        """Open (creating if needed) the history at ``target`` and start recording.

        Raises HistoryError with a message for the user when that is not possible.
        """
        try:
            prepare_location(target)
        except OSError as exc:
            raise ReadOnlyError(
                f"{os.fspath(target)}: cannot create its folder ({exc.strerror}); choose "
                "another location with --db.",
                where=os.fspath(target),
            ) from None
        history = open_history(target)
        try:
            return cls(history, groups, plant, retention, flush_interval_s)
        except Exception:
            history.close()
            raise

    @property
    def where(self) -> str:
        return self.history.where

    def offer(self, batch: Batch) -> bool:
        """Queue a batch for recording; never blocks (see HistoryWriter.offer)."""
        return self.writer.offer(batch)

    def state(self) -> WriterState:
        return self.writer.state()

    def close(self) -> None:
        """Flush what is queued, stop retention and release the history; idempotent."""
        self._stop.set()
        if self._retention_thread is not None:
            self._retention_thread.join(10.0)
            self._retention_thread = None
        self.writer.close()
        self.history.close()

    def _retention_loop(self) -> None:
        policy = self.retention
        assert policy.raw_days is not None
        raw_keep = policy.raw_days * DAY_S
        overview_keep = None if policy.overview_days is None else policy.overview_days * DAY_S
        while not self._stop.wait(policy.check_every_s):
            try:
                # Small transactions with pauses, so the writer never waits long for them.
                result = apply_retention(
                    self.history, raw_keep, overview_keep, pause_s=0.02, stop=self._stop
                )
                if result.raw_rows_deleted or result.rollup_rows_deleted:
                    log.info("retention: removed %s", result)
            except HistoryError as exc:
                log.warning("retention skipped: %s", exc)
