"""Whole conversations through the real skill, as an Echo would have them."""
from __future__ import annotations

import json
from datetime import timedelta

from ask_sdk_model import RequestEnvelope

from skill.alexa.identity import owner_of
from skill.alexa.skill import compose
from skill.alexa.tracks import HostedTracks
from skill.audio.manifest import AudioSet
from skill.config import REPO_AUDIO_DIR
from skill.console.envelopes import Device
from tests.alexa.conftest import SERIALIZER, START, Alexa


def finish_routine(alexa: Alexa, answer: str = "AMAZON.YesIntent"):
    """Say ready for each move and answer every set until the summary (which carries the card);
    decline the stretches it offers. Returns (summary, last reply)."""
    reply = alexa.say("ReadyIntent")
    for _ in range(40):
        if reply.card:
            return reply, (alexa.say("AMAZON.NoIntent") if reply.listening else reply)
        reply = alexa.say("ReadyIntent" if "Say ready" in reply.said else answer)
    raise AssertionError(f"routine never ended; last said: {reply.said}")


def test_a_new_person_hears_the_welcome_and_safety_note_once(alexa):
    first = alexa.launch()
    assert "Welcome to Back Coach" in first.said
    assert "doctor" in first.said and "numbness or tingling" in first.said
    assert first.listening and first.reprompt
    alexa.say("AMAZON.StopIntent")
    again = alexa.launch()
    assert "Welcome back" in again.said and "doctor" not in again.said


def test_one_shot_start_cues_the_first_move_and_waits_for_ready(alexa):
    reply = alexa.say("StartRoutineIntent")
    assert "Today: four moves, three sets of eight." in reply.said
    assert "Superman" in reply.said and "Say ready" in reply.said
    assert reply.listening


def test_ready_counts_the_set_at_the_moves_tempo_then_asks(alexa):
    alexa.say("StartRoutineIntent")
    reply = alexa.say("ReadyIntent")
    assert "Set one of three." in reply.said
    assert "One. Two. Three. Four. Five. Six. Seven. Eight. Pain-free?" in reply.said
    assert '<break time="4000ms"/>' in reply.ssml  # Superman: four seconds a rep
    assert reply.listening and "Say yes if it was pain-free" in reply.reprompt


def test_yes_rests_with_a_spoken_countdown_then_counts_the_next_set(alexa):
    alexa.say("StartRoutineIntent")
    alexa.say("ReadyIntent")
    reply = alexa.say("AMAZON.YesIntent")
    assert "Rest for thirty seconds. Twenty. Ten. Three. Two. One. Set two of three." in reply.said
    assert reply.said.endswith("Pain-free?")


def test_a_no_drops_to_the_easier_variant_and_that_is_saved(alexa):
    alexa.say("StartRoutineIntent")
    alexa.say("ReadyIntent")
    reply = alexa.say("HurtIntent")
    assert "easier" in reply.said and "Alternating Superman" in reply.said
    assert reply.listening
    item = alexa.saved()["state"]["session"]["routine"]["items"][0]
    assert item["move"] == "superman" and item["form"] == "easier"
    counted = alexa.say("ReadyIntent")
    assert "Set two of three." in counted.said


def test_a_high_pain_rating_counts_as_a_no_and_a_low_one_as_a_yes(alexa):
    alexa.say("StartRoutineIntent")
    alexa.say("ReadyIntent")
    assert "Rest" in alexa.rating(2).said
    assert "Alternating Superman" in alexa.rating("7").said


def test_a_pain_rating_that_is_not_zero_to_ten_is_asked_again_and_changes_nothing(alexa):
    alexa.say("StartRoutineIntent")
    alexa.say("ReadyIntent")
    before = alexa.saved()
    reply = alexa.rating(42)
    assert "zero to ten" in reply.said and reply.listening
    assert alexa.saved() == before


