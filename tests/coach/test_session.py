"""The conversation, transition by transition, as a person would hear it."""
from __future__ import annotations

import copy

import pytest

from skill.coach.events import KINDS, Event
from skill.coach.session import ANYWHERE, PHASES, STALE_SECONDS, TRANSITIONS, _Turn, handler_names
from skill.coach.speech import Card, Count, Countdown, CountIn, Pause, Text

from .conftest import DAY, OUTDOOR_MOVE, T0, Walk, text_of

PAIN_ASK = ("Say yes if it was pain-free, no if it hurt, or give it a number from zero to ten, "
            "where zero is no pain.")
SAFETY = "A quick word first: back pain is usually not serious"


def reach(walk: Walk, phase: str) -> Walk:
    """Bring a fresh person to `phase` by talking."""
    if phase == "back_check":
        walk.progress.update(safety_note_given=True, sessions=1, last_session_at=walk.now - DAY)
    script = {
        "idle": [], "offer": ["launch"], "back_check": ["start_routine"], "await_ready": ["start_routine"],
        "await_answer": ["start_routine", "ready"], "paused": ["start_routine", "ready", "pause"],
        "confirm_resume": ["start_routine", "ready", "pause", "launch"],
        "stretch_ready": ["start_stretches"], "stretch_answer": ["start_stretches", "ready"],
        "confirm_forget": ["start_routine", "forget"],
        "confirm_checked": ["start_routine", "red_flag", "launch"],
    }[phase]
    for kind in script:
        walk(kind)
    assert walk.phase == phase
    return walk


# -- the table -----------------------------------------------------------------------------------------
def test_the_table_names_only_real_handlers_and_known_phases_and_events():
    assert handler_names() <= set(dir(_Turn))
    assert set(TRANSITIONS) == set(PHASES)
    assert {kind for row in TRANSITIONS.values() for kind in row} | set(ANYWHERE) <= set(KINDS)


VALUES = {"pain": [None, 0, 5, 8, 11, "x"], "red_flag": ["leg", "urgent", "unwell", None], "back_feel": ["better", "worse", "meh", None]}
NO_CHANGE = {"unknown", "help", "repeat", "status", "explain", "progress"}


@pytest.mark.parametrize("phase", PHASES)
@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_event_in_every_phase(coach, phase, kind):
    for value in VALUES.get(kind, [None, "junk"]):
        walk = reach(Walk(coach), phase)
        before = copy.deepcopy(walk.state)
        had_routine = before["session"] is not None and before["session"]["routine"] is not None
        handler = TRANSITIONS[phase].get(kind) or ANYWHERE.get(kind, "unexpected")
        out = walk(kind, value)      # Walk checks purity, JSON, re-prompts, recipes and length
        if kind in NO_CHANGE or handler == "unexpected":
            assert walk.state == before
            assert out.listen
        if handler == "unexpected":
            assert text_of(out).startswith("Sorry, I didn't get that. ")
        if kind == "red_flag":
            assert not out.listen and walk.state["session"] is None
            assert {**walk.progress, "red_flag": None} == {**before["progress"], "red_flag": None}
        if kind == "session_ended":
            assert out.speech == () and not out.listen
            assert walk.phase == ("paused" if had_routine else "idle")
        if kind in ("stop", "pause") and had_routine:
            assert walk.phase == "paused" and not out.listen


# -- first use --------------------------------------------------------------------------------------------
def test_first_start_is_welcome_safety_plan_and_first_move_in_one_turn(walk):
    out = walk("start_routine")
    said = text_of(out)
    assert said.startswith("Welcome to Back Coach. " + SAFETY)
    assert said.endswith("Today: four moves, three sets of eight. First, Superman. "
                         "Lie face down, arms stretched out past your head. Say ready when you're in position.")
    assert out.listen and text_of_reprompt(out) == "Say ready when you're in position, or skip to move on."
    assert walk.progress["safety_note_given"]


def text_of_reprompt(out) -> str:
    return " ".join(s.text for s in out.reprompt if isinstance(s, Text))


def test_launch_for_a_new_person_gives_the_safety_note_once_then_offers_to_start(walk):
    out = walk("launch")
    assert SAFETY in text_of(out) and text_of(out).endswith("Shall we start your back routine?")
    out = walk("yes")
    assert text_of(out).startswith("Today: four moves, three sets of eight. First, Superman.")
    walk("stop")
    walk.wait(DAY)
    walk("session_ended")
    out = walk("launch")
    assert SAFETY not in text_of(out)


