"""The recorded history: chunked raw samples plus a min/max pyramid, on SQLAlchemy
(SQLite by default, PostgreSQL for scale). Imports twin, never Qt or VTK."""

from db.engine import open_history
from db.errors import HistoryError
from db.history import History
from db.read.reader import HistoryReader
from db.write.retention import apply_retention
from db.write.sink import ChunkSink, FlushInfo
from db.write.writer import HistoryWriter, WriterState

__all__ = [
    "ChunkSink",
    "FlushInfo",
    "History",
    "HistoryError",
    "HistoryReader",
    "HistoryWriter",
    "WriterState",
    "apply_retention",
    "open_history",
]
