"""A workspace as plain data, and its versioned JSON form.

A workspace is what a window looks like for one plant: where it and its docks are, the
splitters, what is plotted over which span, the alarm list's filters and sort, the asset
tree's filter, the selected asset and the 3D camera. The same form is the current
workspace (saved on quit) and a named layout (saved, exported, imported).

Reading is forgiving piece by piece: a field that is missing, of the wrong type or out of
range drops only the piece it belongs to, with a message naming the file and the field;
only a file that is not a workspace at all (not JSON, another format, a version this
program does not read) raises ``WorkspaceError``. No Qt here: the window's state is an
opaque ``bytes`` blob, described beside it in readable fields.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

FORMAT = "twindeck-workspace"
VERSION = 1
DOCK_AREAS = ("left", "right", "top", "bottom")
SORT_ORDERS = ("ascending", "descending")


class WorkspaceError(ValueError):
    """A file that is not a workspace this program can read (the message names it)."""


@dataclass(frozen=True)
class Rect:
    """A rectangle in screen pixels (x, y of its top left corner)."""

    x: int
    y: int
    width: int
    height: int


@dataclass(frozen=True)
class DockLayout:
    """Where one dock is: its area, floating or not, shown or not, its tab mates."""

    area: str  # one of DOCK_AREAS
    floating: bool = False
    visible: bool = True
    geometry: Rect | None = None  # on screen, when floating
    tabbed_with: tuple[str, ...] = ()  # object names of the docks in the same tab group


@dataclass(frozen=True)
class PlotState:
    """The plots: their span and the signals drawn, top to bottom."""

    span_s: int
    signals: tuple[str, ...] = ()


@dataclass(frozen=True)
class Camera:
    """The 3D camera (the fields of a saved view)."""

    position: tuple[float, float, float]
    focal_point: tuple[float, float, float]
    view_up: tuple[float, float, float]
    view_angle: float

    def as_view(self) -> dict[str, object]:
        """The camera as the 3D view's saved-view dict."""
        return {
            "name": "",
            "position": list(self.position),
            "focal_point": list(self.focal_point),
            "view_up": list(self.view_up),
            "view_angle": self.view_angle,
        }


@dataclass(frozen=True)
class AlarmListState:
    """The alarm list's filters (None: all) and sort."""

    area: str | None = None  # area id
    priority: int | None = None
    states: tuple[str, ...] | None = None  # AlarmState names of the state filter
    text: str = ""
    sort_column: str | None = None  # a Column name of the alarm model
    sort_order: str = "descending"  # one of SORT_ORDERS


@dataclass(frozen=True)
class Workspace:
    """One window's workspace for ``plant``; a None piece was not saved (or not readable)
    and is left as it is when the workspace is applied."""

    plant: str
    name: str = ""
    geometry: Rect | None = None  # the window's normal (not maximized) geometry
    maximized: bool = False
    full_screen: bool = False
    state: bytes | None = None  # QMainWindow.saveState(): docks, tabs, floating docks
    docks: Mapping[str, DockLayout] = field(default_factory=dict)
    splitters: Mapping[str, tuple[int, ...]] = field(default_factory=dict)
    selected_asset: str | None = None
    tree_filter: str | None = None
    plot: PlotState | None = None
    camera: Camera | None = None
    alarms: AlarmListState | None = None


@dataclass
class Loaded:
    """A workspace read from a file and the pieces of it that were skipped, and why."""

    workspace: Workspace
    problems: list[str] = field(default_factory=list)


# ----------------------------------------------------------------------------- writing
def to_dict(ws: Workspace) -> dict[str, Any]:
    """The workspace as a JSON-ready dict, ``format`` and ``version`` first."""
    window: dict[str, Any] = {
        "geometry": _rect_dict(ws.geometry),
        "maximized": ws.maximized,
        "full_screen": ws.full_screen,
        "state": base64.b64encode(ws.state).decode("ascii") if ws.state is not None else None,
        "docks": {name: _dock_dict(dock) for name, dock in ws.docks.items()},
        "splitters": {name: list(sizes) for name, sizes in ws.splitters.items()},
    }
    view: dict[str, Any] = {
        "selected_asset": ws.selected_asset,
        "tree_filter": ws.tree_filter,
        "plot": None
        if ws.plot is None
        else {"span_s": ws.plot.span_s, "signals": [*ws.plot.signals]},
        "camera": None if ws.camera is None else _camera_dict(ws.camera),
        "alarms": None if ws.alarms is None else _alarms_dict(ws.alarms),
    }
    return {
        "format": FORMAT,
        "version": VERSION,
        "name": ws.name,
        "plant": ws.plant,
        "window": window,
        "view": view,
    }


