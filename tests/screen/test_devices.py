"""The screen through the real skill, with device-shaped envelopes: which devices get one, that the voice
never changes because of it, touch answers, tokens, the progress screen and card (sizes: test_size.py)."""
from __future__ import annotations

from datetime import timedelta

import pytest

from skill.coach.machine import screen_token
from skill.coach.state import State
from skill.screen.apl import EXECUTE, RENDER
from tests.alexa.test_conversation import finish_routine

SCREENS = ("echo-show-5", "echo-show-8", "echo-show-15", "fire-tv")


def directives(reply) -> list[dict]:
    return reply.raw["response"].get("directives") or []


def render_of(reply) -> dict:
    found = [d for d in directives(reply) if d["type"] == RENDER]
    assert len(found) == 1, f"expected one RenderDocument, got {[d['type'] for d in directives(reply)]}"
    return found[0]


def conversation(alexa) -> list:
    """A routine with a hurt move, a pause over the sets and resume, a rating, progress, and the stretches."""
    replies = [alexa.launch(), alexa.say("AMAZON.YesIntent"), alexa.say("HurtIntent")]
    alexa.now -= timedelta(seconds=40)                 # "Alexa, pause" over the easier set
    replies += [alexa.say("AMAZON.PauseIntent"), alexa.launch(), alexa.say("AMAZON.YesIntent"), alexa.rating(2),
                alexa.say("ProgressIntent")]
    summary, after = finish_routine(alexa)
    replies += [summary, after, alexa.say("StartStretchesIntent"), alexa.say("AMAZON.YesIntent")]
    return replies


def test_an_echo_dot_gets_no_screen_and_the_same_words_as_an_echo_show(device_alexa):
    dot, show = device_alexa("echo-dot"), device_alexa("echo-show-8")
    for a, b in zip(conversation(dot), conversation(show)):
        assert not directives(a)
        assert a.raw["response"].get("outputSpeech") == b.raw["response"].get("outputSpeech")
        assert a.raw["response"].get("reprompt") == b.raw["response"].get("reprompt")
        assert a.raw["response"].get("shouldEndSession") == b.raw["response"].get("shouldEndSession")


@pytest.mark.parametrize("device", SCREENS)
def test_every_spoken_reply_on_a_screen_device_shows_its_screen(device_alexa, device):
    alexa = device_alexa(device)
    for reply in conversation(alexa):
        if not reply.raw["response"].get("outputSpeech"):
            continue
        render = render_of(reply)
        assert render["document"]["type"] == "APL"
        executes = [d for d in directives(reply) if d["type"] == EXECUTE]
        assert all(d["token"] == render["token"] for d in executes)


def test_the_screen_token_is_the_saved_states_and_names_the_screen(device_alexa):
    alexa = device_alexa("echo-show-8")
    counted = alexa.say("StartRoutineIntent")
    assert render_of(counted)["token"] == screen_token(State.from_json(alexa.saved()["state"]))
    again = alexa.say("AMAZON.RepeatIntent")      # the same question: the same screen
    assert render_of(again)["token"] == render_of(counted)["token"]
    nxt = alexa.say("AMAZON.YesIntent")           # the next move: another screen
    assert render_of(nxt)["token"] != render_of(counted)["token"]


def test_the_move_screen_counts_every_set_with_the_voice(device_alexa):
    alexa = device_alexa("echo-show-8")
    reply = alexa.say("StartRoutineIntent")
    screen = render_of(reply)["datasources"]["screen"]
    # each set one counted run: 1 ... 8, one every 4 s (Superman's tempo), from when its first rep starts
    runs = [(f["label"], f["from"], f["reps"], f["span"], f["caption"]) for f in screen["frames"] if f["mode"] == "count"]
    assert runs == [(f"Set {n} of 3", 0, 8, 4000, "of 8") for n in (1, 2, 3)]
    rests = [(f["label"], f["caption"], f["span"]) for f in screen["frames"] if f["mode"] == "rest"]
    assert rests == [("Set 1 of 3", "Rest", 30000), ("Set 2 of 3", "Rest", 30000)]
    assert screen["frames"][-1]["big"] == "Pain-free?"
    assert [b["id"] for b in screen["buttons"]] == ["pain_free", "hurt", "pause"]


def test_a_one_sided_stretch_shows_each_side(device_alexa, coach):
    alexa = device_alexa("echo-show-8")
    alexa.say("StartStretchesIntent")            # Cat Cow, counted
    reply = alexa.say("AMAZON.YesIntent")        # on to Lying Figure 4, held each side
    frames = render_of(reply)["datasources"]["screen"]["frames"]
    holds = [f for f in frames if f["mode"] == "hold" and f["caption"] == "Hold"]
    assert [(f["label"], f["flip"]) for f in holds] == [("Left side", 0), ("Right side", 1)]