def test_no_to_the_offer_says_goodbye(walk):
    walk("launch")
    out = walk("no")
    assert text_of(out) == "Okay. See you next time." and not out.listen and walk.state["session"] is None


# -- a pain-free routine -----------------------------------------------------------------------------------
def test_a_pain_free_routine_needs_one_ready_per_move_and_one_yes_per_set(walk):
    turns = 0
    walk("start_routine")
    for move in range(4):
        assert walk.phase == "await_ready"
        walk("ready")
        turns += 1
        for _ in range(3):
            out = walk("yes")
            turns += 1
    assert turns == 16 and walk.phase == "offer"
    assert isinstance(out.card, Card) and out.listen
    said = text_of(out)
    assert "That's today done: four moves, twelve of twelve sets pain-free." in said
    assert said.endswith("Want the three stretches too?")
    assert "keep your runs easy" not in said
    assert "Superman: 3 of 3 sets pain-free, 8 reps" in out.card.text
    out = walk("no")
    assert not out.listen and walk.state["session"] is None
    assert walk.progress["sessions"] == 1


def test_a_set_turn_after_yes_is_praise_rest_set_count_and_the_question(walk):
    walk("start_routine")
    out = walk("ready")
    assert out.speech == (Text("Set one of three. Lift your arms, chest and legs a little, hold, then lower."),
                          CountIn(), Count(8, 4.0), Text("Pain-free?"))
    out = walk("yes")
    assert out.speech == (Text("Good. Rest for thirty seconds."), Countdown(30, "rest"),
                          Text("Set two of three. Keep your neck long and your eyes on the floor."),
                          CountIn(), Count(8, 4.0), Text("Pain-free?"))
    assert text_of_reprompt(out) == PAIN_ASK


def test_a_set_on_each_side_counts_left_switches_and_counts_right(walk):
    walk("start_routine")
    walk("skip")
    walk("skip")
    out = walk("ready")
    assert out.speech == (
        Text("Set one of three. Hinge forward and reach down towards your shin, then stand tall again. Left side."),
        CountIn(), Count(8, 4.0), Text("Switch sides."), Pause(3.0), Text("Right side."), Count(8, 4.0),
        Text("Pain-free?"))


def test_after_the_last_set_comes_praise_and_the_next_moves_intro(walk):
    walk("start_routine")
    walk("ready")
    walk("yes")
    walk("yes")
    out = walk("yes")
    assert text_of(out).endswith("That's Superman done. Next, Beetle. Lie on your back, arms up, knees bent over "
                                 "your hips. Say ready when you're in position.")
    assert walk.phase == "await_ready"


def test_praise_is_never_the_same_twice_in_a_row(walk):
    walk("start_routine")
    praise = []
    while walk.phase in ("await_ready", "await_answer"):
        out = walk("ready" if walk.phase == "await_ready" else "yes")
        first = out.speech[0]
        if walk.phase != "offer" and isinstance(first, Text) and "Rest for" in first.text:
            praise.append(first.text.split(" Rest for")[0])
    assert len(praise) == 8
    assert all(a != b for a, b in zip(praise, praise[1:]))


def test_cues_get_shorter_when_a_move_returns(walk):
    walk.routine_through()
    walk.wait(DAY)
    walk("start_routine")
    walk("back_feel", "same")
    out = walk("ready")
    assert out.speech[0] == Text("Set one of three.")


# -- pain --------------------------------------------------------------------------------------------------
def test_no_switches_the_remaining_sets_to_the_easier_variant_and_never_back(walk):
    walk("start_routine")
    walk("ready")
    out = walk("no")
    assert text_of(out) == ("Thanks for telling me. Let's make it easier: Alternating Superman. Lie face down, arms "
                            "stretched out past your head. Say ready when you're in position.")
    out = walk("harder")
    assert text_of(out).startswith("Let's stay on the easier version today, since the harder one hurt.")
    out = walk("ready")
    assert out.speech[0] == Text("Set two of three. Lift one arm and the opposite leg, hold, lower, then swap.")
    assert walk.item["form"] == "easier"


