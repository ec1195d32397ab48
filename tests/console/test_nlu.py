"""The console's language understanding: typed words -> the intent and slots Alexa would send."""
from __future__ import annotations

import copy
import json
import re

import pytest
from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_model import IntentRequest
from ask_sdk_model.slu.entityresolution import StatusCode

from skill.console.model import LOCALES, language_model, load_model
from skill.language.carriers import SCREENED_INTENTS, SLOT, screen_intent
from skill.console.nlu import BUILTIN_PHRASES, FALLBACK, LAUNCH, Resolver, SlotValue, normalise, parse_number

MODEL = load_model("en-US")
LM = language_model(MODEL)
SLOT_REF = re.compile(r"\{(\w+)\}")


@pytest.fixture(scope="module")
def resolver() -> Resolver:
    return Resolver(MODEL)


# Free words after a carrier ("my ..."), in which screening found nothing: the handler's "unknown".
NOTHING = "SymptomIntent: none"


def _heard(resolution) -> str:
    """The intent; for a screened intent, also what screening its words found."""
    if resolution.intent not in SCREENED_INTENTS:
        return resolution.intent
    return f"{resolution.intent}: {screen_intent(resolution.intent, resolution.slots[SLOT].value)}"


def _slots(resolution) -> dict[str, str | None]:
    """The slots the words filled (every declared slot is sent; unfilled ones carry no value)."""
    return {name: slot.value for name, slot in resolution.slots.items() if slot.raw is not None}


@pytest.mark.parametrize("said, intent, slots", [
    ("start my back routine", "StartRoutineIntent", {}),
    ("Let's do my back exercises!", "StartRoutineIntent", {}),
    ("do my stretches", "StartStretchesIntent", {}),
    ("I'm ready", "ReadyIntent", {}),
    ("Yes", "AMAZON.YesIntent", {}),
    ("yeah", "AMAZON.YesIntent", {}),
    ("yes it was pain free", "AMAZON.YesIntent", {}),
    ("nope", "AMAZON.NoIntent", {}),
    ("it hurts", "HurtIntent", {}),
    ("That hurt.", "HurtIntent", {}),
    ("it was a four", "PainRatingIntent", {"rating": "4"}),
    ("pain level 7", "PainRatingIntent", {"rating": "7"}),
    ("ten out of ten", "PainRatingIntent", {"rating": "10"}),
    ("about a three", "PainRatingIntent", {"rating": "3"}),
    ("zero", "PainRatingIntent", {"rating": "0"}),
    ("my leg is tingling", "RedFlagIntent", {}),
    ("pins and needles down my leg", "RedFlagIntent", {}),
    ("my foot went numb", "RedFlagIntent", {}),
    ("pain shooting down my leg", "RedFlagIntent", {}),
    ("numb between my legs", "UrgentRedFlagIntent", {}),
    ("I can\u2019t hold my bladder", "UrgentRedFlagIntent", {}),
    ("my leg gave way", "UrgentRedFlagIntent", {}),
    ("my back feels a bit better", "BackFeelIntent", {"feeling": "better"}),
    ("about the same", "BackFeelIntent", {"feeling": "same"}),
    ("it's worse today", "BackFeelIntent", {"feeling": "worse"}),
    ("make it easier", "EasierIntent", {}),
    ("that's too easy", "HarderIntent", {}),
    ("I'm outside", "OutdoorsIntent", {}),
    ("give me the outdoor version", "OutdoorsIntent", {}),
    ("slow down", "SlowerIntent", {}),
    ("speed up", "FasterIntent", {}),
    ("how many sets are left", "QuestionIntent", {"topic": "sets"}),
    ("how long will this take", "QuestionIntent", {"topic": "time"}),
    ("my wrist hurts", "SymptomIntent", {"description": "wrist hurts"}),
    ("tingling in my toes", "RedFlagIntent", {}),
    ("pins and needles in both my legs", "NumbnessIntent", {"description": "in both my legs"}),
    ("a little", "HurtIntent", {"amount": "a bit"}),
    ("how am I doing", "ProgressIntent", {}),
    ("how do I do this", "ExplainIntent", {}),
    ("forget my progress", "ForgetProgressIntent", {}),
    ("I feel dizzy", "UnwellIntent", {}),
    ("something popped in my back", "UnwellIntent", {}),
    ("pause", "AMAZON.PauseIntent", {}),
    ("carry on", "AMAZON.ResumeIntent", {}),
    ("say that again", "AMAZON.RepeatIntent", {}),
    ("skip", "AMAZON.NextIntent", {}),
    ("start over", "AMAZON.StartOverIntent", {}),
    ("help", "AMAZON.HelpIntent", {}),
    ("stop", "AMAZON.StopIntent", {}),
    ("cancel", "AMAZON.CancelIntent", {}),
    ("go home", "AMAZON.NavigateHomeIntent", {}),
])
def test_representative_utterances_resolve_like_alexa(resolver, said, intent, slots):
    resolution = resolver.resolve(said)
    assert (resolution.intent, _slots(resolution), resolution.invocation) == (intent, slots, False)


