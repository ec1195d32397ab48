"""The interaction model through Bespoken's virtual-alexa (npm), in an open session, against the skill's
own handlers (skill/alexa/probe.py, engine left out) over loopback HTTP: the words a person says become
the event the engine gets. A representative subset of tests/test_language.py; the held-out figures
are bench/language.py's.

`make test` installs node and the pinned package; without them this fails rather than skips.
"""
from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from skill.alexa import probe
from skill.coach.events import Event

DRIVER = Path(__file__).resolve().parents[1] / "virtual_alexa" / "check.js"

SAID = {
    "my legs are numb": Event("red_flag", "urgent"),
    "tingling in my toes": Event("red_flag", "leg"),
    "I can't breathe": Event("red_flag", "urgent"),
    "my heart is racing": Event("red_flag", "unwell"),
    "I can't tell when I need to wee": Event("red_flag", "urgent"),  # no "tell" launch in a session
    "my calves have gone numb": Event("red_flag", "urgent"),          # free words, screened
    "numbness in my big toe": Event("red_flag", "leg"),
    "my leg feels weak from the exercise": Event("unknown"),
    "my knee gave way": Event("hurts", "elsewhere"),
    "my wrist hurts": Event("hurts", "elsewhere"),
    "it's agony": Event("hurts"),
    "a little": Event("hurts", "some"),
    "it hurt": Event("hurts"),
    "it didn't hurt": Event("yes"),
    "not pain free": Event("no"),
    "a seven": Event("pain", 7),
    "sore": Event("back_feel", "worse"),  # a free-words carrier needs words after it, as on a device
    "fine": Event("back_feel", "same"),
    "how long will this take": Event("question", "time"),
    "a quick one": Event("start_routine", "short"),
    "delete my progress": Event("forget"),
    "my progress": Event("progress"),
    "purple monkey dishwasher": Event("unknown"),  # nothing matches: the fallback intent
}


@pytest.fixture(scope="module")
def heard() -> dict[str, dict]:
    node = shutil.which("node")
    assert node, "node is missing: `make test` installs it (virtual-alexa is an npm package)"
    assert (DRIVER.parent / "node_modules" / "virtual-alexa").is_dir(), "run `npm ci --prefix tests/virtual_alexa`"
    with probe.serve() as url:
        run = subprocess.run([node, str(DRIVER), url, "--in-session", *SAID], capture_output=True, text=True,
                             timeout=60)
    assert run.returncode == 0, f"check.js failed ({run.returncode}):\n{run.stdout}\n{run.stderr}"
    turns = [json.loads(line) for line in run.stdout.splitlines() if line.startswith("{")]
    return {t["said"]: t for t in turns}


@pytest.mark.parametrize("said", SAID)
def test_words_become_the_event_the_engine_needs(heard, said):
    assert probe.event_said(heard[said]["ssml"]) == SAID[said]


def test_free_words_arrive_as_alexa_sends_them(heard):
    turn = heard["my calves have gone numb"]
    assert (turn["intent"], turn["slots"]) == ("SymptomIntent", {"description": "calves have gone numb"})
    assert heard["purple monkey dishwasher"]["intent"] == "AMAZON.FallbackIntent"
