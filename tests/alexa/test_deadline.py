"""Each turn has one deadline under Alexa's 8 s, store waits and replays included: past it the turn
apologises and saves nothing, so no save lands after Alexa has given up."""
from __future__ import annotations

import time

from skill.alexa.skill import ANSWER_RESERVE_S, STALE_RETRIES, compose
from skill.alexa.store import SQLiteStore, StaleStateError
from tests.alexa.conftest import Alexa, write_lock

BUDGET_S = 1.0


def timed(alexa: Alexa, intent: str):
    started = time.monotonic()
    reply = alexa.say(intent)
    return reply, time.monotonic() - started


def test_a_save_held_up_by_a_lock_apologises_within_the_budget_and_saves_nothing(coach, tmp_path):
    store = SQLiteStore(tmp_path / "data")
    alexa = Alexa(compose(coach, store, budget_s=BUDGET_S), store)
    alexa.say("StartRoutineIntent")
    before = alexa.saved()
    with write_lock(store.path):
        reply, took = timed(alexa, "AMAZON.YesIntent")
    assert "something went wrong" in reply.said and reply.listening
    assert BUDGET_S - ANSWER_RESERVE_S - 0.1 < took < BUDGET_S  # it waited for the lock, then answered in time
    assert alexa.saved() == before
    assert "That's Superman done" in alexa.say("AMAZON.YesIntent").said  # the lock gone, the answer counts once


def test_replays_after_lost_races_share_the_one_deadline(coach, tmp_path):
    """A slow store (each load 0.3 s) and a save that always loses the race: the replays stop at the
    deadline instead of taking five loads' time; the turn apologises and saves nothing."""

    class SlowLosingStore(SQLiteStore):
        loads = 0

        def load(self, owner, deadline=None):
            self.loads += 1
            time.sleep(0.3)
            return super().load(owner, deadline)

        def save(self, owner, state, revision, applied=None, deadline=None):
            if revision:  # the start is saved; every later save loses
                raise StaleStateError(owner.key)
            return super().save(owner, state, revision, applied, deadline)

    store = SlowLosingStore(tmp_path / "data")
    alexa = Alexa(compose(coach, store, budget_s=BUDGET_S), store)
    alexa.say("StartRoutineIntent")
    store.loads, before = 0, alexa.saved()
    reply, took = timed(alexa, "AMAZON.YesIntent")
    assert "something went wrong" in reply.said and took < BUDGET_S + 0.3  # the last load began in time
    assert store.loads < STALE_RETRIES and alexa.saved() == before