def _filled(sample: str, intent: dict) -> list[tuple[str, dict[str, str]]]:
    """The sample with each slot filled by every value and synonym of its type (numbers: a few forms)."""
    types = {s["name"]: s["type"] for s in intent.get("slots", ())}
    (ref,) = SLOT_REF.findall(sample) or (None,)
    if ref is None:
        return [(sample, {})]
    if types[ref] == "AMAZON.NUMBER":
        choices = [("four", "4"), ("4", "4"), ("ten", "10"), ("twenty one", "21")]
    elif types[ref] == "AMAZON.SearchQuery":
        choices = [("left calf feels odd", "left calf feels odd")]
    else:
        (slot_type,) = [t for t in LM["types"] if t["name"] == types[ref]]
        choices = [(p, v["name"]["value"]) for v in slot_type["values"]
                   for p in (v["name"]["value"], *v["name"]["synonyms"])]
    filled = [(sample.replace(f"{{{ref}}}", said), {ref: value}) for said, value in choices]
    # A value said alone that is also a built-in intent's phrase is that intent's ("okay" is a yes), and
    # a filled sample that is another intent's own sample is that intent's (listed in SHARED_WORDS).
    builtin = {p for name, phrases in BUILTIN_PHRASES.items() if name != intent["name"] for p in phrases}
    return [(said, slots) for said, slots in filled
            if normalise(said) not in builtin and normalise(said) not in SHARED_WORDS]


# Words two intents claim, and the intent that gets them: "it's sore" is pain at "Pain-free?" and
# "worse" at the next-day check, so the engine reads a pain answer there as "worse".
SHARED_WORDS = {"it's sore": "HurtIntent", "my back is sore": "HurtIntent"}


def test_words_two_intents_claim_go_to_the_more_literal_one(resolver):
    owners = {normalise(s): i["name"] for i in LM["intents"] for s in i["samples"] if "{" not in s}
    assert {said: owners[said] for said in SHARED_WORDS} == SHARED_WORDS
    for said, intent in SHARED_WORDS.items():
        assert resolver.resolve(said).intent == intent


@pytest.mark.parametrize("intent", LM["intents"], ids=lambda i: i["name"])
def test_every_sample_in_the_model_resolves_to_its_own_intent(resolver, intent):
    for sample in intent["samples"]:
        for said, slots in _filled(sample, intent):
            resolution = resolver.resolve(said)
            assert (resolution.intent, _slots(resolution)) == (intent["name"], slots), said


@pytest.mark.parametrize("intent", sorted(BUILTIN_PHRASES))
def test_built_in_intents_answer_to_their_standard_phrases(resolver, intent):
    for phrase in BUILTIN_PHRASES[intent]:
        assert resolver.resolve(phrase).intent == intent, phrase


def test_no_standard_phrase_is_also_a_sample_of_another_intent():
    owner = {" ".join(s.lower().split()): i["name"] for i in LM["intents"] for s in i["samples"]}
    for intent, phrases in BUILTIN_PHRASES.items():
        for phrase in phrases:
            assert owner.get(phrase, intent) == intent, phrase


