"""Docking the registered panels (``app.views.panels``) into a composed window."""

from __future__ import annotations

from collections.abc import Sequence

from app.views.main_window import QtMainWindow
from app.views.panels import PanelContext, panels
from twin.condition.snapshot import HealthSource
from twin.sources.base import Source
from twin.store.series import SeriesReader


def add_registered_panels(
    window: QtMainWindow,
    sources: Sequence[Source] = (),
    health: HealthSource | None = None,
    reader: SeriesReader | None = None,
) -> None:
    """Offer every registered panel this session's context; dock those that apply."""
    context = PanelContext(window.plant, tuple(sources), health, reader)
    for spec in panels():
        widget = spec.make(context)
        if widget is not None:
            window.add_panel(spec, widget)
