"""Red flags stop at once with advice that matches the symptom, in writing too; only that a check-up is
pending is kept, and no symptom is ever named aloud later; "forget" erases everything it says it does."""
from __future__ import annotations

import json

import pytest

from skill.coach.state import Phase

from .conftest import DAY, text_of


@pytest.mark.parametrize("kind, words", [
    ("urgent", "call your local emergency number"),
    ("leg", "please see a doctor in the next few days"),
    ("unwell", "Please see a doctor before training again"),
])
def test_a_red_flag_stops_at_once_with_advice_for_its_urgency_and_a_card(walk, kind, words):
    walk("start_routine")
    out = walk("red_flag", kind, at=60)
    assert not out.listen and walk.state.session is None
    assert words in text_of(out) and "I've put this in your Alexa app." in text_of(out)
    assert out.card is not None and out.card.title == "Back Coach: please get checked"
    assert walk.progress.checkup_pending and walk.progress.sessions == 0      # nothing progresses


def test_no_symptom_is_stored_or_named_at_the_next_launch(walk):
    walk("start_routine")
    walk("red_flag", "leg", at=60)
    def values(node):
        if isinstance(node, dict):
            for key, value in node.items():
                yield key
                yield from values(value)
        elif isinstance(node, list):
            for value in node:
                yield from values(value)
        else:
            yield node

    stored = set(values(json.loads(json.dumps(walk.state.to_json()))))
    assert stored.isdisjoint({"leg", "urgent", "unwell", "red_flag", "kind"}) and walk.progress.checkup_pending
    walk.wait(DAY)
    out = walk("launch")
    said = text_of(out)
    assert "last time we stopped early so you could get checked. Have you been seen since?" in said
    assert "leg" not in said and "symptom" not in said


def test_training_waits_for_a_check_up_and_then_starts_a_level_down(walk):
    walk("start_routine")
    walk("red_flag", "unwell", at=30)
    walk.wait(DAY)
    walk("start_routine")
    assert walk.phase == Phase.CHECKED
    out = walk("no")
    assert not out.listen and walk.progress.checkup_pending
    walk.wait(DAY)
    walk("start_routine")
    out = walk("yes")
    assert "every move steps down a level today" in text_of(out) and not walk.progress.checkup_pending
    assert all(item.stepped_down for item in walk.routine.items)


def test_forget_erases_everything_it_says_including_a_pending_check_up(walk):
    walk.routine_through()
    walk.wait(DAY)
    walk("start_routine")
    walk("red_flag", "leg")
    out = walk("forget")
    assert "your levels, your history and your settings" in text_of(out)
    out = walk("yes")
    assert text_of(out) == "Done. I've erased everything I kept for you."
    assert walk.state.to_json() == walk.coach.new_state().to_json()


def test_no_to_forget_keeps_everything_and_goes_back(walk):
    walk("start_routine")
    walk("forget", at=40)
    walk("no")
    assert walk.phase == Phase.MOVING and walk.progress.safety_note_given


def test_unknown_words_get_a_hint_then_the_options_then_the_offer_to_pause(walk):
    walk("start_routine")
    first, second, third, fourth = (text_of(walk("unknown")) for _ in range(4))
    assert first.startswith("Sorry, I didn't catch that. Was Superman pain-free?")
    assert second.startswith("Say yes if it was pain-free, no if it hurt")
    assert third.startswith("If now's not a good time, say pause")
    assert fourth == third and len({first, second, third}) == 3
    walk("yes")
    assert text_of(walk("unknown")).startswith("Sorry, I didn't catch that.")     # a real answer resets it


def test_the_safety_note_is_given_once(walk):
    assert "A quick word first" in text_of(walk("start_routine"))
    walk("stop", at=30)
    walk.wait(DAY)
    assert "A quick word first" not in text_of(walk("launch"))
