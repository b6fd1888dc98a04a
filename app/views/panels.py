"""The panel registry: dockable views a composition adds to the window.

A panel is a widget in a dock (area, title) that may draw frames (``update_frame``).
Register a ``PanelSpec``; every composition offers each registered panel the session's
context and docks the ones that apply (``make`` returns None where a panel has nothing
to show, e.g. connection health in a replay).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import cast

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from app.i18n import QT_TRANSLATE_NOOP
from twin.condition.snapshot import AdvisorySource, HealthSource
from twin.plant.model import Plant
from twin.sources.base import Source
from twin.store.series import SeriesReader


@dataclass(frozen=True)
class PanelContext:
    """What a panel may be built from."""

    plant: Plant
    sources: Sequence[Source] = field(default_factory=tuple)  # empty: nothing live
    health: HealthSource | None = None  # None: the fleet's health is not monitored
    reader: SeriesReader | None = None  # the session's series: the frames' reader


@dataclass(frozen=True)
class PanelSpec:
    key: str  # unique; the dock's object name is "dock_<key>"
    title: str
    area: Qt.DockWidgetArea
    make: Callable[[PanelContext], QWidget | None]
    tab_with: str = ""  # the key of a dock to share as a tab (e.g. "alarms"), when present


_PANELS: dict[str, PanelSpec] = {}


def register_panel(spec: PanelSpec) -> None:
    """Add a panel to every window composed from now on."""
    if spec.key in _PANELS:
        raise ValueError(f"a panel {spec.key!r} is already registered")
    _PANELS[spec.key] = spec


def unregister_panel(key: str) -> None:
    _PANELS.pop(key, None)


@contextmanager
def registered_panel(spec: PanelSpec) -> Iterator[PanelSpec]:
    """Register ``spec`` for the duration of a ``with`` block."""
    register_panel(spec)
    try:
        yield spec
    finally:
        unregister_panel(spec.key)


def panels() -> tuple[PanelSpec, ...]:
    return tuple(_PANELS.values())


def _connections(context: PanelContext) -> QWidget | None:
    from app.views.connections_panel import QtConnectionsPanel, connected_sources

    connected = connected_sources(context.sources)
    return QtConnectionsPanel(connected) if connected else None


register_panel(
    PanelSpec(
        "connections",
        QT_TRANSLATE_NOOP("QtMainWindow", "Connections"),
        Qt.DockWidgetArea.RightDockWidgetArea,
        _connections,
    )
)


def _fleet(context: PanelContext) -> QWidget | None:
    if context.health is None:
        return None
    from app.fleet.panel import QtFleetPanel

    return QtFleetPanel(context.plant, context.health)


def _fleet_map(context: PanelContext) -> QWidget | None:
    if context.health is None:
        return None
    from app.fleet.map import QtFleetMap

    return QtFleetMap(context.plant)


# Docked where a monitored fleet is (a health source in the context): the map beside the
# 3D view, the ranked list a tab beside the alarm list (both say what needs attention).
register_panel(
    PanelSpec(
        "fleet_map",
        QT_TRANSLATE_NOOP("QtMainWindow", "Fleet map"),
        Qt.DockWidgetArea.RightDockWidgetArea,
        _fleet_map,
    )
)
register_panel(
    PanelSpec(
        "fleet",
        QT_TRANSLATE_NOOP("QtMainWindow", "Fleet health"),
        Qt.DockWidgetArea.BottomDockWidgetArea,
        _fleet,
        "alarms",
    )
)


def _advisories(context: PanelContext) -> QWidget | None:
    source = context.health
    if source is None or not callable(getattr(source, "advisory_events", None)):
        return None
    from app.fleet.advisories import QtAdvisoryPanel

    return QtAdvisoryPanel(context.plant, cast(AdvisorySource, source))


# The health monitor's early warnings, a tab beside the alarm list: not alarms, no horn.
register_panel(
    PanelSpec(
        "advisories",
        QT_TRANSLATE_NOOP("QtMainWindow", "Advisories"),
        Qt.DockWidgetArea.BottomDockWidgetArea,
        _advisories,
        "alarms",
    )
)


def _spectrum(context: PanelContext) -> QWidget | None:
    from twin.condition.marks import waveform_signals

    if context.reader is None or not waveform_signals(context.plant):
        return None
    from app.fleet.spectrum import QtSpectrumPanel

    return QtSpectrumPanel(context.plant, context.reader)


# Where the plant has waveform channels (raw vibration, phase current at 200 Hz and more):
# their spectra, a tab beside the fleet map (a health view too).
register_panel(
    PanelSpec(
        "spectrum",
        QT_TRANSLATE_NOOP("QtMainWindow", "Spectrum"),
        Qt.DockWidgetArea.RightDockWidgetArea,
        _spectrum,
        "fleet_map",
    )
)


def _lines(context: PanelContext) -> QWidget | None:
    if context.reader is None or not context.plant.lines:
        return None
    from app.line.panel import QtLinePanel
    from twin.kpi.replay import CursorIndicators

    return QtLinePanel(CursorIndicators(context.plant, context.reader))


# Where the plant file declares production lines: their indicators, a tab beside the alarms.
register_panel(
    PanelSpec(
        "lines",
        QT_TRANSLATE_NOOP("QtMainWindow", "Lines"),
        Qt.DockWidgetArea.BottomDockWidgetArea,
        _lines,
        "alarms",
    )
)