def test_a_red_flag_ends_the_session_with_doctor_advice_and_no_progression(alexa):
    alexa.say("StartRoutineIntent")
    alexa.say("ReadyIntent")
    alexa.say("AMAZON.YesIntent")
    reply = alexa.say("RedFlagIntent")
    assert "doctor" in reply.said and not reply.listening
    saved = alexa.saved()["state"]
    assert saved["session"] is None
    assert saved["progress"]["sessions"] == 0 and saved["progress"]["moves"] == {}


def test_urgent_symptoms_ask_for_urgent_help(alexa):
    alexa.say("StartRoutineIntent")
    reply = alexa.say("UrgentRedFlagIntent")
    assert "urgent" in reply.said.lower() and not reply.listening


def test_an_interrupted_routine_is_offered_again_and_restarts_the_set(alexa):
    alexa.say("StartRoutineIntent")
    alexa.say("ReadyIntent")
    alexa.say("AMAZON.YesIntent")          # now in set two
    assert alexa.timeout().raw["response"].get("outputSpeech") is None
    offer = alexa.launch()
    assert "You were on Superman, set two" in offer.said and offer.listening
    back = alexa.say("AMAZON.YesIntent")
    assert "Superman" in back.said and "set two of three" in back.said
    assert "Set two of three." in alexa.say("ReadyIntent").said


def test_finishing_the_routine_summarises_shows_a_card_and_progresses_next_time(alexa):
    alexa.say("StartRoutineIntent")
    summary, end = finish_routine(alexa)
    assert not end.listening
    assert summary.card["type"] == "Simple" and summary.card["title"]
    assert "four moves" in summary.said.lower()
    progress = alexa.saved()["state"]["progress"]
    assert progress["sessions"] == 1
    assert all(m["reps"] == 9 for m in progress["moves"].values())
    alexa.now += timedelta(days=7)  # long enough that there is no next-day check
    assert "three sets of nine" in alexa.say("StartRoutineIntent").said


def test_the_day_after_asks_how_the_back_is_and_worse_steps_every_move_down(alexa):
    alexa.say("StartRoutineIntent")
    finish_routine(alexa)
    alexa.now += timedelta(days=1)
    ask = alexa.say("StartRoutineIntent")
    assert "better, the same, or worse" in ask.said
    reply = alexa.feel("worse")
    assert "easier" in reply.said.lower()
    assert "Alternating Superman" in reply.said


def test_an_unexpected_utterance_is_reprompted_and_changes_nothing(alexa):
    alexa.say("StartRoutineIntent")
    alexa.say("ReadyIntent")
    before = alexa.saved()
    reply = alexa.say("AMAZON.FallbackIntent")
    assert reply.listening and "Say yes if it was pain-free" in reply.said
    assert alexa.saved() == before


def near_the_top_of_the_ladder(alexa: Alexa) -> None:
    """Store what an earlier session saved for a runner who has mastered the first eight ladder moves
    and trained a week ago: today's plan ends on Single Leg Jump Squats."""
    ladder = ["superman", "beetle", "single_leg_balance_reach", "high_plank_leg_lifts", "single_leg_bridge",
              "modified_low_side_plank_lifts", "quadruped_limb_raises", "superman_pull"]
    progress = {
        "schema_version": 1, "sessions": 16, "last_session_at": (START - timedelta(days=7)).timestamp(),
        "safety_note_given": True, "red_flag": None, "worse_checks": 0,
        "moves": {m: {"form": "full", "reps": 12, "at_max": 2, "parked_at": None, "mastered": True} for m in ladder},
        "tempo": {}, "seen": ladder, "skip_stretches": [], "history": [],
    }
    envelope = SERIALIZER.deserialize(json.dumps(alexa.device.launch(alexa.now)), RequestEnvelope)
    alexa.device.end_session()
    alexa.store.save(owner_of(envelope), {"progress": progress, "session": None}, 0)


