"""Random conversations -- any words, spoken at any moment (over the sets too), any clock -- never break the
coach or a person's record."""
from __future__ import annotations

import json

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from skill.coach.events import Event
from skill.coach.machine import Coach
from skill.coach.speech import Count
from skill.coach.state import Phase, Result, State, Status
from skill.coach.timing import seconds

from .conftest import T0, check_output
from .test_table import EVENTS

COMMON = [Event("start_routine"), Event("yes"), Event("no"), Event("hurts"), Event("pause"), Event("resume"),
          Event("ready"), Event("launch"), Event("pain", 4), Event("skip"), Event("stop"), Event("session_ended")]
events = st.one_of(st.sampled_from(COMMON), st.sampled_from(EVENTS))
# when the words come: after the reply (and how long after), over it (how far into it), or a clock gone wrong
timing = st.one_of(
    st.tuples(st.just("after"), st.floats(0, 30)),
    st.tuples(st.just("over"), st.floats(0, 1)),
    st.tuples(st.just("later"), st.sampled_from([3600.0, 8 * 3600.0, 13 * 3600.0, 2 * 86400.0, 9 * 86400.0])),
    st.tuples(st.just("before"), st.floats(1, 1e6)),
)


class SplitBudget:
    def fits(self, segments):
        return sum(isinstance(s, Count) for s in segments) <= 4


def _walk(coach: Coach, steps) -> None:
    state, now, sent_at, length = coach.new_state(), T0, T0, 0.0
    for event, (when, amount) in steps:
        now = {"after": sent_at + length + amount, "over": sent_at + length * amount,
               "later": now + amount, "before": sent_at - amount}[when]
        sessions, forgetting = state.progress.sessions, state.phase == Phase.FORGET
        out, new = coach.step(state, event, now)
        check_output(coach.catalog, out)
        state = State.from_json(json.loads(json.dumps(new.to_json())))
        assert state == new
        if event.kind == "red_flag":
            assert state.session is None and state.progress.checkup_pending
        if state.progress.sessions < sessions:  # only a confirmed "forget my progress", and then all of it
            assert forgetting and event.kind == "yes"
            assert state.progress == type(state.progress)() and state.session is None
        for rec in state.progress.moves.values():
            assert 8 <= rec.reps <= 12
        session = state.session
        if session is not None and session.routine is not None:
            routine = session.routine
            assert 0 <= routine.index < len(routine.items)
            for item in routine.items:
                assert len(item.sets) <= item.planned
                if item.status == Status.DONE and routine.kind.value == "strength":
                    assert all(s.result != Result.PENDING for s in item.sets)
        if out.changed or when != "before":
            sent_at, length = now, seconds(out.speech)


# Found by a random run: a confirmed "forget my progress" after a session takes that session away.
FORGOTTEN = [(Event("start_routine"), ("after", 0.0)), (Event("yes"), ("after", 0.0)),
             (Event("start_routine"), ("later", 46800.0)), (Event("forget"), ("after", 0.0)),
             (Event("yes"), ("after", 0.0))]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(events, timing), min_size=1, max_size=40))
@example(steps=FORGOTTEN)
def test_random_conversations_keep_every_invariant(catalog, steps):
    _walk(Coach(catalog), steps)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(events, timing), min_size=1, max_size=40))
def test_random_conversations_with_split_moves_keep_every_invariant(catalog, steps):
    _walk(Coach(catalog, SplitBudget()), steps)
