"""Today's plan and how it changes: the article's "how to train", made precise, seen through whole sessions."""
from __future__ import annotations

import pytest

from skill.coach.plan import PARK_SESSIONS, step_down, todays_plan
from skill.coach.progress import apply_session, new_progress
from skill.coach.speech import Count

from .conftest import DAY, OUTDOOR_MOVE, Walk, late_ladder, text_of

FIRST_FOUR = ["superman", "beetle", "single_leg_balance_reach", "high_plank_leg_lifts"]


def plan_of(walk: Walk) -> list[tuple[str, str, int]]:
    items = todays_plan(walk.coach.catalog, walk.progress)
    return [(item["move"], item["form"], item["reps"]) for item in items]


def next_day(walk: Walk) -> None:
    walk.wait(DAY)


def test_a_new_person_starts_with_the_first_four_moves_three_sets_of_eight(walk):
    assert plan_of(walk) == [(m, "full", 8) for m in FIRST_FOUR]
    out = walk("start_routine")
    assert "Today: four moves, three sets of eight. First, Superman." in text_of(out)


def test_a_pain_free_move_gains_a_rep_next_time_up_to_twelve(walk):
    summary = walk.routine_through()
    assert "Superman, Beetle, Single Leg Balance and Reach, and High Plank Leg Lifts go up to nine reps." in text_of(summary)
    assert plan_of(walk) == [(m, "full", 9) for m in FIRST_FOUR]
    next_day(walk)
    walk("start_routine")
    walk("back_feel", "same")
    out = walk("ready")
    assert Count(9, 4.0) in out.speech
    walk.routine_through()
    for _ in range(3):
        next_day(walk)
        walk.routine_through()
    assert {reps for _, _, reps in plan_of(walk)} == {12}


def test_mastered_after_two_pain_free_sessions_at_twelve_then_the_next_ladder_move_joins(walk):
    for move_id in FIRST_FOUR:
        walk.progress["moves"][move_id] = {"form": "full", "reps": 12, "at_max": 0, "parked_at": None,
                                           "mastered": False}
    walk.state["progress"]["moves"]["beetle"]["reps"] = 11
    first = walk.routine_through()
    assert "Superman, Single Leg Balance and Reach, and High Plank Leg Lifts stay at twelve; one more session" \
        in text_of(first)
    assert "Beetle goes up to twelve reps." in text_of(first)
    next_day(walk)
    second = walk.routine_through()
    said = text_of(second)
    assert "You've mastered Superman, Single Leg Balance and Reach, and High Plank Leg Lifts." in said
    assert "Single Leg Bridge, Modified Low Side Plank Lifts and Quadruped Limb Raises join your plan next time." in said
    assert plan_of(walk) == [("beetle", "full", 12), ("single_leg_bridge", "full", 8),
                             ("modified_low_side_plank_lifts", "full", 8), ("quadruped_limb_raises", "full", 8)]


def test_a_hold_rating_or_any_non_ok_set_breaks_the_mastery_run(walk):
    walk.progress["moves"]["superman"] = {"form": "full", "reps": 12, "at_max": 1, "parked_at": None,
                                         "mastered": False}
    walk.routine_through({"superman": ["yes", 5, "yes"]})
    assert walk.progress["moves"]["superman"]["at_max"] == 0
    assert not walk.progress["moves"]["superman"]["mastered"]


def test_a_move_that_needed_its_easier_variant_starts_there_until_done_pain_free(walk):
    summary = walk.routine_through({"superman": ["yes", "no", "yes"]})
    assert "Superman starts on the easier version next time." in text_of(summary)
    assert plan_of(walk)[0] == ("superman", "easier", 8)
    next_day(walk)
    out = walk("start_routine")
    out = walk("back_feel", "better")
    assert "First, Alternating Superman." in text_of(out)
    while walk.phase in ("await_ready", "await_answer"):
        walk("ready" if walk.phase == "await_ready" else "yes")
    assert "Superman goes back to the full version." in text_of(walk.out)
    assert plan_of(walk)[0] == ("superman", "full", 8)


def test_the_easier_form_carries_the_persons_reps_within_its_own_range(walk, catalog):
    walk.progress["moves"]["single_leg_balance_reach"] = {"form": "easier", "reps": 12, "at_max": 0,
                                                          "parked_at": None, "mastered": False}
    assert plan_of(walk)[2] == ("single_leg_balance_reach", "easier", 10)   # Single Leg Balance: 6..10
    assert catalog.move("single_leg_balance").reps == (6, 10)