def test_no_on_the_easier_variant_skips_the_move_kindly_and_goes_on(walk):
    walk("start_routine")
    walk("ready")
    walk("no")
    walk("ready")
    out = walk("no")
    assert "Let's leave Superman for today. We'll come back to it in a few sessions. Next, Beetle." in text_of(out)
    assert walk.routine["items"][0]["status"] == "parked"


def test_no_on_the_last_set_moves_on_and_says_what_happens_next_time(walk):
    walk("start_routine")
    walk("ready")
    walk("yes")
    walk("yes")
    out = walk("no")
    assert "Next time, Superman starts on the easier version. Next, Beetle." in text_of(out)


def test_any_pain_brings_the_easy_runs_advice(walk):
    summary = walk.routine_through({"beetle": ["yes", 4, "yes"]})
    assert "While your back is uncomfortable, keep your runs easy." in text_of(summary)
    assert "While your back is uncomfortable, keep your runs easy." in summary.card.text


# -- red flags ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("value", "advice"), [
    ("leg", "Let's stop here. Numbness, tingling or pain spreading into your leg needs a doctor's opinion, so please "
            "see a doctor soon. If your leg gets weak, or you notice numbness around your groin or changes in your "
            "bladder, get urgent help."),
    ("urgent", "Please stop now. Those symptoms need urgent care. Get urgent medical help right away: an emergency "
               "department or emergency services."),
    ("unwell", "Let's stop now. If it's severe or you feel very unwell, get urgent medical help. Otherwise, please "
               "see a doctor before training again."),
])
def test_a_red_flag_stops_at_once_and_makes_no_progression(walk, value, advice):
    walk.routine_through()
    walk.wait(DAY)
    walk("start_routine")
    walk("back_feel", "same")
    walk("ready")
    walk("yes")
    kept = copy.deepcopy(walk.progress)
    out = walk("red_flag", value)
    assert text_of(out) == advice and not out.listen and walk.state["session"] is None
    assert text_of(out).lower().count("stop") == 1
    assert {**walk.progress, "red_flag": None} == {**kept, "red_flag": None}
    assert walk.progress["red_flag"] == {"at": walk.now - 60, "kind": value}


@pytest.mark.parametrize(("value", "symptoms"), [
    ("leg", "leg symptoms"), ("urgent", "symptoms that need urgent care"), ("unwell", "feeling unwell")])
@pytest.mark.parametrize("start", ["launch", "start_routine", "start_stretches"])
def test_after_a_red_flag_no_training_until_they_say_a_doctor_checked_them(walk, value, symptoms, start):
    walk("start_routine")
    walk("red_flag", value)
    for _ in range(2):           # asked on every start until cleared; "no" changes nothing else
        walk.wait(DAY)
        kept = copy.deepcopy(walk.progress)
        out = walk(start)
        assert text_of(out).endswith(f"Last time you told me about {symptoms}. Have you been checked by a doctor since?")
        assert out.listen and walk.phase == "confirm_checked"
        out = walk("no")
        assert text_of(out) == "Please get checked before training again. I'll be here when you're ready."
        assert not out.listen and walk.state["session"] is None and walk.progress == kept
    walk.wait(DAY)
    walk(start)
    out = walk("yes")
    assert walk.progress["red_flag"] is None and text_of(out).startswith("Thanks. Good to have you back.")
    if start == "launch":
        assert walk.phase == "offer"
        out = walk("yes")
    if start != "start_stretches":
        assert "every move steps down a level today" in text_of(out) and "Alternating Superman" in text_of(out)
        assert walk.item["form"] == "easier" and walk.item["stepped_down"]
    else:
        assert walk.phase == "stretch_ready"
    walk("stop")
    walk.wait(DAY)
    out = walk("start_routine")
    assert "Last time" not in text_of(out) and "steps down" not in text_of(out)


def test_forgetting_progress_keeps_an_unchecked_red_flag(walk):
    walk.routine_through()
    walk("red_flag", "leg")
    flag = walk.progress["red_flag"]
    walk("forget")
    walk("yes")
    assert walk.progress["red_flag"] == flag and walk.progress["sessions"] == 0
    assert walk("launch").listen and walk.phase == "confirm_checked"


