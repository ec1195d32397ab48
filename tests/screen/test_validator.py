"""Every APL document the skill can send passes Amazon's own validator (apl-suggester), with its
ExecuteCommands placed in onMount so that the validator checks the commands too."""
from __future__ import annotations

import copy

from skill.coach.catalog import load_catalog
from skill.screen.apl import EXECUTE, RENDER, directives
from tests.screen.conftest import validate
from tests.screen.test_devices import conversation
from tests.screen.test_figures import move_view


def sent(directive_list: list[dict]) -> dict:
    """The RenderDocument's document, with the response's commands as its onMount."""
    document = copy.deepcopy(next(d for d in directive_list if d["type"] == RENDER)["document"])
    commands = [c for d in directive_list if d["type"] == EXECUTE for c in d["commands"]]
    if commands:
        document["onMount"] = commands
    return document


def test_every_document_the_skill_sends_validates(device_alexa):
    documents = {}
    for device in ("echo-show-5", "fire-tv"):
        for i, reply in enumerate(conversation(device_alexa(device))):
            found = reply.raw["response"].get("directives") or []
            if found:
                documents[f"{device} reply {i}"] = sent(found)
    for move in load_catalog().moves():     # every figure, as a set screen
        documents[f"figure {move.id}"] = sent(directives(move_view(move.id)))
    documents["figure prone_arm_pulls"] = sent(directives(move_view("prone_arm_pulls")))
    findings = validate(documents)
    assert set(findings) == set(documents)
    assert {name: errors for name, errors in findings.items() if errors} == {}


def test_the_validator_catches_broken_documents():
    layout, commands = sent(directives(move_view("superman"))), sent(directives(move_view("superman")))
    layout["mainTemplate"]["item"]["item"]["items"][0]["items"][0]["direction"] = "diagonal"
    del commands["onMount"][0]["commands"][1]["value"]
    findings = validate({"layout": layout, "commands": commands})
    assert findings["layout"] and findings["commands"], findings
