"""Pain must not climb the ladder, and pain that keeps coming back brings advice to get checked."""
from __future__ import annotations

from skill.coach.plan import todays_plan
from skill.coach.progress import needs_checkup, new_progress

from .conftest import DAY, Walk, text_of

CHECKUP = "It keeps hurting, so please get your back checked by a doctor or physio before pushing on."
EASY_RUNS = "While your back is uncomfortable, keep your runs easy."


def everything_hurts(walk: Walk) -> str:
    """A routine where every move hurts on both forms (each gets parked); returns the summary."""
    summary = walk.routine_through({move_id: ["no", "no"] for move_id in walk.coach.catalog.ladder})
    walk.wait(DAY)
    return text_of(summary)


def test_moves_filling_the_gaps_of_parked_moves_start_on_their_easier_form(walk, catalog):
    summary = everything_hurts(walk)
    assert CHECKUP in summary and EASY_RUNS in summary       # four moves parked at once
    plan = todays_plan(catalog, walk.progress)
    assert [(i["move"], i["form"]) for i in plan] == [
        ("single_leg_bridge", "easier"), ("modified_low_side_plank_lifts", "easier"),
        ("quadruped_limb_raises", "easier"), ("superman_pull", "easier")]
    walk("start_routine")
    out = walk("back_feel", "same")
    assert "First, Glute Bridge." in text_of(out)


def test_pain_everywhere_again_and_again_never_brings_a_full_form_move(walk, catalog):
    for _ in range(4):
        assert CHECKUP in everything_hurts(walk)
        assert all(item["form"] == "easier" for item in todays_plan(catalog, walk.progress))


def test_a_move_whose_easier_form_is_a_resting_move_is_left_out(catalog):
    progress = new_progress()
    progress["sessions"] = 1
    for move_id in catalog.ladder[:9]:
        progress["moves"][move_id] = {"form": "easier", "reps": 8, "at_max": 0, "parked_at": 1, "mastered": False}
    progress["moves"]["high_plank_leg_lifts"]["parked_at"] = 0
    plan = todays_plan(catalog, progress)
    # High Plank Limb Raises steps down to High Plank Leg Lifts, which is resting: it must not fill a gap
    assert [(i["move"], i["form"]) for i in plan] == [
        ("superman", "easier"), ("high_plank_leg_lifts", "easier"), ("v_ups", "easier"),
        ("single_leg_jump_squats", "easier")]


def test_without_parked_moves_the_plan_is_unchanged(catalog):
    plan = todays_plan(catalog, new_progress())
    assert [(i["move"], i["form"]) for i in plan] == [(m, "full") for m in catalog.ladder[:4]]


def test_pain_in_half_the_sets_two_routines_running_brings_the_checkup_advice(walk):
    hurting = {"beetle": [4, 4, 4], "single_leg_balance_reach": [5, 5, 5]}    # 6 of 12 sets not pain-free
    first = text_of(walk.routine_through(hurting))
    assert CHECKUP not in first and EASY_RUNS in first
    walk.wait(DAY)
    second = text_of(walk.routine_through(hurting))
    assert CHECKUP in second and EASY_RUNS in second


def test_two_moves_parked_in_one_routine_bring_the_checkup_advice(walk):
    summary = text_of(walk.routine_through({"superman": ["no", "no"], "beetle": [6, 6]}))
    assert CHECKUP in summary


def test_one_bad_routine_then_a_good_one_brings_no_checkup_advice(walk):
    walk.routine_through({"beetle": [4, 4, 4], "single_leg_balance_reach": [5, 5, 5]})
    walk.wait(DAY)
    good = text_of(walk.routine_through())
    assert CHECKUP not in good and EASY_RUNS not in good


def test_needs_checkup_reads_the_history():
    progress = new_progress()
    entry = {"at": 0.0, "moves": 4, "sets": 10, "pain_free": 5, "parked": 0}
    progress["history"] = [entry]
    assert not needs_checkup(progress)                        # once is not a pattern
    progress["history"] = [entry, entry]
    assert needs_checkup(progress)
    progress["history"] = [entry, {**entry, "pain_free": 6}]
    assert not needs_checkup(progress)
    progress["history"] = [{**entry, "pain_free": 10, "parked": 2}]
    assert needs_checkup(progress)


def test_worse_twice_running_at_the_next_day_check_brings_the_checkup_advice(walk):
    walk.routine_through()
    walk.wait(DAY)
    walk("start_routine")
    first = text_of(walk("back_feel", "worse"))
    assert CHECKUP not in first and "every move steps down a level" in first
    walk("stop")
    walk.wait(DAY)
    walk("start_routine")
    second = text_of(walk("back_feel", "worse"))
    assert CHECKUP in second
    walk("stop")
    walk.wait(DAY)
    walk("start_routine")
    assert CHECKUP not in text_of(walk("back_feel", "better")) and walk.progress["worse_checks"] == 0


# -- "it hurts" ---------------------------------------------------------------------------------------------
def test_it_hurts_after_a_set_is_a_no(walk):
    walk("start_routine")
    walk("ready")
    out = walk("hurts")
    assert "Let's make it easier: Alternating Superman." in text_of(out)
    assert walk.item["sets"] == [{"form": "full", "result": "hurt"}] and walk.phase == "await_ready"


def test_it_hurts_before_a_set_switches_to_the_easier_form_then_leaves_the_move_for_today(walk):
    walk("start_routine")
    out = walk("hurts")
    assert "Let's make it easier: Alternating Superman." in text_of(out) and walk.item["form"] == "easier"
    assert walk("harder").speech == walk.out.speech and walk.item["form"] == "easier"   # it hurt: no way back up
    out = walk("hurts")
    assert "Let's leave Superman for today." in text_of(out) and "Next, Beetle." in text_of(out)
    assert walk.routine["items"][0]["status"] == "parked"


def test_it_hurts_between_routines_gives_the_advice_and_offers_the_stretches(walk):
    out = walk("hurts")
    said = text_of(out)
    assert said.startswith("Sorry your back hurts.") and "see a doctor" in said and "spreads into your leg" in said
    assert said.endswith("Would you like the three stretches instead?") and out.listen
    assert text_of(walk("help")) == "Say yes to do the stretches now, or no to finish for today."
    assert text_of(walk("yes")).startswith("First stretch:")


def test_it_hurts_at_the_offer_and_the_back_check_offers_the_stretches_or_a_rest(walk):
    walk("launch")
    walk("hurts")
    out = walk("no")
    assert text_of(out) == "Okay. See you next time." and walk.state["session"] is None
    walk.progress.update(last_session_at=walk.now - DAY)
    walk("start_routine")
    assert walk.phase == "back_check"
    out = walk("hurts")
    assert "stretches instead" in text_of(out) and walk.phase == "offer"


def test_it_hurts_during_a_stretch_leaves_it_out_next_time(walk):
    walk("start_stretches")
    walk("ready")
    walk("hurts")
    assert walk.progress["skip_stretches"] == ["cat_cow"]
