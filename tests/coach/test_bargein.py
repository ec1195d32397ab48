"""Speaking over the sets: "Alexa, that hurt" (or pause, slower, wait...) is placed on the response's
timeline from the request's timestamp, and the rest of the move carries on from there."""
from __future__ import annotations

import math

import pytest

from skill.coach.bargein import locate
from skill.coach.rules import SPEECH_LATENCY_SECONDS as LAG
from skill.coach.speech import Count, Countdown
from skill.coach.state import Form, Phase, Result, Sent

from .conftest import counts_of, text_of

# three sets: counting from 20-52 s, 86-118 s, 152-184 s; the response lasts 190 s
SENT = Sent(at=1000.0, length=190.0, sets=[[1, 20.0, 52.0], [2, 86.0, 118.0], [3, 152.0, 184.0]])


@pytest.mark.parametrize("spoke_at, current, completed, started", [
    (5.0, 1, 0, False),      # getting into position: set one, not begun
    (30.0, 1, 0, True),      # during set one
    (70.0, 1, 1, True),      # resting after set one: it was done, it is the set in hand
    (100.0, 2, 1, True),
    (170.0, 3, 2, True),
])
def test_a_moment_is_placed_on_the_set_being_done_or_just_finished(spoke_at, current, completed, started):
    cut = locate(SENT, SENT.at + spoke_at + LAG)
    assert (cut.current, cut.completed, cut.started, cut.uncertain) == (current, completed, started, False)


def test_a_moment_right_at_a_set_boundary_is_uncertain():
    cut = locate(SENT, SENT.at + 86.5 + LAG)
    assert cut.uncertain and cut.current == 2


@pytest.mark.parametrize("elapsed", [186.0 + LAG, 190.0, 400.0, 10 * 86400.0])
def test_after_the_sets_a_request_answers_the_question(elapsed):
    assert locate(SENT, SENT.at + elapsed) is None


@pytest.mark.parametrize("now", [SENT.at - 1.0, SENT.at - 86400.0 * 365, math.nan])
def test_a_timestamp_from_before_the_response_falls_back_to_its_first_set(now):
    cut = locate(SENT, now)
    assert (cut.current, cut.completed, cut.uncertain) == (1, 0, True)


def _in_set(walk, n: int, into: float = 5.0) -> float:
    """Seconds into the last response at which set n's count has been going for `into` seconds."""
    start = next(m.at for m in walk.out.timeline if m.kind == "rep" and m.set == n and m.rep == 1)
    return start - 4.0 + into + LAG


def _in_rest_after(walk, n: int) -> float:
    rest = next(m for m in walk.out.timeline if m.kind == "rest" and m.set == n)
    return rest.at + rest.seconds / 2 + LAG


def test_that_hurt_in_set_two_counts_set_one_and_eases_the_rest_at_once(walk):
    walk("start_routine")
    out = walk("hurts", at=_in_set(walk, 2))
    sets = walk.routine.items[0].sets
    assert [(s.form, s.result) for s in sets[:2]] == [(Form.FULL, Result.OK), (Form.FULL, Result.HURT)]
    assert "Let's make it easier: Alternating Superman." in text_of(out)
    assert counts_of(out) == [Count(8, 4.0)] and text_of(out).endswith("Pain-free?")
    walk("yes")
    item = walk.routine.items[0]
    assert [s.result for s in item.sets] == [Result.OK, Result.HURT, Result.OK] and item.hurt


def test_that_hurt_during_a_rest_is_about_the_set_just_done(walk):
    walk("start_routine")
    walk("hurts", at=_in_rest_after(walk, 1))
    assert [s.result for s in walk.routine.items[0].sets] == [Result.HURT, Result.PENDING, Result.PENDING]
    assert walk.item.form == Form.EASIER


def test_an_uncertain_moment_says_which_set_it_counted(walk):
    walk("start_routine")
    boundary = next(m.at for m in walk.out.timeline if m.kind == "rep" and m.set == 2 and m.rep == 1) - 4.0
    out = walk("hurts", at=boundary + LAG + 0.2)
    assert "I'll count that as set two." in text_of(out)


def test_pause_mid_set_resumes_that_set_from_its_start(walk):
    walk("start_routine")
    out = walk("pause", at=_in_set(walk, 2))
    assert not out.listen and walk.phase == Phase.PAUSED
    assert len(walk.routine.items[0].sets) == 1
    out = walk("resume")
    assert "Back to Superman." in text_of(out) and "Set two of three." in text_of(out)
    assert len(counts_of(out)) == 2 and out.speech[1] == Countdown(10, "position")


def test_wait_while_getting_into_position_buys_time_and_carries_on(walk):
    walk("start_routine")
    position = next(m for m in walk.out.timeline if m.kind == "position")
    out = walk("pause", at=position.at + 3 + LAG)
    assert out.listen and text_of(out).startswith("Take your time: twenty more seconds.")
    assert out.speech[1] == Countdown(20, "position") and len(counts_of(out)) == 3


def test_slower_mid_set_restarts_that_set_slower_and_remembers_it(walk):
    walk("start_routine")
    out = walk("slower", at=_in_set(walk, 1))
    assert text_of(out).startswith("Slower it is: five seconds a rep.")
    assert counts_of(out) == [Count(8, 5.0)] * 3
    assert walk.progress.tempo["superman"] == 5.0


def test_a_question_over_the_sets_is_answered_and_the_set_starts_again(walk):
    walk("start_routine")
    out = walk("question", "reps", at=_in_set(walk, 2))
    assert text_of(out).startswith("Superman: eight reps a set. Set two of three.")
    assert len(counts_of(out)) == 2


def test_stop_over_the_sets_keeps_the_finished_ones(walk):
    walk("start_routine")
    walk("stop", at=_in_rest_after(walk, 2))
    assert walk.phase == Phase.PAUSED and len(walk.routine.items[0].sets) == 2
    walk("launch")
    assert walk.phase == Phase.RESUME and "You were on Superman, set three." in text_of(walk.out)


def test_a_timestamp_from_the_past_never_breaks_the_count(walk):
    walk("start_routine")
    walk.now = walk.sent_at - 3600
    out = walk("hurts")
    assert "I'll count that as set one." in text_of(out)
    assert [s.result for s in walk.routine.items[0].sets][:1] == [Result.HURT]


def test_a_yes_after_the_reply_is_the_answer_not_an_interruption(walk):
    walk("start_routine")
    walk("yes")                             # the Walk's clock: the whole reply played, then the answer
    assert walk.routine.index == 1 and walk.routine.items[0].sets[-1].result == Result.OK