# -- leaving and coming back ----------------------------------------------------------------------------
@pytest.mark.parametrize("leave", ["pause", "stop", "session_ended"])
def test_leaving_keeps_the_routine_and_resume_restarts_the_interrupted_set(walk, leave):
    walk("start_routine")
    walk("ready")
    walk("yes")
    walk("ready")   # set 2 counted, not answered
    out = walk(leave)
    assert not out.listen and walk.phase == "paused"
    walk.wait(3600)
    out = walk("launch")
    assert text_of(out) == "Welcome back. You were on Superman, set two. Shall we carry on?"
    out = walk("yes")
    assert text_of(out).startswith("Back to Superman, set two of three.")
    assert len(walk.item["sets"]) == 1
    out = walk("ready")
    assert out.speech[0].text.startswith("Set two of three.")


def test_resume_by_name_after_a_pause(walk):
    walk("start_routine")
    walk("pause")
    out = walk("resume")
    assert text_of(out).startswith("Back to Superman, set one of three.") and walk.phase == "await_ready"


def test_declining_to_carry_on_closes_the_old_routine_and_starts_fresh(walk):
    walk("start_routine")
    for kind in ["ready", "yes", "yes", "yes", "ready", "yes"]:
        walk(kind)
    walk("stop")
    walk.wait(600)
    walk("launch")
    out = walk("no")
    assert text_of(out) == "Okay, I've saved what you finished. Start again from the top, or stop for today?"
    assert walk.state["session"]["routine"] is None
    assert walk.progress["sessions"] == 1    # the finished move counted
    assert walk.progress["moves"]["superman"]["reps"] == 9
    assert "beetle" not in walk.progress["moves"]   # the unfinished one did not
    assert "from the top" in text_of(walk("help"))
    out = walk("yes")
    assert walk.phase == "await_ready" and text_of(out).startswith("Today: four moves")   # same day: no back check
    walk("stop")
    walk.wait(600)
    walk("launch")
    walk("no")
    out = walk("no")
    assert text_of(out) == "Okay. See you next time." and not out.listen and walk.state["session"] is None


def test_a_stale_routine_is_not_offered_and_its_finished_moves_count_from_when_it_was_left(walk):
    walk("start_routine")
    for kind in ["ready", "yes", "yes", "yes", "ready"]:
        walk(kind)
    walk("session_ended")
    left = walk.state["session"]["updated_at"]
    walk.wait(STALE_SECONDS + 1)
    before = copy.deepcopy(walk.state)
    walk("help")
    assert walk.state == before
    out = walk("launch")
    assert text_of(out) == "Welcome back. Shall we start your back routine?"
    assert walk.progress["last_session_at"] == left and walk.progress["moves"]["superman"]["reps"] == 9


def test_start_over_restarts_the_routine_but_keeps_todays_pain(walk):
    walk("start_routine")
    walk("ready")
    walk("no")
    walk("skip")
    old_id = walk.routine["id"]
    out = walk("start_over")
    assert text_of(out).startswith("Starting today's routine again from the top. First, Alternating Superman.")
    assert walk.routine["id"] != old_id
    assert [i["sets"] for i in walk.routine["items"]] == [[], [], [], []]
    assert walk.item["form"] == "easier" and walk.item["hurt"]


# -- the next-day check ----------------------------------------------------------------------------------
def test_the_next_day_check_only_follows_a_recent_session(walk):
    walk.routine_through()
    walk.wait(DAY)
    out = walk("start_routine")
    assert walk.phase == "back_check" and text_of_reprompt(out) == "Say better, the same, or worse."
    for kind, value in [("yes", None), ("no", None), ("unknown", None), ("back_feel", "fine"), ("ready", None)]:
        before = copy.deepcopy(walk.state)
        out = walk(kind, value)
        assert walk.state == before and "Say better, the same, or worse." in text_of(out)
    out = walk("back_feel", "better")
    assert text_of(out).startswith("Good to hear. Today: four moves, three sets of nine.")
    walk("stop")
    walk.wait(5 * DAY)
    assert text_of(walk("launch")) == "Welcome back. Shall we start your back routine?"
    out = walk("yes")    # the stale routine finished nothing, and the last session is 5 days old: no check
    assert text_of(out).startswith("Today: four moves, three sets of nine.") and walk.phase == "await_ready"


