"""The recording indicator: REC with rate and size, grey when off, red when it failed."""

from __future__ import annotations

from app.views.status_strip import QtStatusStrip
from db.write.writer import WriterState


def _state(**changes: object) -> WriterState:
    base = dict(
        recording=True,
        rate_samples_per_s=2277.0,
        written_samples=10,
        dropped_samples=0,
        rejected_samples=0,
        queue_depth=0,
        last_error=None,
        bytes_on_disk=3_500_000,
    )
    return WriterState(**{**base, **changes})  # type: ignore[arg-type]


def test_recording_shows_rate_size_and_location(qtbot) -> None:
    strip = QtStatusStrip()
    qtbot.addWidget(strip)
    strip.set_recording(_state(), "/data/demo.twinhist", None)
    assert strip.record_label.text() == "● REC 2,277/s · 3.3 MB"
    assert "/data/demo.twinhist" in strip.record_label.toolTip()


def test_dropped_samples_are_counted_in_amber(qtbot) -> None:
    strip = QtStatusStrip()
    qtbot.addWidget(strip)
    strip.set_recording(_state(dropped_samples=1234), "x", None)
    assert "1,234 samples dropped" in strip.record_label.text()
    assert "#e8a317" in strip.record_label.styleSheet()


def test_off_is_grey_and_a_failure_is_red_with_its_reason(qtbot) -> None:
    strip = QtStatusStrip()
    qtbot.addWidget(strip)
    strip.set_recording(None, "", None)
    assert strip.record_label.text() == "Not recording: off"
    assert "#8c9196" in strip.record_label.styleSheet()
    strip.set_recording(_state(recording=False, last_error="/d/x: the disk is full"), "/d/x", None)
    assert strip.record_label.text() == "Not recording: /d/x: the disk is full"
    assert "#ff5252" in strip.record_label.styleSheet()


def test_the_rates_tooltip_tells_the_live_buffers_memory(qtbot) -> None:
    from tests.plants import asset, build_plant
    from twin.ingest.runtime import PlantRuntime

    signals = [{"key": k, "rate_hz": 1, "normal": [0, 1]} for k in ("current", "voltage")]
    plant = build_plant(*(asset(f"M{i}", "motor", *signals) for i in range(3)))
    store = PlantRuntime.for_plant(plant, 0, [], None, 300.0).store
    strip = QtStatusStrip()
    qtbot.addWidget(strip)
    strip.set_live_buffers(store.nbytes, len(plant.signals), store.retention_s)
    tip = strip.rate_label.toolTip()
    assert store.nbytes >= 6 * 300 * 8  # six 1 Hz signals x 300 s x 8 bytes, at least
    assert f"{store.nbytes / 1024:.1f} KB" in tip
    assert "6 signals" in tip and "300 s" in tip
