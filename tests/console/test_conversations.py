"""Scripted conversations through the real skill, in-process, as `backcoach try --script` shows them."""
from __future__ import annotations

import sqlite3

from click.testing import CliRunner

from skill.cli import main
from tests.console.conftest import PAIN_FREE_ROUTINE, turns

LISTENING, ENDED = "🎤 listening", "— session ended"


def test_a_whole_pain_free_routine_ends_with_the_summary_and_the_card(converse):
    result = converse(*PAIN_FREE_ROUTINE)
    assert result.exit_code == 0, result.output
    said = turns(result.output)
    assert [s for s, _ in said] == list(PAIN_FREE_ROUTINE)
    first = said[0][1]
    assert "Welcome to Back Coach." in first and "First, Superman." in first and LISTENING in first
    # Each set is counted at the move's tempo and each rest is a countdown, shown collapsed.
    assert "[three, two, one, go] [count 1–8, every 4 s] Pain-free?" in first
    assert "Rest for thirty seconds. [countdown 30 s: twenty… ten… five…] Set two of three." in first
    summary = said[-2][1]
    assert "That's today done: four moves, twelve of twelve sets pain-free." in summary
    assert "go up to nine reps" in summary
    assert "[card] Back Coach: today's routine" in summary
    assert "Superman: 3 of 3 sets pain-free, 8 reps" in summary
    assert "High Plank Leg Lifts: 3 of 3 sets pain-free, 8 reps" in summary
    # No thanks to the stretches: the coach says goodbye and the microphone closes.
    assert "See you next time." in said[-1][1] and ENDED in said[-1][1]
    assert "SessionEndedRequest" not in said[-1][1], "the session had already ended: nothing to close"


def test_a_no_after_a_move_is_one_more_set_on_the_easier_variant(converse):
    result = converse("start my back routine", "no", "yes")
    assert result.exit_code == 0, result.output
    said = turns(result.output)
    assert "Thanks for telling me. Let's make it easier: Alternating Superman." in said[1][1]
    assert "One more set. Lift one arm and the opposite leg" in said[1][1] and LISTENING in said[1][1]
    assert "That's Superman finished for today. Next, Beetle." in said[2][1]


def test_that_hurt_spoken_over_set_two_is_placed_there(converse):
    result = converse("start my back routine", "@140 it hurts", options=("--show-requests",))
    said = turns(result.output)
    assert "Let's make it easier: Alternating Superman." in said[1][1]
    assert "Set three of three." in said[1][1]


def test_a_red_flag_ends_the_session_with_advice_and_never_names_it_again(converse):
    result = converse("start my back routine", "my leg is tingling", "alexa open back coach")
    assert result.exit_code == 0, result.output
    said = turns(result.output)
    red_flag = said[1][1]
    assert "Let's stop here." in red_flag and "please see a doctor in the next few days" in red_flag
    assert "[card] Back Coach: please get checked" in red_flag
    assert ENDED in red_flag and LISTENING not in red_flag
    # It is remembered (only that a check-up is pending): the next session asks about it first.
    assert "last time we stopped early so you could get checked. Have you been seen since?" in said[2][1]
    assert "leg" not in said[2][1].split("Alexa:")[1]


def test_an_unmatched_utterance_gets_a_hint_and_the_routine_stays_as_it_was(converse):
    result = converse("start my back routine", "make it sing like a bird", "yes",
                      options=("--show-requests",))
    assert result.exit_code == 0, result.output
    said = turns(result.output)
    unmatched = said[1][1]
    assert "→ IntentRequest AMAZON.FallbackIntent" in unmatched
    assert "Sorry, I didn't catch that. Was Superman pain-free? Say yes, or no if it hurt." in unmatched
    assert LISTENING in unmatched
    assert "That's Superman done. Next, Beetle." in said[2][1]


