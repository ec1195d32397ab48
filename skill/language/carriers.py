"""The intents whose words are screened, shared by the Alexa handlers and the console's NLU.

Alexa sends an intent's slot values, never the carrier phrase around them: "tingling in my toes" arrives
as NumbnessIntent with description "in my toes". Each screened intent's carriers mean one thing, and
`words_heard` puts that meaning back before the words are screened.
"""
from __future__ import annotations

from skill.language.screen import screen

SLOT = "description"  # the AMAZON.SearchQuery slot every screened intent has

# intent -> what its carrier phrases ("my ...", "tingling ...", "both ...") stand for
SCREENED_INTENTS: dict[str, str] = {
    "SymptomIntent": "",                  # my / I / I feel / there's / it's ... : nothing to add
    "NumbnessIntent": "numbness",         # numbness / numb / tingling / pins and needles ...
    "PainPlaceIntent": "pain",            # pain / sharp pain / aching / sore ...
    "ShootingPainIntent": "shooting pain",  # shooting pain / burning pain / electric shocks ...
    "BothSidesIntent": "both",            # both / both my ...
}

# Intents whose every sample is one kind of red flag (a test checks the lexicon agrees with each).
RED_FLAG_INTENTS: dict[str, str] = {"RedFlagIntent": "leg", "UrgentRedFlagIntent": "urgent",
                                    "UnwellIntent": "unwell"}

# What screening may find in words that mean each of these intents. The console's NLU reads a phrase
# into one of them only by an exact sample or when screening agrees; any other intent, only when
# screening finds nothing: a near miss never turns a symptom into something else, or the reverse.
INTENT_FINDINGS: dict[str, frozenset[str]] = {
    **{intent: frozenset({kind}) for intent, kind in RED_FLAG_INTENTS.items()},
    **dict.fromkeys(("HurtIntent", "PainRatingIntent", "BackFeelIntent"), frozenset({"pain", "pain_some", "none"})),
}


def finding_allows(intent: str, finding: str) -> bool:
    """May words that screen as `finding` be read as `intent` by a near match?"""
    return finding in INTENT_FINDINGS.get(intent, frozenset({"none"}))


def words_heard(intent: str, slot_value: str | None) -> str:
    """The words to screen for a screened intent: its carriers' meaning and the slot's words."""
    return " ".join(part for part in (SCREENED_INTENTS[intent], (slot_value or "").strip()) if part)


def screen_intent(intent: str, slot_value: str | None) -> str:
    """What the person said, for a screened intent (one of screen.FINDINGS); an empty slot says nothing."""
    if not (slot_value or "").strip():
        return "none"
    return screen(words_heard(intent, slot_value))
