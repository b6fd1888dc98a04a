"""Signals, assets and recordings: the small tables that name what the chunks hold."""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Iterable, Sequence
from pathlib import Path

from sqlalchemy import select

from db import schema
from db.history import History
from twin.plant.model import Plant


def signal_keys(h: History, signal_ids: Iterable[str] | None = None) -> dict[str, int]:
    """signal_id -> integer key for the given (default: all) recorded signals."""
    with h.reading("reading its signals") as conn:
        # The driver's own cursor: SQLAlchemy's row objects cost most of the time at
        # 60,000 signals.
        rows = conn.exec_driver_sql("SELECT signal_id, id FROM signals").fetchall()
    keys = {r[0]: int(r[1]) for r in rows}
    if signal_ids is None:
        return keys
    return {s: keys[s] for s in signal_ids if s in keys}


def register_signals(
    h: History,
    signal_ids: Sequence[str],
    plant: Plant | None = None,
    rates: dict[str, float] | None = None,
) -> dict[str, int]:
    """Make sure every signal (and, with ``plant``, its asset) has a row; returns
    signal_id -> key for ``signal_ids``."""
    existing = signal_keys(h)
    missing = [s for s in dict.fromkeys(signal_ids) if s not in existing]
    with h.transaction("registering signals") as conn:
        if plant is not None:
            have = set(conn.execute(select(schema.assets.c.asset_id)).scalars())
            new_assets = [
                {"asset_id": a.id, "name": a.name, "kind": a.kind, "area": a.area_id}
                for a in plant.assets
                if a.id not in have
            ]
            if new_assets:
                conn.execute(schema.assets.insert(), new_assets)
        if missing:
            # The driver's executemany: SQLAlchemy's own costs ~25 us a row in Python,
            # which is most of a second at 60,000 signals.
            rows = [_signal_row(s, plant, rates) for s in missing]
            conn.exec_driver_sql(h.sql(_INSERT_SIGNAL), rows)
    keys = signal_keys(h)
    return {s: keys[s] for s in signal_ids}


_INSERT_SIGNAL = (
    "INSERT INTO signals (signal_id, asset_id, unit, name, rate_hz) VALUES (?, ?, ?, ?, ?)"
)


def _signal_row(
    signal_id: str, plant: Plant | None, rates: dict[str, float] | None
) -> tuple[str, str | None, str | None, str | None, float | None]:
    """(signal_id, asset_id, unit, name, rate_hz): from the plant when it has the signal."""
    row: tuple[str, str | None, str | None, str | None, float | None]
    sig = None
    if plant is not None:
        with contextlib.suppress(KeyError):
            sig = plant.signal(signal_id)
    if sig is not None:
        row = (signal_id, sig.asset_id, sig.unit, sig.name, sig.rate_hz)
    else:
        row = (signal_id, None, None, None, (rates or {}).get(signal_id))
    if row[1] is None and "." in signal_id:
        row = (signal_id, signal_id.rsplit(".", 1)[0], *row[2:])
    return row


def start_recording(h: History, plant: Plant | None, app_version: str) -> int:
    """Insert a recordings row for a new recording session; returns its id."""
    toml = None
    if plant is not None and plant.source_path:
        with contextlib.suppress(OSError, UnicodeDecodeError):
            toml = Path(plant.source_path).read_text(encoding="utf-8")
    with h.transaction("starting a recording") as conn:
        res = conn.execute(
            schema.recordings.insert().values(
                started_ns=time.time_ns(),
                plant_name=plant.name if plant is not None else None,
                plant_toml=toml,
                app_version=app_version,
            )
        )
        pk = res.inserted_primary_key
        assert pk is not None
        return int(pk[0])


def recording_update_sql(h: History) -> str:
    """Advance a recording's span; run in the writer's flush transaction."""
    return h.sql(
        "UPDATE recordings SET ended_ns = ?, first_t = COALESCE(first_t, ?), last_t = ? "
        "WHERE id = ?"
    )


def recording_spans(h: History) -> list[tuple[int, int]]:
    """(first_t, last_t) of every recording session that recorded something."""
    with h.reading("reading its recordings") as conn:
        q = (
            select(schema.recordings.c.first_t, schema.recordings.c.last_t)
            .where(schema.recordings.c.first_t.is_not(None))
            .order_by(schema.recordings.c.first_t)
        )
        return [(int(a), int(b)) for a, b in conn.execute(q)]


def app_version() -> str:
    try:
        from importlib.metadata import version

        return version("twindeck")
    except Exception:
        return os.environ.get("TWINDECK_VERSION", "unknown")


def recorded_plant_toml(h: History) -> str | None:
    """The plant file text stored with the newest recording that has one, or None."""
    with h.reading("reading its plant file") as conn:
        q = (
            select(schema.recordings.c.plant_toml)
            .where(schema.recordings.c.plant_toml.is_not(None))
            .order_by(schema.recordings.c.id.desc())
            .limit(1)
        )
        row = conn.execute(q).first()
    return None if row is None else str(row[0])