# What people said in user testing, and the intent each must reach.
HEARD_IN_USER_TESTING = {
    "RedFlagIntent": [
        "my leg is a bit numb", "my thigh is numb", "my thigh is tingling", "my leg has gone numb",
        "my leg's going numb", "my leg has gone dead", "my leg fell asleep", "my foot fell asleep",
        "there's a tingling down the back of my leg", "sharp pain down my leg", "a pain down my leg",
        "pain down my left leg", "it radiates down my leg", "it shoots down my leg",
        "the pain spreads to my leg", "the pain is spreading", "pain goes down to my knee",
        "pain into my buttock and leg", "sciatic pain", "nerve pain", "pinched nerve", "I'm tingling",
        "it's tingling", "some numbness", "a bit of tingling", "my toes feel numb", "my foot feels tingly",
        "there's numbness in my left foot", "no feeling in my leg", "I lost feeling in my leg",
        "my lower back is numb", "my back is tingling", "no my leg went numb", "burning pain down my leg",
        "my leg feels weird"],
    "UrgentRedFlagIntent": [
        "tingling in my groin", "my groin is tingling", "my groin feels tingly", "pins and needles in my groin",
        "pins and needles between my legs", "numbness down there", "I'm numb down there",
        "I can't feel down there", "my crotch is numb", "my backside is numb", "my bum feels numb",
        "my saddle area is numb", "inner thighs tingling", "I peed myself", "I leaked", "I had an accident",
        "I can't empty my bladder", "I'm incontinent", "I soiled myself", "I can't feel when I need to go",
        "my leg won't work", "my leg won't move", "I can't move my leg", "I can't lift my leg",
        "I can't stand up", "I can't walk", "my leg collapsed", "weakness in my leg",
        "my leg has no strength", "my foot is floppy", "I can't feel my legs", "my legs are tingling",
        "both feet tingling", "I feel faint", "chest pain", "my chest hurts", "I can't breathe properly"],
    "UnwellIntent": [
        "I feel unwell", "I feel sick", "I feel dizzy", "I'm dizzy", "something popped in my back",
        "I heard a pop", "I don't feel well", "I feel light headed"],
    "HurtIntent": [
        "a bit sore", "slightly sore", "it aches", "my lower back twinged", "I felt it in my hamstring",
        "it did hurt", "my back hurts", "that was sore", "the pain is really bad"],
    "SeverePainIntent": ["the pain is unbearable", "I'm in agony"],
    "AMAZON.YesIntent": ["yep that was fine", "felt good", "no problems", "no pain at all", "all good"],
    "BackFeelIntent": ["fine"],
    "AMAZON.NoIntent": ["not yet", "I'm not ready"],
    "AMAZON.PauseIntent": ["I need a break", "give me a sec", "one sec", "hang on", "wait"],
    "AMAZON.StopIntent": ["I'm done"],
    "ReadyIntent": ["next set"],
    "StatusIntent": ["what's next", "what's coming up"],
    "QuestionIntent": ["how long is the rest"],
    "StartStretchesIntent": ["just a stretch"],
}


@pytest.mark.parametrize("intent, said", [(i, s) for i, phrases in HEARD_IN_USER_TESTING.items()
                                          for s in phrases])
def test_what_people_said_in_user_testing_reaches_the_right_intent(resolver, intent, said):
    assert resolver.resolve(said).intent == intent


@pytest.mark.parametrize("said, feeling", [
    ("slightly better", "better"), ("a bit better", "better"), ("good", "better"),
    ("about the same", "same"), ("no different", "same"), ("a bit stiff", "same"),
    ("still sore", "worse"), ("slightly worse", "worse"), ("a bit worse", "worse"), ("sorer", "worse"),
    ("my back is still sore", "worse"),
])
def test_how_the_back_feels_in_everyday_words(resolver, said, feeling):
    resolution = resolver.resolve(said)
    assert (resolution.intent, _slots(resolution)) == ("BackFeelIntent", {"feeling": feeling})


@pytest.mark.parametrize("said", [
    "what's the weather in Paris", "purple monkey dishwasher", "play some music", "order a pizza",
    "tell me a joke", "hello", "what time is it", "go away", "", "   ", "?!", "alexa",
    "no it didn't hurt", "nope no pain", "yes a bit",  # yes/no-led answers that say the opposite: not modelled
])
def test_words_that_match_nothing_go_to_the_fallback_intent(resolver, said):
    assert resolver.resolve(said).intent == FALLBACK


@pytest.mark.parametrize("said, intent, slots", [
    ("start my back routine please", "StartRoutineIntent", {}),
    ("could you please start my back routine", "StartRoutineIntent", {}),
    ("strat my back routine", "StartRoutineIntent", {}),
    ("let's do my back workout", "StartRoutineIntent", {}),
    ("my left leg is tingling", "RedFlagIntent", {}),
    ("my right foot went numb", "RedFlagIntent", {}),
    ("pins and needles in my left leg", "RedFlagIntent", {}),
    ("my leg just gave way", "UrgentRedFlagIntent", {}),
    ("um it was like a four", "PainRatingIntent", {"rating": "4"}),
    ("it's about a six I think", "PainRatingIntent", {"rating": "6"}),
    ("my back feels loads better today", "BackFeelIntent", {"feeling": "better"}),
    ("this is way too hard", "EasierIntent", {}),
    ("I'm outside right now", "OutdoorsIntent", {}),
    ("i'm in the park now", "OutdoorsIntent", {}),
    ("how am i doing overall", "ProgressIntent", {}),
    ("stop please", "AMAZON.StopIntent", {}),
])
def test_small_variations_still_resolve(resolver, said, intent, slots):
    resolution = resolver.resolve(said)
    assert (resolution.intent, _slots(resolution)) == (intent, slots)