# -- the move-level commands ----------------------------------------------------------------------------
def test_skip_moves_on_and_skipping_the_last_move_ends_the_routine(walk):
    walk("start_routine")
    out = walk("skip")
    assert text_of(out).startswith("Skipping Superman for today. Next, Beetle.")
    walk("skip")
    walk("skip")
    out = walk("skip")
    assert "That's the end of today's plan." in text_of(out)
    assert walk.progress["sessions"] == 0 and "Superman: skipped today" in out.card.text


def test_easier_and_harder_on_request(walk):
    walk("start_routine")
    out = walk("harder")
    assert text_of(out).startswith("This is already the full version.")
    out = walk("easier")
    assert text_of(out).startswith("Let's make it easier: Alternating Superman.")
    out = walk("easier")
    assert text_of(out).startswith("This is already the easier version.")
    out = walk("harder")
    assert text_of(out).startswith("Back to the full version: Superman.")
    assert walk.item["form"] == "full"


def test_slower_and_faster_move_the_tempo_a_step_and_are_remembered(walk):
    walk("start_routine")
    out = walk("slower")
    assert text_of(out).startswith("Slower it is: five seconds a rep.")
    out = walk("slower")
    assert text_of(out).startswith("That's already the slowest count.")
    out = walk("ready")
    assert Count(8, 5.0) in out.speech
    for _ in range(3):
        walk("faster")
    out = walk("faster")
    assert text_of(out).startswith("That's already the fastest count.")
    assert walk.progress["tempo"] == {"superman": 2.0}
    walk("stop")
    walk.wait(DAY)
    walk("session_ended")
    walk("launch")
    walk("yes")
    out = walk("ready")
    assert Count(8, 2.0) in out.speech


def test_status_says_sets_and_moves_left(walk):
    walk("start_routine")
    walk("ready")
    out = walk("status")
    assert text_of(out) == f"You have two sets left on Superman, then three more moves. {PAIN_ASK}"
    for kind in ["yes"] * 3 + (["ready"] + ["yes"] * 3) * 2:
        walk(kind)
    out = walk("status")
    assert text_of(out).startswith("You have three sets left on High Plank Leg Lifts, and it's the last move today.")


def test_explain_gives_the_fuller_description_of_the_form_being_done(walk, catalog):
    walk("start_routine")
    out = walk("explain")
    assert text_of(out).startswith(catalog.move("superman").explain)
    walk("easier")
    out = walk("explain")
    assert text_of(out).startswith(catalog.move("alternating_superman").explain)


def test_help_is_specific_to_the_moment(coach):
    helps = {phase: text_of(reach(Walk(coach), phase)("help")) for phase in PHASES}
    assert len(set(helps.values())) == len(PHASES)
    assert helps["await_ready"].startswith("Say ready to start the set.")
    assert helps["await_answer"].startswith("Say yes if the set was pain-free")


def test_repeat_says_the_last_question_again(walk):
    walk("start_routine")
    first = walk.out
    out = walk("repeat")
    assert text_of(out) == text_of(first).split("sets of eight. ")[1]
    walk("ready")
    assert text_of(walk("repeat")) == "Pain-free?"


def test_progress_reports_sessions_and_levels(walk):
    assert text_of(walk("progress")).startswith("No sessions yet.")
    walk.routine_through({"beetle": ["no", "yes", "yes"]})
    out = walk("progress")
    assert text_of(out).startswith("You've done one session. Your moves now: Superman at nine reps, Beetle on the "
                                   "easier version, Single Leg Balance and Reach at nine reps, and High Plank Leg "
                                   "Lifts at nine reps.")


# -- outdoors ----------------------------------------------------------------------------------------------
OUTDOOR_INTRO = ("Outdoors it is: Forward Jump Squats. Stand with your feet hip-width apart, arms ready to swing. "
                 "Say ready when you're in position.")


def test_im_outside_switches_to_the_outdoor_alternative_and_waits_for_ready(outside, catalog):
    assert catalog.move(OUTDOOR_MOVE).outdoor == "forward_jump_squats"
    out = outside("outdoors")
    assert text_of(out) == OUTDOOR_INTRO and outside.phase == "await_ready"
    assert (outside.item["form"], outside.item["reps"]) == ("outdoor", 10)
    out = outside("ready")
    assert out.speech == (Text("Set one of three. Squat, jump forward, and land softly back into a squat."),
                          CountIn(), Count(10, 3.0), Text("Pain-free?"))
    outside("yes")
    assert outside.item["sets"] == [{"form": "outdoor", "result": "ok"}]
    assert text_of(outside("status")).startswith("You have one set left on Forward Jump Squats")


