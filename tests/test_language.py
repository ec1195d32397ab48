"""Understanding and safety screening: phrase -> (console NLU) -> intent and slots -> handler -> event.

Every phrase issue 10 lists under "Why", every development phrase of the corpus, and the held-out
rule (never copied into the model). The figures on held-out phrasings are bench/language.py's.
"""
from __future__ import annotations

import copy
import json
import re
from datetime import datetime, timezone
from pathlib import Path

import pytest

from skill.alexa import probe
from skill.coach.events import Event
from skill.console.envelopes import Device
from skill.console.model import language_model, load_model
from skill.console.nlu import LAUNCH, Resolver
from skill.language.screen import LEXICON_PATH, FINDINGS, Lexicon, screen

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "bench" / "corpus"
NOW = datetime(2025, 1, 6, 8, 0, tzinfo=timezone.utc)


def read_corpus(name: str) -> list[tuple[str, str]]:
    rows = []
    for line in (CORPUS / name).read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            label, phrase = line.split("\t")
            rows.append((label, phrase))
    return rows


@pytest.fixture(scope="module")
def hear():
    """What the skill's handlers make of typed words, through the console's NLU: the engine event."""
    resolver, skill = Resolver(load_model("en-US")), probe.probe_skill()

    def event(said: str) -> Event | None:
        resolution, device = resolver.resolve(said), Device()
        if resolution.intent == LAUNCH:
            envelope = device.launch(NOW)
        else:
            slots = {n: s.to_alexa(device.skill_id) for n, s in resolution.slots.items()}
            envelope = device.intent(resolution.intent, NOW, slots)
        return probe.event_said(probe.answer(skill, envelope)["response"]["outputSpeech"]["ssml"])
    return event


RED = {kind: Event("red_flag", kind) for kind in ("urgent", "leg", "unwell")}
HURTS, SOME, ELSEWHERE, UNKNOWN = Event("hurts"), Event("hurts", "some"), Event("hurts", "elsewhere"), Event("unknown")

# Issue 10, "Why": each phrase and the event it must become.
WHY = [
    # missed red flags, now by urgency
    ("my legs are numb", RED["urgent"]), ("my feet are numb", RED["urgent"]),
    ("tingling in my toes", RED["leg"]), ("tingling in both feet", RED["urgent"]), ("numb leg", RED["leg"]),
    ("my leg's gone dead", RED["leg"]), ("my back pain goes into my leg", RED["leg"]),
    ("I can't feel my bum", RED["urgent"]), ("I can't breathe", RED["urgent"]),
    ("I'm going to pass out", RED["urgent"]), ("my heart is racing", RED["unwell"]),
    ("chest pain", RED["urgent"]),
    # over-cautious before: tired muscles and a knee are not an emergency
    ("my leg feels weak from the exercise", UNKNOWN), ("my knee gave way", ELSEWHERE),
    # pain words
    ("hurt", HURTS), ("pain", HURTS), ("painful", HURTS), ("a little", SOME), ("kind of", SOME),
    ("that one hurt a little", SOME), ("it's agony", HURTS), ("excruciating", HURTS),
    ("my back is killing me", HURTS), ("I think I pulled something", HURTS),
    # collisions: one word apart, opposite meaning
    ("it hurt", HURTS), ("it didn't hurt", Event("yes")), ("pain free", Event("yes")),
    ("not pain free", Event("no")), ("my progress", Event("progress")), ("delete my progress", Event("forget")),
    ("good", Event("back_feel", "better")), ("great", Event("back_feel", "better")),
    # not understood before
    ("done", Event("done")), ("finished", Event("done")), ("perfect", Event("back_feel", "better")),
    ("not bad", Event("back_feel", "same")), ("that was easy", Event("done")), ("I lost count", Event("lost_count")),
    ("I can't do this one", Event("cant")), ("my wrist hurts", ELSEWHERE),
    ("how long will this take", Event("question", "time")), ("thank you", Event("thanks")),
    ("forget me", Event("forget")), ("erase everything", Event("forget")), ("clear my data", Event("forget")),
    ("fine", Event("back_feel", "same")), ("it's okay", Event("back_feel", "same")),
    ("not great", Event("back_feel", "worse")), ("sore", Event("back_feel", "worse")),
    ("same as before", Event("back_feel", "same")), ("worse than before", Event("back_feel", "worse")),
    # the hands-free issue's phrasings
    ("a quick one", Event("start_routine", "short")), ("I only have ten minutes", Event("start_routine", "short")),
    ("a short one", Event("start_routine", "short")), ("quick routine", Event("start_routine", "short")),
    ("stretches first", Event("start_stretches", "first")),
    ("start with the stretches", Event("start_stretches", "first")),
    ("I've just been for a run", Event("start_stretches", "first")), ("stop for today", Event("stop")),
    ("how many sets are left", Event("question", "sets")), ("how many reps", Event("question", "reps")),
    ("how long is the rest", Event("question", "rest")),
    ("my upper back is tight", Event("extra", "upper_back")), ("wall pull downs", Event("extra", "upper_back")),
    ("something for my upper back", Event("extra", "upper_back")),
    ("Alexa, tell back coach that hurt", HURTS),
]


