"""The screen through the real skill, with device-shaped envelopes: which devices get one, that the voice
never changes because of it, touch answers, tokens, the progress screen and card, response sizes."""
from __future__ import annotations

import json

import pytest

from skill.alexa.screen import screen_token
from skill.screen.apl import EXECUTE, RENDER
from tests.alexa.test_conversation import finish_routine

SCREENS = ("echo-show-5", "echo-show-8", "echo-show-15", "fire-tv")
# Alexa's limit on a whole response (JSON), from the custom-skill JSON reference.
RESPONSE_LIMIT_BYTES = 120 * 1024


def directives(reply) -> list[dict]:
    return reply.raw["response"].get("directives") or []


def render_of(reply) -> dict:
    found = [d for d in directives(reply) if d["type"] == RENDER]
    assert len(found) == 1, f"expected one RenderDocument, got {[d['type'] for d in directives(reply)]}"
    return found[0]


def conversation(alexa) -> list:
    """A routine with a hurt set, a rating, a pause and resume, progress, and the stretches."""
    replies = [alexa.launch(), alexa.say("AMAZON.YesIntent"), alexa.say("ReadyIntent"),
               alexa.say("AMAZON.YesIntent"), alexa.say("HurtIntent"), alexa.say("ReadyIntent"),
               alexa.say("AMAZON.PauseIntent"), alexa.launch(), alexa.say("AMAZON.YesIntent"),
               alexa.say("ReadyIntent"), alexa.rating(2), alexa.say("ProgressIntent")]
    summary, after = finish_routine(alexa)
    replies += [summary, after, alexa.say("StartStretchesIntent"), alexa.say("ReadyIntent")]
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
        assert len(json.dumps(reply.raw).encode()) < RESPONSE_LIMIT_BYTES


def test_the_screen_token_is_the_saved_states_and_names_the_screen(device_alexa):
    alexa = device_alexa("echo-show-8")
    alexa.say("StartRoutineIntent")
    counted = alexa.say("ReadyIntent")
    assert render_of(counted)["token"] == screen_token(alexa.saved()["state"])
    again = alexa.say("AMAZON.RepeatIntent")      # the same question: the same screen
    assert render_of(again)["token"] == render_of(counted)["token"]
    rested = alexa.say("AMAZON.YesIntent")        # the next set: another screen
    assert render_of(rested)["token"] != render_of(counted)["token"]


def test_the_set_screen_counts_with_the_voice(device_alexa):
    alexa = device_alexa("echo-show-8")
    alexa.say("StartRoutineIntent")
    reply = alexa.say("ReadyIntent")
    screen = render_of(reply)["datasources"]["screen"]
    counts = [f for f in screen["frames"] if f["mode"] == "count"]
    assert [f["count"] for f in counts] == list(range(0, 9))          # 0 while the first rep is moving ... 8
    assert all(b["at"] - a["at"] == pytest.approx(4.0) for a, b in zip(counts, counts[1:]))  # Superman: 4 s
    assert {f["label"] for f in counts} == {"Set 1 of 3"}
    assert screen["frames"][-1]["big"] == "Pain-free?"
    assert [b["id"] for b in screen["buttons"]] == ["pain_free", "hurt", "pause"]
    rest = alexa.say("AMAZON.YesIntent")
    frames = render_of(rest)["datasources"]["screen"]["frames"]
    timer = next(f for f in frames if f["mode"] == "timer")
    assert (timer["caption"], timer["span"]) == ("Rest", 30)
    assert {f["label"] for f in frames if f["mode"] == "count"} == {"Set 2 of 3"}


def test_a_one_sided_move_shows_each_side(device_alexa, coach):
    alexa = device_alexa("echo-show-8")
    alexa.say("StartStretchesIntent")
    alexa.say("ReadyIntent")                     # Cat Cow, counted
    alexa.say("AMAZON.YesIntent")                # on to Lying Figure 4, held each side
    reply = alexa.say("ReadyIntent")
    frames = render_of(reply)["datasources"]["screen"]["frames"]
    holds = [f for f in frames if f["mode"] == "timer"]
    assert [(f["label"], f["caption"], f["flip"]) for f in holds] == [("Left side", "Hold", 0),
                                                                       ("Right side", "Hold", 1)]


def touch(alexa, reply, *arguments):
    return alexa.send(alexa.device.user_event(render_of(reply)["token"], list(arguments), alexa.now))


def test_touching_pain_free_is_saying_yes(device_alexa):
    spoken, touched = device_alexa("echo-show-8"), device_alexa("echo-show-5")
    for alexa in (spoken, touched):
        alexa.say("StartRoutineIntent")
    counted = [alexa.say("ReadyIntent") for alexa in (spoken, touched)]
    said = spoken.say("AMAZON.YesIntent")
    pressed = touch(touched, counted[1], "pain_free")
    assert pressed.said == said.said and pressed.listening
    assert touched.saved()["state"]["session"]["routine"] == spoken.saved()["state"]["session"]["routine"]


def test_touching_it_hurt_is_saying_it_hurts(device_alexa):
    alexa = device_alexa("echo-show-8")
    alexa.say("StartRoutineIntent")
    counted = alexa.say("ReadyIntent")
    reply = touch(alexa, counted, "hurt")
    assert "Alternating Superman" in reply.said
    assert alexa.saved()["state"]["session"]["routine"]["items"][0]["form"] == "easier"


def test_pause_and_resume_buttons(device_alexa):
    alexa = device_alexa("echo-show-8")
    alexa.say("StartRoutineIntent")
    counted = alexa.say("ReadyIntent")
    paused = touch(alexa, counted, "pause")
    assert not paused.listening and alexa.saved()["state"]["session"]["phase"] == "paused"
    assert [b["id"] for b in render_of(paused)["datasources"]["screen"]["buttons"]] == ["resume"]
    resumed = touch(alexa, paused, "resume")
    assert "Superman" in resumed.said and resumed.listening
    assert alexa.saved()["state"]["session"]["phase"] == "await_ready"


@pytest.mark.parametrize("arguments", [["dance"], [], ["pain_free", "hurt"], [7], [None], [{"a": 1}]])
def test_a_touch_with_unknown_arguments_is_answered_and_changes_nothing(device_alexa, arguments):
    alexa = device_alexa("echo-show-8")
    alexa.say("StartRoutineIntent")
    counted = alexa.say("ReadyIntent")
    before = alexa.saved()
    reply = touch(alexa, counted, *arguments)
    assert reply.listening and reply.said.startswith("Sorry, I didn't get that.")
    assert alexa.saved() == before


def test_a_touch_on_an_earlier_screen_is_ignored_politely(device_alexa):
    alexa = device_alexa("echo-show-8")
    alexa.say("StartRoutineIntent")
    counted = alexa.say("ReadyIntent")
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
    assert told.card == {"type": "Simple", "title": "How you're doing", "content": told.said}
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
