"""Regressions from a user-testing pass: an awkward runner through the console, forty-odd scenarios."""
from __future__ import annotations

import pytest

from skill.coach.rules import SPEECH_LATENCY_SECONDS as LAG
from skill.coach.speech import Countdown
from skill.coach.state import Form, Phase, Result, Status

from .conftest import DAY, counts_of, text_of


def _count_starts(walk, n: int) -> float:
    return next(m.at for m in walk.out.timeline if m.kind == "rep" and m.set == n and m.rep == 1) - 4.0


def _rest_after(walk, n: int):
    return next(m for m in walk.out.timeline if m.kind == "rest" and m.set == n)


def test_words_it_does_not_know_over_the_sets_get_a_short_hint_and_the_set_carries_on(walk):
    walk("start_routine")
    out = walk("unknown", at=_count_starts(walk, 1) + 10 + LAG)
    said = text_of(out)
    assert said.startswith("Sorry, I didn't catch that. Let's carry on: say Alexa, that hurt, or Alexa, pause")
    assert "pain-free?" not in said.split("Set one")[0] and "First, Superman" not in said
    assert "Set one of three." in said and len(counts_of(out)) == 3


def test_help_over_the_sets_is_help_for_the_sets(walk):
    walk("start_routine")
    out = walk("help", at=_count_starts(walk, 2) + 5 + LAG)
    assert text_of(out).startswith("While I count, you can say: Alexa, that hurt.")
    assert "Set two of three." in text_of(out)


def test_that_hurt_as_the_next_move_is_introduced_is_about_the_move_just_done(walk):
    walk("start_routine")
    walk("yes")                                               # "Good. That's Superman done. Next, Beetle..."
    out = walk("hurts", at=4 + LAG)
    said = text_of(out)
    assert "Superman starts on the easier version next time. Next, Beetle." in said
    superman, beetle = walk.routine.items[0], walk.routine.items[1]
    assert superman.hurt and superman.sets[-1].result == Result.HURT
    assert beetle.form == Form.FULL and not beetle.hurt and len(counts_of(out)) == 3


def test_that_hurt_before_the_first_rep_counts_no_set(walk):
    walk("start_routine")
    position = next(m for m in walk.out.timeline if m.kind == "position")
    out = walk("hurts", at=position.at + 2 + LAG)
    assert "Alternating Superman" in text_of(out) and "Set one of three." in text_of(out)
    assert len(counts_of(out)) == 3 and walk.item.form == Form.EASIER


def test_leaving_at_how_much_did_it_hurt_asks_it_again_next_time(walk):
    walk("start_routine")
    walk("hurts", "some")
    walk("stop")
    out = walk("launch")
    assert text_of(out) == "Welcome back. From zero to ten, where zero is no pain, how much did Superman hurt?"
    walk("pain", 2)
    assert walk.routine.items[0].status == Status.DONE


def test_pain_told_while_paused_resumes_on_the_easier_version(walk):
    walk("start_routine")
    walk("pause", at=_count_starts(walk, 1) + 20 + LAG)
    out = walk("hurts")                                       # "Alexa, tell back coach that hurt"
    assert "Let's make it easier: Alternating Superman." in text_of(out)
    assert walk.phase == Phase.RESUME and "Shall we carry on?" in text_of(out)
    out = walk("yes")
    assert "Back to Alternating Superman." in text_of(out)


@pytest.mark.parametrize("first", ["pause", "stop"])
def test_pain_at_shall_we_carry_on_is_heard(walk, first):
    walk("start_routine")
    walk(first, at=_count_starts(walk, 2) + 5 + LAG)
    walk("launch")
    walk("hurts")
    assert walk.item.form == Form.EASIER and walk.phase == Phase.RESUME


def test_severe_words_ask_for_a_number_before_anything_else(walk):
    walk("start_routine")
    out = walk("hurts", "severe", at=_count_starts(walk, 1) + 10 + LAG)
    assert text_of(out).startswith("That sounds bad. From zero to ten") and walk.phase == Phase.RATING
    out = walk("pain", 9)
    assert not out.listen and walk.progress.checkup_pending