@pytest.mark.parametrize("said, event", WHY, ids=[w[0] for w in WHY])
def test_every_phrase_the_issue_lists_becomes_its_event(hear, said, event):
    assert hear(said) == event


DEV = read_corpus("dev.tsv")


@pytest.mark.parametrize("label, said", DEV, ids=[d[1] for d in DEV])
def test_every_development_phrase_is_understood_by_the_console(hear, label, said):
    assert probe.label_of(hear(said)) == label


def test_the_corpus_is_big_enough_and_labels_are_known():
    heldout = read_corpus("heldout.tsv")
    assert len(DEV) + len(heldout) >= 400 and len(heldout) >= 200
    labels = {"urgent", "leg", "unwell", "pain", "some", "elsewhere", "yes", "no", "better", "same", "worse",
              "other"}
    for label, phrase in DEV + heldout:
        assert label in labels or re.fullmatch(r"rating=(10|\d)", label), (label, phrase)
    assert not {p.lower() for _, p in DEV} & {p.lower() for _, p in heldout}, "a phrase is in both parts"


def _normal(text: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9' ]+", " ", text.lower().replace("\u2019", "'")).split())


@pytest.mark.parametrize("locale", ["en-US", "en-GB", "en-CA", "en-AU", "en-IN"])
def test_no_held_out_phrase_is_copied_into_the_model(locale):
    lm = language_model(load_model(locale))
    said = {_normal(s) for intent in lm["intents"] for s in intent["samples"]}
    copied = [p for _, p in read_corpus("heldout.tsv") if _normal(p) in said]
    assert copied == []


def test_the_held_out_check_would_catch_a_copy(monkeypatch):
    model = copy.deepcopy(load_model("en-US"))
    label, phrase = read_corpus("heldout.tsv")[0]
    next(i for i in language_model(model)["intents"] if i["name"] == "UrgentRedFlagIntent")["samples"].append(
        phrase.upper() + "!")
    monkeypatch.setattr("tests.test_language.load_model", lambda locale: model)
    with pytest.raises(AssertionError):
        test_no_held_out_phrase_is_copied_into_the_model("en-US")


# -- the screening rules, one behaviour at a time ------------------------------------------------------
@pytest.mark.parametrize("said, finding", [
    ("my foot is numb", "leg"), ("my feet are numb", "urgent"), ("my toes are numb", "leg"),  # plurals
    ("my calves are tingling", "urgent"), ("my buttocks are numb", "urgent"), ("my groin's gone numb", "urgent"),
    ("my leg's gone dead", "leg"), ("my foot's asleep", "leg"), ("I fell asleep", "none"),  # placed words
    ("pins and needles", "leg"), ("no tingling", "none"), ("I haven't got any numbness", "none"),  # negation
    ("my leg isn't numb", "none"), ("no pain but my foot is numb", "leg"), ("pain free", "none"),
    ("no my leg went numb", "leg"), ("I can't feel my foot", "leg"), ("I can't feel it in my glutes", "none"),
    ("numb between my legs", "urgent"), ("tingling down the back of my leg", "leg"),
    ("my leg feels weak", "urgent"), ("my leg feels weak after that set", "none"), ("my knee gave way", "elsewhere"),
    ("my legs are burning", "none"), ("burning pain down my leg", "leg"), ("I need a wee", "none"),
    ("I can't hold my wee", "urgent"), ("I'm out of breath", "none"), ("I can't breathe", "urgent"),
    ("my heart is racing", "unwell"), ("my heart rate is up", "none"), ("my chest is tight", "urgent"),
    ("it hurt a bit", "pain_some"), ("my wrist hurts", "elsewhere"), ("my hamstring is sore", "pain"),
    ("", "none"), ("   ", "none"), ("?!", "none"),
])
def test_screening_reads_symptoms_by_concept(said, finding):
    assert screen(said) == finding


def test_screening_answers_only_known_findings():
    for _, phrase in DEV + read_corpus("heldout.tsv"):
        assert screen(phrase) in FINDINGS


@pytest.mark.parametrize("change, message", [
    (lambda d: d["concepts"].pop("nerve"), "concepts.nerve must be a non-empty list"),
    (lambda d: d["concepts"]["pain"].append("Pain!"), "use lower-case words"),
    (lambda d: d["concepts"]["unwell"].append("numb"), "'numb' is in both nerve and unwell"),
    (lambda d: d.__setitem__("negation_window", 0), "negation_window"),
    (lambda d: d["concepts"].__setitem__("itchy", ["itch"]), "unknown concept 'itchy'"),
])
def test_a_broken_lexicon_is_refused_with_a_clear_message(change, message):
    data = json.loads(LEXICON_PATH.read_text(encoding="utf-8"))
    change(data)
    with pytest.raises(ValueError, match=re.escape(message)):
        Lexicon(data)
