"""The interaction model, checked the way the Alexa developer console would check it before a build."""
from __future__ import annotations

import importlib.util
import re
from collections import Counter
from pathlib import Path

import pytest

from skill.coach.events import KINDS
from skill.language.carriers import INTENT_FINDINGS, RED_FLAG_INTENTS, SCREENED_INTENTS, SLOT
from skill.language.screen import RED_FLAGS, load_lexicon, screen
from skill.console.model import LOCALES, MODEL_DIR, intent_names, language_model, load_model, model_path

REPO = Path(__file__).resolve().parents[1]

# Every intent the brief's "Intents -> engine events" table names (LaunchRequest and
# SessionEndedRequest are request types, not intents).
EXPECTED_INTENTS = {
    "StartRoutineIntent", "ShortRoutineIntent", "StartStretchesIntent", "StretchesFirstIntent", "ReadyIntent",
    "DoneIntent", "CantDoIntent", "LostCountIntent", "ThanksIntent", "HurtIntent", "PainRatingIntent",
    "RedFlagIntent", "UrgentRedFlagIntent", "UnwellIntent", "SymptomIntent", "NumbnessIntent", "PainPlaceIntent",
    "ShootingPainIntent", "BothSidesIntent", "BackFeelIntent", "EasierIntent", "HarderIntent",
    "SlowerIntent", "FasterIntent", "StatusIntent", "QuestionIntent", "ProgressIntent", "ExplainIntent",
    "ForgetProgressIntent", "OutdoorsIntent", "UpperBackIntent",
    "AMAZON.YesIntent", "AMAZON.NoIntent", "AMAZON.PauseIntent", "AMAZON.ResumeIntent",
    "AMAZON.RepeatIntent", "AMAZON.NextIntent", "AMAZON.StartOverIntent", "AMAZON.HelpIntent",
    "AMAZON.StopIntent", "AMAZON.CancelIntent", "AMAZON.FallbackIntent", "AMAZON.NavigateHomeIntent",
}
BUILT_IN_SLOT_TYPES = {"AMAZON.NUMBER", "AMAZON.SearchQuery"}
PHRASE = "AMAZON.SearchQuery"
# Alexa's wake words, launch phrases and connecting words may not appear in an invocation name.
FORBIDDEN_INVOCATION_WORDS = {
    "alexa", "amazon", "echo", "computer", "skill", "app",
    "run", "start", "play", "resume", "use", "launch", "ask", "open", "tell", "load", "begin", "enable",
    "to", "from", "in", "using", "with", "about", "for", "that", "by", "if", "and", "whether",
}
TWO_WORD_ARTICLES = {"the", "a", "an", "for", "to", "of"}
SLOT_REF = re.compile(r"\{([A-Za-z_]+)\}")
SAMPLE_WORD = re.compile(r"[A-Za-z][A-Za-z.']*|\{[A-Za-z_]+\}")


