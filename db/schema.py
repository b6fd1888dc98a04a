"""The history schema (SQLAlchemy Core), the same on SQLite and PostgreSQL.

Raw samples live in ``chunks``: one row per (signal, time span) with the timestamps and
float32 values packed as bytes (see ``db.chunks``). Slow groups are first written to
``staged``, one row per channel group per flush holding every channel's samples of that
flush (``stage_layouts`` names the channels), and compacted in the background into chunks of
minutes (db.write.compactor); ``stage_progress`` records how far a window's compaction got,
so readers take every sample exactly once from either table. ``rollup`` holds the
min/max/sum pyramid in the same chunked form, one row per (signal, level, run of buckets),
so a 24 h overview reads a few hundred rows instead of 86,400. Events, bookmarks and
recordings are ordinary rows.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    SmallInteger,
    String,
    Table,
    Text,
)

APP_ID = "twindeck-history"
SCHEMA_VERSION = 3
# The oldest schema this TwinDeck reads without upgrading it (a read-only open): schema 3
# only added the staging tables, which a schema-2 file simply has no rows in.
READABLE_FROM = 2

# Pyramid levels in seconds: 1 s, 1 min, 1 h buckets aligned on the epoch.
LEVELS_S: tuple[int, ...] = (1, 60, 3600)

# Every chunk row spans at most this long, so a range query can bound its index scan on
# t_end from both sides (t0 <= t_end <= t1 + MAX_CHUNK_SPAN_NS).
MAX_CHUNK_SPAN_NS = 3600 * 1_000_000_000
MAX_CHUNK_SAMPLES = 1 << 20
# Rollup rows span at most this many buckets of their level, hence at most
# level * MAX_ROLLUP_BUCKETS seconds.
MAX_ROLLUP_BUCKETS = 3600

# SQLite keeps INTEGER PRIMARY KEY as the rowid (fast); PostgreSQL needs 64 bits because a
# large plant writes billions of chunk rows over the life of a database.
_BigId = BigInteger().with_variant(Integer(), "sqlite")

metadata = MetaData()

meta = Table(
    "meta",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

assets = Table(
    "assets",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("asset_id", String, nullable=False, unique=True),
    Column("name", String),
    Column("kind", String),
    Column("area", String),
)

signals = Table(
    "signals",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("signal_id", String, nullable=False, unique=True),
    Column("asset_id", String),
    Column("unit", String),
    Column("name", String),
    Column("rate_hz", Float),
)

chunks = Table(
    "chunks",
    metadata,
    Column("id", _BigId, primary_key=True),
    Column("signal", Integer, ForeignKey("signals.id"), nullable=False),
    Column("t_start", BigInteger, nullable=False),
    Column("t_end", BigInteger, nullable=False),  # last sample time (inclusive)
    Column("n", Integer, nullable=False),
    Column("codec", SmallInteger, nullable=False),
    Column("t_bytes", LargeBinary, nullable=False),
    Column("v_bytes", LargeBinary, nullable=False),
)
# t_start rides along in the index so the range filter on it needs no table lookups.
Index("ix_chunks_signal_t_end", chunks.c.signal, chunks.c.t_end, chunks.c.t_start)

rollup = Table(
    "rollup",
    metadata,
    Column("id", _BigId, primary_key=True),
    Column("signal", Integer, ForeignKey("signals.id"), nullable=False),
    Column("level", Integer, nullable=False),  # bucket width in seconds
    Column("t_start", BigInteger, nullable=False),  # first bucket start
    # Coverage end (exclusive): every sample before it is in this or an earlier row.
    Column("t_end", BigInteger, nullable=False),
    Column("nb", Integer, nullable=False),
    Column("codec", SmallInteger, nullable=False),
    Column("t_bytes", LargeBinary, nullable=False),
    Column("v_bytes", LargeBinary, nullable=False),
)
Index(
    "ix_rollup_signal_level_t_end",
    rollup.c.signal,
    rollup.c.level,
    rollup.c.t_end,
    rollup.c.t_start,
)

stage_layouts = Table(
    "stage_layouts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("group_key", String, nullable=False),
    Column("rate_hz", Float, nullable=False),  # nominal; 0 when unknown
    Column("window_ns", BigInteger, nullable=False),  # compaction window length
    Column("signals", LargeBinary, nullable=False),  # int32 signal ids in channel order
)

staged = Table(
    "staged",
    metadata,
    Column("id", _BigId, primary_key=True),
    Column("layout", Integer, ForeignKey("stage_layouts.id"), nullable=False),
    Column("w_start", BigInteger, nullable=False),  # its compaction window (multiple of window_ns)
    Column("t_start", BigInteger, nullable=False),
    Column("t_end", BigInteger, nullable=False),  # last sample time (inclusive)
    Column("n", Integer, nullable=False),
    Column("codec", SmallInteger, nullable=False),
    Column("t_bytes", LargeBinary, nullable=False),
    Column("v_bytes", LargeBinary, nullable=False),  # every channel's values (db.staging)
)
Index("ix_staged_layout_t_end", staged.c.layout, staged.c.t_end, staged.c.t_start)
Index("ix_staged_layout_window", staged.c.layout, staged.c.w_start)

stage_progress = Table(
    "stage_progress",
    metadata,
    Column("layout", Integer, primary_key=True),
    Column("w_start", BigInteger, primary_key=True),
    Column("upto_id", BigInteger, nullable=False),  # the window's rows with id <= this ...
    Column("done", Integer, nullable=False),  # ... have channels [0, done) in chunks already
)

STAGING_TABLES = (stage_layouts, staged, stage_progress)

events = Table(
    "events",
    metadata,
    Column("id", _BigId, primary_key=True),
    Column("t", BigInteger, nullable=False),
    Column("kind", String, nullable=False),
    Column("asset_id", String),
    Column("signal_id", String),
    Column("state", String),
    Column("priority", Integer),
    Column("user", String),
    Column("comment", Text),
    Column("payload", Text),  # JSON
)
Index("ix_events_t", events.c.t)

bookmarks = Table(
    "bookmarks",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("t", BigInteger, nullable=False),
    Column("name", Text, nullable=False),
    Column("created_at", BigInteger, nullable=False),
)

recordings = Table(
    "recordings",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("started_ns", BigInteger, nullable=False),  # wall clock
    Column("ended_ns", BigInteger),  # wall clock, advanced on every flush
    Column("first_t", BigInteger),  # first recorded sample time
    Column("last_t", BigInteger),  # last flushed sample time
    Column("plant_name", String),
    Column("plant_toml", Text),
    Column("app_version", String),
)