def touch(alexa, reply, *arguments):
    return alexa.send(alexa.device.user_event(render_of(reply)["token"], list(arguments), alexa.now))


def test_touching_pain_free_is_saying_yes(device_alexa):
    spoken, touched = device_alexa("echo-show-8"), device_alexa("echo-show-5")
    counted = [alexa.say("StartRoutineIntent") for alexa in (spoken, touched)]
    said = spoken.say("AMAZON.YesIntent")
    pressed = touch(touched, counted[1], "pain_free")
    assert pressed.said == said.said and pressed.listening
    assert touched.saved()["state"]["session"]["routine"] == spoken.saved()["state"]["session"]["routine"]


def test_touching_it_hurt_is_saying_it_hurts(device_alexa):
    alexa = device_alexa("echo-show-8")
    counted = alexa.say("StartRoutineIntent")
    reply = touch(alexa, counted, "hurt")
    assert "Alternating Superman" in reply.said
    assert alexa.saved()["state"]["session"]["routine"]["items"][0]["form"] == "easier"


def test_pause_and_resume_buttons(device_alexa):
    alexa = device_alexa("echo-show-8")
    started = alexa.now
    counted = alexa.say("StartRoutineIntent")
    alexa.now = started + timedelta(seconds=100)     # touched during set two
    paused = touch(alexa, counted, "pause")
    assert not paused.listening and alexa.saved()["state"]["session"]["phase"] == "paused"
    assert [b["id"] for b in render_of(paused)["datasources"]["screen"]["buttons"]] == ["resume"]
    resumed = touch(alexa, paused, "resume")
    assert resumed.said.startswith("Back to Superman.") and resumed.listening
    assert alexa.saved()["state"]["session"]["phase"] == "moving"


@pytest.mark.parametrize("arguments", [["dance"], [], ["pain_free", "hurt"], [7], [None], [{"a": 1}]])
def test_a_touch_with_unknown_arguments_is_answered_and_changes_nothing(device_alexa, arguments):
    alexa = device_alexa("echo-show-8")
    counted = alexa.say("StartRoutineIntent")
    before = alexa.saved()
    reply = touch(alexa, counted, *arguments)
    assert reply.said == "Sorry, that button didn't work. You can answer by voice."
    assert "shouldEndSession" not in reply.raw["response"] and not directives(reply)
    assert alexa.saved() == before


def test_a_touch_on_an_earlier_screen_is_ignored_politely(device_alexa):
    alexa = device_alexa("echo-show-8")
    counted = alexa.say("StartRoutineIntent")
    alexa.say("AMAZON.YesIntent")                     # answered by voice: the screen moved on
    before = alexa.saved()
    reply = touch(alexa, counted, "hurt")
    assert reply.said == "That button was for an earlier screen."
    assert "shouldEndSession" not in reply.raw["response"]   # the session stays as it was
    assert not directives(reply)
    assert alexa.saved() == before


def test_how_am_i_doing_shows_the_history_on_a_screen_and_in_a_card_elsewhere(device_alexa):
    show, dot = device_alexa("echo-show-15"), device_alexa("echo-dot")
    for alexa in (show, dot):
        alexa.say("StartRoutineIntent")
        finish_routine(alexa)
    shown, told = show.say("ProgressIntent"), dot.say("ProgressIntent")
    render = render_of(shown)
    assert render["document"]["graphics"].keys() == {"sessions", "levels"}
    data = render["datasources"]["screen"]
    assert data["text"] == told.said
    assert told.card["title"] == "Back Coach: how you're doing" and told.said.startswith(told.card["content"])
    assert told.card["content"].startswith("You've done one session.")
    assert not shown.card
    sessions = show.saved()["state"]["progress"]["history"]
    bars = [i for i in render["document"]["graphics"]["sessions"]["items"] if i.get("fill") == "#7FD4C1"]
    assert len(bars) == len(sessions) == 1


def test_a_broken_view_costs_the_screen_not_the_coaching(device_alexa, monkeypatch, caplog):
    import skill.alexa.screen as shell

    real = shell.view_for
    monkeypatch.setattr(shell, "view_for", lambda *args: {**real(*args), "buttons": ["dance"]})
    alexa = device_alexa("echo-show-8")
    reply = alexa.say("StartRoutineIntent")
    assert "Superman" in reply.said and reply.listening
    assert not directives(reply)
    assert "no screen for this turn" in caplog.text


def test_a_request_naming_no_device_gets_the_voice_answer_not_the_apology(device_alexa):
    alexa = device_alexa("echo-show-8")
    envelope = alexa.device.intent("StartRoutineIntent", alexa.now)
    envelope["context"] = {}                      # no System (seen in fuzzing): the person is the session's user
    reply = alexa.send(envelope)
    assert reply.said.startswith("Welcome to Back Coach.") and not directives(reply)
