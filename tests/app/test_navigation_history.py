"""The display hierarchy's places and the back/forward stack, without Qt."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.navigation.history import PLANT, Level, NavHistory, Place

AREA = Place("motor_bay")
ASSET = Place("motor_bay", "M07")
SIGNAL = Place("motor_bay", "M07", "M07.current")


def test_a_place_knows_its_level_and_the_places_above_it() -> None:
    assert [p.level for p in (PLANT, AREA, ASSET, SIGNAL)] == list(Level)
    assert SIGNAL.up_to(Level.ASSET) == ASSET
    assert SIGNAL.up_to(Level.AREA) == AREA
    assert ASSET.up_to(Level.PLANT) == PLANT


def test_a_place_below_a_missing_level_is_refused_with_its_name() -> None:
    with pytest.raises(ValueError, match=r"M07\.current"):
        Place("motor_bay", None, "M07.current")
    with pytest.raises(ValueError, match="M07"):
        Place(None, "M07")


def test_back_and_forward_walk_the_places_visited() -> None:
    history = NavHistory()
    for place in (AREA, ASSET, SIGNAL):
        assert history.visit(place)
    assert not history.can_go_forward
    assert history.back() == ASSET
    assert history.back() == AREA
    assert history.back() == PLANT
    assert history.back() is None  # the oldest: stays there
    assert history.current == PLANT
    assert history.forward() == AREA
    assert history.forward() == ASSET
    assert history.can_go_forward


def test_a_visit_after_going_back_drops_the_places_ahead() -> None:
    history = NavHistory()
    history.visit(AREA)
    history.visit(ASSET)
    history.back()
    other = Place("press_line", "P01")
    history.visit(other)
    assert not history.can_go_forward
    assert history.places == (PLANT, AREA, other)
    assert history.forward() is None


def test_visiting_the_current_place_changes_nothing() -> None:
    history = NavHistory()
    history.visit(ASSET)
    assert not history.visit(Place("motor_bay", "M07"))
    assert history.places == (PLANT, ASSET)


def test_the_camera_left_behind_comes_back_with_its_place() -> None:
    history = NavHistory()
    history.visit(AREA)
    seen = {"focal_point": [1.0, 2.0, 0.0]}
    history.visit(ASSET, view_left=seen)
    back = history.back()
    assert back == AREA and back is not None
    assert back.view == seen
    history.note_view({"focal_point": [5.0, 5.0, 0.0]})
    assert history.current.view == {"focal_point": [5.0, 5.0, 0.0]}
    assert history.forward() == ASSET  # views are not part of a place's identity


def test_the_history_keeps_at_most_its_limit_behind_the_current_place() -> None:
    history = NavHistory(limit=3)
    places = [Place(f"area{i}") for i in range(6)]
    for place in places:
        history.visit(place)
    assert history.places == tuple(places[-4:])
    with pytest.raises(ValueError, match="at least 1"):
        NavHistory(limit=0)


places = st.sampled_from([PLANT, AREA, ASSET, SIGNAL, Place("press_line"), Place("weaving")])
steps = st.lists(st.one_of(places, st.sampled_from(["back", "forward"])), max_size=40)


@given(steps)
def test_history_behaves_as_a_list_and_a_cursor(moves: list[object]) -> None:
    """Against the plainest model: a list of places and the index of the current one."""
    history = NavHistory()
    model, index = [PLANT], 0
    for move in moves:
        if move == "back":
            expected = model[index - 1] if index > 0 else None
            index = max(index - 1, 0)
            assert history.back() == expected
        elif move == "forward":
            expected = model[index + 1] if index + 1 < len(model) else None
            index = min(index + 1, len(model) - 1)
            assert history.forward() == expected
        else:
            assert isinstance(move, Place)
            if move != model[index]:
                model, index = [*model[: index + 1], move], index + 1
            history.visit(move)
        assert history.current == model[index]
        assert history.can_go_back == (index > 0)
        assert history.can_go_forward == (index < len(model) - 1)
