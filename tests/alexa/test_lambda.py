"""The Lambda entry point: the same skill, and the DynamoDB extra only imported when chosen."""
from __future__ import annotations

import importlib
import os
import subprocess
import sys
from datetime import datetime, timezone

import pytest

from skill.console.envelopes import DEFAULT_SKILL_ID, Device
from tests.ssml_check import spoken_text


@pytest.fixture
def lambda_module(monkeypatch, tmp_path):
    monkeypatch.setenv("BACKCOACH_SKILL_IDS", DEFAULT_SKILL_ID)
    monkeypatch.setenv("BACKCOACH_DATA_DIR", str(tmp_path))
    for name in ("AWS_REGION", "AWS_DEFAULT_REGION"):
        monkeypatch.delenv(name, raising=False)
    sys.modules.pop("skill.alexa.lambda_function", None)
    return importlib.import_module("skill.alexa.lambda_function")


def test_the_lambda_handler_answers_a_launch_on_the_sqlite_default(lambda_module):
    response = lambda_module.handler(Device().launch(datetime.now(timezone.utc)), None)
    assert "Welcome to Back Coach" in spoken_text(response["response"]["outputSpeech"]["ssml"])


def test_the_lambda_handler_imports_no_web_audio_building_or_aws_code_it_does_not_use(tmp_path):
    """On the SQLite default nothing imports boto3 (with no AWS region configured it would fail), and
    the web and audio-building stacks are never imported on Lambda."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "BACKCOACH_"))}
    env.update(BACKCOACH_SKILL_IDS=DEFAULT_SKILL_ID, BACKCOACH_DATA_DIR=str(tmp_path))
    probe = ("import sys, skill.alexa.lambda_function; "
             "print(*(m in sys.modules for m in ('boto3', 'flask', 'gunicorn', 'gtts', 'lameenc', 'miniaudio')))")
    result = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False"] * 6


def test_counts_on_lambda_play_the_tracks_from_the_audio_base_url(lambda_module, monkeypatch):
    monkeypatch.setenv("BACKCOACH_AUDIO_BASE_URL", "https://d111111abcdef8.cloudfront.net/backcoach")
    sys.modules.pop("skill.alexa.lambda_function", None)
    handler = importlib.import_module("skill.alexa.lambda_function").handler
    device, now = Device(), datetime.now(timezone.utc)
    for envelope in (device.intent("StartRoutineIntent", now), device.intent("ReadyIntent", now)):
        response = handler(envelope, None)
        device.answered(response)
    ssml = response["response"]["outputSpeech"]["ssml"]
    assert '<audio src="https://d111111abcdef8.cloudfront.net/backcoach/count-8x4.0-' in ssml


def test_the_lambda_handler_refuses_another_skills_request(lambda_module):
    stranger = Device(skill_id="amzn1.ask.skill.not-ours").launch(datetime.now(timezone.utc))
    with pytest.raises(Exception, match="Skill ID Verification failed"):
        lambda_module.handler(stranger, None)
