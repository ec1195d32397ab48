"""The moves drawn: every move has a figure, and the figures are checked like the catalogue."""
from __future__ import annotations

import json

import pytest

from skill.coach.catalog import load_catalog
from skill.screen.figures import FigureError, _read, load_figures

# The engine's next move, drawn ahead of it: an easier Superman Pull, arms only.


def move_view(move_id: str, reps: int = 8, sides: bool = False) -> dict:
    """A set screen for `move_id`: cue, count-in, `reps` reps, the question."""
    timeline = [{"at": 0.0, "kind": "cue", "set": 1, "side": None, "rep": 0, "seconds": 3.0},
                {"at": 3.0, "kind": "count_in", "set": 1, "side": None, "rep": 0, "seconds": 4.0}]
    timeline += [{"at": 7.0 + 4 * k, "kind": "rep", "set": 1, "side": "left" if sides else None, "rep": k + 1,
                  "seconds": 4.0} for k in range(reps)]
    timeline.append({"at": 7.0 + 4 * reps, "kind": "question", "set": 1, "side": None, "rep": 0, "seconds": 1.0})
    return {"screen": "move", "token": "bc-test", "title": move_id.replace("_", " ").title(), "text": "Pain-free?",
            "move": {"id": move_id, "name": move_id, "ladder_id": move_id, "ladder_name": move_id, "form": "full",
                     "sides": sides, "reps": reps, "tempo": 4.0, "sets": 3},
            "timeline": timeline, "hint": "Say 'that hurt' at any time", "buttons": ["pain_free", "hurt", "pause"],
            "progress": None}


def test_every_move_in_the_catalogue_has_a_figure():
    catalogue = {move.id for move in load_catalog().moves()}
    drawn = set(load_figures().ids())
    assert catalogue - drawn == set(), "moves without a figure"
    assert drawn - catalogue == set(), "figures of moves that do not exist"


def _data() -> dict:
    from importlib import resources
    return json.loads((resources.files("skill.screen") / "figures.json").read_text())


def test_a_limb_that_changes_length_between_poses_is_refused():
    data = _data()
    data["figures"]["superman"]["end"]["n_hand"] = [230, 120]
    with pytest.raises(FigureError, match=r"figures\.superman: bone n_elbow-n_hand is 19\.9 long at the start and 69\.6 at the end"):
        _read("figures.json", data)


def test_a_figure_through_the_floor_is_refused():
    data = _data()
    for pose in ("start", "end"):      # the whole figure 8 lower: lengths kept, feet in the floor
        for xy in data["figures"]["glute_bridge"][pose].values():
            xy[1] += 8
    with pytest.raises(FigureError, match=r"figures\.glute_bridge\.start\.\w+: is below the floor"):
        _read("figures.json", data)


def test_a_missing_joint_is_refused():
    data = _data()
    del data["figures"]["v_ups"]["end"]["nose"]
    with pytest.raises(FigureError, match=r"figures\.v_ups\.end: must give every joint"):
        _read("figures.json", data)


def test_a_figure_that_does_not_move_is_drawn_without_expressions():
    data = _data()
    data["figures"]["superman"]["end"] = data["figures"]["superman"]["start"]
    graphic = json.dumps(_read("figures.json", data).graphic("superman"))
    assert "rotation" not in graphic and "translateX" not in graphic
    assert "${" in graphic and graphic.count("${") == 1    # only the mirror for the right side
