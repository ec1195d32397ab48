"""Requests Alexa sends outside a conversation: answered with an empty reply, never with speech."""
from __future__ import annotations

import pytest

from skill.alexa.store import SQLiteStore

AUDIO_FIELDS = {"token": "back-coach-track", "offsetInMilliseconds": 0}

SILENT = [
    ("AudioPlayer.PlaybackStarted", AUDIO_FIELDS),
    ("AudioPlayer.PlaybackFinished", AUDIO_FIELDS),
    ("AudioPlayer.PlaybackStopped", AUDIO_FIELDS),
    ("AudioPlayer.PlaybackNearlyFinished", AUDIO_FIELDS),
    ("AudioPlayer.PlaybackFailed", {**AUDIO_FIELDS, "error": {"type": "MEDIA_ERROR_UNKNOWN", "message": "x"}}),
    ("PlaybackController.PlayCommandIssued", {}),
    ("PlaybackController.PauseCommandIssued", {}),
    ("PlaybackController.NextCommandIssued", {}),
    ("PlaybackController.PreviousCommandIssued", {}),
    ("AlexaSkillEvent.SkillEnabled", {"eventCreationTime": "2026-03-02T07:30:00Z"}),
    ("AlexaSkillEvent.SkillAccountLinked", {"body": {"accessToken": "token"}}),
    ("AlexaSkillEvent.SkillPermissionAccepted", {"body": {"acceptedPermissions": [{"scope": "alexa::x"}]}}),
    ("AlexaSkillEvent.SkillPermissionChanged", {"body": {"acceptedPermissions": []}}),
]


def _event(alexa, request_type: str, fields: dict) -> dict:
    return alexa.device._envelope({"type": request_type, **fields}, alexa.now, in_session=False)


@pytest.mark.parametrize("request_type, fields", SILENT, ids=[t for t, _ in SILENT])
def test_a_non_speech_request_gets_an_empty_reply_and_changes_nothing(alexa, request_type, fields):
    alexa.say("StartRoutineIntent")
    status = alexa.say("StatusIntent").said
    before = alexa.saved()
    reply = alexa.send(_event(alexa, request_type, fields))
    assert reply.raw["response"] == {}  # no speech, reprompt, card or shouldEndSession
    assert alexa.saved() == before
    assert alexa.say("StatusIntent").said == status  # the routine is where it was


@pytest.mark.parametrize("request_type, fields", SILENT[::4], ids=[t for t, _ in SILENT[::4]])
def test_a_non_speech_request_that_fails_still_says_nothing(alexa, monkeypatch, request_type, fields):
    def broken(self, owner, deadline=None):
        raise RuntimeError("simulated store fault")

    monkeypatch.setattr(SQLiteStore, "load", broken)
    reply = alexa.send(_event(alexa, request_type, fields))
    assert reply.raw["response"] == {}


def test_a_conversational_request_that_fails_still_apologises(alexa, monkeypatch):
    def broken(self, owner, deadline=None):
        raise RuntimeError("simulated store fault")

    monkeypatch.setattr(SQLiteStore, "load", broken)
    reply = alexa.say("StartRoutineIntent")
    assert "something went wrong" in reply.said and reply.listening
