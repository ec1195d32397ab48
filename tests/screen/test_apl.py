"""From a view to directives: a counted run is one frame, commands land on time, bad views are refused.
(What the frames look like as time goes by, counter and figure, is test_render.py's: the document computes it.)"""
from __future__ import annotations

import copy

import pytest

from skill.screen.apl import EXECUTE, RENDER, ViewError, check_view, directives, frames
from tests.screen.test_figures import move_view


def rep(at: float, number: int, side: str | None = None, seconds: float = 4.0, set_: int = 1) -> dict:
    return {"at": at, "kind": "rep", "set": set_, "side": side, "rep": number, "seconds": seconds}


def test_a_set_is_one_frame_that_counts_at_the_tempo_and_keeps_its_last_number_up():
    shown = frames(move_view("superman", reps=3))
    counted = [f for f in shown if f["mode"] == "count"]
    # rep k moves from 7 + 4(k-1) s and its number is said at its end: 1 at 11 s, 2 at 15 s, 3 at 19 s
    assert [(f["at"], f["t"], f["span"], f["from"], f["reps"], f["caption"]) for f in counted] == [
        (7.0, 7000, 4000, 0, 3, "of 3")]
    assert shown[-1]["big"] == "Pain-free?" and shown[-1]["at"] == 19.0 + 1.5   # the 3 stays up 1.5 s


def test_a_run_breaks_where_the_side_the_tempo_or_the_rhythm_changes():
    view = move_view("single_leg_deadlift", reps=0, sides=True)
    view["timeline"][2:2] = ([rep(7.0 + 4 * k, k + 1, "left") for k in range(3)]        # 7, 11, 15
                             + [rep(19.0 + 4 * k, k + 1, "right") for k in range(2)]     # the other side
                             + [rep(27.0, 3, "right", seconds=5.0)]                       # slower
                             + [rep(40.0, 4, "right", seconds=5.0)])                      # after a pause
    view["timeline"][-1]["at"] = 45.0
    runs = [(f["t"], f["span"], f["from"], f["reps"], f["label"], f["flip"])
            for f in frames(view) if f["mode"] == "count"]
    assert runs == [(7000, 4000, 0, 3, "Set 1 of 3 · Left side", 0), (19000, 4000, 0, 2, "Set 1 of 3 · Right side", 1),
                    (27000, 5000, 2, 1, "Set 1 of 3 · Right side", 1), (40000, 5000, 3, 1, "Set 1 of 3 · Right side", 1)]


def test_a_rest_after_the_last_number_waits_for_it_but_counts_down_from_the_voice():
    view = move_view("superman", reps=2)
    view["timeline"][-1] = {"at": 15.5, "kind": "rest", "set": 1, "side": None, "rep": 0, "seconds": 30.0}
    rest = frames(view)[-1]
    assert (rest["mode"], rest["caption"], rest["at"], rest["t"], rest["span"]) == ("rest", "Rest", 16.5, 15500, 30000)


def test_commands_set_each_frame_at_its_time():
    view = move_view("superman", reps=3)
    found = directives(view)
    assert [d["type"] for d in found] == [RENDER, EXECUTE]
    steps = found[1]["commands"][0]["commands"]
    assert steps[0] == {"type": "SetValue", "componentId": "root", "property": "t0", "value": "${elapsedTime}"}
    at, times = 0, []
    for step in steps[1:]:
        at += step["delay"]
        times.append(at)
    shown = frames(view)
    assert times == [round(f["at"] * 1000) for f in shown[1:]]
    assert [s["value"] for s in steps[1:]] == list(range(1, len(shown)))
    sent = found[0]["datasources"]["screen"]["frames"]
    assert sent == [{k: v for k, v in f.items() if k != "at"} for f in shown]   # the commands carry the times


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
    (lambda v: v["timeline"][2].update(seconds=0), r"timeline\[2\]\.seconds: a rep takes some time"),
    (lambda v: v.update(progress={"sessions": [], "moves": []}), "progress: given exactly when"),
])
def test_a_broken_view_is_refused_with_the_field_named(change, problem):
    view = copy.deepcopy(move_view("superman"))
    change(view)
    with pytest.raises(ViewError, match=problem):
        check_view(view)
