"""The state on disk: schema 2, plain JSON, refused loudly when unreadable; version-1 records keep levels."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from skill.coach.state import SCHEMA_VERSION, Form, Phase, State

from .conftest import DAY, T0, Walk, text_of

V1 = json.loads((Path(__file__).parent / "fixtures" / "v1_states.json").read_text())


def test_a_version_1_record_keeps_its_levels_history_and_preferences():
    state = State.from_json(V1["mid_routine"])
    old = V1["mid_routine"]["progress"]
    assert state.session is None                           # the routine in flight had the old shape
    assert {m: (r.form.value, r.reps) for m, r in state.progress.moves.items()} == \
        {m: (r["form"], r["reps"]) for m, r in old["moves"].items()}
    assert state.progress.sessions == 3 and len(state.progress.history) == 3
    assert state.progress.seen == old["seen"] and state.to_json()["schema_version"] == SCHEMA_VERSION


def test_a_version_1_red_flag_becomes_only_a_pending_check_up():
    state = State.from_json(V1["after_red_flag"])
    assert state.progress.checkup_pending
    assert "kind" not in json.dumps(state.to_json())


def test_a_version_1_easier_superman_pull_is_now_its_honest_easier_form(coach):
    state = State.from_json(V1["late_ladder"])
    assert state.progress.moves["superman_pull"].form == Form.EASIER
    assert state.progress.tempo == {"superman_pull": 5.0}
    walk = Walk(coach, state, now=T0 + 30 * DAY)
    walk.to_move("superman_pull")
    assert "Prone Arm Pulls" in text_of(walk.out) and "Wall Lateral" not in text_of(walk.out)


def test_a_migrated_person_carries_on_training(coach):
    walk = Walk(coach, State.from_json(V1["mid_routine"]), now=T0 + 30 * DAY)
    walk.routine_through()
    assert walk.progress.moves["superman"].reps == 10


def test_state_round_trips_through_json_mid_routine(walk):
    walk("start_routine")
    walk("hurts", at=100)
    data = json.loads(json.dumps(walk.state.to_json()))
    assert State.from_json(data) == walk.state and data["session"]["phase"] == Phase.MOVING.value


@pytest.mark.parametrize("edit, message", [
    (lambda d: d.update(schema_version=3), "schema_version 3 is not supported"),
    (lambda d: d["progress"].update(sessions="two"), "state.progress.sessions: must be int"),
    (lambda d: d["progress"]["moves"].update(superman={"form": "sideways", "reps": 8, "at_max": 0, "parked_at": None,
                                                       "mastered": False, "started": 0, "changed_at": None}),
     "state.progress.moves.superman.form: 'sideways' is not one of"),
    (lambda d: d["progress"]["moves"].update(superman={"form": "full"}), "state.progress.moves.superman.reps: missing"),
    (lambda d: d["progress"].update(mood="good"), "state.progress.mood: not a field"),
    (lambda d: d["session"].update(phase="dancing"), "state.session.phase: 'dancing' is not one of"),
    (lambda d: d.pop("progress"), "state.progress: missing"),
])
def test_a_record_this_engine_cannot_read_is_refused_naming_the_field(walk, edit, message):
    walk("start_routine")
    data = json.loads(json.dumps(walk.state.to_json()))
    edit(data)
    with pytest.raises(ValueError, match=message):
        State.from_json(data)


def test_anything_but_an_object_is_refused():
    for bad in (None, [], "state", 3):
        with pytest.raises(ValueError):
            State.from_json(bad)