def test_silence_reprompts_then_times_out_and_the_question_waits(converse):
    result = converse("start my back routine", "<silence>", "<silence>", "alexa open back coach", "yes",
                      options=("--show-requests",))
    assert result.exit_code == 0, result.output
    said = turns(result.output)
    first_silence, second_silence = said[1][1], said[2][1]
    assert "Alexa (re-prompt): Was Superman pain-free? Say yes" in first_silence
    assert "→" not in first_silence, "a re-prompt is Alexa's own: nothing goes to the skill"
    assert "→ SessionEndedRequest" in second_silence and "the session timed out" in second_silence
    assert ENDED in second_silence
    assert "Welcome back. Was Superman pain-free?" in said[3][1] and "→ LaunchRequest" in said[3][1]
    assert "That's Superman done. Next, Beetle." in said[4][1]


def test_two_people_keep_their_own_progress_and_the_next_run_shows_progression(converse, data_dir):
    assert converse(*PAIN_FREE_ROUTINE, user="anna").exit_code == 0
    with sqlite3.connect(data_dir / "backcoach.sqlite3") as db:  # anna trained yesterday: the next-day check
        db.execute("""UPDATE people SET data = json_set(data, '$.state.progress.last_session_at',
                      json_extract(data, '$.state.progress.last_session_at') - 86400)""")
    anna = turns(converse("start my back routine", "better", user="anna").output)
    ben = turns(converse("start my back routine", user="ben").output)
    assert "How's your back compared with after last time" in anna[0][1]
    assert "Today: four moves, three sets of nine:" in anna[1][1]
    assert "Welcome to Back Coach." in ben[0][1] and "three sets of eight" in ben[0][1]


def test_a_plain_utterance_with_no_session_is_a_one_shot_and_the_note_shows_once(converse):
    result = converse("how am i doing", "help", options=("--show-requests",))
    said = turns(result.output)
    assert "“Alexa, ask back coach to how am i doing”" in said[0][1]
    assert "→ IntentRequest ProgressIntent" in said[0][1]
    assert "ask back coach to" not in said[1][1]
    assert "→ IntentRequest AMAZON.HelpIntent" in said[1][1]


def test_words_that_match_nothing_with_no_session_open_the_skill(converse):
    result = converse("banana pancakes", options=("--show-requests",))
    said = turns(result.output)
    assert "“Alexa, open back coach”" in said[0][1] and "→ LaunchRequest" in said[0][1]
    assert "Shall we start your back routine?" in said[0][1]


def test_silence_with_no_session_sends_nothing(converse):
    result = converse("<silence>", options=("--show-requests",))
    assert result.exit_code == 0
    assert "nothing happens: no session is open" in result.output and "→" not in result.output


def test_quit_closes_an_open_session_as_the_person_leaving(converse):
    result = converse("alexa open back coach", "quit", "start my back routine", options=("--show-requests",))
    said = turns(result.output)
    assert [s for s, _ in said] == ["alexa open back coach", "quit"], "nothing is heard after quit"
    assert "→ SessionEndedRequest" in said[1][1] and "USER_INITIATED" in said[1][1]


def test_a_skill_error_shows_the_apology_and_fails_the_run(converse, data_dir):
    assert converse("start my back routine", user="anna").exit_code == 0
    with sqlite3.connect(data_dir / "backcoach.sqlite3") as db:  # a damaged record for anna
        db.execute("""UPDATE people SET data = '{"state": {"progress": 7, "session": null}}'""")
    result = converse("start my back routine", user="anna")
    assert "Sorry, something went wrong on my side." in result.output
    assert "the skill hit an error on its side" in result.output
    assert result.exit_code == 1
    assert "the skill failed 1 time (see above)" in result.output


def test_typing_at_the_prompt_blank_is_silence_and_ctrl_d_leaves(data_dir):
    typed = "alexa open back coach\n\nyes\n"  # then end of input, as Ctrl-D
    result = CliRunner().invoke(main, ["try", "--data-dir", str(data_dir), "--show-requests"], input=typed)
    assert result.exit_code == 0, result.output
    assert "Empty line: say nothing. quit or Ctrl-D: leave." in result.output
    assert "Alexa (re-prompt): Say yes to start your routine, or no to stop." in result.output
    assert "First, Superman." in result.output
    assert result.output.rstrip().endswith("you left: the session ended (SessionEndedRequest, USER_INITIATED))")