def dumps(ws: Workspace) -> str:
    """The workspace as indented JSON (non-ASCII names kept as they are)."""
    return json.dumps(to_dict(ws), indent=2, ensure_ascii=False) + "\n"


def _rect_dict(rect: Rect | None) -> dict[str, int] | None:
    if rect is None:
        return None
    return {"x": rect.x, "y": rect.y, "width": rect.width, "height": rect.height}


def _dock_dict(dock: DockLayout) -> dict[str, Any]:
    return {
        "area": dock.area,
        "floating": dock.floating,
        "visible": dock.visible,
        "geometry": _rect_dict(dock.geometry),
        "tabbed_with": [*dock.tabbed_with],
    }


def _camera_dict(camera: Camera) -> dict[str, Any]:
    view = camera.as_view()
    del view["name"]
    return view


def _alarms_dict(alarms: AlarmListState) -> dict[str, Any]:
    return {
        "area": alarms.area,
        "priority": alarms.priority,
        "states": None if alarms.states is None else [*alarms.states],
        "text": alarms.text,
        "sort_column": alarms.sort_column,
        "sort_order": alarms.sort_order,
    }


# ----------------------------------------------------------------------------- reading
class _Bad(Exception):
    """One field that is not what it should be; drops the piece it is in."""

    def __init__(self, where: str, expected: str, got: object) -> None:
        super().__init__(f"{where}: expected {expected}, got {_show(got)}")


def _show(value: object) -> str:
    text = json.dumps(value, ensure_ascii=False) if _jsonable(value) else repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _jsonable(value: object) -> bool:
    try:
        json.dumps(value)
    except (TypeError, ValueError):
        return False
    return True