def test_a_runner_outside_gets_the_outdoor_alternative_and_it_is_saved(alexa):
    near_the_top_of_the_ladder(alexa)
    assert "First, Single Leg Deadlift." in alexa.say("StartRoutineIntent").said
    for _ in range(3):
        reply = alexa.say("AMAZON.NextIntent")
    assert "Last one: Single Leg Jump Squats." in reply.said
    assert "I'm outside" in alexa.say("AMAZON.HelpIntent").said
    reply = alexa.say("OutdoorsIntent")
    assert reply.said.startswith("Outdoors it is: Forward Jump Squats. Stand with your feet hip-width apart")
    assert reply.listening and "Say ready" in reply.reprompt
    item = alexa.saved()["state"]["session"]["routine"]["items"][-1]
    assert (item["move"], item["form"]) == ("single_leg_jump_squats", "outdoor")
    assert "Squat, jump forward, and land softly back into a squat." in alexa.say("ReadyIntent").said
    for _ in range(3):
        reply = alexa.say("AMAZON.YesIntent")
    assert "Single Leg Jump Squats goes up to nine reps." in reply.said
    assert "Single Leg Jump Squats (outdoors: Forward Jump Squats): 3 of 3 sets pain-free" in reply.card["content"]
    progress = alexa.saved()["state"]["progress"]
    assert progress["moves"]["single_leg_jump_squats"]["reps"] == 9
    assert "forward_jump_squats" in progress["seen"]


def test_im_outside_on_a_move_that_works_anywhere_changes_nothing(alexa):
    alexa.say("StartRoutineIntent")
    before = alexa.saved()
    reply = alexa.say("OutdoorsIntent")
    assert reply.said.startswith("This one works anywhere.") and reply.listening
    assert alexa.saved() == before


def test_two_runners_in_one_household_keep_separate_progress(coach, store):
    skill = compose(coach, store)
    anna = Alexa(skill, store, Device(user_id="amzn1.ask.account.HOME", person_id="amzn1.ask.person.ANNA"))
    ben = Alexa(skill, store, Device(user_id="amzn1.ask.account.HOME", person_id="amzn1.ask.person.BEN"))
    anna.say("StartRoutineIntent")
    finish_routine(anna)
    assert anna.saved()["state"]["progress"]["sessions"] == 1
    assert ben.saved() == {"state": None, "revision": 0}
    assert "Welcome to Back Coach" in ben.launch().said


def test_disabling_the_skill_deletes_the_accounts_data(alexa):
    alexa.say("StartRoutineIntent")
    alexa.say("ReadyIntent")
    assert alexa.saved()["revision"] > 0
    reply = alexa.send(alexa.device.skill_event("AlexaSkillEvent.SkillDisabled", alexa.now))
    assert reply.raw["response"].get("outputSpeech") is None
    assert alexa.saved() == {"state": None, "revision": 0}


def test_a_failing_turn_apologises_keeps_listening_and_keeps_progress(alexa, monkeypatch):
    alexa.say("StartRoutineIntent")
    alexa.say("ReadyIntent")
    before = alexa.saved()

    def broken(*args, **kwargs):
        raise RuntimeError("simulated engine fault")

    monkeypatch.setattr(type(alexa.skill.turns.coach), "step", broken)
    reply = alexa.say("AMAZON.YesIntent")
    assert "something went wrong" in reply.said and reply.listening
    assert alexa.saved() == before


def test_hosted_tracks_replace_counts_and_rests_with_audio(coach, store):
    tracks = HostedTracks(AudioSet.load(REPO_AUDIO_DIR), "https://coach.example.com/audio")
    alexa = Alexa(compose(coach, store, tracks), store)
    alexa.say("StartRoutineIntent")
    alexa.say("ReadyIntent")
    reply = alexa.say("AMAZON.YesIntent")
    sources = [part.split('"')[1] for part in reply.ssml.split("<audio src=")[1:]]
    assert len(sources) == 3  # rest countdown, count-in, count
    assert all(src.startswith("https://coach.example.com/audio/") and src.endswith(".mp3") for src in sources)
    assert "Set two of three." in reply.said and reply.said.endswith("Pain-free?")
