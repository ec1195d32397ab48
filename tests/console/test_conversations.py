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
    assert "[three, two, one, go] [count 1–8, every 4 s] Pain-free?" in said[1][1]
    assert "Rest for thirty seconds. [countdown 30 s: twenty… ten… three, two, one]" in said[2][1]
    summary = said[-2][1]
    assert "That's today done: four moves, twelve of twelve sets pain-free." in summary
    assert "go up to nine reps" in summary
    assert "[card] Back Coach: today's routine" in summary
    assert "Superman: 3 of 3 sets pain-free, 8 reps" in summary
    assert "High Plank Leg Lifts: 3 of 3 sets pain-free, 8 reps" in summary
    # No thanks to the stretches: the coach says goodbye and the microphone closes.
    assert "See you next time." in said[-1][1] and ENDED in said[-1][1]
    assert "SessionEndedRequest" not in said[-1][1], "the session had already ended: nothing to close"


def test_a_no_after_a_set_drops_to_the_easier_variant(converse):
    result = converse("start my back routine", "ready", "no", "ready")
    assert result.exit_code == 0, result.output
    said = turns(result.output)
    assert "Thanks for telling me. Let's make it easier: Alternating Superman." in said[2][1]
    assert LISTENING in said[2][1]
    # The next set is the variant's, and it is still set two of three.
    assert "Set two of three. Lift one arm and the opposite leg" in said[3][1]


def test_it_hurts_is_a_no_too(converse):
    result = converse("start my back routine", "ready", "it hurts")
    assert "Let's make it easier: Alternating Superman." in turns(result.output)[2][1]


def test_a_red_flag_ends_the_session_with_advice_to_see_a_doctor(converse):
    result = converse("start my back routine", "ready", "my leg is tingling", "alexa open back coach")
    assert result.exit_code == 0, result.output
    said = turns(result.output)
    red_flag = said[2][1]
    assert "Let's stop here." in red_flag and "see a doctor soon" in red_flag
    assert ENDED in red_flag and LISTENING not in red_flag
    # It is remembered: the next session starts with the reminder, not with the routine.
    assert "Last time you told me about leg symptoms. Have you been checked by a doctor since?" in said[3][1]


def test_an_unmatched_utterance_gets_a_reprompt_and_changes_nothing(converse):
    result = converse("start my back routine", "ready", "make it sing like a bird", "yes",
                      options=("--show-requests",))
    assert result.exit_code == 0, result.output
    said = turns(result.output)
    unmatched = said[2][1]
    assert "→ IntentRequest AMAZON.FallbackIntent" in unmatched
    assert "Sorry, I didn't get that. Say yes if it was pain-free, no if it hurt" in unmatched
    assert LISTENING in unmatched
    # The set's answer is still pending: "yes" goes on to the rest and set two, as if nothing happened.
    assert "Rest for thirty seconds." in said[3][1] and "Set two of three." in said[3][1]


def test_silence_reprompts_then_times_out_and_the_routine_resumes_where_it_stopped(converse):
    result = converse("start my back routine", "ready", "yes", "<silence>", "<silence>",
                      "alexa open back coach", "yes", options=("--show-requests",))
    assert result.exit_code == 0, result.output
    said = turns(result.output)
    first_silence, second_silence = said[3][1], said[4][1]
    assert "Alexa (re-prompt): Say yes if it was pain-free" in first_silence
    assert "→" not in first_silence, "a re-prompt is Alexa's own: nothing goes to the skill"
    assert "→ SessionEndedRequest" in second_silence and "the session timed out" in second_silence
    assert ENDED in second_silence
    assert "You were on Superman, set two. Shall we carry on?" in said[5][1]
    assert "→ LaunchRequest" in said[5][1]
    # The interrupted set starts again from its beginning.
    assert "Back to Superman, set two of three." in said[6][1] and "Say ready" in said[6][1]


def test_two_people_keep_their_own_progress_and_the_next_run_shows_progression(converse, data_dir):
    assert converse(*PAIN_FREE_ROUTINE, user="anna").exit_code == 0
    with sqlite3.connect(data_dir / "backcoach.sqlite3") as db:  # anna trained yesterday: the next-day check
        db.execute("""UPDATE people SET data = json_set(data, '$.state.progress.last_session_at',
                      json_extract(data, '$.state.progress.last_session_at') - 86400)""")
    anna = turns(converse("start my back routine", "better", user="anna").output)
    ben = turns(converse("start my back routine", user="ben").output)
    assert "How's your back compared with after last time" in anna[0][1]
    assert "Today: four moves, three sets of nine." in anna[1][1]
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
