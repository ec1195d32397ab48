"""What skill-package/skill.json's testing instructions tell Amazon's certification testers, done."""
from __future__ import annotations

from datetime import timedelta

GATE = "Have you been seen since?"


def red_flag_then_later(alexa) -> None:
    alexa.say("StartRoutineIntent")
    assert not alexa.say("RedFlagIntent").listening  # "my leg is tingling": stopped at once
    alexa.now += timedelta(hours=2)


def test_the_red_flag_gate_holds_on_no_and_a_yes_resets_it(alexa):
    red_flag_then_later(alexa)
    assert GATE in alexa.launch().said
    assert not alexa.say("AMAZON.NoIntent").listening  # not yet seen: no training
    alexa.now += timedelta(hours=2)
    assert GATE in alexa.launch().said
    assert alexa.say("AMAZON.YesIntent").listening
    reply = alexa.say("StartRoutineIntent")
    assert "every move steps down a level today" in reply.said and GATE not in reply.said


def test_forget_my_progress_starts_a_tester_completely_fresh(alexa):
    red_flag_then_later(alexa)
    alexa.launch()
    alexa.say("ForgetProgressIntent")
    assert "erased everything" in alexa.say("AMAZON.YesIntent").said
    alexa.device.end_session()
    reply = alexa.say("StartRoutineIntent")
    assert "Welcome to Back Coach" in reply.said and GATE not in reply.said and "First, Superman" in reply.said


def test_disabling_the_skill_starts_a_tester_completely_fresh(alexa):
    red_flag_then_later(alexa)
    alexa.send(alexa.device.skill_event("AlexaSkillEvent.SkillDisabled", alexa.now))
    reply = alexa.launch()
    assert "Welcome to Back Coach" in reply.said and GATE not in reply.said