def test_a_question_in_a_rest_gets_the_rest_again(walk):
    walk("start_routine")
    rest = _rest_after(walk, 1)
    out = walk("question", "rest", at=rest.at + 10 + LAG)
    assert text_of(out).startswith("The rest between sets is thirty seconds. Rest for thirty seconds.")
    assert out.speech[1] == Countdown(30, "rest") and "Set two of three." in text_of(out)


def test_i_lost_count_in_a_rest_is_told_that_set_was_done(walk):
    walk("start_routine")
    out = walk("lost_count", at=_rest_after(walk, 1).at + 5 + LAG)
    assert text_of(out).startswith("No problem: that set's done. Rest for thirty seconds.")
    assert "Set two of three." in text_of(out) and len(walk.item.sets) == 3


def test_starting_a_set_again_never_introduces_the_move_again(walk):
    walk("start_routine")
    out = walk("slower", at=_count_starts(walk, 1) + 10 + LAG)
    assert "First, Superman" not in text_of(out) and "Set one of three." in text_of(out)
    walk("yes")
    walk("skip", at=5 + LAG)
    out = walk("no")
    assert "Next, Beetle" not in text_of(out) and "Back to Beetle." in text_of(out)


def test_leaving_in_the_stretches_asks_to_carry_on_next_time(walk):
    walk("start_stretches")
    walk("yes")
    walk("stop")
    out = walk("launch")
    assert "You were on the stretches, at Lying Figure 4 Stretch. Shall we carry on?" in text_of(out)


def test_speaking_over_a_stretch_gives_the_stretch_again(walk):
    walk("start_stretches")
    walk("yes")                                               # Lying Figure 4, held each side
    out = walk("slower", at=30 + LAG)
    assert "There's no count to change right now." in text_of(out)
    assert [s for s in out.speech if isinstance(s, Countdown) and s.kind == "hold"] == [Countdown(30, "hold")] * 2


def test_the_third_unexpected_answer_offers_a_pause_and_still_asks_the_question(walk):
    walk("start_routine")
    texts = [text_of(walk("unknown")) for _ in range(4)]
    assert texts[2].startswith("If now's not a good time, say pause") and texts[2].endswith("Was Superman pain-free?")
    assert texts[3] == texts[0]                               # round again, never the same sentence every time


def test_pain_elsewhere_is_not_called_back_pain(walk):
    walk("start_routine")
    walk("hurts", "elsewhere")
    walk("yes")
    while walk.phase == Phase.MOVING:
        walk("yes")
    assert walk.phase == Phase.OFFER and "keep your runs easy" not in text_of(walk.out)


def test_pain_elsewhere_does_not_mark_the_move_pain_free(walk):
    walk("start_routine")
    walk("hurts", "elsewhere")
    assert [s.result for s in walk.routine.items[0].sets] == [Result.HOLD] * 3 + [Result.PENDING]


@pytest.mark.parametrize("minutes, moves, sets", [(30, 4, 3), (12, 4, 2), (5, 2, 2), (1, 1, 2)])
def test_the_time_someone_has_is_respected(walk, minutes, moves, sets):
    walk("start_routine", minutes)
    assert len(walk.routine.items) == moves and walk.item.planned == sets


def test_how_am_i_doing_before_any_session_and_the_plan_before_a_routine(walk):
    assert text_of(walk("progress")) == "No sessions yet. Say start my back routine, or start the stretches."
    assert "three sets of eight" in text_of(walk("question", "sets"))


def test_the_day_after_the_back_check_is_the_first_question(walk):
    walk.routine_through()
    walk.wait(DAY)
    out = walk("launch")
    assert walk.phase == Phase.BACK_CHECK and "better, the same, or worse?" in text_of(out)
    out = walk("back_feel", "better")
    assert "First, Superman." in text_of(out)


def test_how_am_i_doing_comes_as_a_card_too(walk):
    walk.routine_through()
    out = walk("progress")
    assert out.card.title == "Back Coach: how you're doing" and out.card.text.startswith("You've done one session.")
