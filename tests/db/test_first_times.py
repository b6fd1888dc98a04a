"""When each signal begins, from the rows' bounds: staged, compacted and fast-group chunks
alike, on SQLite and PostgreSQL; the replay's start waits for the signals that begin with
the recording, not for one that joined it later."""

from __future__ import annotations

from db import ChunkSink, HistoryReader, open_history
from db.write.compactor import compact
from tests.db.history_helpers import NS, T0, batches, make_group


def _first_samples(reader: HistoryReader) -> dict[str, int]:
    """The slow way: read every sample and take the first."""
    span = reader.time_range()
    assert span is not None
    got = reader.read_many(reader.signal_ids(), span[0], span[1] + 1)
    return {sid: int(t[0]) for sid, (t, _v) in got.items() if t.size}


def test_first_times_match_the_first_samples_before_and_after_compaction(
    history_url: str,
) -> None:
    slow, late, fast = make_group("s", 4, 1.0), make_group("l", 3, 1.0), make_group("f", 2, 500.0)
    with open_history(history_url) as h:
        sink = ChunkSink(h, [slow, late, fast])
        for b in batches(slow, 900, per_batch=5, start=T0 + 3 * NS):
            sink.add(b)
            sink.flush()
        for b in batches(late, 400, per_batch=5, start=T0 + 500 * NS):
            sink.add(b)
            sink.flush()
        for b in batches(fast, 20, per_batch=1000, start=T0 + 7 * NS):
            sink.add(b)
        sink.flush(final=True)
        reader = HistoryReader(h)
        staged = reader.first_times()
        assert staged == _first_samples(reader)
        assert staged[slow.signal_ids[0]] == T0 + 3 * NS
        assert staged[late.signal_ids[2]] == T0 + 500 * NS
        assert staged[fast.signal_ids[1]] == T0 + 7 * NS
        compact(h, force=True)
        assert reader.first_times() == staged


def test_the_replay_starts_when_the_signals_of_the_first_minute_all_have_a_value(
    tmp_path,
) -> None:
    from app.compose.replay import first_data

    early, late = make_group("e", 3, 1.0), make_group("l", 3, 1.0)
    with open_history(tmp_path / "h.twinhist") as h:
        sink = ChunkSink(h, [early, late])
        for group, start in ((early, T0), (late, T0 + 20 * NS)):
            for b in batches(group, 60, per_batch=10, start=start):
                sink.add(b)
        sink.flush(final=True)
        assert first_data(h, T0, T0 + 80 * NS) == T0 + 20 * NS
        # A signal that begins more than a minute in does not hold the replay back.
        assert first_data(h, T0 - 45 * NS, T0 + 80 * NS) == T0
