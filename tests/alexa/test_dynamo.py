"""The Lambda entry point on DynamoDB, against a real DynamoDB-compatible server (dynalite): progress
is saved and read back, two devices of one person never lose a save, and disabling the skill deletes
every voice profile's record of the account."""
from __future__ import annotations

import importlib
import json
import sys
import threading
from datetime import datetime, timedelta, timezone

import pytest

from skill.console.envelopes import DEFAULT_SKILL_ID, Device
from tests.ssml_check import spoken_text


@pytest.fixture
def on_dynamodb(dynamodb_table, dynamodb_server, monkeypatch):
    """(the Lambda handler, a boto3 client, the table name)."""
    endpoint, table = dynamodb_table
    for name, value in {"BACKCOACH_STORE": "dynamodb", "BACKCOACH_DYNAMODB_TABLE": table,
                        "BACKCOACH_DYNAMODB_ENDPOINT": endpoint, "BACKCOACH_SKILL_IDS": DEFAULT_SKILL_ID}.items():
        monkeypatch.setenv(name, value)
    sys.modules.pop("skill.alexa.lambda_function", None)
    yield importlib.import_module("skill.alexa.lambda_function").handler, dynamodb_server.client(), table
    sys.modules.pop("skill.alexa.lambda_function", None)


def talk(handler, device: Device, envelope: dict) -> str:
    response = handler(envelope, None)
    device.answered(response)
    speech = response["response"].get("outputSpeech")
    return spoken_text(speech["ssml"]) if speech else ""


def items(client, table: str) -> list[dict]:
    return client.scan(TableName=table, ConsistentRead=True)["Items"]


def test_a_routine_interrupted_on_lambda_is_resumed_from_dynamodb(on_dynamodb):
    handler, client, table = on_dynamodb
    device, now = Device(), datetime.now(timezone.utc)
    assert "First, Superman." in talk(handler, device, device.intent("StartRoutineIntent", now))
    # "Alexa, pause" during set two (the request's timestamp places it)
    assert "Paused." in talk(handler, device, device.intent("AMAZON.PauseIntent", now + timedelta(seconds=128)))

    (item,) = items(client, table)
    stored = json.loads(item["attributes"]["S"])  # one JSON string: floats survive as floats
    assert stored["state"]["session"]["routine"]["items"][0]["sets"] == [{"form": "full", "result": "pending"}]
    assert item["owner"]["S"].startswith("user:") and int(item["rev"]["N"]) == 2
    assert "You were on Superman, set two" in talk(handler, device, device.launch(now + timedelta(minutes=5)))


def test_disabling_the_skill_on_lambda_deletes_every_voice_profile_of_the_account(on_dynamodb):
    handler, client, table = on_dynamodb
    now = datetime.now(timezone.utc)
    home = "amzn1.ask.account.HOME"
    people = [Device(user_id=home, person_id="amzn1.ask.person.ANNA"),
              Device(user_id=home, person_id="amzn1.ask.person.BEN"),
              Device(user_id=home),  # someone the Echo did not recognise: the account's own record
              Device(user_id="amzn1.ask.account.NEIGHBOUR")]
    for device in people:
        talk(handler, device, device.intent("StartRoutineIntent", now))
    assert len(items(client, table)) == 4
    reply = handler(people[0].skill_event("AlexaSkillEvent.SkillDisabled", now), None)
    assert reply["response"].get("outputSpeech") is None
    (left,) = items(client, table)  # the neighbour's
    assert left["owner"]["S"] == left["id"]["S"] and left["owner"]["S"].startswith("user:")
    for device in people[:3]:  # everyone in the household starts again as new
        assert "Welcome to Back Coach" in talk(handler, device, device.launch(now + timedelta(minutes=1)))


def test_two_devices_of_one_person_on_lambda_lose_no_answer(on_dynamodb):
    """Both Echos answer "yes" at the same moment, three times each. An answer is either acknowledged
    or (having lost the save race every time) met with "please say that again"; the saved state is
    exactly that of the acknowledged answers given one after another: no acknowledged answer is lost."""
    handler, client, table = on_dynamodb
    now = datetime.now(timezone.utc)

    def start(device: Device) -> None:
        talk(handler, device, device.intent("StartRoutineIntent", now))

    kitchen, bedroom = Device(), Device()
    start(kitchen)
    answered: list[str] = []

    def answer(device: Device) -> None:
        for _ in range(3):
            answered.append(talk(handler, device, device.intent("AMAZON.YesIntent", now)))

    threads = [threading.Thread(target=answer, args=(d,)) for d in (kitchen, bedroom)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    acknowledged = [said for said in answered if "Please say that again" not in said]
    assert len(answered) == 6 and len(acknowledged) >= 3 and all(acknowledged)

    alone = Device(user_id="amzn1.ask.account.ALONE")  # the same answers from one Echo, in turn
    start(alone)
    for _ in acknowledged:
        talk(handler, alone, alone.intent("AMAZON.YesIntent", now))
    saved = {item["id"]["S"]: json.loads(item["attributes"]["S"])["state"] for item in items(client, table)}
    together, in_turn = saved.values()
    assert together == in_turn
