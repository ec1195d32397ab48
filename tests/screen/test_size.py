"""Every response fits Alexa's documented limit on a whole response (24 KB, from the custom-skill JSON
reference; a larger newer figure could not be confirmed, so this one is kept to): a full conversation on
each screen device, and the longest move the engine sends in one response."""
from __future__ import annotations

import json

import pytest

from bench.screen_size import longest_move
from skill.alexa.store import SQLiteStore
from skill.console.devices import DEVICES
from tests.screen.test_devices import SCREENS, conversation

LIMIT_BYTES = 24 * 1024


def sent_bytes(raw: dict) -> int:
    """The response as JSON with a space after each separator, as Lambda's runtime sends it (the web
    endpoint's compact JSON is smaller); non-ASCII as \\u escapes, the longer way."""
    return len(json.dumps(raw).encode())


@pytest.mark.parametrize("device", SCREENS)
def test_every_response_of_a_conversation_fits(device_alexa, device):
    sizes = [sent_bytes(reply.raw) for reply in conversation(device_alexa(device))]
    assert max(sizes) < LIMIT_BYTES, sizes


def test_the_longest_move_in_one_response_fits(coach, tmp_path):
    interfaces, viewport = DEVICES["echo-show-15"]
    raw = longest_move(coach, SQLiteStore(tmp_path / "store"), interfaces, viewport)
    counted = [f for f in raw["response"]["directives"][0]["datasources"]["screen"]["frames"] if f["mode"] == "count"]
    assert [(f["label"], f["reps"]) for f in counted] == [
        (f"Set {n} of 3 · {side} side", 12) for n in (1, 2, 3) for side in ("Left", "Right")]   # all of it
    assert sent_bytes(raw) < LIMIT_BYTES
