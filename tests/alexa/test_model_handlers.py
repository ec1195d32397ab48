"""The interaction model and the handlers agree, in every locale: no intent without a handler, and
no handler waiting for an intent the model never sends; and each intent reaches the engine as its event."""
from __future__ import annotations

import pytest

from skill.alexa.handlers import handled_intents, request_handlers
from skill.alexa.skill import compose
from skill.alexa.turn import Turns
from skill.coach.events import Event
from skill.coach.machine import Coach
from skill.console.model import LOCALES, intent_names, load_model
from skill.console.envelopes import slot
from tests.alexa.conftest import Alexa


@pytest.fixture(scope="module")
def answered(coach) -> set[str]:
    return handled_intents(request_handlers(Turns(coach, None)))


@pytest.mark.parametrize("locale", LOCALES)
def test_every_intent_in_the_model_has_a_handler(locale, answered):
    assert set(intent_names(load_model(locale))) - answered == set()


@pytest.mark.parametrize("locale", LOCALES)
def test_every_handled_intent_exists_in_the_model(locale, answered):
    assert answered - set(intent_names(load_model(locale))) == set()


class RecordingCoach(Coach):
    """The real engine, noting each event the handlers hand it."""

    def __init__(self, catalog) -> None:
        super().__init__(catalog)
        self.events: list[Event] = []

    def step(self, state, event, now):
        self.events.append(event)
        return super().step(state, event, now=now)


@pytest.fixture
def recorded(coach, store) -> tuple[Alexa, RecordingCoach]:
    recorder = RecordingCoach(coach.catalog)
    return Alexa(compose(recorder, store), store), recorder


@pytest.mark.parametrize("intent, event", [
    ("HurtIntent", Event("hurts")),
    ("AMAZON.NoIntent", Event("no")),
    ("RedFlagIntent", Event("red_flag", "leg")),
    ("UrgentRedFlagIntent", Event("red_flag", "urgent")),
    ("UnwellIntent", Event("red_flag", "unwell")),
])
def test_each_intent_reaches_the_engine_as_its_event(recorded, intent, event):
    alexa, recorder = recorded
    alexa.say("StartRoutineIntent")
    alexa.say("ReadyIntent")
    alexa.say(intent)
    assert recorder.events[-1] == event


def _with(slot_name: str, value: str, resolved_id: str | None = None, authority: str = "") -> dict:
    return {slot_name: slot(value, resolved_id, authority) if resolved_id else slot(value)}


@pytest.mark.parametrize("intent, slots, event", [
    ("ShortRoutineIntent", _with("minutes", "10"), Event("start_routine", 10)),
    ("ShortRoutineIntent", {}, Event("start_routine", "short")),
    ("ShortRoutineIntent", _with("minutes", "?"), Event("start_routine", "short")),
    ("SeverePainIntent", {}, Event("hurts", "severe")),
    ("StretchesFirstIntent", {}, Event("start_stretches", "first")),
    ("DoneIntent", {}, Event("done")),
    ("CantDoIntent", {}, Event("cant")),
    ("LostCountIntent", {}, Event("lost_count")),
    ("ThanksIntent", {}, Event("thanks")),
    ("UpperBackIntent", {}, Event("extra", "upper_back")),
    ("StatusIntent", {}, Event("question", "sets")),
    ("QuestionIntent", _with("topic", "how long", "rest", "QUESTION_TOPIC"), Event("question", "rest")),
    ("QuestionIntent", _with("topic", "the weather"), Event("question", "sets")),  # unresolved: the usual one
    ("HurtIntent", _with("amount", "kind of", "some", "PAIN_AMOUNT"), Event("hurts", "some")),
    ("HurtIntent", _with("amount", "a lot"), Event("hurts")),  # a value Alexa could not resolve
    # a match that carries no value (seen in fuzzing): as if nothing matched, never an apology
    ("HurtIntent", {"amount": {"value": "kind of", "resolutions": {"resolutionsPerAuthority": [
        {"authority": "x", "status": {"code": "ER_SUCCESS_MATCH"}, "values": []}]}}}, Event("hurts")),
    ("SymptomIntent", _with("description", "feet have gone numb"), Event("red_flag", "urgent")),
    ("SymptomIntent", _with("description", "wrist hurts"), Event("hurts", "elsewhere")),
    ("SymptomIntent", _with("description", "mat is slippy"), Event("unknown")),
    ("SymptomIntent", {}, Event("unknown")),  # the slot came empty
    ("NumbnessIntent", _with("description", "in my toes"), Event("red_flag", "leg")),
    ("PainPlaceIntent", _with("description", "in my lower back"), Event("hurts")),
    ("ShootingPainIntent", _with("description", "down my leg"), Event("red_flag", "leg")),
    ("BothSidesIntent", _with("description", "my legs are tingling"), Event("red_flag", "urgent")),
])
def test_intents_with_words_reach_the_engine_as_their_event(recorded, intent, slots, event):
    alexa, recorder = recorded
    alexa.say(intent, **slots)
    assert recorder.events[-1] == event


@pytest.mark.parametrize("heard, rating", [("4", 4), ("10", 10), ("four", 4), ("²", None), ("4.5", None),
                                           ("", None), ("lots", None)])
def test_a_rating_is_a_whole_number_or_none_for_the_engine_to_ask_again(recorded, heard, rating):
    alexa, recorder = recorded
    alexa.say("StartRoutineIntent")
    alexa.say("ReadyIntent")
    reply = alexa.rating(heard)
    assert recorder.events[-1] == Event("pain", rating)
    assert "went wrong" not in reply.said  # the engine's answer, not the apology
    assert reply.listening == (rating != 10)  # ten out of ten stops the session with advice
