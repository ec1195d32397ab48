"""Bespoken's virtual-alexa (npm), loaded with the unmodified interaction model, talks to the real
`backcoach serve --dev` (gunicorn, create_app, the skill, the SQLite store) over HTTP.

Needs node and the pinned package: `npm ci --prefix tests/virtual_alexa`.
"""
from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.ssml_check import check_ssml, spoken_text

DRIVER_DIR = Path(__file__).resolve().parents[1] / "virtual_alexa"
BACKCOACH = Path(sys.executable).with_name("backcoach")  # the venv's console-script entry point
NODE = shutil.which("node")
START_TIMEOUT_S = 15

# What the runner says, in order; virtual-alexa picks the intent from the interaction model. Each answer comes
# five minutes after the one before (the reply has played out), as the request timestamps say.
CONVERSATION = ["start my back routine", "yes", "it hurts", "my leg is tingling", "open back coach"]
TURN_GAP_S = "300"


def test_node_and_virtual_alexa_are_installed():
    """`make test` installs both; without them the tests below cannot run, which is a failure, not a skip."""
    assert NODE is not None, "node is not installed (virtual-alexa is an npm package)"
    assert (DRIVER_DIR / "node_modules" / "virtual-alexa").is_dir(), \
        "virtual-alexa is not installed: run `npm ci --prefix tests/virtual_alexa`"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_until_healthy(server: subprocess.Popen, port: int, log: Path) -> None:
    """Healthy, and answering from *our* process: another test run may have raced us to the port."""
    url, ours = f"http://127.0.0.1:{port}/healthz", f"Listening at: http://127.0.0.1:{port} ({server.pid})"
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"backcoach serve exited with {server.returncode}:\n{log.read_text()}")
        if ours not in log.read_text():
            time.sleep(0.1)
            continue
        try:
            with urllib.request.urlopen(url, timeout=1) as reply:
                if reply.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError):
            pass
        time.sleep(0.1)
    pytest.fail(f"{url} not healthy after {START_TIMEOUT_S} s:\n{log.read_text()}")


@pytest.fixture(scope="module")
def skill_url(tmp_path_factory):
    """`backcoach serve --dev` on a free loopback port with its own data directory; stopped afterwards."""
    assert BACKCOACH.exists(), f"{BACKCOACH} missing: install the project into the venv (pip install -e .)"
    tmp = tmp_path_factory.mktemp("virtual_alexa")
    port, log = _free_port(), tmp / "server.log"
    # A clean environment: no BACKCOACH_* settings from the caller's shell (an audio base URL would
    # change what is said).
    env = {k: v for k, v in os.environ.items() if not k.startswith("BACKCOACH_")}
    with log.open("w") as out:
        server = subprocess.Popen(
            [str(BACKCOACH), "serve", "--dev", "--port", str(port), "--data-dir", str(tmp / "data")],
            stdout=out, stderr=subprocess.STDOUT, env=env)
    try:
        _wait_until_healthy(server, port, log)
        yield f"http://127.0.0.1:{port}/alexa"
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


@pytest.fixture(scope="module")
def turns(skill_url) -> dict[str, dict]:
    """The conversation through virtual-alexa: each utterance -> the request it became and the answer."""
    run = subprocess.run([NODE, str(DRIVER_DIR / "check.js"), skill_url, "--turn-gap", TURN_GAP_S, *CONVERSATION],
                         capture_output=True, text=True, timeout=30)
    assert run.returncode == 0, f"check.js failed ({run.returncode}):\n{run.stdout}\n{run.stderr}"
    lines = [json.loads(line) for line in run.stdout.splitlines() if line.strip()]
    assert [t["said"] for t in lines] == CONVERSATION
    return {t["said"]: t for t in lines}


def said(turn: dict) -> str:
    return spoken_text(turn["ssml"])


def test_virtual_alexa_resolves_each_utterance_to_the_models_intent(turns):
    assert [(t["request"], t["intent"]) for t in turns.values()] == [
        ("IntentRequest", "StartRoutineIntent"), ("IntentRequest", "AMAZON.YesIntent"),
        ("IntentRequest", "HurtIntent"), ("IntentRequest", "RedFlagIntent"), ("LaunchRequest", None)]


def test_every_answer_is_ssml_alexa_accepts(turns):
    for turn in turns.values():
        check_ssml(turn["ssml"])
        if turn["reprompt"]:
            check_ssml(turn["reprompt"])


def test_start_welcomes_a_new_runner_and_counts_superman_through_to_one_question(turns):
    turn = turns["start my back routine"]
    assert said(turn).startswith("Welcome to Back Coach.")
    assert "First, Superman." in said(turn) and "Say ready" not in said(turn)
    assert "Rest for thirty seconds. Twenty. Ten. Five. Set two of three." in said(turn)
    assert said(turn).endswith("One. Two. Three. Four. Five. Six. Seven. Eight. Pain-free?")
    assert turn["shouldEndSession"] is False
    assert "Was Superman pain-free? Say yes" in spoken_text(turn["reprompt"])


def test_yes_goes_on_to_the_next_move(turns):
    turn = turns["yes"]
    assert "That's Superman done. Next, Beetle." in said(turn)
    assert said(turn).endswith("Eight. Pain-free?") and turn["shouldEndSession"] is False


def test_it_hurts_drops_to_the_easier_beetle_heel_taps(turns):
    turn = turns["it hurts"]
    assert "Let's make it easier: Beetle Heel Taps." in said(turn)
    assert turn["shouldEndSession"] is False


def test_a_tingling_leg_stops_with_doctor_advice_and_ends_the_session(turns):
    turn = turns["my leg is tingling"]
    assert "see a doctor" in said(turn)
    assert turn["shouldEndSession"] is True and turn["reprompt"] is None


def test_opening_again_remembers_the_runner_and_the_red_flag(turns):
    turn = turns["open back coach"]  # a new session: what it knows came from the SQLite store
    assert said(turn).startswith("Welcome back. Before we train: last time we stopped early so you could get checked.")
    assert turn["shouldEndSession"] is False
