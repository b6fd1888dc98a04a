"""Incident replay controls: the timeline, the transport bar, and the panel holding both."""

from app.timeline.panel import QtReplayPanel
from app.timeline.timeline import QtTimeline
from app.timeline.transport import QtTransportBar

__all__ = ["QtReplayPanel", "QtTimeline", "QtTransportBar"]
