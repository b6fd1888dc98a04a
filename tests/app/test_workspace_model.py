"""The workspace file without a window: its JSON round trip, piece-by-piece reading with
messages naming the field, the store's files, and fitting rectangles onto screens."""

from __future__ import annotations

import json
import logging

import pytest
from hypothesis import given
from hypothesis import strategies as st
from PySide6.QtCore import QRect

from app.workspace.model import (
    FORMAT,
    VERSION,
    AlarmListState,
    Camera,
    DockLayout,
    PlotState,
    Rect,
    Workspace,
    WorkspaceError,
    dumps,
    loads,
    to_dict,
)
from app.workspace.screens import fit_rect, nearest_screen, on_some_screen
from app.workspace.store import WorkspaceStore, layout_file_name, plant_slug

FULL = Workspace(
    plant="一号车间",
    name="Night shift",
    geometry=Rect(-1800, 40, 1600, 1000),
    maximized=True,
    state=b"\x00\x01binary\xff",
    docks={
        "dock_Plant": DockLayout("right", tabbed_with=("dock_Values",)),
        "dock_Timeline": DockLayout("bottom", floating=True, geometry=Rect(5, 6, 700, 160)),
        "dock_alarms": DockLayout("bottom", visible=False),
    },
    splitters={"split_views": (300, 500)},
    selected_asset="M07",
    tree_filter="电机",
    plot=PlotState(600, ("M07.temp", "M07.current")),
    camera=Camera((1.0, 2.0, 3.0), (0.0, 0.0, 0.5), (0.0, 0.0, 1.0), 30.0),
    alarms=AlarmListState(
        "press_line", 3, ("ACK_ACTIVE", "UNACK_ACTIVE"), "TEMP", "RAISED", "ascending"
    ),
)


def test_a_workspace_comes_back_from_its_json_unchanged_and_readable() -> None:
    text = dumps(FULL)
    loaded = loads(text, "current.json")
    assert loaded.problems == []
    assert loaded.workspace == FULL
    data = json.loads(text)
    assert (data["format"], data["version"], data["plant"]) == (FORMAT, VERSION, "一号车间")
    assert "一号车间" in text  # names stay readable, not \\u escapes
    assert data["window"]["docks"]["dock_Timeline"]["geometry"] == {
        "x": 5,
        "y": 6,
        "width": 700,
        "height": 160,
    }


@given(
    st.builds(
        Workspace,
        plant=st.text(max_size=20),
        name=st.text(max_size=20),
        geometry=st.none()
        | st.builds(
            Rect,
            st.integers(-9999, 9999),
            st.integers(-9999, 9999),
            st.integers(1, 9999),
            st.integers(1, 9999),
        ),
        state=st.none() | st.binary(max_size=64),
        splitters=st.dictionaries(
            st.text(max_size=8),
            st.lists(st.integers(0, 5000), min_size=1, max_size=4).map(tuple),
            max_size=3,
        ),
        selected_asset=st.none() | st.text(max_size=10),
        tree_filter=st.none() | st.text(max_size=10),
        plot=st.none()
        | st.builds(
            PlotState, st.integers(1, 86400), st.lists(st.text(max_size=8), max_size=4).map(tuple)
        ),
    )
)
def test_any_workspace_round_trips(ws: Workspace) -> None:
    assert loads(dumps(ws)).workspace == ws


def _broken(**changes: object) -> str:
    data = to_dict(FULL)
    for path, value in changes.items():
        *parents, last = path.split("__")
        node = data
        for key in parents:
            node = node[key]
        node[last] = value
    return json.dumps(data)


@pytest.mark.parametrize(
    ("path", "value", "message", "kept"),
    [
        (
            "window__geometry",
            {"x": 1, "y": 2, "width": 0, "height": 5},
            "window.geometry.width: expected a whole number >= 1, got 0",
            "camera",
        ),
        (
            "window__state",
            "not base64!",
            'window.state: expected base64 text, got "not base64!"',
            "geometry",
        ),
        (
            "view__plot",
            {"span_s": "2min"},
            'view.plot.span_s: expected a whole number >= 1, got "2min"',
            "alarms",
        ),
        (
            "view__camera",
            {"position": [1, 2], "focal_point": [0, 0, 0], "view_up": [0, 0, 1], "view_angle": 30},
            "view.camera.position: expected three numbers, got [1, 2]",
            "plot",
        ),
        (
            "view__alarms",
            {"sort_order": "sideways"},
            'view.alarms.sort_order: expected ascending or descending, got "sideways"',
            "camera",
        ),
        ("view__selected_asset", 7, "view.selected_asset: expected a string, got 7", "tree_filter"),
    ],
)
def test_a_bad_field_drops_only_its_piece_and_says_which(
    path: str, value: object, message: str, kept: str
) -> None:
    loaded = loads(_broken(**{path: value}), "current.json")
    assert loaded.problems == [f"current.json: {message}"]
    piece = path.split("__")[-1]
    assert getattr(loaded.workspace, piece) == getattr(Workspace(plant="x"), piece)
    assert getattr(loaded.workspace, kept) == getattr(FULL, kept)


