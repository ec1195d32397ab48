"""Two devices of one person at once: a turn whose save lost the race is replayed on the fresh state,
in the Alexa layer (so the web service and Lambda both get it); one that keeps losing apologises and
saves nothing. And saving follows the engine's own "changed" answer."""
from __future__ import annotations

from skill.alexa.skill import STALE_RETRIES, compose
from skill.alexa.store import SQLiteStore, StaleStateError
from tests.alexa.conftest import Alexa


class RacingStore(SQLiteStore):
    """A real store whose next `losses` saves lose the race to another device's save."""

    def __init__(self, data_dir, losses: int, rival_state: dict) -> None:
        super().__init__(data_dir)
        self.losses, self.saves, self.rival_state = losses, 0, rival_state

    def save(self, owner, state, revision, applied=None, deadline=None):
        self.saves += 1
        if self.losses:
            self.losses -= 1
            # the other device really saves first (a fresh state), so the replay must load it
            super().save(owner, self.rival_state, self.load(owner).revision)
            raise StaleStateError(owner.key)
        return super().save(owner, state, revision, applied, deadline)


def racing(coach, tmp_path, losses: int) -> tuple[Alexa, RacingStore]:
    store = RacingStore(tmp_path / "racing", losses, coach.new_state().to_json())
    return Alexa(compose(coach, store), store), store


def test_a_turn_that_loses_one_save_race_is_replayed_and_saved(coach, tmp_path):
    alexa, store = racing(coach, tmp_path, losses=1)
    reply = alexa.say("StartRoutineIntent")
    assert "First, Superman" in reply.said and reply.listening
    assert store.saves == 2  # lost once, replayed once
    assert alexa.saved()["state"]["session"]["routine"]["items"][0]["move"] == "superman"
    assert "Was Superman pain-free?" in alexa.say("AMAZON.RepeatIntent").said  # the replayed routine was saved


def test_a_turn_that_keeps_losing_apologises_keeps_listening_and_saves_nothing(coach, tmp_path):
    alexa, store = racing(coach, tmp_path, losses=STALE_RETRIES)
    reply = alexa.say("StartRoutineIntent")
    assert "something went wrong" in reply.said and "say that again" in reply.said.lower()
    assert reply.listening
    assert store.saves == STALE_RETRIES
    assert alexa.saved()["state"] == coach.new_state().to_json()  # only the rival's: nothing of the lost turn


def test_a_read_only_turn_writes_nothing(alexa):
    alexa.say("StartRoutineIntent")
    before = alexa.saved()
    for intent in ("AMAZON.HelpIntent", "AMAZON.RepeatIntent"):  # read-only by the engine's own answer
        alexa.say(intent)
    assert alexa.saved() == before  # same revision: not even an identical rewrite
