"""The interaction model and the handlers agree, in every locale: no intent without a handler, and
no handler waiting for an intent the model never sends."""
from __future__ import annotations

import pytest

from skill.alexa.handlers import handled_intents, request_handlers
from skill.alexa.turn import Turns
from skill.console.model import LOCALES, intent_names, load_model


@pytest.fixture(scope="module")
def answered(coach) -> set[str]:
    return handled_intents(request_handlers(Turns(coach)))


@pytest.mark.parametrize("locale", LOCALES)
def test_every_intent_in_the_model_has_a_handler(locale, answered):
    assert set(intent_names(load_model(locale))) - answered == set()


@pytest.mark.parametrize("locale", LOCALES)
def test_every_handled_intent_exists_in_the_model(locale, answered):
    assert answered - set(intent_names(load_model(locale))) == set()
