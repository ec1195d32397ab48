"""Idempotent turns, on both stores: a request whose turn was saved (Alexa's retry, or the same request sent
again within its 150 s) gets the same answer again and changes nothing; what is kept for it is small and
holds no answer."""
from __future__ import annotations

import pytest

from skill.alexa.applied import KEEP, Applied
from skill.alexa.dynamo import DynamoStore
from skill.alexa.skill import compose
from skill.alexa.store import DB_FILE, SQLiteStore
from skill.console.envelopes import Device
from tests.alexa.conftest import Alexa


@pytest.fixture(params=["sqlite", "dynamodb"])
def open_store(request, tmp_path):
    """A factory: each call opens another adapter on the same data (another server, in effect)."""
    if request.param == "sqlite":
        return lambda: SQLiteStore(tmp_path / "data")
    endpoint, table = request.getfixturevalue("dynamodb_table")
    return lambda: DynamoStore(table, endpoint_url=endpoint)


def talk(coach, store, device: Device | None = None) -> Alexa:
    return Alexa(compose(coach, store), store, device or Device())


def applied(alexa: Alexa) -> Applied:
    return Applied.from_json(alexa.store.load(alexa.owner()).applied)


def test_one_yes_sent_three_times_counts_once_and_gets_one_answer(coach, open_store):
    replayed, once = talk(coach, open_store()), talk(coach, open_store(), Device(user_id="amzn1.ask.account.ONCE"))
    for alexa in (replayed, once):
        alexa.say("StartRoutineIntent")
    yes = replayed.device.intent("AMAZON.YesIntent", replayed.now)
    replies = [replayed.send(yes) for _ in range(3)]
    assert "That's Superman done. Next, Beetle." in replies[0].said
    assert [reply.raw for reply in replies[1:]] == [replies[0].raw] * 2  # the very same answer
    assert replayed.saved()["revision"] == 2  # the start and one yes
    once.say("AMAZON.YesIntent")
    assert replayed.saved()["state"] == once.saved()["state"]  # as if it had been said once
    assert "That's Beetle" in replayed.say("AMAZON.YesIntent").said  # the next real yes counts


def test_an_earlier_request_sent_again_changes_nothing_and_hears_where_things_are(coach, open_store):
    """Two Echos of one person: each answer counts (the revision logic), and the kitchen's first request
    sent again afterwards changes nothing and is answered as "repeat" would be: where the routine is now."""
    kitchen = talk(coach, open_store())
    bedroom = talk(coach, open_store(), Device(user_id=kitchen.device.user_id))
    started_at = kitchen.now
    start = kitchen.device.intent("StartRoutineIntent", started_at)
    kitchen.send(start)
    bedroom.now = kitchen.now
    assert "That's Superman done. Next, Beetle." in bedroom.say("AMAZON.YesIntent").said
    before = kitchen.saved()
    assert before["revision"] == 2
    again = kitchen.send(start)
    assert kitchen.saved() == before
    repeat = kitchen.send(kitchen.device.intent("AMAZON.RepeatIntent", started_at))  # said at that moment
    assert again.raw == repeat.raw and "Superman" not in again.said


def test_a_retry_answered_by_another_server_first_is_not_counted_twice(coach, tmp_path):
    """Alexa's retry of a slow request reaches another server (same store) and is saved first: the slow
    one's save then loses the race, its replay finds the request applied, and both answers are the same."""

    class SlowServer(SQLiteStore):
        retry = None

        def save(self, owner, state, revision, applied=None, deadline=None):
            if self.retry is not None:
                envelope, self.retry = self.retry, None
                elsewhere.send(envelope)
            return super().save(owner, state, revision, applied, deadline)

    slow = talk(coach, SlowServer(tmp_path / "data"))
    elsewhere = talk(coach, SQLiteStore(tmp_path / "data"), slow.device)
    slow.say("StartRoutineIntent")
    yes = slow.device.intent("AMAZON.YesIntent", slow.now)
    slow.store.retry = yes
    elsewhere.now = slow.now
    answered_late = slow.send(yes)
    assert slow.saved()["revision"] == 2
    assert "That's Superman done" in answered_late.said
    assert elsewhere.send(yes).raw == answered_late.raw  # and a third copy: the same again


def test_only_the_last_turns_are_kept_as_hashes_with_the_state_before_the_latest(coach, tmp_path):
    store = SQLiteStore(tmp_path / "data")
    alexa = talk(coach, store)
    sent = [alexa.device.intent("StartRoutineIntent", alexa.now)]
    alexa.send(sent[0])
    for n in range(KEEP + 2):  # pause, resume, ...: each a saved turn
        sent.append(alexa.device.intent("AMAZON.ResumeIntent" if n % 2 else "AMAZON.PauseIntent", alexa.now))
        previous = alexa.saved()["state"]
        latest = alexa.send(sent[-1])
    saved = alexa.saved()
    assert saved["revision"] == KEEP + 3
    kept = applied(alexa)
    assert len(kept.keys) == KEEP and all(len(key) == 16 for key in kept.keys)
    assert kept.before == previous  # what the last one was applied to
    raw = b"".join(p.read_bytes() for p in (tmp_path / "data").glob(DB_FILE + "*") if p.is_file())
    assert b"amzn1." not in raw  # no request, user or person id, raw
    assert alexa.send(sent[-1]).raw == latest.raw
    repeat = alexa.say("AMAZON.RepeatIntent").said
    assert [alexa.send(envelope).said for envelope in sent[-KEEP:-1]] == [repeat] * (KEEP - 1)
    assert alexa.saved() == saved


def test_a_red_flag_sent_again_gets_the_same_advice_and_no_answer_is_stored(coach, tmp_path):
    """The advice names the kind of symptom; the record never does (only that a check-up is pending):
    replayed, the request is run again on the state it was applied to, and says it again itself."""
    store = SQLiteStore(tmp_path / "data")
    alexa = talk(coach, store)
    alexa.say("StartRoutineIntent")
    red_flag = alexa.device.intent("RedFlagIntent", alexa.now)
    stopped = alexa.send(red_flag)
    assert "spreading into your leg" in stopped.said and stopped.card
    assert alexa.send(red_flag).raw == stopped.raw
    raw = b"".join(p.read_bytes() for p in (tmp_path / "data").glob(DB_FILE + "*") if p.is_file())
    assert b"spreading" not in raw and b"leg_card" not in raw and b"red_flag" not in raw


def test_forgetting_keeps_no_copy_of_what_was_forgotten(coach, tmp_path):
    store = SQLiteStore(tmp_path / "data")
    alexa = talk(coach, store)
    fresh = coach.new_state().to_json()["progress"]
    alexa.say("StartRoutineIntent")
    alexa.say("AMAZON.YesIntent")
    alexa.say("AMAZON.StopIntent")
    assert alexa.saved()["state"]["progress"] != fresh
    alexa.say("ForgetProgressIntent")
    confirm = alexa.device.intent("AMAZON.YesIntent", alexa.now)
    assert "erased" in alexa.send(confirm).said.lower()
    record = store.load(alexa.owner())
    assert record.state["progress"] == fresh and record.applied.keys() == {"keys"}  # no copy of the old state
    alexa.send(confirm)  # sent again: answered as "repeat" would be, and nothing changes
    assert store.load(alexa.owner()) == record