def test_a_move_that_hurts_even_as_its_easier_variant_is_parked_and_returns_later(walk):
    summary = walk.routine_through({"beetle": ["no", "no"]})
    assert "Beetle takes a break for a few sessions." in text_of(summary)
    assert walk.progress["moves"]["beetle"]["parked_at"] == 1
    assert [m for m, _, _ in plan_of(walk)] == ["superman", "single_leg_balance_reach", "high_plank_leg_lifts",
                                               "single_leg_bridge"]
    for _ in range(PARK_SESSIONS - 1):
        next_day(walk)
        walk.routine_through()
        assert "beetle" not in [m for m, _, _ in plan_of(walk)]
    next_day(walk)
    summary = walk.routine_through()
    assert "Beetle joins your plan next time." in text_of(summary)
    assert plan_of(walk)[1] == ("beetle", "easier", 8)


def test_a_worse_back_steps_every_move_down_one_level_for_today(walk, catalog):
    walk.progress["moves"]["beetle"] = {"form": "easier", "reps": 10, "at_max": 0, "parked_at": None,
                                        "mastered": False}
    walk.progress.update(last_session_at=walk.now - DAY, sessions=1, safety_note_given=True)
    out = walk("start_routine")
    assert text_of(out) == "How's your back compared with after last time: better, the same, or worse?"
    out = walk("back_feel", "worse")
    assert text_of(out).startswith("Thanks for telling me. Let's go easier today: every move steps down a level.")
    items = walk.routine["items"]
    assert [(i["move"], i["form"], i["reps"]) for i in items] == [
        ("superman", "easier", 8), ("beetle", "easier", 8),
        ("single_leg_balance_reach", "easier", 8), ("high_plank_leg_lifts", "easier", 8)]
    assert "First, Alternating Superman." in text_of(out)
    # the step-down is for today only: the record keeps its level
    assert walk.progress["moves"]["beetle"]["reps"] == 10


@pytest.mark.parametrize(("rating", "kind"), [(0, "ok"), (3, "ok"), (4, "hold"), (5, "hold"), (6, "hurt"), (10, "hurt")])
def test_the_pain_scale(walk, rating, kind):
    walk("start_routine")
    walk("ready")
    out = walk("pain", rating)
    said = text_of(out)
    if kind == "ok":
        assert walk.item["sets"] == [{"form": "full", "result": "ok"}] and "Rest for thirty seconds." in said
    elif kind == "hold":
        assert walk.item["sets"] == [{"form": "full", "result": "hold"}]
        assert "Superman stays at this level for now. Rest for thirty seconds." in said
    else:
        assert walk.item["form"] == "easier" and "Let's make it easier: Alternating Superman." in said


def test_ratings_in_the_hold_band_keep_the_level(walk):
    walk.routine_through({"superman": [4, 2, 1]})
    assert walk.progress["moves"]["superman"]["reps"] == 8
    assert walk.progress["moves"]["beetle"]["reps"] == 9


@pytest.mark.parametrize("value", [-1, 11, None, "abc", 2.5, True, "12"])
def test_a_rating_out_of_range_asks_again_and_changes_nothing(walk, value):
    walk("start_routine")
    walk("ready")
    before = walk.state
    out = walk("pain", value)
    assert walk.state == before
    assert text_of(out).startswith("Please give me a number from zero to ten")
    assert out.listen


def test_a_spoken_rating_as_digits_counts(walk):
    walk("start_routine")
    walk("ready")
    walk("pain", "2")
    assert walk.item["sets"] == [{"form": "full", "result": "ok"}]


# -- sets done outdoors count like full-form sets of the ladder move --------------------------------------
def outdoor_session(walk: Walk, answers: list) -> str:
    """Today's plan with only Single Leg Jump Squats done (outdoors, answering `answers`, then yes); the
    summary said."""
    walk.to_move(OUTDOOR_MOVE)
    walk("outdoors")
    while walk.phase in ("await_ready", "await_answer"):
        if walk.phase == "await_ready":
            walk("ready")
        elif answers:
            answer = answers.pop(0)
            walk(*(("pain", answer) if isinstance(answer, int) else (answer,)))
        else:
            walk("yes")
    summary = text_of(walk.out)
    walk("no")
    return summary


