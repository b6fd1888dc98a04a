"""The application's recorder: default location, recording, background retention."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np

from db import HistoryReader, open_history
from db.write.recorder import Recorder, RetentionPolicy, default_history_path
from tests.db.history_helpers import NS, batches, make_group, wait_until
from twin.plant.model import Plant

DAY = 86_400 * NS


def test_default_location_is_per_plant_in_the_user_data_folder(monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    plant = Plant("Line 3 / Press shop", "x.toml", (), ())
    assert (
        default_history_path(plant)
        == tmp_path / "TwinDeck" / "history" / "line_3_press_shop.twinhist"
    )
    names = {
        default_history_path(Plant(name, "x.toml", (), ())).name
        for name in ("一号车间", "二号车间", "二号车间 / 冲压")
    }
    assert names == {"一号车间.twinhist", "二号车间.twinhist", "二号车间_冲压.twinhist"}


def test_recorder_creates_missing_folders_and_records(history_url: str, tmp_path: Path) -> None:
    target = history_url if "://" in history_url else str(tmp_path / "a" / "b" / "h.twinhist")
    group = make_group(rate_hz=100.0)
    recorder = Recorder.open(target, [group], retention=RetentionPolicy(raw_days=None))
    for batch in batches(group, 5.0, start=time.time_ns() - 10 * NS):
        assert recorder.offer(batch)
    recorder.close()
    with open_history(target, read_only=True) as history:
        t, _ = HistoryReader(history).read(group.signal_ids[0], 0, time.time_ns())
    assert len(t) == 500


def test_background_retention_drops_old_raw_data_and_keeps_the_overview(tmp_path: Path) -> None:
    group = make_group(rate_hz=10.0)
    path = tmp_path / "h.twinhist"
    policy = RetentionPolicy(raw_days=1.0, overview_days=None, check_every_s=0.05)
    old_start = time.time_ns() - 3 * DAY
    recorder = Recorder.open(path, [group], retention=policy)
    for batch in batches(group, 60.0, start=old_start):
        recorder.offer(batch)
    for batch in batches(group, 10.0, start=time.time_ns() - 20 * NS):
        recorder.offer(batch)
    sid = group.signal_ids[0]

    def old_raw_gone() -> bool:
        with open_history(path, read_only=True) as history:
            t, _ = HistoryReader(history).read(sid, old_start, old_start + 120 * NS)
        return len(t) == 0

    try:
        assert wait_until(old_raw_gone, timeout=20.0)
    finally:
        recorder.close()
    with open_history(path, read_only=True) as history:
        reader = HistoryReader(history)
        recent, _ = reader.read(sid, time.time_ns() - DAY, time.time_ns())
        t, vmin, vmax = reader.read_decimated(sid, old_start, old_start + 60 * NS, 60)
    assert len(recent) == 100
    assert len(t) > 0 and np.all(vmax >= vmin)  # the overview of the old minute survives
