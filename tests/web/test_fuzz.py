"""Mutated real envelopes, signed (so they reach the skill) and unsigned: never a 5xx, and every 200 is a
response Alexa would accept. Deterministic: the same seed sends the same requests every run."""
from __future__ import annotations

import copy
import json
import random
from collections import Counter

import pytest

from skill.alexa.turn import is_silent
from skill.config import Settings
from skill.console.envelopes import Device, slot
from skill.web.app import create_app
from tests.ssml_check import check_ssml
from tests.web.conftest import CERT, now

SEED = 1302
MUTANTS_PER_MODE = 1200

JUNK = [None, "", " ", "x" * 5000, "\u0000\u202e\ud7ff", 0, -1, 2**63, 1e308, -0.0, True, [], {}, [[[[]]]],
        {"type": "IntentRequest"}, "amzn1.ask.skill.00000000-0000-0000-0000-000000000000",
        "2026-13-45T99:99:99Z", "LaunchRequest", "AMAZON.YesIntent", {"name": "ReadyIntent"}]


# Hundreds of nested objects: the SDK's recursive copy of session attributes used to fail on this (a 500).
DEEP = b'{"a": ' * 600 + b"1" + b"}" * 600


def junk(rng: random.Random):
    return copy.deepcopy(rng.choice(JUNK))  # a fresh object: mutations must never share one


def corpus() -> list[dict]:
    """One of each kind of request the skill gets, from a device mid-conversation."""
    t = now()
    device = Device(person_id="amzn1.ask.person.FUZZ")
    audio = {"token": "t", "offsetInMilliseconds": 0}
    return [
        device.launch(t),
        device.intent("StartRoutineIntent", t),
        device.intent("ReadyIntent", t),
        device.intent("AMAZON.YesIntent", t),
        device.intent("AMAZON.NoIntent", t),
        device.intent("PainRatingIntent", t, {"rating": slot("4")}),
        device.intent("BackFeelIntent", t, {"feeling": slot("worse", resolved_id="worse")}),
        device.intent("RedFlagIntent", t),
        device.intent("AMAZON.FallbackIntent", t),
        device.session_ended(t),
        device.skill_event("AlexaSkillEvent.SkillEnabled", t),
        device.skill_event("AlexaSkillEvent.SkillDisabled", t),
        device._envelope({"type": "AudioPlayer.PlaybackStopped", **audio}, t, in_session=False),
        device._envelope({"type": "System.ExceptionEncountered", "error": {"type": "INVALID_RESPONSE", "message": "m"},
                          "cause": {"requestId": "r"}}, t, in_session=False),
    ]


def _paths(node, prefix=()):
    yield prefix
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _paths(value, (*prefix, i))


def mutate(rng: random.Random, envelope: dict) -> bytes:
    """One to three changes: a value replaced, a key dropped or added, or the bytes themselves damaged."""
    doc = json.loads(json.dumps(envelope))
    for _ in range(rng.randint(1, 3)):
        path = rng.choice([p for p in _paths(doc) if p])
        parent = doc
        for key in path[:-1]:
            parent = parent[key]
        kind = rng.random()
        if kind < 0.5:
            parent[path[-1]] = junk(rng)
        elif kind < 0.7 and isinstance(parent, dict):
            del parent[path[-1]]
        elif kind < 0.85:
            parent[path[-1]] = {"nested": junk(rng), "n": [junk(rng) for _ in range(rng.randint(0, 4))]}
        elif isinstance(parent, dict):
            parent[f"unknown{rng.randint(0, 9)}"] = junk(rng)
    body = bytearray(json.dumps(doc).encode())
    if rng.random() < 0.05:
        at = body.find(b'"attributes": ')
        if at >= 0:
            body[at:at + 14] = b'"attributes": ' + DEEP + b', "was": '
    if rng.random() < 0.2:  # damage the text: flip, cut or insert bytes
        for _ in range(rng.randint(1, 4)):
            at = rng.randrange(len(body))
            choice = rng.random()
            if choice < 0.4:
                body[at] = rng.randrange(256)
            elif choice < 0.7:
                del body[at:at + rng.randint(1, 40)]
            else:
                body[at:at] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 10)))
    return bytes(body)


def check_alexa_response(sent: bytes, reply: dict) -> None:
    assert reply["version"] == "1.0"
    response = reply["response"]
    request_type = json.loads(sent)["request"]["type"]  # a 200 means the request parsed
    if is_silent(request_type):
        assert not {"outputSpeech", "reprompt", "card"} & set(response), request_type
    for part in ("outputSpeech", "reprompt"):
        speech = response.get(part)
        if speech:
            speech = speech.get("outputSpeech", speech)
            assert speech["type"] == "SSML"
            check_ssml(speech["ssml"])
    assert response.get("shouldEndSession") in (None, True, False)


@pytest.mark.parametrize("mode", ["signed", "unsigned-dev", "unsigned-verified"])
def test_mutated_envelopes_never_get_a_5xx_and_every_200_is_valid(tmp_path, settings, mode):
    app = create_app(Settings(dev=True, data_dir=tmp_path / "dev") if mode == "unsigned-dev" else settings)
    client = app.test_client()
    rng = random.Random(f"{SEED}-{mode}")
    envelopes = corpus()
    statuses: Counter = Counter()
    for n in range(MUTANTS_PER_MODE):
        body = mutate(rng, rng.choice(envelopes))
        headers = {"Content-Type": "application/json", **(CERT.headers(body) if mode == "signed" else {})}
        response = client.post("/alexa", data=body, headers=headers)
        statuses[response.status_code] += 1
        assert response.status_code < 500, f"mutant {n}: {response.status_code} for {body[:300]!r}"
        if response.status_code == 200:
            check_alexa_response(body, response.get_json())
    assert sum(statuses.values()) == MUTANTS_PER_MODE
    if mode != "unsigned-verified":
        assert statuses[200] > MUTANTS_PER_MODE // 10  # the mutants do reach the skill, not just the parser