def test_one_bad_dock_keeps_the_others() -> None:
    data = to_dict(FULL)
    data["window"]["docks"]["dock_Plant"]["area"] = "middle"
    loaded = loads(json.dumps(data), "a.json")
    assert loaded.problems == [
        "a.json: window.docks.dock_Plant.area: "
        'expected one of left, right, top, bottom, got "middle"'
    ]
    assert set(loaded.workspace.docks) == {"dock_Timeline", "dock_alarms"}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            '{"format": "twindeck-workspace",\n "version": 1,,}',
            "w.json: line 2 column 15: not valid JSON",
        ),
        ("[1, 2]", "w.json: expected a JSON object, got [1, 2]"),
        ('{"format": "other"}', "w.json: format: expected 'twindeck-workspace', got \"other\""),
        (
            '{"format": "twindeck-workspace", "version": 0, "plant": "p"}',
            "w.json: version: this TwinDeck reads version 1, got 0",
        ),
        (
            '{"format": "twindeck-workspace", "version": 1}',
            "w.json: plant: expected the plant's name, got null",
        ),
    ],
)
def test_a_file_that_is_no_workspace_is_an_error_naming_it(text: str, message: str) -> None:
    with pytest.raises(WorkspaceError) as error:
        loads(text, "w.json")
    assert str(error.value).startswith(message)


def test_the_store_keeps_a_workspace_and_layouts_per_plant(tmp_path, caplog) -> None:
    store = WorkspaceStore(tmp_path)
    assert store.load_current("Demo workshop") is None
    store.save_current(Workspace(plant="Demo workshop", tree_filter="M0"))
    assert (tmp_path / "workspaces" / "demo_workshop" / "current.json").is_file()
    loaded = store.load_current("Demo workshop")
    assert loaded is not None and loaded.workspace.tree_filter == "M0"
    store.save_layout(Workspace(plant="Demo workshop", name="Night / wall"))
    store.save_layout(Workspace(plant="Demo workshop", name="alarms"))
    store.save_layout(Workspace(plant="Other plant", name="theirs"))
    assert store.layouts("Demo workshop") == ["alarms", "Night / wall"]
    assert store.delete_layout("Demo workshop", "alarms")
    assert not store.delete_layout("Demo workshop", "alarms")
    assert store.layouts("Demo workshop") == ["Night / wall"]
    store.current_path("Demo workshop").write_text("{ not json", encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="twindeck.workspace"):
        assert store.load_current("Demo workshop") is None
    assert "current.json: line 1 column 3: not valid JSON" in caplog.text


def test_plant_and_layout_names_make_safe_file_names() -> None:
    assert plant_slug("Demo workshop") == "demo_workshop"
    assert plant_slug("一号车间") == "一号车间"
    assert plant_slug("一号车间") != plant_slug("二号车间")
    assert layout_file_name("Night / wall: 2") == "Night _ wall_ 2.json"
    assert layout_file_name("..") == "layout.json"


# ------------------------------------------------------------------------------ screens
LEFT = QRect(0, 0, 1920, 1080)
RIGHT = QRect(1920, 0, 1280, 1024)


def test_a_rect_on_a_screen_stays_where_it_is() -> None:
    for rect in (QRect(100, 100, 800, 600), QRect(1800, 50, 400, 300), QRect(-300, 10, 400, 300)):
        assert fit_rect(rect, [LEFT, RIGHT]) == rect


def test_a_rect_on_a_screen_that_is_gone_moves_to_the_nearest() -> None:
    on_right = QRect(2200, 100, 800, 600)
    assert not on_some_screen(on_right, [LEFT])
    fitted = fit_rect(on_right, [LEFT])
    assert fitted == QRect(1920 - 800, 100, 800, 600)  # against the edge it was beyond
    assert LEFT.contains(fitted)


def test_a_rect_larger_than_the_screen_left_shrinks_to_it() -> None:
    wall = QRect(-4000, -200, 3840, 2160)  # a 4K wall display, gone
    assert fit_rect(wall, [RIGHT, LEFT]) == LEFT
    assert nearest_screen(QRect(5000, 500, 10, 10), [LEFT, RIGHT]) == RIGHT


def test_a_sliver_on_screen_is_not_enough() -> None:
    sliver = QRect(1900, 200, 800, 600)  # 20 px of it on the left screen
    assert not on_some_screen(sliver, [LEFT])
    assert fit_rect(sliver, [LEFT]).right() == LEFT.right()
    assert fit_rect(sliver, []) == sliver


@given(
    st.integers(-20000, 20000),
    st.integers(-20000, 20000),
    st.integers(1, 6000),
    st.integers(1, 4000),
)
def test_whatever_was_saved_ends_up_on_a_screen(x: int, y: int, w: int, h: int) -> None:
    fitted = fit_rect(QRect(x, y, w, h), [LEFT, RIGHT])
    assert on_some_screen(fitted, [LEFT, RIGHT])
    assert fitted.width() <= max(w, 1) and fitted.height() <= max(h, 1)
