"""Answers that come late or sideways: after a timeout, skip at "Pain-free?", status on the last set, and the
wording fixes from user testing."""
from __future__ import annotations

import pytest

from skill.coach.phrasebook import PHRASES

from .conftest import DAY, HOUR, Walk, text_of


def at_set_two_question(walk: Walk) -> Walk:
    """Superman, set two counted and waiting for "Pain-free?"."""
    walk("start_routine")
    walk("ready")
    walk("yes")
    return walk


# -- answers after a timeout --------------------------------------------------------------------------------
@pytest.mark.parametrize("leave", ["session_ended", "pause", "stop"])
@pytest.mark.parametrize(("kind", "value", "result"), [
    ("yes", None, "ok"), ("no", None, "hurt"), ("hurts", None, "hurt"), ("pain", 7, "hurt"), ("pain", 4, "hold")])
def test_the_answer_after_a_timeout_at_pain_free_counts_for_that_set(walk, leave, kind, value, result):
    at_set_two_question(walk)
    walk(leave)
    walk.wait(120)
    out = walk(kind, value)
    assert [s["result"] for s in walk.item["sets"]] == ["ok", result]
    if result == "ok":
        assert "Rest for thirty seconds." in text_of(out) and "Set three of three." in text_of(out)
        assert walk.phase == "await_answer"
    elif result == "hurt":
        assert "Let's make it easier: Alternating Superman." in text_of(out) and walk.phase == "await_ready"
    assert walk.state["session"]["paused_from"] is None


def test_a_rating_after_launch_and_shall_we_carry_on_counts_for_the_set(walk):
    at_set_two_question(walk)
    walk("session_ended")
    walk.wait(600)
    walk("launch")
    assert walk.phase == "confirm_resume"
    out = walk("pain", 2)
    assert [s["result"] for s in walk.item["sets"]] == ["ok", "ok"] and "Set three of three." in text_of(out)


def test_yes_after_a_timeout_elsewhere_still_resumes(walk):
    walk("start_routine")
    walk("session_ended")
    out = walk("yes")
    assert text_of(out).startswith("Back to Superman, set one of three.") and walk.item["sets"] == []


def test_an_out_of_range_late_rating_asks_again_and_changes_nothing(walk):
    at_set_two_question(walk)
    walk("session_ended")
    before = walk.state
    out = walk("pain", 14)
    assert "where zero is no pain" in text_of(out) and walk.state == before


# -- no to "shall we carry on?" and the next-day check ---------------------------------------------------------
@pytest.mark.parametrize(("ago", "checked"), [(5 * HOUR, False), (6 * HOUR, True), (3 * DAY, True), (5 * DAY, False)])
def test_the_next_day_check_only_between_six_hours_and_four_days_after(walk, ago, checked):
    walk.routine_through()
    walk.progress["last_session_at"] = walk.now - ago
    walk("start_routine")
    assert walk.phase == ("back_check" if checked else "await_ready")


# -- skip at "Pain-free?" -------------------------------------------------------------------------------------
def test_skip_at_pain_free_asks_for_the_answer_first_and_a_second_skip_skips(walk):
    walk("start_routine")
    walk("ready")
    out = walk("skip")
    assert text_of(out) == "First, was that set pain-free? Say yes or no. Say skip again to skip Superman."
    assert out.listen and walk.phase == "await_answer" and walk.item["status"] == "todo"
    out = walk("skip")
    assert text_of(out).startswith("Skipping Superman for today. Next, Beetle.")
    assert walk.routine["items"][0]["status"] == "skipped"


def test_an_answer_after_one_skip_counts_and_resets_the_skip(walk):
    walk("start_routine")
    walk("ready")
    walk("skip")
    walk("yes")
    assert walk.item["sets"] == [{"form": "full", "result": "ok"}] and not walk.state["session"]["skip_asked"]
    out = walk("skip")
    assert text_of(out).startswith("First, was that set pain-free?") and walk.item["move"] == "superman"


# -- status on the last set -------------------------------------------------------------------------------------
def test_status_on_the_last_set_names_the_next_move(walk):
    walk("start_routine")
    walk("ready")
    walk("yes")
    walk("yes")
    out = walk("status")
    assert text_of(out).startswith("That was the last set of Superman. Next up: Beetle.")
    assert "zero" not in text_of(out).split(".")[0]


def test_status_on_the_last_set_of_the_last_move(walk):
    walk("start_routine")
    for _ in range(3):
        walk("skip")
    walk("ready")
    walk("yes")
    walk("yes")
    out = walk("status")
    assert text_of(out).startswith("That was the last set of High Plank Leg Lifts, and the last move today.")


# -- wording --------------------------------------------------------------------------------------------------
def test_help_at_the_stretches_offer_after_a_routine(walk):
    walk("start_routine")
    while walk.phase != "offer":
        walk("ready" if walk.phase == "await_ready" else "yes")
    assert text_of(walk("help")) == "Say yes to do the stretches now, or no to finish for today."


def test_the_technical_apology_is_a_checked_phrase(catalog):
    assert PHRASES["technical_sorry"] == frozenset() and PHRASES["technical_sorry_reprompt"] == frozenset()
    assert catalog.phrases.text("technical_sorry") == (
        "Sorry, something went wrong on my side. Your progress is safe. Please say that again, or say help.")
    assert catalog.phrases.text("technical_sorry_reprompt") == "Say that again, or say help to hear what you can say."


def test_the_last_move_is_not_called_done_twice(walk):
    walk("start_routine")
    while walk.phase != "offer":
        walk("ready" if walk.phase == "await_ready" else "yes")
    said = text_of(walk.out)
    assert said.count("done") == 1 and "That's High Plank Leg Lifts done" not in said


def test_after_an_easier_request_the_move_done_names_what_was_done(walk):
    walk("start_routine")
    walk("easier")
    for kind in ["ready", "yes", "yes"]:
        walk(kind)
    assert "That's Alternating Superman done." in text_of(walk("yes"))


def test_a_move_done_on_two_forms_is_finished_for_today(walk):
    walk("start_routine")
    walk("ready")
    walk("yes")
    walk("easier")
    walk("ready")
    walk("yes")
    assert "That's Superman finished for today." in text_of(walk("yes"))


def test_not_ready_says_skip_once(walk):
    walk("start_routine")
    assert text_of(walk("no")).count("skip") == 1


def test_hurt_acknowledgements(catalog):
    said = [catalog.phrases.text("hurt_ack", n) for n in range(catalog.phrases.variants("hurt_ack"))]
    assert "Good that you said." not in said and len(set(said)) == len(said) >= 3


def test_forget_wording_is_consistent(walk):
    walk("forget")
    assert text_of(walk.out).endswith("Say yes to erase it, or no to keep it.")
    assert text_of(walk("help")) == "Say yes to erase your progress, or no to keep it."


@pytest.mark.parametrize(("names", "joined"), [
    (["A"], "A"), (["A", "B"], "A and B"), (["A", "B", "C", "D"], "A, B, C and D"),
    (["Superman", "Single Leg Balance and Reach", "Beetle"], "Superman, Single Leg Balance and Reach, and Beetle"),
])
def test_the_list_joiner(catalog, names, joined):
    assert catalog.phrases.join(names) == joined
