"""What skill-package/skill.json's testing instructions tell Amazon's certification testers, done."""
from __future__ import annotations

from datetime import timedelta


def test_the_red_flag_gate_holds_until_a_yes_and_forgetting_progress_does_not_lift_it(alexa):
    alexa.say("StartRoutineIntent")
    alexa.say("ReadyIntent")
    assert not alexa.say("RedFlagIntent").listening  # "my leg is tingling": stopped at once
    alexa.now += timedelta(hours=2)
    assert "Have you been checked by a doctor since?" in alexa.launch().said
    assert not alexa.say("AMAZON.NoIntent").listening  # not yet checked: no training

    alexa.now += timedelta(hours=2)
    alexa.launch()
    alexa.say("ForgetProgressIntent")
    assert "Your progress is erased" in alexa.say("AMAZON.YesIntent").said
    alexa.device.end_session()
    assert "Have you been checked by a doctor since?" in alexa.say("StartRoutineIntent").said  # kept

    reply = alexa.say("AMAZON.YesIntent")  # checked: the gate is reset
    assert reply.listening and "Superman" in reply.said
    alexa.say("AMAZON.StopIntent")
    alexa.now += timedelta(hours=2)
    assert "checked by a doctor" not in alexa.say("StartRoutineIntent").said


def test_disabling_the_skill_starts_a_tester_completely_fresh(alexa):
    alexa.say("StartRoutineIntent")
    alexa.say("ReadyIntent")
    alexa.say("RedFlagIntent")
    alexa.send(alexa.device.skill_event("AlexaSkillEvent.SkillDisabled", alexa.now))
    reply = alexa.launch()
    assert "Welcome to Back Coach" in reply.said and "checked by a doctor" not in reply.said
