"""From a view to directives: frames follow the timeline, commands land on time, bad views are refused."""
from __future__ import annotations

import copy

import pytest

from skill.screen.apl import EXECUTE, RENDER, ViewError, check_view, directives, frames
from tests.screen.test_figures import move_view


def test_the_counter_shows_each_number_as_it_is_heard():
    shown = frames(move_view("superman", reps=3))
    counts = [(f["at"], f["count"]) for f in shown if f["mode"] == "count"]
    # rep k moves from 7 + 4(k-1) s; its number is said at its end, when the next rep starts
    assert counts == [(7.0, 0), (11.0, 1), (15.0, 2), (19.0, 3)]
    assert shown[-1]["big"] == "Pain-free?" and shown[-1]["at"] == 19.0 + 1.5   # the 3 stays up 1.5 s


def test_commands_set_each_frame_at_its_time():
    found = directives(move_view("superman", reps=3))
    assert [d["type"] for d in found] == [RENDER, EXECUTE]
    steps = found[1]["commands"][0]["commands"]
    assert steps[0] == {"type": "SetValue", "componentId": "root", "property": "t0", "value": "${elapsedTime}"}
    at, times = 0, []
    for step in steps[1:]:
        at += step["delay"]
        times.append(at)
    shown = found[0]["datasources"]["screen"]["frames"]
    assert times == [round(f["at"] * 1000) for f in shown[1:]]
    assert [s["value"] for s in steps[1:]] == list(range(1, len(shown)))


def test_alternating_reps_and_sides_reach_the_figure():
    view = move_view("alternating_superman", reps=4, sides=True)
    reps = [f for f in frames(view) if f["motion"] == "rep"]
    assert [f["alt"] for f in reps] == [0, 1, 0, 1]
    assert {f["label"] for f in reps} == {"Set 1 of 3 · Left side"}
    view["timeline"][-2]["side"] = "right"
    assert frames(view)[-3]["flip"] == 1


def test_a_screen_without_a_figure_or_timeline_is_one_frame():
    view = {**move_view("superman"), "screen": "message", "move": None, "timeline": [], "buttons": [],
            "text": "Let's stop here."}
    found = directives(view)
    assert [d["type"] for d in found] == [RENDER]
    data = found[0]["datasources"]["screen"]
    assert not data["figure"] and data["text"] == "Let's stop here." and len(data["frames"]) == 1
    assert found[0]["document"]["graphics"] == {}


@pytest.mark.parametrize("change, problem", [
    (lambda v: v.update(screen="dance"), "screen: 'dance'"),
    (lambda v: v.pop("hint"), "a view has exactly the keys"),
    (lambda v: v.update(token=""), "token: must not be empty"),
    (lambda v: v.update(buttons=["yes"]), "buttons: must be a list drawn from"),
    (lambda v: v["move"].update(form="hard"), "move.form: 'hard'"),
    (lambda v: v["timeline"][2].update(kind="jump"), r"timeline\[2\]\.kind: 'jump'"),
    (lambda v: v["timeline"][2].update(at=-1), r"timeline\[2\]\.at: must be seconds"),
    (lambda v: v.update(progress={"sessions": [], "moves": []}), "progress: given exactly when"),
])
def test_a_broken_view_is_refused_with_the_field_named(change, problem):
    view = copy.deepcopy(move_view("superman"))
    change(view)
    with pytest.raises(ViewError, match=problem):
        check_view(view)
