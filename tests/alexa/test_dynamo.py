"""The Lambda entry point on DynamoDB (moto stands in for AWS): progress really is saved and read back."""
from __future__ import annotations

import importlib
import json
import sys
from datetime import datetime, timedelta, timezone

import boto3
import pytest
from moto import mock_aws

from skill.console.envelopes import DEFAULT_SKILL_ID, Device
from tests.ssml_check import spoken_text


@pytest.fixture
def lambda_on_dynamodb(monkeypatch):
    for name, value in {"AWS_DEFAULT_REGION": "eu-west-1", "AWS_ACCESS_KEY_ID": "testing",
                        "AWS_SECRET_ACCESS_KEY": "testing", "BACKCOACH_STORE": "dynamodb",
                        "BACKCOACH_DYNAMODB_TABLE": "backcoach", "BACKCOACH_SKILL_IDS": DEFAULT_SKILL_ID}.items():
        monkeypatch.setenv(name, value)
    with mock_aws():
        table = boto3.resource("dynamodb").create_table(
            TableName="backcoach", KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}], BillingMode="PAY_PER_REQUEST")
        sys.modules.pop("skill.alexa.lambda_function", None)
        yield importlib.import_module("skill.alexa.lambda_function").handler, table


def test_a_routine_interrupted_on_lambda_is_resumed_from_dynamodb(lambda_on_dynamodb):
    handler, table = lambda_on_dynamodb
    device, now = Device(), datetime.now(timezone.utc)

    def say(envelope: dict) -> str:
        response = handler(envelope, None)
        device.answered(response)
        speech = response["response"].get("outputSpeech")
        return spoken_text(speech["ssml"]) if speech else ""

    assert "First, Superman." in say(device.intent("StartRoutineIntent", now))
    # "Alexa, pause" during set two (the request's timestamp places it)
    assert "Paused." in say(device.intent("AMAZON.PauseIntent", now + timedelta(seconds=128)))

    (item,) = table.scan()["Items"]
    stored = json.loads(item["attributes"])          # one JSON string: floats survive as floats
    assert stored["state"]["session"]["routine"]["items"][0]["sets"] == [{"form": "full", "result": "pending"}]
    assert "You were on Superman, set two" in say(device.launch(now + timedelta(minutes=5)))