def test_pain_free_outdoor_sets_raise_the_ladder_moves_reps_and_next_time_starts_indoors(coach):
    walk = Walk(coach, late_ladder(coach, jump_squat_reps=9))
    summary = outdoor_session(walk, ["yes", "yes", "yes"])
    assert "Single Leg Jump Squats goes up to ten reps." in summary
    assert walk.progress["moves"][OUTDOOR_MOVE] == {"form": "full", "reps": 10, "at_max": 0, "parked_at": None,
                                                   "mastered": False}
    assert "forward_jump_squats" in walk.progress["seen"]
    assert plan_of(walk)[-1] == (OUTDOOR_MOVE, "full", 10)   # being outside was for that day only


def test_outdoor_sessions_at_twelve_reps_count_towards_mastery(coach):
    walk = Walk(coach, late_ladder(coach, jump_squat_reps=12))
    first = outdoor_session(walk, [])
    assert "Single Leg Jump Squats stays at twelve; one more session like that and it's mastered." in first
    next_day(walk)
    second = outdoor_session(walk, [])
    assert "You've mastered Single Leg Jump Squats." in second
    assert walk.progress["moves"][OUTDOOR_MOVE]["mastered"]


def test_a_hold_rating_outdoors_keeps_the_full_level(coach):
    walk = Walk(coach, late_ladder(coach, jump_squat_reps=10))
    summary = outdoor_session(walk, ["yes", 5, "yes"])
    assert "Single Leg Jump Squats stays at ten reps." in summary
    assert walk.progress["moves"][OUTDOOR_MOVE]["form"] == "full"
    assert walk.progress["moves"][OUTDOOR_MOVE]["reps"] == 10


def test_a_no_outdoors_means_the_easier_version_next_time(coach):
    walk = Walk(coach, late_ladder(coach, jump_squat_reps=10))
    summary = outdoor_session(walk, ["yes", "no", "yes"])
    assert "Single Leg Jump Squats starts on the easier version next time." in summary
    assert plan_of(walk)[-1] == (OUTDOOR_MOVE, "easier", 10)


def test_the_card_names_the_outdoor_alternative(coach):
    walk = Walk(coach, late_ladder(coach, jump_squat_reps=10))
    walk.to_move(OUTDOOR_MOVE)
    walk("outdoors")
    while walk.phase in ("await_ready", "await_answer"):
        walk("ready" if walk.phase == "await_ready" else "yes")
    assert "Single Leg Jump Squats (outdoors: Forward Jump Squats): 3 of 3 sets pain-free, 10 reps" in walk.out.card.text


def test_when_the_ladder_runs_out_mastered_moves_fill_the_plan_hardest_first(catalog):
    progress = new_progress()
    for move_id in catalog.ladder:
        progress["moves"][move_id] = {"form": "full", "reps": 12, "at_max": 2, "parked_at": None, "mastered": True}
    progress["moves"]["v_ups"]["mastered"] = False
    plan = todays_plan(catalog, progress)
    assert [i["move"] for i in plan] == ["single_leg_deadlift", "high_plank_limb_raises", "v_ups",
                                         "single_leg_jump_squats"]
    assert all(i["reps"] == 12 for i in plan)


def test_resting_moves_fill_the_plan_only_when_nothing_else_is_left(catalog):
    progress = new_progress()
    progress["sessions"] = 5
    for move_id in catalog.ladder[:10]:
        progress["moves"][move_id] = {"form": "easier", "reps": 8, "at_max": 0, "parked_at": 4, "mastered": False}
    plan = todays_plan(catalog, progress)
    assert [(i["move"], i["form"]) for i in plan] == [
        ("superman", "easier"), ("beetle", "easier"), ("v_ups", "easier"), ("single_leg_jump_squats", "easier")]   # gap fillers go easier


def test_step_down_and_apply_session_are_plain_functions_on_plain_data(catalog):
    progress = new_progress()
    items = todays_plan(catalog, progress)
    step_down(catalog, items)
    step_down(catalog, items)
    assert [i["reps"] for i in items] == [8, 8, 6, 8]   # Single Leg Balance goes down to 6
    for item in items:
        item["sets"] = [{"form": "easier", "result": "ok"}] * 3
        item["status"] = "done"
    after, changes = apply_session(catalog, progress, items, at=5.0)
    assert progress == new_progress()   # input untouched
    assert {c.kind for c in changes} == {"back_up"} and after["sessions"] == 1 and after["last_session_at"] == 5.0
    assert after["history"] == [{"at": 5.0, "moves": 4, "sets": 12, "pain_free": 12, "parked": 0}]
