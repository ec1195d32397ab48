"""The transition table: every event in every phase has a defined answer, and the table is whole."""
from __future__ import annotations

import json

import pytest

from skill.coach import actions
from skill.coach.events import KINDS, Event
from skill.coach.machine import ANYWHERE, TABLE, Coach, row_for
from skill.coach.speech import Count
from skill.coach.state import Phase, State

from .conftest import DAY, Walk, check_output


class CountsBudget:
    def fits(self, segments):
        return sum(isinstance(s, Count) for s in segments) <= 4


def _states(catalog) -> dict[str, tuple[State, float]]:
    """A person in every phase (and some sub-cases), with the time their last reply was sent."""
    coach, split = Coach(catalog), Coach(catalog, CountsBudget())
    states: dict[str, tuple[State, float]] = {}

    def keep(name: str, walk: Walk) -> None:
        states[name] = (walk.state, walk.sent_at)

    w = Walk(coach); keep("idle", w)                                                    # noqa: E702
    w("launch"); keep("offer_routine", w)                                               # noqa: E702
    w = Walk(coach); w("start_routine"); keep("moving_fresh", w)                        # noqa: E702
    w("hurts", "some"); keep("rating", w)                                               # noqa: E702
    w = Walk(coach); w("start_routine"); w("skip", at=30); keep("confirm_skip", w)      # noqa: E702
    w = Walk(coach); w("start_routine"); w("pause", at=60); keep("paused", w)           # noqa: E702
    w.wait(3600); w("launch"); keep("resume", w)                                        # noqa: E702
    w = Walk(coach); w("start_routine"); w("stop"); w.wait(60); w("launch")             # noqa: E702
    keep("moving_question", w)
    w = Walk(coach); w("start_routine"); w("forget", at=30); keep("forget", w)          # noqa: E702
    w = Walk(split); w.to_move("single_leg_balance_reach"); keep("ready_split", w)      # noqa: E702
    w = Walk(coach); w("start_stretches"); keep("stretch", w)                           # noqa: E702
    w = Walk(coach); w.routine_through(); w.wait(DAY); w("start_routine")               # noqa: E702
    keep("back_check", w)
    w = Walk(coach); w("start_routine")                                                 # noqa: E702
    for _ in range(4):
        w("yes")
    keep("offer_stretches", w)
    w = Walk(coach); w("start_routine"); w("red_flag", "leg", at=20); w.wait(DAY); w("launch")  # noqa: E702
    keep("checked", w)
    w = Walk(coach); w("extra", "upper_back"); keep("extra", w)                         # noqa: E702
    return states


EVENTS = [Event(kind) for kind in KINDS if KINDS[kind] is None] + [
    Event("start_routine", "short"), Event("start_stretches", "first"), Event("extra", "upper_back"),
    Event("extra", "legs"), Event("hurts", "some"), Event("hurts", "elsewhere"), Event("hurts", "everywhere"),
    Event("pain", 0), Event("pain", 5), Event("pain", 7), Event("pain", 10), Event("pain", 11), Event("pain", "x"),
    Event("pain", None), Event("red_flag", "urgent"), Event("red_flag", "leg"), Event("red_flag", "unwell"),
    Event("red_flag", None), Event("back_feel", "better"), Event("back_feel", "worse"), Event("back_feel", None),
    Event("question", "sets"), Event("question", "reps"), Event("question", "rest"), Event("question", "time"),
    Event("question", None),
]


@pytest.fixture(scope="module")
def states(catalog):
    return _states(catalog)


def test_every_phase_is_reached(states):
    assert {state.phase for state, _ in states.values()} == set(Phase)


@pytest.mark.parametrize("event", EVENTS, ids=lambda e: f"{e.kind}={e.value}")
def test_every_event_in_every_phase_gets_a_defined_answer(catalog, states, event):
    coach = Coach(catalog)
    for name, (state, sent_at) in states.items():
        for now in (sent_at + 400.0, sent_at + 25.0, sent_at - 50.0):      # after, over and before the reply
            before = json.dumps(state.to_json(), sort_keys=True)
            out, new = coach.step(state, event, now)
            check_output(catalog, out)
            assert json.dumps(state.to_json(), sort_keys=True) == before, f"{name}: input mutated"
            assert State.from_json(json.loads(json.dumps(new.to_json()))) == new
            if event.kind == "red_flag":
                assert new.session is None and new.progress.checkup_pending and not out.listen
            if out.listen:
                assert out.speech, f"{name}: listening in silence after {event}"


def test_every_row_names_an_action_and_real_phases():
    for phase, rows in TABLE.items():
        assert isinstance(phase, Phase)
        for kind, row in {**rows, **ANYWHERE}.items():
            assert kind in KINDS, kind
            assert callable(row.action) and row.action.__module__ == actions.__name__
            targets = row.to if isinstance(row.to, frozenset) else {row.to}
            assert targets <= set(Phase) | {actions.SETS_NEXT, actions.STAY, actions.END}, (phase, kind)


def test_an_event_a_phase_does_not_list_is_unexpected_and_changes_nothing(walk):
    walk("start_routine")
    assert row_for(Phase.MOVING, "start_stretches") is ANYWHERE["start_stretches"]
    assert row_for(Phase.CHECKED, "skip").action is actions.unexpected
