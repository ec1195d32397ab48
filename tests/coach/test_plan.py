"""Progression as the article says: start with the first four, build reps, master a move, then one new move
at a time; easier forms stay in the article's 8-12 range; pain never climbs the ladder."""
from __future__ import annotations

from skill.coach.catalog import tempo_step
from skill.coach.plan import todays_plan
from skill.coach.state import Form, MoveRecord, Phase, Progress

from .conftest import DAY, HOUR, OUTDOOR_MOVE, T0, Walk, late_ladder, text_of


def _levels(progress: Progress) -> dict[str, tuple[str, int]]:
    return {m: (rec.form.value, rec.reps) for m, rec in progress.moves.items()}


def test_a_new_person_starts_with_the_first_four_moves(catalog):
    assert [i.move for i in todays_plan(catalog, Progress())] == list(catalog.ladder[:4])


def test_pain_free_sessions_add_a_rep_up_to_twelve_then_mastery_brings_one_new_move(walk):
    for _ in range(4):
        walk.routine_through()
        walk.wait(DAY)
    assert {reps for _, reps in _levels(walk.progress).values()} == {12}
    walk.routine_through()
    walk.wait(DAY)
    out = walk.routine_through()
    assert all(rec.mastered for rec in walk.progress.moves.values())
    assert "Single Leg Bridge joins your plan next time." in text_of(out)     # one, not four
    walk.wait(DAY)
    walk("start_routine")
    walk("back_feel", "same")
    plan = [i.move for i in walk.routine.items]
    new = [m for m in plan if m not in walk.progress.moves]
    assert new == ["single_leg_bridge"] and len(plan) == 4


def test_new_moves_join_one_session_at_a_time(catalog):
    progress = Progress(sessions=6)
    for move_id in catalog.ladder[:4]:
        progress.moves[move_id] = MoveRecord(Form.FULL, 12, 2, None, True, started=0)
    first = todays_plan(catalog, progress)
    assert [i.move for i in first] == ["beetle", "single_leg_balance_reach", "high_plank_leg_lifts",
                                       "single_leg_bridge"]
    progress.moves["single_leg_bridge"] = MoveRecord(Form.FULL, 8, 0, None, False, started=6)
    progress.sessions = 7
    second = [i.move for i in todays_plan(catalog, progress)]
    assert "modified_low_side_plank_lifts" in second and second.count("single_leg_bridge") == 1


def test_a_move_that_hurt_starts_easier_next_time_and_goes_back_up_once_pain_free(walk):
    walk.routine_through({"superman": ["no"]})
    assert _levels(walk.progress)["superman"] == ("easier", 8)
    walk.wait(DAY)
    out = walk.routine_through()
    assert "Superman goes back to the full version." in text_of(out)
    assert _levels(walk.progress)["superman"] == ("full", 8)


def test_parked_moves_rest_three_sessions_and_a_gap_filler_starts_easier(walk):
    walk.routine_through({"superman": ["no", "no"]})
    for _ in range(3):
        walk.wait(DAY)
        walk("start_routine")
        walk("back_feel", "same")
        plan = {i.move: i.form for i in walk.routine.items}
        assert "superman" not in plan and "single_leg_bridge" in plan
        while walk.phase == Phase.MOVING:
            walk("yes")
        walk("no")
    assert plan["single_leg_bridge"] == Form.FULL       # easier the first time only; then its own record
    walk.wait(DAY)
    walk("start_routine")
    walk("back_feel", "same")
    assert {i.move: i.form for i in walk.routine.items}["superman"] == Form.EASIER   # back, on the easier form


def test_a_stand_in_move_goes_back_to_its_full_version(walk):
    """Regression: Glute Bridge standing in for Single Leg Bridge never went back to the full version."""
    walk.routine_through({"superman": ["no", "no"]})           # Single Leg Bridge stands in, on Glute Bridge
    walk.wait(DAY)
    out = walk.routine_through()
    assert "Single Leg Bridge goes back to the full version." in text_of(out)
    walk.wait(DAY)
    walk("start_routine")
    walk("back_feel", "same")
    forms = {i.move: i.form for i in walk.routine.items}
    assert forms["single_leg_bridge"] == Form.FULL


def test_reps_rise_at_most_once_a_day(walk):
    """Regression: a second routine the same day raised the reps again."""
    walk.routine_through()
    assert _levels(walk.progress)["superman"] == ("full", 9)
    walk.wait(2 * HOUR)
    out = walk.routine_through()
    assert _levels(walk.progress)["superman"] == ("full", 9)
    assert "stay at nine: they already went up today" in text_of(out)


def test_start_over_the_same_day_counts_once(walk):
    """Regression: stopping after one move and saying "start over" counted as a finished session."""
    walk("start_routine")
    walk("yes")
    walk("start_over", at=3)
    assert walk.progress.sessions == 0 and walk.routine.index == 0
    assert "Starting today's routine again from the top." in text_of(walk.out)
    while walk.phase == Phase.MOVING:
        walk("yes")
    walk("no")
    assert walk.progress.sessions == 1 and _levels(walk.progress)["superman"] == ("full", 9)


def test_a_worse_back_the_next_day_steps_every_move_down(walk):
    walk.routine_through()
    walk.wait(DAY)
    walk("start_routine")
    assert walk.phase == Phase.BACK_CHECK
    walk("back_feel", "worse")
    assert all(i.form == Form.EASIER for i in walk.routine.items)


def test_faster_stops_at_the_moves_safe_limit(walk):
    walk("start_routine")
    walk("faster", at=30)
    out = walk("faster", at=30)
    assert walk.progress.tempo["superman"] == 3.0
    assert "That's as fast as this move should go." in text_of(out)


def test_every_form_has_the_articles_reps_and_a_safe_tempo(catalog):
    for move in catalog.moves():
        if move.kind == "strength":
            assert move.reps == (8, 12), move.id
            assert move.min_tempo <= move.tempo and tempo_step(move, move.min_tempo, -1) is None


def test_the_outdoor_alternative_counts_as_the_full_move(coach):
    walk = Walk(coach, late_ladder(coach, jump_squat_reps=10), now=T0)
    walk.to_move(OUTDOOR_MOVE)
    walk("outdoors", at=10)
    assert walk.item.form == Form.OUTDOOR
    walk("yes")
    walk("no")
    assert walk.progress.moves[OUTDOOR_MOVE].reps == 11
