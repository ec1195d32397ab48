"""The hands-free flow: a plan summary, then each move's sets in one go, then one question per move."""
from __future__ import annotations

import re

from skill.coach.speech import Count, Countdown, CountIn, Text
from skill.coach.state import Phase, Result, Status

from .conftest import DAY, Walk, counts_of, text_of


def test_launch_says_the_moves_the_reps_and_how_long(walk):
    out = walk("start_routine")
    said = text_of(out)
    assert "Today: four moves, three sets of eight: Superman, Beetle, Single Leg Balance and Reach, and High " \
           "Plank Leg Lifts." in said
    minutes = re.search(r"About (\w+) minutes", said).group(1)
    assert minutes in ("fourteen", "fifteen", "sixteen", "seventeen")


def test_a_move_is_cued_counted_in_and_all_its_sets_run_before_one_question(walk):
    out = walk("start_routine")
    speech = out.speech
    kinds = [type(s).__name__ for s in speech if not isinstance(s, Text)]
    # time to get into position, then three sets with spoken rests between them
    assert kinds == ["Countdown", "CountIn", "Count", "Countdown", "CountIn", "Count", "Countdown", "CountIn", "Count"]
    assert speech[1] == Countdown(10, "position")
    assert [s for s in speech if isinstance(s, Countdown)][1:] == [Countdown(30, "rest")] * 2
    assert counts_of(out) == [Count(8, 4.0)] * 3
    assert text_of(out).endswith("Pain-free?") and "Say ready" not in text_of(out)
    assert out.listen and walk.phase == Phase.MOVING


def test_the_rest_before_a_set_does_not_say_three_two_one_before_the_count_in(walk):
    out = walk("start_routine")
    rest = next(s for s in out.speech if s == Countdown(30, "rest"))
    assert rest.marks() == (20, 10, 5)                  # no "three, two, one": the count-in says that
    position = out.speech[1]
    assert position.marks() == (5,)
    assert Countdown(30, "hold").marks()[-3:] == (3, 2, 1)   # a held stretch ends on three, two, one


def test_first_session_needs_six_answers_including_the_launch(walk):
    walk.routine_through()
    # start_routine, one answer per move (four), "no" to the stretches
    assert walk.replies == 6
    assert walk.progress.sessions == 1
    assert all(rec.reps == 9 for rec in walk.progress.moves.values())


def test_with_the_stretches_a_first_session_needs_nine_answers(walk):
    walk.routine_through(stretches=True)
    while walk.phase == Phase.STRETCH:
        walk("yes")
    assert walk.state.session is None and walk.replies == 9
    assert "That's the stretches done." in text_of(walk.out)


def test_sets_are_recorded_once_the_move_is_answered(walk):
    walk("start_routine")
    assert [s.result for s in walk.item.sets] == [Result.PENDING] * 3
    walk("yes")
    first = walk.routine.items[0]
    assert first.status == Status.DONE and [s.result for s in first.sets] == [Result.OK] * 3


def test_one_sided_moves_count_each_side_with_a_switch(walk):
    walk.to_move("single_leg_balance_reach")
    said = text_of(walk.out)
    assert said.count("Left side.") == 3 and said.count("Switch sides.") == 3 and said.count("Right side.") == 3
    assert len(counts_of(walk.out)) == 6


def test_cues_get_shorter_as_a_move_becomes_familiar(walk):
    first = text_of(walk("start_routine"))
    assert first.count("Lift your arms, chest and legs a little") == 1      # the movement, once
    assert "Keep your neck long" in first                                  # the form cue on set two
    walk("stop")
    walk.wait(DAY)
    walk.routine_through()
    walk.wait(DAY)
    walk("start_routine")
    again = text_of(walk("back_feel", "same"))
    assert "First, Superman." in again and "Lift your arms, chest and legs a little" not in again


def test_a_quick_session_is_two_sets_a_move_and_says_so(walk):
    out = walk("start_routine", "short")
    said = text_of(out)
    assert "two sets of eight" in said
    assert len(counts_of(out)) == 2 and "Set two of two." in said
    full_minutes = Walk(walk.coach)
    long = text_of(full_minutes("start_routine"))
    word = lambda s: re.search(r"About (\w+) minutes", s).group(1)  # noqa: E731
    assert word(said) != word(long)
    walk("yes")
    while walk.phase == Phase.MOVING:
        walk("yes")
    assert walk.progress.history[-1].sets == 8


def test_stretches_first_then_the_routine(walk):
    walk("start_stretches", "first")
    assert walk.phase == Phase.STRETCH
    while walk.phase == Phase.STRETCH:
        walk("yes")
    assert walk.phase == Phase.OFFER and "Ready for your back routine now?" in text_of(walk.out)
    walk("yes")
    assert walk.phase == Phase.MOVING
    while walk.phase == Phase.MOVING:
        walk("yes")
    # the stretches were done first: no stretch offer at the end, just goodbye
    assert walk.state.session is None and not walk.out.listen


def test_stretches_mid_routine_wait_and_the_routine_carries_on(walk):
    walk("start_routine")
    walk("yes")                                   # Superman done; Beetle's sets sent
    walk("start_stretches", at=5)                 # over the start of Beetle
    assert walk.phase == Phase.STRETCH and "Your routine will wait for you." in text_of(walk.out)
    while walk.phase == Phase.STRETCH:
        walk("yes")
    assert walk.phase == Phase.OFFER and "carry on with your routine, at Beetle" in text_of(walk.out)
    out = walk("yes")
    assert walk.phase == Phase.MOVING and "Back to Beetle." in text_of(out) and len(counts_of(out)) == 3


def test_a_stretch_is_one_response_ending_with_one_question(walk):
    out = walk("start_stretches")
    assert [s for s in out.speech if not isinstance(s, Text)] == [Countdown(10, "position"), CountIn(), Count(8, 5.0)]
    assert text_of(out).endswith("Did that feel okay?")
    out = walk("no")
    assert "leave that one out next time" in text_of(out)
    assert walk.progress.skip_stretches == ["cat_cow"]
    holds = [s for s in out.speech if isinstance(s, Countdown) and s.kind == "hold"]
    assert holds == [Countdown(30, "hold")] * 2


def test_the_upper_back_extra_is_the_wall_pull_downs_on_request(walk):
    out = walk("extra", "upper_back")
    assert "Wall Lateral Pull-Downs" in text_of(out) and len(counts_of(out)) == 2
    walk("yes")
    assert walk.state.session is None
    assert "wall_lateral_pull_downs" not in walk.progress.moves    # an extra keeps no level


class CountsBudget:
    """A response holds at most four counts (as five audio tags would with count-ins voiced)."""

    def fits(self, segments):
        return sum(isinstance(s, Count) for s in segments) <= 4


def test_a_move_that_does_not_fit_one_response_is_split_at_a_set_with_one_short_question(catalog):
    from skill.coach.machine import Coach
    walk = Walk(Coach(catalog, CountsBudget()))
    walk.to_move("single_leg_balance_reach")                     # one-sided: two counts a set
    out = walk.out
    assert len(counts_of(out)) == 4 and text_of(out).endswith("Ready for set three?")
    assert out.speech[-2] == Countdown(30, "rest")               # the rest comes before the question
    assert walk.phase == Phase.READY
    out = walk("ready")
    assert len(counts_of(out)) == 2 and text_of(out).startswith("Set three of three.")
    assert text_of(out).endswith("Pain-free?") and walk.phase == Phase.MOVING
    walk("yes")
    assert [s.result for s in walk.routine.items[2].sets] == [Result.OK] * 3
