"""Regressions for the bugs found by talking to the coach as a new user would (hands-free issue, item 7)."""
from __future__ import annotations

from skill.coach.state import Form, Phase, Status

from .conftest import text_of


def test_that_hurt_after_the_microphone_closed_at_the_question_still_counts(walk):
    walk("start_routine")
    walk("session_ended")                       # no answer: the session timed out at "Pain-free?"
    assert walk.phase == Phase.MOVING
    out = walk("hurts")                         # "Alexa, tell back coach that hurt"
    assert "Let's make it easier: Alternating Superman." in text_of(out)
    assert walk.item.form == Form.EASIER and walk.item.hurt


def test_stop_for_today_at_start_again_or_stop_ends_politely(walk):
    walk("start_routine")
    walk("stop", at=60)
    walk("launch")
    walk("no")                                  # leave this routine
    assert "Start again from the top, or stop for today?" in text_of(walk.out)
    out = walk("stop")
    assert text_of(out) == "Okay. See you next time." and not out.listen and walk.state.session is None


def test_repeat_after_how_do_i_do_this_repeats_the_explanation(walk):
    walk("start_routine")
    explained = text_of(walk("explain"))
    assert explained.startswith("Lie face down with your arms reaching past your head")
    assert text_of(walk("repeat")).startswith(explained.split(" Was Superman")[0])


def test_how_long_is_the_rest_and_how_many_reps_answer_those_questions(walk):
    walk("start_routine")
    assert text_of(walk("question", "rest")).startswith("The rest between sets is thirty seconds.")
    assert text_of(walk("question", "reps")).startswith("Superman: eight reps a set.")
    assert text_of(walk("question", "sets")).startswith("That was the last set of Superman. Next up: Beetle.")


def test_next_at_the_start_of_a_move_asks_before_skipping_it(walk):
    walk("start_routine")
    out = walk("skip", at=10)
    assert walk.phase == Phase.CONFIRM_SKIP and "Skip the rest of Superman for today?" in text_of(out)
    walk("no")
    assert walk.phase == Phase.MOVING and walk.item.move == "superman"
    walk("skip", at=10)
    out = walk("yes")
    assert "Skipping Superman for today." in text_of(out) and walk.routine.items[0].status == Status.SKIPPED


def test_how_am_i_doing_during_a_first_session_describes_today(walk):
    walk("start_routine")
    walk("yes")
    out = walk("progress", at=20)
    assert text_of(out).startswith("This is your first session. Today so far: three of three sets pain-free.")