def test_im_outside_after_a_set_redoes_the_unanswered_set_outdoors(outside):
    outside("ready")
    outside("yes")                   # set one done on the full form; set two counted, not answered
    out = outside("outdoors")
    assert text_of(out) == OUTDOOR_INTRO
    assert outside.item["sets"] == [{"form": "full", "result": "ok"}]
    out = outside("ready")
    assert out.speech[0] == Text("Set two of three. Squat, jump forward, and land softly back into a squat.")


def test_no_on_the_outdoor_form_drops_to_the_easier_variant(outside):
    outside("outdoors")
    outside("ready")
    out = outside("no")
    assert text_of(out).startswith("Thanks for telling me. Let's make it easier: Split Squats.")
    assert (outside.item["form"], outside.item["hurt"]) == ("easier", True)
    before = copy.deepcopy(outside.state)
    assert text_of(outside("harder")).startswith("Let's stay on the easier version today, since the harder one hurt.")
    assert text_of(outside("outdoors")).startswith("Let's stay on Split Squats for now; it works outside too.")
    assert outside.state == before


def test_a_high_pain_rating_on_the_outdoor_form_also_drops_to_the_easier_variant(outside):
    outside("outdoors")
    outside("ready")
    outside("pain", 7)
    assert outside.item["form"] == "easier" and outside.item["sets"] == [{"form": "outdoor", "result": "hurt"}]


def test_easier_and_harder_around_the_outdoor_form(outside):
    outside("outdoors")
    before = copy.deepcopy(outside.state)
    out = outside("harder")
    assert text_of(out).startswith("The outdoor version is already your full level.") and outside.state == before
    out = outside("outdoors")
    assert text_of(out).startswith("This is already the outdoor version.") and outside.state == before
    out = outside("easier")
    assert text_of(out).startswith("Let's make it easier: Split Squats.") and outside.item["form"] == "easier"
    out = outside("harder")           # still outside: back to the outdoor alternative, not the indoor move
    assert text_of(out).startswith("Back to the outdoor version: Forward Jump Squats. Stand with your feet")
    assert outside.item["form"] == "outdoor" and not outside.item["dropped"]


@pytest.mark.parametrize("phase", ["await_ready", "await_answer"])
def test_im_outside_on_a_move_with_no_outdoor_alternative_changes_nothing(coach, phase):
    walk = reach(Walk(coach), phase)
    before = copy.deepcopy(walk.state)
    out = walk("outdoors")
    assert text_of(out).startswith("This one works anywhere.") and out.listen
    assert walk.state == before


def test_im_outside_on_the_easier_form_keeps_the_easier_version(outside):
    outside("easier")
    before = copy.deepcopy(outside.state)
    out = outside("outdoors")
    assert text_of(out) == ("Let's stay on Split Squats for now; it works outside too. "
                            "Say ready when you're in position, or skip to move on.")
    assert outside.state == before


@pytest.mark.parametrize(("phase", "answer"), [
    ("stretch_ready", "This one works anywhere."), ("stretch_answer", "This one works anywhere."),
    ("idle", "Tell me that during a move"), ("offer", "Tell me that during a move"),
    ("paused", "Tell me that during a move"), ("confirm_forget", "Tell me that during a move"),
])
def test_im_outside_away_from_a_strength_move_answers_and_changes_nothing(coach, phase, answer):
    walk = reach(Walk(coach), phase)
    before = copy.deepcopy(walk.state)
    out = walk("outdoors")
    assert text_of(out).startswith(answer) and out.listen and walk.state == before


def test_the_outdoor_choice_lasts_through_a_pause_and_a_start_over(outside):
    outside("outdoors")
    outside("ready")
    outside("yes")
    outside("pause")
    out = outside("launch")
    assert text_of(out) == "Welcome back. You were on Forward Jump Squats, set two. Shall we carry on?"
    out = outside("yes")
    assert text_of(out).startswith("Back to Forward Jump Squats, set two of three.")
    outside("start_over")
    assert outside.routine["items"][-1]["form"] == "outdoor"