def _load_build_script():
    spec = importlib.util.spec_from_file_location("im_build", MODEL_DIR / "build.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _intents(locale: str) -> dict[str, dict]:
    return {i["name"]: i for i in language_model(load_model(locale))["intents"]}


def _key(sample: str) -> str:
    return " ".join(sample.lower().split())


@pytest.fixture(scope="module", params=LOCALES)
def lm(request) -> dict:
    return language_model(load_model(request.param))


def test_every_locale_file_exists_in_ask_cli_shape():
    for locale in LOCALES:
        doc = load_model(locale)
        assert set(doc) == {"interactionModel"}
        assert {"invocationName", "intents", "types"} <= set(doc["interactionModel"]["languageModel"])


def test_generated_locales_are_up_to_date_with_en_us():
    build = _load_build_script()
    assert (build.SOURCE, *build.GENERATED) == LOCALES
    assert build.stale() == [], "run: python interaction_model/build.py"


def test_build_check_fails_when_a_locale_has_drifted(tmp_path, monkeypatch):
    build = _load_build_script()
    for locale in LOCALES:
        (tmp_path / f"{locale}.json").write_text(model_path(locale).read_text(encoding="utf-8"))
    drifted = tmp_path / "en-GB.json"
    drifted.write_text(drifted.read_text().replace('"start my routine"', '"start my routines"'))
    monkeypatch.setattr(build, "HERE", tmp_path)
    assert build.stale() == ["en-GB"]
    assert build.main(["--check"]) == 1
    assert build.main([]) == 0 and build.stale() == []


def test_all_locales_have_the_same_intents_and_slots():
    def shape(locale):
        return {name: sorted((s["name"], s["type"]) for s in i.get("slots", ()))
                for name, i in _intents(locale).items()}
    reference = shape("en-US")
    for locale in LOCALES:
        assert shape(locale) == reference, locale


def test_the_model_has_exactly_the_intents_the_engine_contract_names():
    for locale in LOCALES:
        names = intent_names(load_model(locale))
        assert len(names) == len(set(names)), "an intent is declared twice"
        assert set(names) == EXPECTED_INTENTS


def test_invocation_name_follows_alexas_rules(lm):
    name = lm["invocationName"]
    assert name == "back coach"
    assert re.fullmatch(r"[a-z]+(?: [a-z]+)+", name), "two or more lower-case words, letters and spaces"
    words = name.split()
    assert not FORBIDDEN_INVOCATION_WORDS & set(words)
    if len(words) == 2:
        assert not TWO_WORD_ARTICLES & set(words)


def test_intent_and_slot_names_use_only_letters_and_underscores(lm):
    for intent in lm["intents"]:
        name = intent["name"]
        custom = name.removeprefix("AMAZON.")
        assert re.fullmatch(r"[A-Za-z_]+", custom), name
        for slot in intent.get("slots", ()):
            assert re.fullmatch(r"[A-Za-z][A-Za-z_]*", slot["name"]), slot


def test_every_custom_intent_has_samples_and_the_fallback_has_none(lm):
    for intent in lm["intents"]:
        if not intent["name"].startswith("AMAZON."):
            assert intent["samples"], f"{intent['name']} has no sample utterances"
    fallback = next(i for i in lm["intents"] if i["name"] == "AMAZON.FallbackIntent")
    assert fallback["samples"] == []


def test_no_sample_appears_twice_in_the_model(lm):
    owners = Counter(_key(s) for intent in lm["intents"] for s in intent["samples"])
    repeated = sorted(s for s, n in owners.items() if n > 1)
    assert repeated == []


def test_samples_use_only_allowed_characters(lm):
    for intent in lm["intents"]:
        for sample in intent["samples"]:
            assert sample == sample.strip() and "  " not in sample, repr(sample)
            for word in sample.split():
                assert SAMPLE_WORD.fullmatch(word), f"{intent['name']}: {sample!r} has {word!r}"


def test_every_slot_reference_is_declared_and_every_declared_slot_is_used(lm):
    for intent in lm["intents"]:
        declared = {s["name"] for s in intent.get("slots", ())}
        used = {ref for sample in intent["samples"] for ref in SLOT_REF.findall(sample)}
        assert used <= declared, f"{intent['name']} uses undeclared slots {used - declared}"
        assert declared <= used, f"{intent['name']} never uses slots {declared - used}"


def test_every_slot_has_a_defined_type_and_custom_types_have_values(lm):
    custom = {t["name"]: t for t in lm["types"]}
    for intent in lm["intents"]:
        for slot in intent.get("slots", ()):
            assert slot.get("type"), slot
            assert slot["type"] in BUILT_IN_SLOT_TYPES | set(custom), slot
    for t in custom.values():
        assert re.fullmatch(r"[A-Za-z_]+", t["name"])
        assert t["values"], t["name"]
        ids = [v["id"] for v in t["values"]]
        assert all(ids) and len(ids) == len(set(ids))
        phrases = [p.lower() for v in t["values"] for p in (v["name"]["value"], *v["name"]["synonyms"])]
        assert len(phrases) == len(set(phrases)), "a synonym belongs to two values"
        for phrase in phrases:
            assert re.fullmatch(r"[a-z][a-z.' ]*", phrase), phrase


def test_back_feeling_ids_are_the_engines_back_feel_values(lm):
    # The handler passes the resolved id straight to Event("back_feel", id).
    engine_values = set(KINDS["back_feel"].split(" | "))
    (feeling,) = [t for t in lm["types"] if t["name"] == "BACK_FEELING"]
    assert {v["id"] for v in feeling["values"]} == engine_values
    assert {v["name"]["value"] for v in feeling["values"]} == engine_values


def test_the_phrases_the_brief_promises_are_in_the_model():
    intents = _intents("en-US")

    def samples(name):
        return {_key(s) for s in intents[name]["samples"]}

    start = samples("StartRoutineIntent")
    assert len(start) >= 20
    assert {"start my back routine", "start my routine", "let's do my back exercises",
            "begin my back workout", "do my back routine"} <= start
    assert {"my leg is tingling", "pins and needles down my leg", "my foot went numb",
            "pain shooting down my leg"} <= samples("RedFlagIntent")
    assert {"numb between my legs", "i can't hold my bladder", "my leg gave way",
            "my leg is weak"} <= samples("UrgentRedFlagIntent")
    assert len(samples("RedFlagIntent")) >= 30 and len(samples("UrgentRedFlagIntent")) >= 30
    assert {"chest pain", "i can't breathe properly", "i feel faint"} <= samples("UrgentRedFlagIntent")
    assert {"i feel unwell", "i feel dizzy", "something popped in my back", "my heart is racing"} <= samples(
        "UnwellIntent")
    assert len(samples("UnwellIntent")) >= 15
    assert {"it didn't hurt", "no pain at all", "it was fine"} <= samples("AMAZON.YesIntent")
    assert {"i need a break", "give me a sec", "wait"} <= samples("AMAZON.PauseIntent")
    assert "next set" in samples("ReadyIntent") and "i'm done" in samples("AMAZON.StopIntent")
    assert {"it was a {rating}", "pain level {rating}", "{rating} out of ten",
            "about a {rating}"} <= samples("PainRatingIntent")
    assert {"it hurts", "that hurt", "hurt", "it's agony", "my back is killing me"} <= samples("HurtIntent")
    assert {"how many {topic} are left", "how long is the {topic}", "how long will {topic} take"} <= samples(
        "QuestionIntent")
    assert {"stop for today"} <= samples("AMAZON.StopIntent")
    assert {"forget me", "erase everything", "clear my data"} <= samples("ForgetProgressIntent")
    assert "how am i doing" in samples("ProgressIntent")
    assert "how do i do this" in samples("ExplainIntent")
    assert "forget my progress" in samples("ForgetProgressIntent")
    outdoors = samples("OutdoorsIntent")
    assert len(outdoors) >= 15
    assert {"i'm outside", "i'm outdoors", "i'm doing this outside", "i'm at the park", "outdoor version",
            "give me the outdoor version", "i'm on the track"} <= outdoors


def test_ready_has_no_yes_like_samples():
    yes_words = {"yes", "yeah", "yep", "yup", "sure", "ok", "okay", "alright", "right", "correct"}
    for sample in _intents("en-US")["ReadyIntent"]["samples"]:
        assert not yes_words & set(sample.lower().split()), sample


def test_unknown_locale_is_a_clear_error():
    with pytest.raises(ValueError, match="en-US, en-GB"):
        load_model("fr-FR")


def _samples_of_type(lm: dict, slot_type: str):
    for intent in lm["intents"]:
        types = {slot["name"]: slot["type"] for slot in intent.get("slots", ())}
        for sample in intent["samples"]:
            refs = SLOT_REF.findall(sample)
            if any(types[r] == slot_type for r in refs):
                yield intent["name"], sample, refs


def test_free_words_slots_follow_alexas_rules(lm):
    # Alexa refuses to build a model where an AMAZON.SearchQuery sample has no carrier phrase
    # (MissingCarrierPhraseWithPhraseSlot), and a phrase slot cannot share a sample with another slot.
    found = list(_samples_of_type(lm, PHRASE))
    assert found
    for intent, sample, refs in found:
        assert len(refs) == 1, f"{intent}: {sample!r} has another slot beside the free words"
        assert SLOT_REF.sub("", sample).strip(), f"{intent}: {sample!r} has no carrier phrase"


def test_the_screened_intents_are_the_ones_the_handlers_screen(lm):
    screened = {name for name, _, _ in _samples_of_type(lm, PHRASE)}
    assert screened == set(SCREENED_INTENTS)
    for intent in lm["intents"]:
        if intent["name"] in SCREENED_INTENTS:
            assert intent["slots"] == [{"name": SLOT, "type": PHRASE}]


def _first_words(sample: str) -> list[str]:
    return sample.lower().split()[:2]


def test_no_sample_answers_yes_and_means_no_or_the_reverse(lm):
    # "no it didn't hurt" in YesIntent, "yes it hurt" in HurtIntent: a one-word slip flips the answer.
    intents = {i["name"]: i["samples"] for i in lm["intents"]}
    yes_words, no_words = {"yes", "yeah", "yep", "yup"}, {"no", "nope", "nah"}
    pronouns = {"it", "that", "i", "the", "my", "this"}
    for sample in intents["AMAZON.YesIntent"]:
        first = _first_words(sample)
        assert first[0] not in no_words - {"no"} and not (first[0] == "no" and first[1:2] and first[1] in pronouns), sample
    for name in ("HurtIntent", "AMAZON.NoIntent", "PainRatingIntent"):
        for sample in intents[name]:
            assert _first_words(sample)[0] not in yes_words, f"{name}: {sample!r}"


def test_pain_amounts_are_the_lexicons_mild_words(lm):
    # One list, so "a little" means the same to the model and to the screening of free words.
    (amount,) = [t for t in lm["types"] if t["name"] == "PAIN_AMOUNT"]
    (value,) = amount["values"]
    assert value["id"] == "some"
    words = {value["name"]["value"], *value["name"]["synonyms"]}
    assert words == set(load_lexicon().mild)


def test_every_red_flag_sample_screens_as_its_own_kind(lm):
    # The model's samples and the symptom lexicon cannot drift apart: each red-flag sample, read as free
    # words, is the same red flag; and no pain sample reads as a red flag.
    intents = {i["name"]: i for i in lm["intents"]}
    wrong = [(name, s, screen(s)) for name, kind in RED_FLAG_INTENTS.items()
             for s in intents[name]["samples"] if screen(s) != kind]
    assert wrong == []
    hurt = [s for s in intents["HurtIntent"]["samples"] if "{" not in s]
    assert [s for s in hurt if screen(s) not in INTENT_FINDINGS["HurtIntent"]] == []
    ordinary = [s for i in lm["intents"] if i["name"] not in RED_FLAG_INTENTS
                for s in i["samples"] if "{" not in s and screen(s) in RED_FLAGS]
    assert ordinary == []
