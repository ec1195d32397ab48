"""One pain rule: pain on a move moves the rest of it (at least one more set) to the easier version;
pain on the easier version sets the move aside for today. Ratings: 0-3 pain-free, 4-5 hold, 6-8 easier,
9-10 stop and get checked. Answers are understood by the question they answer."""
from __future__ import annotations

import pytest

from skill.coach.speech import Count
from skill.coach.state import Form, Phase, Result, Status

from .conftest import counts_of, text_of


def test_no_after_a_move_means_one_more_set_on_the_easier_version_then_the_question_again(walk):
    walk("start_routine")
    out = walk("no")
    said = text_of(out)
    assert said.startswith("Thanks for telling me. Let's make it easier: Alternating Superman.")
    assert "One more set." in said and counts_of(out) == [Count(8, 4.0)] and said.endswith("Pain-free?")
    walk("yes")
    first = walk.routine.items[0]
    assert [(s.form, s.result) for s in first.sets] == [(Form.FULL, Result.HURT)] * 3 + [(Form.EASIER, Result.OK)]
    assert first.status == Status.DONE and first.hurt


def test_pain_on_the_easier_version_too_sets_the_move_aside_for_today(walk):
    walk("start_routine")
    walk("no")
    out = walk("hurts")
    assert "Let's leave Superman for today." in text_of(out) and "Next, Beetle." in text_of(out)
    assert walk.routine.items[0].status == Status.PARKED


@pytest.mark.parametrize("rating, result, status", [
    (0, Result.OK, Status.DONE), (3, Result.OK, Status.DONE), (4, Result.HOLD, Status.DONE),
    (5, Result.HOLD, Status.DONE),
])
def test_low_ratings_finish_the_move(walk, rating, result, status):
    walk("start_routine")
    walk("pain", rating)
    first = walk.routine.items[0]
    assert first.status == status and {s.result for s in first.sets} == {result}


@pytest.mark.parametrize("rating", [6, 8])
def test_a_rating_of_six_to_eight_is_the_easier_version(walk, rating):
    walk("start_routine")
    walk("pain", rating)
    assert walk.item.move == "superman" and walk.item.form == Form.EASIER and walk.phase == Phase.MOVING


@pytest.mark.parametrize("rating", [9, 10])
def test_a_rating_of_nine_or_ten_stops_the_session_with_advice_in_writing(walk, rating):
    walk("start_routine")
    out = walk("pain", rating)
    assert not out.listen and walk.state.session is None
    assert "please see a doctor or physio before training again" in text_of(out)
    assert out.card is not None and "hurt a lot" in out.card.text
    assert walk.progress.checkup_pending
    assert walk.progress.moves["superman"].form == Form.EASIER


@pytest.mark.parametrize("value", ["eleven", 11, -1, None, True])
def test_a_rating_that_is_not_zero_to_ten_is_asked_again_and_changes_nothing(walk, value):
    walk("start_routine")
    out = walk("pain", value)
    assert not out.changed and "a number from zero to ten" in text_of(out)


def test_a_little_asks_for_a_number(walk):
    walk("start_routine")
    out = walk("hurts", "some")
    assert walk.phase == Phase.RATING and "how much did it hurt" in text_of(out)
    walk("pain", 2)
    assert walk.routine.items[0].status == Status.DONE and walk.routine.index == 1


@pytest.mark.parametrize("feeling", ["better", "same"])
def test_good_or_fine_after_a_move_means_pain_free(walk, feeling):
    walk("start_routine")
    walk("back_feel", feeling)
    assert walk.routine.items[0].status == Status.DONE and walk.routine.items[0].sets[0].result == Result.OK


def test_done_after_a_move_means_pain_free(walk):
    walk("start_routine")
    walk("done")
    assert walk.routine.items[0].status == Status.DONE


def test_not_great_after_a_move_asks_how_much(walk):
    walk("start_routine")
    walk("back_feel", "worse")
    assert walk.phase == Phase.RATING


def test_pain_elsewhere_eases_the_move_with_advice(walk):
    walk.to_move("high_plank_leg_lifts")
    out = walk("hurts", "elsewhere")
    assert "If it's sharp or doesn't settle, stop and get it checked." in text_of(out)
    assert "Incline Plank Leg Lifts" in text_of(out)


def test_i_cant_do_this_one_is_the_easier_version_without_counting_pain(walk):
    walk("start_routine")
    out = walk("cant", at=30)
    assert "Alternating Superman" in text_of(out) and not walk.item.hurt and walk.item.dropped
    walk("yes")
    walk("cant", at=30)
    assert walk.routine.items[1].form == Form.EASIER


def test_i_cant_on_the_easier_version_leaves_the_move(walk):
    walk("start_routine")
    walk("cant", at=30)
    out = walk("cant", at=30)
    assert "Let's leave Superman for today." in text_of(out) and walk.routine.items[0].status == Status.SKIPPED


def test_pain_between_routines_offers_the_stretches_instead(walk):
    out = walk("hurts")
    assert walk.phase == Phase.OFFER and "stretches instead" in text_of(out)


def test_the_pain_question_is_reprompted_with_what_to_say(walk):
    out = walk("start_routine")
    assert out.reprompt[0].text.startswith("Was Superman pain-free? Say yes, or no if it hurt.")
