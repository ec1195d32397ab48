"""CanFulfillIntentRequest: Alexa asks whether a name-free request ("Alexa, start my back routine")
can be fulfilled here. The answer is YES for the routine and the stretches, NO for anything else;
never any speech, and nothing read or written (Amazon requires no observable effect)."""
from __future__ import annotations

import pytest

from tests.alexa.conftest import START


def can_fulfill(alexa, intent: str, *, user: bool = True) -> dict:
    envelope = alexa.device._envelope({"type": "CanFulfillIntentRequest",
                                       "intent": {"name": intent, "slots": {}}}, START, in_session=False)
    if not user:
        del envelope["context"]["System"]["user"]
    return alexa.send(envelope).raw["response"]


@pytest.mark.parametrize("intent", ["StartRoutineIntent", "StartStretchesIntent"])
def test_the_routine_and_the_stretches_can_be_fulfilled(alexa, intent):
    response = can_fulfill(alexa, intent)
    assert response == {"canFulfillIntent": {"canFulfill": "YES"}}


@pytest.mark.parametrize("intent", ["ReadyIntent", "AMAZON.YesIntent", "PainRatingIntent", "AMAZON.HelpIntent",
                                    "PlayMusicIntent"])
def test_anything_else_cannot(alexa, intent):
    assert can_fulfill(alexa, intent) == {"canFulfillIntent": {"canFulfill": "NO"}}


def test_asking_reads_and_writes_nothing_and_needs_no_user(alexa, monkeypatch):
    def untouchable(*args, **kwargs):
        raise AssertionError("the store was used")

    for name in ("load", "save", "delete_account"):
        monkeypatch.setattr(alexa.store, name, untouchable)
    assert can_fulfill(alexa, "StartRoutineIntent", user=False)["canFulfillIntent"]["canFulfill"] == "YES"