def loads(text: str, source: str = "workspace") -> Loaded:
    """Read a workspace from JSON text; ``source`` (a file name) starts every message."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise WorkspaceError(
            f"{source}: line {exc.lineno} column {exc.colno}: not valid JSON ({exc.msg})"
        ) from None
    return from_dict(data, source)


def from_dict(data: object, source: str = "workspace") -> Loaded:
    """Read a workspace from its dict; every unreadable piece is skipped with a message
    in ``Loaded.problems`` (``source: field: expected ..., got ...``)."""
    if not isinstance(data, dict):
        raise WorkspaceError(f"{source}: expected a JSON object, got {_show(data)}")
    if data.get("format") != FORMAT:
        raise WorkspaceError(
            f"{source}: format: expected {FORMAT!r}, got {_show(data.get('format'))}"
        )
    version = data.get("version")
    if version != VERSION:
        raise WorkspaceError(
            f"{source}: version: this TwinDeck reads version {VERSION}, got {_show(version)}"
        )
    plant = data.get("plant")
    if not isinstance(plant, str):
        raise WorkspaceError(f"{source}: plant: expected the plant's name, got {_show(plant)}")
    problems: list[str] = []

    def piece[T](where: str, read: Any, value: object, default: T) -> T:
        if value is None:
            return default
        try:
            return read(where, value)
        except _Bad as exc:
            problems.append(f"{source}: {exc}")
            return default

    window: dict[str, Any] = piece("window", _obj, data.get("window"), {})
    view: dict[str, Any] = piece("view", _obj, data.get("view"), {})
    ws = Workspace(
        plant=plant,
        name=piece("name", _str, data.get("name"), ""),
        geometry=piece("window.geometry", _rect, window.get("geometry"), None),
        maximized=piece("window.maximized", _bool, window.get("maximized"), False),
        full_screen=piece("window.full_screen", _bool, window.get("full_screen"), False),
        state=piece("window.state", _state, window.get("state"), None),
        docks=_each(
            piece("window.docks", _obj, window.get("docks"), {}), "window.docks", _dock, piece
        ),
        splitters=_each(
            piece("window.splitters", _obj, window.get("splitters"), {}),
            "window.splitters",
            _sizes,
            piece,
        ),
        selected_asset=piece("view.selected_asset", _str, view.get("selected_asset"), None),
        tree_filter=piece("view.tree_filter", _str, view.get("tree_filter"), None),
        plot=piece("view.plot", _plot, view.get("plot"), None),
        camera=piece("view.camera", _camera, view.get("camera"), None),
        alarms=piece("view.alarms", _alarms, view.get("alarms"), None),
    )
    return Loaded(ws, problems)


def _each(items: dict[str, Any], where: str, read: Any, piece: Any) -> dict[str, Any]:
    """Read each entry of a mapping on its own: one bad entry drops only itself."""
    out = {}
    for key, value in items.items():
        got = piece(f"{where}.{key}", read, value, None)
        if got is not None:
            out[key] = got
    return out


def _obj(where: str, value: object) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _Bad(where, "an object", value)
    return value


def _str(where: str, value: object) -> str:
    if not isinstance(value, str):
        raise _Bad(where, "a string", value)
    return value


def _bool(where: str, value: object) -> bool:
    if not isinstance(value, bool):
        raise _Bad(where, "true or false", value)
    return value


def _int(where: str, value: object, low: int | None = None) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or (low is not None and value < low):
        raise _Bad(where, "a whole number" + (f" >= {low}" if low is not None else ""), value)
    return value


def _float(where: str, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise _Bad(where, "a finite number", value)
    return float(value)


def _strs(where: str, value: object) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise _Bad(where, "a list of strings", value)
    return tuple(value)


def _rect(where: str, value: object) -> Rect:
    d = _obj(where, value)
    x, y = (_int(f"{where}.{k}", d.get(k)) for k in ("x", "y"))
    w, h = (_int(f"{where}.{k}", d.get(k), low=1) for k in ("width", "height"))
    return Rect(x, y, w, h)


def _state(where: str, value: object) -> bytes:
    try:
        return base64.b64decode(_str(where, value), validate=True)
    except binascii.Error:
        raise _Bad(where, "base64 text", value) from None


def _dock(where: str, value: object) -> DockLayout:
    d = _obj(where, value)
    area = d.get("area")
    if area not in DOCK_AREAS:
        raise _Bad(f"{where}.area", "one of " + ", ".join(DOCK_AREAS), area)
    geometry = d.get("geometry")
    return DockLayout(
        area=str(area),
        floating=_bool(f"{where}.floating", d.get("floating", False)),
        visible=_bool(f"{where}.visible", d.get("visible", True)),
        geometry=None if geometry is None else _rect(f"{where}.geometry", geometry),
        tabbed_with=_strs(f"{where}.tabbed_with", d.get("tabbed_with", [])),
    )


def _sizes(where: str, value: object) -> tuple[int, ...]:
    if not isinstance(value, list) or not value:
        raise _Bad(where, "a list of sizes in pixels", value)
    return tuple(_int(f"{where}[{i}]", v, low=0) for i, v in enumerate(value))


def _plot(where: str, value: object) -> PlotState:
    d = _obj(where, value)
    return PlotState(
        span_s=_int(f"{where}.span_s", d.get("span_s"), low=1),
        signals=_strs(f"{where}.signals", d.get("signals", [])),
    )


def _vec3(where: str, value: object) -> tuple[float, float, float]:
    if not isinstance(value, list) or len(value) != 3:
        raise _Bad(where, "three numbers", value)
    x, y, z = (_float(f"{where}[{i}]", v) for i, v in enumerate(value))
    return x, y, z


def _camera(where: str, value: object) -> Camera:
    d = _obj(where, value)
    position, focal, up = (
        _vec3(f"{where}.{k}", d.get(k)) for k in ("position", "focal_point", "view_up")
    )
    angle = _float(f"{where}.view_angle", d.get("view_angle"))
    if not 0 < angle < 180:
        raise _Bad(f"{where}.view_angle", "an angle between 0 and 180 degrees", angle)
    return Camera(position, focal, up, angle)


def _alarms(where: str, value: object) -> AlarmListState:
    d = _obj(where, value)
    order = d.get("sort_order", "descending")
    if order not in SORT_ORDERS:
        raise _Bad(f"{where}.sort_order", " or ".join(SORT_ORDERS), order)
    area, priority, states, column = (
        d.get(k) for k in ("area", "priority", "states", "sort_column")
    )
    return AlarmListState(
        area=None if area is None else _str(f"{where}.area", area),
        priority=None if priority is None else _int(f"{where}.priority", priority, low=0),
        states=None if states is None else _strs(f"{where}.states", states),
        text=_str(f"{where}.text", d.get("text", "")),
        sort_column=None if column is None else _str(f"{where}.sort_column", column),
        sort_order=str(order),
    )