@pytest.mark.parametrize("said, intent", [
    ("I'm not in position", NOTHING),           # close to "I'm in position", but the opposite
    ("my leg isn't tingling", NOTHING),
    ("that didn't hurt at all today", "AMAZON.YesIntent"),
    ("it wasn't pain free at all", "AMAZON.NoIntent"),
])
def test_a_negation_counts_against_samples_that_lack_it(resolver, said, intent):
    assert _heard(resolver.resolve(said)) == intent


@pytest.mark.parametrize("said, intent", [
    ("huh", FALLBACK),                          # not "uh huh"
    ("it didn't", NOTHING),                     # not "i didn't": did what?
    ("that's it", NOTHING),                     # not "that's right"
    ("can you speak up", FALLBACK),             # not "can you speed up": the volume is the device's
    ("my arm is numb", "SymptomIntent: elsewhere"),  # not "my bum is numb": no red flag for an arm
    ("my elbow feels weak", NOTHING),           # not "my leg feels weak"
    ("my leg feels weak from the exercise", NOTHING),  # tired muscles, not "my leg feels weak"
    ("my knee gave way", "SymptomIntent: elsewhere"),  # a knee, not "my leg gave way"
    ("I feel great today", "BackFeelIntent"),   # an ordinary answer, nowhere near "I feel faint"
    ("tight", FALLBACK),                        # not "right": a yes would log the set as pain-free
    ("it was hard", NOTHING),                   # a statement starting "it was", not the answer "it was"
    ("i didn't like it", NOTHING),              # nor "i didn't"
])
def test_near_misses_are_not_read_as_a_different_request(resolver, said, intent):
    assert _heard(resolver.resolve(said)) == intent


@pytest.mark.parametrize("said, intent", [
    ("yep it was", "AMAZON.YesIntent"),         # the bare answer at the end still counts
    ("nah i didn't", "AMAZON.NoIntent"),
])
def test_a_bare_yes_or_no_at_the_end_is_an_answer(resolver, said, intent):
    assert _heard(resolver.resolve(said)) == intent


@pytest.mark.parametrize("said, intent", [
    ("strat my back routine", "StartRoutineIntent"),
    ("my leg is tinglng", NOTHING),             # a red flag needs its symptom word said as such
    ("my left thigh is tingling", "RedFlagIntent"),
    ("my left groin is tingling", "UrgentRedFlagIntent"),
    ("i feel really dizzy", "UnwellIntent"),
    ("start my routnie", "StartRoutineIntent"),
    ("I feel dizy", NOTHING),                   # a short word one letter out is another word
    ("im ready", "ReadyIntent"),
])
def test_misspellings_resolve_but_red_flags_need_the_symptom_word(resolver, said, intent):
    assert _heard(resolver.resolve(said)) == intent


def test_a_slot_left_unsaid_is_declared_but_empty(resolver):
    resolution = resolver.resolve("pain level")
    assert resolution.intent == "PainRatingIntent"
    assert resolution.slots == {"rating": SlotValue("rating", "AMAZON.NUMBER")}
    assert resolution.slots["rating"].to_alexa("skill-1") == {"name": "rating", "confirmationStatus": "NONE"}


def test_custom_slot_values_carry_the_words_heard_and_the_canonical_value(resolver):
    slot = resolver.resolve("my back is a lot worse").slots["feeling"]
    assert (slot.raw, slot.value, slot.id) == ("a lot worse", "worse", "worse")
    sent = slot.to_alexa("amzn1.ask.skill.x")
    assert sent["value"] == "a lot worse"
    (authority,) = sent["resolutions"]["resolutionsPerAuthority"]
    assert authority["authority"] == "amzn1.er-authority.echo-sdk.amzn1.ask.skill.x.BACK_FEELING"
    assert authority["status"]["code"] == "ER_SUCCESS_MATCH"
    assert authority["values"] == [{"value": {"name": "worse", "id": "worse"}}]


def test_numbers_are_sent_as_digits_like_alexa_does(resolver):
    slot = resolver.resolve("it was a four").slots["rating"]
    assert (slot.raw, slot.value) == ("four", "4")
    assert slot.to_alexa("s")["value"] == "4"
    assert "resolutions" not in slot.to_alexa("s")