def test_help_mentions_im_outside_only_where_it_applies(coach, outside):
    assert "I'm outside" in text_of(outside("help"))
    outside("outdoors")
    assert "I'm outside" not in text_of(outside("help"))
    assert "I'm outside" not in text_of(reach(Walk(coach), "await_ready")("help"))


# -- forgetting ------------------------------------------------------------------------------------------
def test_forget_needs_a_yes_and_then_keeps_nothing(walk, coach):
    walk.routine_through()
    out = walk("forget")
    assert text_of(out) == "This erases your progress: your level and history. Say yes to erase it, or no to keep it."
    out = walk("no")
    assert text_of(out).startswith("Okay, I've kept everything.") and walk.progress["sessions"] == 1
    walk("forget")
    out = walk("yes")
    assert not out.listen and walk.state == coach.new_state()


def test_forget_no_in_the_middle_of_a_set_goes_back_to_the_question(walk):
    walk("start_routine")
    walk("ready")
    walk("forget")
    out = walk("no")
    assert text_of(out) == "Okay, I've kept everything. Pain-free?" and walk.phase == "await_answer"


# -- stretches -------------------------------------------------------------------------------------------
def test_stretches_on_their_own(walk):
    out = walk("start_stretches")
    assert text_of(out).endswith("First stretch: Cat Cow. Start on hands and knees. Say ready when you're in position.")
    out = walk("ready")
    assert out.speech[1:] == (CountIn(), Count(8, 5.0), Text("Did that feel okay?"))
    out = walk("yes")
    assert "Next stretch: Lying Figure 4 Stretch." in text_of(out)
    out = walk("ready")
    assert [s for s in out.speech if not isinstance(s, Text)] == [
        Countdown(30, "hold"), Pause(3.0), Countdown(30, "hold")]
    out = walk("no")
    assert text_of(out).startswith("Okay, I'll leave that one out next time. Next stretch: Supine Twist.")
    walk("ready")
    out = walk("pain", 1)
    assert text_of(out).endswith("That's the stretches done. Do them any time, gently, as often as you like.")
    assert not out.listen and walk.progress["skip_stretches"] == ["lying_figure_4"]
    out = walk("start_stretches")
    walk("ready")
    out = walk("yes")
    assert "Next stretch: Supine Twist." in text_of(out)


def test_stretches_are_offered_after_the_routine(walk):
    walk.routine_through(stretches=True)
    assert walk.phase == "stretch_ready"


def test_when_every_stretch_was_set_aside_they_are_all_offered_again(walk):
    walk.progress["skip_stretches"] = ["cat_cow", "lying_figure_4", "supine_twist"]
    out = walk("start_stretches")
    assert "here they all are again" in text_of(out) and len(walk.routine["items"]) == 3


# -- the state contract ----------------------------------------------------------------------------------
def test_new_state_is_what_a_person_with_no_data_gets(coach):
    state = coach.new_state()
    assert state == {"progress": state["progress"], "session": None}
    assert state["progress"]["schema_version"] == 1
    out, after = coach.step(state, Event("launch"), T0)
    assert after["progress"]["safety_note_given"] and out.listen


@pytest.mark.parametrize(("mangle", "message"), [
    (lambda s: s["progress"].update(schema_version=2), "progress schema_version 2 is not supported"),
    (lambda s: s["progress"].pop("schema_version"), "progress schema_version None is not supported"),
    (lambda s: s["progress"].pop("moves"), "progress is missing 'moves'"),
    (lambda s: s.update(extra=1), "state must be an object with exactly 'progress' and 'session'"),
    (lambda s: s.update(session={"phase": "dancing"}), "state session must be null or an object with a known phase"),
    (lambda s: s.update(session={"phase": "offer", "offer": "routine"}), "state session is missing 'ease'"),
])
def test_a_state_this_engine_cannot_read_is_refused_clearly(coach, mangle, message):
    state = coach.new_state()
    mangle(state)
    with pytest.raises(ValueError, match=message):
        coach.step(state, Event("launch"), T0)


def test_resuming_the_stretches_names_the_stretch_once(walk):
    walk("start_stretches")
    walk("ready")
    walk("yes")                      # Cat Cow done; Lying Figure 4 is next
    walk("pause")
    walk("launch")
    said = text_of(walk("yes"))
    assert said.startswith("Back to the stretches.")
    assert said.count("Lying Figure 4") == 1