@pytest.mark.parametrize("words, number", [
    ("4", 4), ("04", 4), ("10", 10), ("zero", 0), ("nought", 0), ("four", 4), ("ten", 10),
    ("nineteen", 19), ("twenty", 20), ("twenty one", 21), ("ninety nine", 99), ("hundred", 100),
    ("a hundred", 100), ("one hundred and five", 105), ("two thousand and twelve", 2012),
])
def test_numbers_in_words_and_digits(words, number):
    assert parse_number(words) == number


@pytest.mark.parametrize("words", ["", "a", "and", "four four", "ten four", "twenty twenty", "zero one",
                                   "hundred and", "four and", "a four", "pain"])
def test_word_runs_that_are_not_one_number(words):
    assert parse_number(words) is None


@pytest.mark.parametrize("said, number", [("pain level twenty one", "21"), ("it was 3", "3"),
                                          ("9 out of ten", "9"), ("a hundred", "100")])
def test_pain_ratings_in_words_and_digits(resolver, said, number):
    resolution = resolver.resolve(said)
    assert (resolution.intent, resolution.slots["rating"].value) == ("PainRatingIntent", number)


@pytest.mark.parametrize("said, intent", [
    ("Alexa, ask back coach to start my back routine", "StartRoutineIntent"),
    ("alexa tell back coach I'm ready", "ReadyIntent"),
    ("ask back coach how am I doing", "ProgressIntent"),
    ("Alexa, start my routine with back coach", "StartRoutineIntent"),
    ("alexa open back coach and start my stretches", "StartStretchesIntent"),
    ("alexa ask back coach to sing a song", FALLBACK),
])
def test_one_shot_invocations(resolver, said, intent):
    resolution = resolver.resolve(said)
    assert (resolution.intent, resolution.invocation, resolution.request_type) == (
        intent, True, "IntentRequest")


@pytest.mark.parametrize("said", ["alexa open back coach", "Alexa, launch Back Coach.", "open back coach",
                                  "alexa, back coach", "alexa ask back coach", "alexa tell back coach to"])
def test_opening_the_skill_is_a_launch_request(resolver, said):
    resolution = resolver.resolve(said)
    assert (resolution.intent, resolution.invocation, resolution.request_type, resolution.slots) == (
        LAUNCH, True, "LaunchRequest", {})


def test_alexa_without_the_skill_name_is_an_in_session_request(resolver):
    resolution = resolver.resolve("Alexa, stop")
    assert (resolution.intent, resolution.invocation) == ("AMAZON.StopIntent", False)


def test_normalise_drops_punctuation_and_keeps_apostrophes():
    assert normalise("  I\u2019M   Ready!!  ") == "i'm ready"
    assert normalise("'Start' my back-routine, please.") == "start my back routine please"
    assert normalise("it was a 4.5") == "it was a 4 point 5"


@pytest.mark.parametrize("locale", LOCALES)
def test_every_locale_understands_the_same_words(locale):
    resolution = Resolver(load_model(locale)).resolve("alexa ask back coach to start my back routine")
    assert (resolution.intent, resolution.invocation) == ("StartRoutineIntent", True)


def test_a_model_with_an_undeclared_slot_is_refused_with_a_clear_message():
    broken = copy.deepcopy(MODEL)
    intents = language_model(broken)["intents"]
    next(i for i in intents if i["name"] == "ReadyIntent")["samples"].append("ready in {seconds}")
    with pytest.raises(ValueError, match=r"ReadyIntent.*undeclared slot seconds"):
        Resolver(broken)


def test_a_slot_type_the_console_cannot_fill_is_refused_with_a_clear_message():
    broken = copy.deepcopy(MODEL)
    intents = language_model(broken)["intents"]
    next(i for i in intents if i["name"] == "BackFeelIntent")["slots"][0]["type"] = "AMAZON.City"
    with pytest.raises(ValueError, match="AMAZON.City"):
        Resolver(broken)


def test_slots_deserialise_with_the_ask_sdk_as_a_real_request_would(resolver):
    resolution = resolver.resolve("my back feels much better")
    request = {"type": "IntentRequest", "requestId": "r1", "timestamp": "2025-01-01T00:00:00Z",
               "locale": "en-US", "dialogState": "COMPLETED",
               "intent": {"name": resolution.intent, "confirmationStatus": "NONE",
                          "slots": {n: s.to_alexa("amzn1.ask.skill.x") for n, s in resolution.slots.items()}}}
    parsed = DefaultSerializer().deserialize(json.dumps(request), IntentRequest)
    slot = parsed.intent.slots["feeling"]
    (authority,) = slot.resolutions.resolutions_per_authority
    assert slot.value == "much better"
    assert authority.status.code == StatusCode.ER_SUCCESS_MATCH
    assert (authority.values[0].value.name, authority.values[0].value.id) == ("better", "better")
